// Corpus mode (nightly): reduce every case of a directory one at a time, each
// by a child `reduce` with a time budget; skip a case whose input, config and
// tool are unchanged since its last result; write summary.json + summary.md.
// Shards split a corpus over the jobs of an array; `corpus merge` joins them.
#pragma once
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "runners/expected.hpp"

namespace minrepro::corpus {

// What `reduce --summary FILE` writes: the numbers of one reduction.
struct ReduceSummary {
  std::string oracle;   // "exit-hang", ...
  std::string outcome;  // reduced | interrupted | does-not-reproduce | less-often | error
  int exit_status = 0;
  long original_tokens = 0, original_bytes = 0, final_tokens = 0, final_bytes = 0;
  long tests = 0, oracle_runs = 0;
  int original_hits = 0, original_runs = 0;    // calibration
  int confirmed_hits = 0, confirmed_runs = 0;  // the final confirmation (0/0: not confirmed)
  double seconds = 0;
  std::string signature;
  std::string message;  // the one-line error, if any
};

Status write_reduce_summary(const std::filesystem::path& file, const ReduceSummary& s);
Expected<ReduceSummary> read_reduce_summary(const std::filesystem::path& file);

// 1-based: shard K of N; count 0 means the whole corpus.
struct Shard {
  int index = 0, count = 0;
  std::string describe() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// One case's entry in summary.json (and OUT/<name>/result.json).
struct CaseResult {
  std::string name, oracle;
  std::string status;  // reduced | cached | no-longer-reproduces | error | timeout | interrupted
  bool budget_hit = false;
  int resumed = 0;  // earlier runs this result continues (after a budget hit or Ctrl-C)
  long original_tokens = 0, final_tokens = 0, original_bytes = 0, final_bytes = 0;
  double seconds = 0;             // over this run and the runs it resumed
  long tests = 0, oracle_runs = 0;  // likewise
  std::string rate;           // confirmed "5/5"; empty when not confirmed
  std::string original_rate;  // calibration "3/3"
  std::string signature;
  std::string input_hash, config_hash, tool_hash;
  std::string produced_at;  // when this result was computed (kept by `cached`)
  std::string message;
};

struct Summary {
  std::string version, tool_hash, corpus, started, finished;  // finished: empty while running
  bool interrupted = false;
  Shard shard;
  double budget_s = 0;
  int jobs = 0;
  std::vector<std::string> merged_from;  // `corpus merge`: the summaries joined
  std::vector<CaseResult> cases;
};

// Both written atomically.
Status write_case_result(const std::filesystem::path& file, const CaseResult& r);
Expected<CaseResult> read_case_result(const std::filesystem::path& file);
// OUT/summary.json and OUT/summary.md.
Status write_summary(const std::filesystem::path& out_dir, const Summary& s);
Expected<Summary> read_summary(const std::filesystem::path& file);
// The Markdown table: no-longer-reproduces first, then errors and timeouts, then the rest.
std::string markdown(const Summary& s);

// --fail-on: "none" or a comma list of statuses.
constexpr const char* kDefaultFailOn = "no-longer-reproduces,error,timeout";
Expected<std::set<std::string>> parse_fail_on(const std::string& list);
// 1 when a case's status is in `fail_on`, else 0.
int exit_status(const Summary& s, const std::set<std::string>& fail_on);
// "2024-05-01T02:00:00Z"
std::string now_utc();

// `reduce corpus merge OUT1 OUT2 ... [--out MERGED]`.
int run_merge(const std::vector<std::string>& args);

}  // namespace minrepro::corpus
