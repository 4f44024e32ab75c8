// The oracle: a symptom built from config, asked check(candidate) -> Verdict.
// Knows symptoms, not reduction. Semantics: ../shared/DESIGN.md.
#pragma once
#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "oracle/build.hpp"
#include "oracle/config.hpp"
#include "oracle/evidence.hpp"
#include "runners/expected.hpp"
#include "runners/process.hpp"

namespace minrepro::oracle {

struct Instrumented;  // oracle/instrument.hpp

// One run of a built candidate.
struct RunEvidence {
  runners::RunResult run;
  std::vector<Marker> markers;
  std::optional<double> exit_began;   // seconds since start
  std::string exit_event;             // the marker that began the exit
  pid_t exit_tid = 0;
  std::optional<double> ended;        // ended on its own, seconds since start
  bool reproduced = false;
  bool early = false;                 // decided before hang_after / the process end
  bool stalled = false;               // given up before exit began (CheckOptions::early_reject)
  // Not reproduced: the process ended on its own (after exit began, for the
  // exit kinds). A race's other outcome, which a flaky original shows.
  bool clean = false;
  std::string why;                    // one line: why (not) reproduced
  std::vector<ThreadView> threads;    // at the verdict, when the process was alive
  std::vector<runners::OpenFd> fds;   // open file descriptors of the process at the verdict
  std::vector<std::string> children;  // what its child processes wait in (evidence.hpp's waited_children)
  Signature signature;
};

struct Verdict {
  bool built = false;
  bool reproduced = false;
  int hits = 0, runs = 0;
  int clean = 0;                      // runs that ended cleanly (RunEvidence::clean)
  BuildResult build;
  std::vector<RunEvidence> evidence;
  Signature signature;                // of the first reproducing run
  std::string why;                    // one line summary
};

struct CheckOptions {
  int runs = 0;                       // 0: the config's runs
  int min_hits = 0;                   // 0: the config's min_hits
  bool stop_when_decided = false;     // stop once k-of-n is settled either way
  bool backtraces = true;             // all-thread backtraces at the verdict
  const Signature* expect = nullptr;  // a reproducing run must show this signature
  std::optional<bool> early_delay;    // delayed-exit: overrides the config's early_delay
  std::optional<double> min_delay;    // delayed-exit: overrides the config's min_delay
  std::optional<bool> early_verdict;  // exit-hang: overrides the config's early_verdict
  std::optional<bool> uninit_guard;   // overrides the oracle's uninitialized-read guard (set_uninit_guard)
  // Exit kinds: a run whose threads all sit in untimed futex waits before its
  // exit began is given up on (it would wait for the whole timeout). For
  // candidates: a program woken by a timer signal would be given up on too.
  bool early_reject = false;
  // When set, a candidate whose compiler warnings include a kind not in this
  // set is rejected before it runs (broken code such as `(';', pos)`).
  const std::set<std::string>* allowed_warnings = nullptr;
  // When it turns true the check stops at the next tick (not reproduced).
  const std::atomic<bool>* abandon = nullptr;
  // Start all runs at once (they mostly sleep or block); with
  // stop_when_decided the rest are stopped once k-of-n is settled.
  bool concurrent_runs = false;
  // A perturbed run: every new thread starts late (runners/thread_delay.c),
  // the thread that created one goes on late (thread_delay.c), the exit begins
  // late (the probe), or every write() of a child process is late
  // (thread_delay.c again). A deterministic bug shows either way; a candidate
  // that only hangs when one side wins a race does not.
  enum class Perturb { None, ThreadStart, CreatorResume, ExitBegin, ChildWrite } perturb = Perturb::None;
  // With concurrent_runs: run i is perturbed by perturb_each[i] (the runs
  // past its end by `perturb`), so each run of one batch can shift another race.
  std::vector<Perturb> perturb_each;
  static constexpr int kPerturbMs = 50;
};

// Where the time goes, summed over every check (thread-safe counters).
struct OracleStats {
  std::atomic<long> checks{0}, precheck_rejects{0}, builds{0}, build_failures{0}, build_cache_hits{0}, runs{0},
      early_verdicts{0}, warning_rejects{0}, early_rejects{0};
  std::atomic<long> parse_us{0}, build_us{0}, run_us{0};
};

// What a program wrote to the file named by an environment variable in one run.
struct Observation {
  bool built = false;
  std::string diagnostics;  // the compiler's, when it did not build
  std::string text;         // the file's contents
};

class Oracle {
 public:
  // Prepares the toolchain and a private work directory (removed on destruction).
  static Expected<std::unique_ptr<Oracle>> create(const Config& config, const std::string& file_name);
  ~Oracle();

  Verdict check(const std::string& text, const CheckOptions& options = {});
  // The compiler's warnings on the program (a cached build when it was checked).
  std::vector<Warning> warnings(const std::string& text);
  const Config& config() const { return config_; }
  const std::filesystem::path& workdir() const { return workdir_; }
  // The program's text as compiled (with the main-end instrumentation).
  std::string instrumented(const std::string& text);
  // The text parsed (and instrumented) by libclang in this thread's parse
  // worker, or from the cache of the last 16 texts that check() parsed.
  std::shared_ptr<const Instrumented> parsed(const std::string& text);
  // Rejects candidates libclang cannot parse, and those that lost the main()
  // the original has, before invoking the compiler. Only sound when libclang
  // accepts the original (no compiler-specific extensions): returns whether
  // it does, and turns the precheck on only then. `strict` (-Werror=KIND)
  // goes to libclang alone, for warnings the compiler would add that the
  // caller rejects anyway; dropped when the original has them. Call before
  // checks run.
  bool enable_precheck(const std::string& original, const std::vector<std::string>& strict = {});
  // See Builder::set_uninit_guard.
  bool set_uninit_guard(bool on) { return builder_ && builder_->set_uninit_guard(on); }
  bool uninit_guard_supported() const { return builder_ && builder_->uninit_guard_supported(); }
  // Builds `source` as it is and runs it once, sandboxed, to the timeout, with
  // `env_name` naming a fresh file it may write (e.g. values it saw).
  Observation observe(const std::string& source, const std::string& env_name);
  const OracleStats& stats() const { return stats_; }
  long pchs_built() const { return builder_ ? builder_->pchs_built() : 0; }
  // Lowers the per-run timeout (after calibration showed how long exit takes to begin).
  // Call before checks run in parallel.
  void tighten_timeout(double seconds) { config_.oracle.timeout = std::min(config_.oracle.timeout, seconds); }
  // exit-hang, delayed-exit: a run whose exit has not begun `seconds` after it
  // started is decided then, not at the timeout (which a delayed exit needs
  // longer, to see the delay end).
  void tighten_begin_timeout(double seconds) { begin_timeout_ = seconds; }
  // Stops every check in progress (Ctrl-C); later checks return at once.
  void cancel();
  bool cancelled() const { return cancelled_; }

 private:
  Oracle(Config config, std::string file_name, std::filesystem::path workdir);
  // A sandboxed run of a candidate binary in a fresh run dir (spec.cwd).
  runners::RunSpec candidate_spec(const std::filesystem::path& binary) const;
  // Ctrl-C, or the caller no longer wants this check's verdict.
  bool abandoned(const CheckOptions& options) const;
  RunEvidence run_binary(const std::filesystem::path& binary, const CheckOptions& options);
  std::vector<RunEvidence> concurrent_runs(const std::filesystem::path& binary, const CheckOptions& options, int n,
                                           int k);
  Verdict check_script(const std::string& text, const CheckOptions& options);

  Config config_;
  std::optional<double> begin_timeout_;
  std::string file_name_;
  std::filesystem::path workdir_;
  std::unique_ptr<Builder> builder_;
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> precheck_{false};
  bool need_main_ = false;  // with precheck_: the original has a main() libclang found
  std::vector<std::string> parse_flags_;  // libclang's: the toolchain's, and the precheck's strict ones
  OracleStats stats_;
  // The last few candidates' libclang parses (instrumentation, precheck) by
  // content hash: a candidate's re-runs are separate checks of the same text.
  std::mutex parsed_mu_;
  std::map<std::string, std::shared_ptr<const Instrumented>> parsed_;
  std::deque<std::string> parsed_order_;
};

}  // namespace minrepro::oracle
