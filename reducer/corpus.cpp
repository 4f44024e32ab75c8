// `reduce corpus DIR --out OUT`: every case DIR/<name>/case.cpp reduced by a
// child `reduce` (this binary) in name order, one at a time, each with a time
// budget; unchanged cases skipped, a case cut short resumed from its best; a
// summary after every case.
#include "reducer/corpus.hpp"

#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "oracle/build.hpp"
#include "reducer/cli.hpp"
#include "reducer/commands.hpp"
#include "reducer/session.hpp"
#include "reducer/tokens.hpp"
#include "runners/process.hpp"

namespace minrepro {
namespace corpus {
namespace {
namespace fs = std::filesystem;

struct Options {
  fs::path dir, out;
  int jobs = 0;  // 0: each reduction's own default
  double budget_s = 1800;
  std::string shard;  // --shard K/N
  int shard_count = 0;
  std::set<std::string> fail_on;
  bool quiet = false, help = false;
};

// How long a reduction may take to stop after SIGINT before it is killed.
constexpr double kStopGrace_s = 30;

Expected<Options> parse(const std::vector<std::string>& args) {
  Options o;
  o.fail_on = *parse_fail_on(kDefaultFailOn);
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> Expected<std::string> {
      if (i + 1 >= args.size()) return Error{a + ": needs a value (see --help)"};
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "--out" || a == "-o" || a == "--shard" || a == "-j" || a == "--jobs" || a == "--budget" ||
               a == "--shard-count" || a == "--fail-on") {
      auto v = value();
      if (!v) return v.error();
      if (a == "--out" || a == "-o") o.out = *v;
      else if (a == "--shard") o.shard = *v;
      else if (a == "--budget") {
        auto s = cli::to_seconds(a, *v);
        if (!s) return s.error();
        o.budget_s = *s;
      } else if (a == "--fail-on") {
        auto f = parse_fail_on(*v);
        if (!f) return f.error();
        o.fail_on = *f;
      } else {
        auto n = cli::to_count(a, *v, a == "--shard-count" ? 1 : 0);
        if (!n) return n.error();
        (a == "--shard-count" ? o.shard_count : o.jobs) = *n;
      }
    } else if (a.size() > 1 && a[0] == '-') {
      return Error{"corpus: unknown option '" + a + "' (see --help)"};
    } else {
      positional.push_back(a);
    }
  }
  if (o.help) return o;
  if (positional.empty()) return Error{"corpus: no corpus directory: reduce corpus DIR --out OUT (see --help)"};
  if (positional.size() > 1)
    return Error{"corpus: one corpus directory at a time, got " + std::to_string(positional.size()) +
                 " (to join shard outputs: reduce corpus merge OUT1 OUT2 ...)"};
  o.dir = positional[0];
  if (o.out.empty()) return Error{"corpus: --out OUT is required (where results and summaries go)"};
  return o;
}

// The cases: DIR/<name>/case.cpp, in name order.
Expected<std::vector<std::string>> find_cases(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Error{dir.string() + ": no such directory (give the corpus directory holding <name>/case.cpp)"};
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec) && fs::exists(it->path() / "case.cpp", ec)) names.push_back(it->path().filename());
  if (ec) return Error{dir.string() + ": cannot list: " + ec.message()};
  if (names.empty()) return Error{dir.string() + ": empty corpus: no <name>/case.cpp in it"};
  std::sort(names.begin(), names.end());
  return names;
}

Expected<long> env_number(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (!v) return fallback;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (!*v || *end) return Error{std::string(name) + "='" + v + "' is not a whole number"};
  return n;
}

// --shard K/N wins; else an array job's index (Slurm, or Kubernetes' indexed
// Job with the count from --shard-count / MINREPRO_SHARD_COUNT). 1-based.
Expected<Shard> resolve_shard(const Options& o) {
  const std::string hint = " (shards are numbered from 1: --shard 1/3 ... 3/3)";
  if (!o.shard.empty()) {
    auto slash = o.shard.find('/');
    auto k = cli::to_count("--shard", o.shard.substr(0, slash), 1);
    auto n = cli::to_count("--shard", slash == std::string::npos ? "" : o.shard.substr(slash + 1), 1);
    if (!k || !n || *k > *n) return Error{"--shard: '" + o.shard + "' is not K/N with 1 <= K <= N" + hint};
    return Shard{*k, *n};
  }
  auto count = env_number("MINREPRO_SHARD_COUNT", 0);
  if (!count) return count.error();
  if (o.shard_count) *count = o.shard_count;
  long index = 0;
  std::string from;
  if (std::getenv("SLURM_ARRAY_TASK_ID")) {
    // Whatever the array spec (0-2, 1-3, 1-9:4): the task's rank among the array's tasks.
    auto id = env_number("SLURM_ARRAY_TASK_ID", 0), min = env_number("SLURM_ARRAY_TASK_MIN", 0),
         step = env_number("SLURM_ARRAY_TASK_STEP", 1), tasks = env_number("SLURM_ARRAY_TASK_COUNT", 0);
    for (auto* e : {&id, &min, &step, &tasks})
      if (!*e) return e->error();
    if (!*count) *count = *tasks;
    if (!*count) return Error{"SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give --shard-count N"};
    index = (*id - *min) / std::max(1L, *step) + 1;
    from = "SLURM_ARRAY_TASK_ID=" + std::to_string(*id);
  } else if (std::getenv("JOB_COMPLETION_INDEX")) {
    auto id = env_number("JOB_COMPLETION_INDEX", 0);
    if (!id) return id.error();
    if (!*count)
      return Error{"JOB_COMPLETION_INDEX is set but not the shard count: give --shard-count N or MINREPRO_SHARD_COUNT"};
    index = *id + 1;
    from = "JOB_COMPLETION_INDEX=" + std::to_string(*id);
  } else if (*count) {
    return Error{"a shard count without an index: give --shard K/N, or run as a Slurm array or indexed Job"};
  } else {
    return Shard{};
  }
  if (index < 1 || index > *count)
    return Error{from + " gives shard " + std::to_string(index) + " of " + std::to_string(*count) +
                 ", outside 1.." + std::to_string(*count) + hint};
  return Shard{int(index), int(*count)};
}

// By a stable hash of the name, not its position: a case stays in its shard
// (and next to its cached result) when cases are added or removed.
bool in_shard(const std::string& name, const Shard& shard) {
  if (!shard.count) return true;
  uint64_t h = std::stoull(oracle::content_hash(name).substr(0, 16), nullptr, 16);
  // FNV-1a's low bits are weak (the lowest is the parity of the odd bytes): mix them (MurmurHash3's finalizer).
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdull;
  h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h % unsigned(shard.count) == unsigned(shard.index - 1);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The version and the binary itself: a rebuilt tool reduces everything again.
std::string tool_hash() {
  return oracle::content_hash(std::string(MINREPRO_VERSION) + "\n" + slurp("/proc/self/exe"));
}

// The child's last "reduce: ..." line: its one-line error.
std::string last_error(const std::string& err) {
  std::string found;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("reduce: ", 0) == 0) found = line.substr(8);
  return found;
}

std::string rate(int hits, int runs) { return runs ? std::to_string(hits) + "/" + std::to_string(runs) : ""; }

// What the child's summary says, as the case's status.
void apply_summary(CaseResult& r, const ReduceSummary& s, bool budget_hit, double budget_s) {
  r.oracle = s.oracle;
  r.original_tokens = s.original_tokens, r.original_bytes = s.original_bytes;
  r.final_tokens = s.final_tokens, r.final_bytes = s.final_bytes;
  r.tests = s.tests, r.oracle_runs = s.oracle_runs;
  r.rate = rate(s.confirmed_hits, s.confirmed_runs);
  r.original_rate = rate(s.original_hits, s.original_runs);
  r.signature = s.signature;
  r.message = s.message;
  r.status = "error";
  if (s.outcome == "reduced") {
    r.status = "reduced";
  } else if (s.outcome == "does-not-reproduce") {
    r.status = "no-longer-reproduces";
  } else if (s.outcome == "interrupted" && budget_hit) {
    r.budget_hit = true;
    bool has_result = s.original_hits > 0 && s.final_tokens > 0;
    r.status = has_result ? "reduced" : "timeout";
    r.message = has_result ? "budget of " + std::to_string(long(budget_s)) +
                                 " s hit: the best result so far is kept (not confirmed)"
                           : "budget of " + std::to_string(long(budget_s)) +
                                 " s hit before the original was calibrated";
  } else if (r.message.empty()) {
    r.message = "reduce ended: " + s.outcome + " (exit " + std::to_string(s.exit_status) + ")";
  }
}

// A case's identity: the hashes of its input, its config and the tool.
CaseResult identify(const Options& o, const std::string& name, const std::string& tool) {
  fs::path src = o.dir / name;
  CaseResult r;
  r.name = name;
  r.tool_hash = tool;
  std::string input = slurp(src / "case.cpp");
  r.input_hash = oracle::content_hash(input);
  r.original_bytes = long(input.size()), r.original_tokens = long(reducer::count_tokens(input));
  r.config_hash = oracle::content_hash(fs::exists(src / "repro.toml") ? slurp(src / "repro.toml") : "");
  return r;
}

// The previous result of the same input and config, with its output file.
std::optional<CaseResult> previous(const Options& o, const CaseResult& id) {
  auto prev = read_case_result(o.out / id.name / "result.json");
  if (!prev || prev->input_hash != id.input_hash || prev->config_hash != id.config_hash ||
      !fs::exists(o.out / id.name / "case.min.cpp"))
    return std::nullopt;
  return *prev;
}

// The previous result when nothing changed since it was reduced. Only a
// finished reduction is reused: a case that failed or stopped reproducing runs
// again, and one cut short by the budget or Ctrl-C goes on (`unfinished`).
std::optional<CaseResult> cached(const CaseResult& id, std::optional<CaseResult> prev) {
  if (!prev || prev->status != "reduced" || prev->budget_hit || prev->tool_hash != id.tool_hash)
    return std::nullopt;
  prev->status = "cached";
  return prev;
}

// A reduction cut short, which the next run resumes from its best (`reduce
// --resume` re-checks that file and starts from the input if it no longer
// reproduces): a nightly budget then adds up over nights.
std::optional<CaseResult> unfinished(std::optional<CaseResult> prev) {
  if (!prev || !((prev->status == "reduced" && prev->budget_hit) || prev->status == "interrupted"))
    return std::nullopt;
  return prev;
}

// This very binary (even if rebuilt meanwhile), reducing one case into OUT/<name>/.
runners::RunSpec reduce_spec(const Options& o, const fs::path& src, const fs::path& out, bool resume) {
  runners::RunSpec spec;
  spec.program = "/proc/self/exe";
  spec.args = {"--summary", (out / "reduce.summary.json").string(), "-o", (out / "case.min.cpp").string(),
               "--report", (out / "report").string()};
  if (resume) spec.args.push_back("--resume");
  if (o.jobs) spec.args.insert(spec.args.end(), {"-j", std::to_string(o.jobs)});
  spec.args.push_back((src / "case.cpp").string());
  spec.deadline_s = o.budget_s + 2 * kStopGrace_s;  // a safety net; the watcher stops it first
  // No limits of its own: the reduction sets its candidates' limits from repro.toml.
  spec.limits = {.memory_mb = 0, .cpu_s = 1L << 30, .file_mb = 1L << 20, .processes = 1L << 20,
                 .output_kb = 8 << 10};
  spec.tick = std::chrono::milliseconds(50);
  return spec;
}

// A child `reduce` with the budget, going on from `resumed` when given;
// `user_stop` on Ctrl-C.
CaseResult reduce_case(const Options& o, CaseResult r, const std::optional<CaseResult>& resumed, bool& user_stop) {
  fs::path src = o.dir / r.name, out = o.out / r.name;
  r.produced_at = now_utc();
  std::error_code ec;
  fs::create_directories(out, ec);
  for (auto* stale : {"result.json", "reduce.summary.json"}) fs::remove(out / stale, ec);
  if (!resumed) fs::remove(out / "case.min.cpp", ec);
  fs::remove_all(out / "report", ec);

  runners::RunSpec spec = reduce_spec(o, src, out, resumed.has_value());
  bool budget_hit = false;
  std::optional<runners::Clock::time_point> sent;
  auto budget = std::chrono::duration<double>(o.budget_s);
  // At the budget or on Ctrl-C: SIGINT, and `reduce` keeps its best and exits 130.
  auto watch = [&](pid_t pid, runners::Clock::time_point start) {
    auto now = runners::Clock::now();
    if (sent) return now - *sent > std::chrono::duration<double>(kStopGrace_s);
    user_stop = interrupted();
    budget_hit = !user_stop && now - start >= budget;
    if (user_stop || budget_hit) kill(pid, SIGINT), sent = now;
    return false;
  };
  auto run = runners::run(spec, watch);
  r.seconds = run.wall_s;
  std::string log = "$ reduce";
  for (auto& a : spec.args) log += " " + a;
  log += "\n" + run.out + run.err + (run.err_truncated ? "[log truncated]\n" : "") + "[" + run.describe_end() + "]\n";
  if (auto st = reducer::write_atomically(out / "reduce.log", log); !st) r.message = st.error().message;

  auto summary = read_reduce_summary(out / "reduce.summary.json");
  if (summary) apply_summary(r, *summary, budget_hit, o.budget_s);
  if (user_stop) {
    r.status = "interrupted";
    r.message = "stopped by Ctrl-C or SIGTERM; the best so far is in case.min.cpp";
  } else if (!summary) {
    r.status = "error";
    r.message = !run.started         ? run.describe_end()
                : !last_error(run.err).empty() ? last_error(run.err)
                                               : "reduce ended without a summary (" + run.describe_end() + ")";
  }
  if (resumed) {
    r.resumed = resumed->resumed + 1;
    r.seconds += resumed->seconds, r.tests += resumed->tests, r.oracle_runs += resumed->oracle_runs;
  }
  return r;
}

void note(const Options& o, const std::string& line) {
  if (!o.quiet) std::cerr << "corpus: " << line << "\n";
}

std::string describe(const CaseResult& r) {
  std::string s = r.status;
  if (r.status == "reduced" || r.status == "cached")
    s += ", " + std::to_string(r.original_tokens) + " -> " + std::to_string(r.final_tokens) + " tokens" +
         (r.rate.empty() ? "" : ", reproduced " + r.rate);
  if (r.status != "cached") s += ", " + std::to_string(long(r.seconds + 0.5)) + " s";
  if (!r.message.empty()) s += ": " + r.message;
  return s;
}

int usage_error(const std::string& message) {
  std::cerr << "reduce: " << message << "\n";
  return kBadInput;
}

}  // namespace
}  // namespace corpus

int run_corpus(const std::vector<std::string>& args) {
  using namespace corpus;
  if (!args.empty() && args[0] == "merge") return run_merge({args.begin() + 1, args.end()});
  auto o = corpus::parse(args);
  if (!o) return usage_error(o.error().message);
  if (o->help) {
    std::cout << cli::usage();
    return 0;
  }
  auto names = find_cases(o->dir);
  if (!names) return usage_error(names.error().message);
  auto shard = resolve_shard(*o);
  if (!shard) return usage_error(shard.error().message);
  std::error_code ec;
  fs::create_directories(o->out, ec);
  if (!fs::is_directory(o->out)) return usage_error(o->out.string() + ": cannot create the output directory");
  // The reductions run in private directories: absolute paths only.
  o->dir = fs::absolute(o->dir).lexically_normal();
  o->out = fs::absolute(o->out).lexically_normal();

  Summary s;
  s.version = MINREPRO_VERSION;
  s.tool_hash = tool_hash();
  s.corpus = o->dir.string();
  s.started = now_utc();
  s.shard = *shard;
  s.budget_s = o->budget_s;
  s.jobs = o->jobs;
  std::vector<std::string> mine;
  std::copy_if(names->begin(), names->end(), std::back_inserter(mine),
               [&](const std::string& n) { return in_shard(n, *shard); });
  note(*o, std::to_string(mine.size()) + " of " + std::to_string(names->size()) + " cases" +
               (shard->count ? " (shard " + shard->describe() + ")" : "") + ", budget " +
               std::to_string(long(o->budget_s)) + " s each, results in " + o->out.string());
  if (auto st = write_summary(o->out, s); !st) return usage_error(st.error().message);
  bool user_stop = false;
  for (size_t i = 0; i < mine.size() && !user_stop && !interrupted(); ++i) {
    std::string n = std::to_string(i + 1) + "/" + std::to_string(mine.size());
    CaseResult id = identify(*o, mine[i], s.tool_hash);
    auto prev = previous(*o, id);
    auto done = cached(id, prev);
    auto resumed = unfinished(prev);
    if (!done) note(*o, "[" + n + "] " + mine[i] + (resumed ? ": resuming from the best so far" : ": reducing"));
    CaseResult r = done ? *done : reduce_case(*o, id, resumed, user_stop);
    if (r.status != "cached") write_case_result(o->out / r.name / "result.json", r);
    s.cases.push_back(r);
    note(*o, "[" + n + "] " + mine[i] + ": " + describe(r));
    write_summary(o->out, s);
  }
  s.finished = now_utc();
  s.interrupted = user_stop || interrupted();
  if (auto st = write_summary(o->out, s); !st) return usage_error(st.error().message);
  if (s.interrupted) {
    note(*o, "interrupted; finished cases' results are in " + o->out.string());
    return kInterrupted;
  }
  note(*o, "wrote " + (o->out / "summary.json").string() + " and summary.md");
  return exit_status(s, o->fail_on);
}

}  // namespace minrepro
