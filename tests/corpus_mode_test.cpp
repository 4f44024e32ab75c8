// `reduce corpus` on a three-case mini corpus: a first run reduces all, a
// second skips all (cached), shards split the corpus and `corpus merge` joins
// them back, a case that stops hanging is reported first as
// no-longer-reproduces, the budget and Ctrl-C keep what is done; bad usage is
// one line and exit 2.
#include <doctest/doctest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "helpers.hpp"
#include "runners/process.hpp"

using namespace minrepro;
using minrepro::test::slurp;
using minrepro::test::TempDir;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const char* kGlobalFlusher = R"(#include <pthread.h>
#include <stdio.h>

static int parse_level(const char* s) { return s[0] == 'd' ? 2 : 1; }

static void log_line(int level, const char* what) {
  if (level > 1) printf("%s\n", what);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static bool stop_requested = false;

static void* flush_loop(void*) {
  pthread_mutex_lock(&mu);
  while (!stop_requested) pthread_cond_wait(&cv, &mu);
  pthread_mutex_unlock(&mu);
  return nullptr;
}

struct Flusher {
  pthread_t thread;
  Flusher() { pthread_create(&thread, nullptr, flush_loop, nullptr); }
  ~Flusher() { pthread_join(thread, nullptr); }  // bug: nobody sets stop_requested
} flusher;

int main() {
  int level = parse_level("info");
  log_line(level, "start");
  return 0;
}
)";

const char* kLocalWorker = R"(#include <pthread.h>
#include <stdio.h>

struct Config {
  int retries = 3;
  const char* name = "svc";
};

static void print_config(const Config& c) { printf("%s %d\n", c.name, c.retries); }

static int next_retry(int n) { return n > 0 ? n - 1 : 0; }

struct Worker {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  bool stop = false;
  pthread_t thread;
  static void* loop(void* self) {
    Worker* w = static_cast<Worker*>(self);
    pthread_mutex_lock(&w->mu);
    while (!w->stop) pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
    return nullptr;
  }
  Worker() { pthread_create(&thread, nullptr, loop, this); }
  ~Worker() { pthread_join(thread, nullptr); }  // bug: nobody sets stop
};

int main() {
  Config c;
  c.retries = next_retry(c.retries);
  print_config(c);
  Worker w;
  return 0;
}
)";

const char* kAtexitPipe = R"(#include <stdlib.h>
#include <unistd.h>

static int fds[2];

static int checksum(const char* s) {
  int n = 0;
  while (*s) n += *s++;
  return n;
}

static void report(int value) {
  if (value < 0) write(2, "negative\n", 9);
}

static void drain() {
  char c;
  read(fds[0], &c, 1);  // bug: the write end is still open
}

int main() {
  if (pipe(fds) != 0) return 1;
  atexit(drain);
  report(checksum("abc"));
  return 0;
}
)";

const char* kConfig = R"([oracle]
kind = "exit-hang"
hang_after = 0.3

[reduce]
passes = ["function-bodies", "top-level-decls"]
)";

const std::vector<std::string> kNames = {"atexit-pipe", "global-flusher", "local-worker"};

runners::RunResult reduce(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                          const runners::Watcher& watch = {}) {
  auto spec = test::tool_spec(MINREPRO_REDUCE_BINARY, args);
  spec.env = env;
  return runners::run(spec, watch);
}

// The mini corpus, or its first `cases` cases.
fs::path make_corpus(const fs::path& root, size_t cases = kNames.size()) {
  fs::path dir = root / "corpus";
  const char* texts[] = {kAtexitPipe, kGlobalFlusher, kLocalWorker};
  for (size_t i = 0; i < cases; ++i) {
    fs::create_directories(dir / kNames[i]);
    std::ofstream(dir / kNames[i] / "case.cpp") << texts[i];
    std::ofstream(dir / kNames[i] / "repro.toml") << kConfig;
  }
  fs::create_directories(dir / "not-a-case");  // no case.cpp: ignored
  return dir;
}

json::object read_json(const fs::path& file) {
  json::error_code ec;
  json::value v = json::parse(slurp(file), ec);
  INFO(file.string(), ": ", ec.message());
  REQUIRE(!ec);
  REQUIRE(v.is_object());
  return v.get_object();
}

// name -> status, from OUT/summary.json.
std::map<std::string, std::string> statuses(const fs::path& out) {
  std::map<std::string, std::string> m;
  json::object summary = read_json(out / "summary.json");
  for (auto& c : summary.at("cases").as_array())
    m[std::string(c.at("name").as_string())] = std::string(c.at("status").as_string());
  return m;
}

const json::object& case_entry(const json::object& summary, const std::string& name) {
  for (auto& c : summary.at("cases").as_array())
    if (c.at("name").as_string() == name) return c.as_object();
  FAIL("no case " << name);
  throw 0;
}

void check_schema(const json::object& s) {
  for (auto* key : {"tool", "version", "tool_hash", "corpus", "started", "finished", "interrupted", "shard",
                    "budget_s", "jobs", "merged_from", "counts", "cases"})
    CHECK_MESSAGE(s.contains(key), key);
  for (auto& c : s.at("cases").as_array())
    for (auto* key : {"name", "oracle", "status", "budget_hit", "resumed", "original_tokens", "final_tokens",
                      "original_bytes", "final_bytes", "seconds", "tests", "oracle_runs", "rate", "original_rate",
                      "signature", "input_hash", "config_hash", "tool_hash", "produced_at", "message"})
      CHECK_MESSAGE(c.as_object().contains(key), key);
}

void check_bad_usage(const runners::RunResult& r, const std::string& mention) {
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(mention) != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.rfind("reduce: ", 0) == 0);
}

}  // namespace

TEST_CASE("corpus: reduce all, then cached; shards and merge; no-longer-reproduces first") {
  TempDir d;
  fs::path corpus = make_corpus(d.path), out = d.path / "out";

  // First run: every case reduced, the input untouched.
  auto first = reduce({"corpus", corpus.string(), "--out", out.string(), "-j", "2"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  json::object s1 = read_json(out / "summary.json");
  check_schema(s1);
  CHECK(s1.at("shard").is_null());
  CHECK(s1.at("interrupted") == false);
  CHECK(s1.at("cases").as_array().size() == 3);
  for (auto& name : kNames) {
    auto& c = case_entry(s1, name);
    CAPTURE(name);
    CHECK(c.at("status") == "reduced");
    CHECK(c.at("oracle") == "exit-hang");
    CHECK(c.at("rate") == "10/10");
    CHECK(c.at("final_tokens").as_int64() < c.at("original_tokens").as_int64());
    CHECK(c.at("budget_hit") == false);
    CHECK(fs::exists(out / name / "case.min.cpp"));
    CHECK(slurp(out / name / "reduce.log").find("confirmed: reproduced 10/10") != std::string::npos);
    // the bug-report bundle of the result, per case
    CHECK(slurp(out / name / "report" / "report.md").find("**Diagnosis:**") != std::string::npos);
    CHECK(fs::exists(out / name / "report" / "repro.sh"));
  }
  CHECK(std::string(case_entry(s1, "local-worker").at("signature").as_string()).find("main-locals") !=
        std::string::npos);
  CHECK(slurp(corpus / "local-worker" / "case.cpp") == kLocalWorker);
  CHECK_FALSE(fs::exists(corpus / "local-worker" / "case.min.cpp"));
  std::string md = slurp(out / "summary.md");
  CHECK(md.find("| case | oracle | tokens | time | tests | reproduced | status |") != std::string::npos);
  CHECK(md.find("| `local-worker` | exit-hang | ") != std::string::npos);

  // Second run: nothing changed, nothing reduced.
  auto second = reduce({"corpus", corpus.string(), "--out", out.string(), "-j", "2"});
  CHECK(second.exit_code == 0);
  CHECK(second.wall_s < 5);
  for (auto& [name, status] : statuses(out)) CHECK(status == "cached");
  json::object s2 = read_json(out / "summary.json");
  CHECK(case_entry(s2, "global-flusher").at("final_tokens") ==
        case_entry(s1, "global-flusher").at("final_tokens"));

  // Shards (each starts from a copy of the results, as a CI cache restore would):
  // every case in exactly one shard, whether K/N comes from --shard, Slurm or Kubernetes.
  auto shard_run = [&](const std::string& tag, std::vector<std::string> extra, std::vector<std::string> env) {
    fs::path dir = d.path / ("shard-" + tag);
    fs::copy(out, dir, fs::copy_options::recursive);
    std::vector<std::string> args = {"corpus", corpus.string(), "--out", dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = reduce(args, env);
    INFO(tag, r.err);
    CHECK(r.exit_code == 0);
    return dir;
  };
  std::map<int, std::vector<fs::path>> shard_dirs;
  for (int n : {2, 3})
    for (int k = 1; k <= n; ++k) {
      std::string tag = std::to_string(k) + "of" + std::to_string(n);
      // 1-based Slurm array (--array=1-N) for N=2; --shard for N=3.
      shard_dirs[n].push_back(n == 2 ? shard_run(tag, {},
                                                 {"SLURM_ARRAY_TASK_ID=" + std::to_string(k), "SLURM_ARRAY_TASK_MIN=1",
                                                  "SLURM_ARRAY_TASK_COUNT=2"})
                                     : shard_run(tag, {"--shard", std::to_string(k) + "/3"}, {}));
    }
  for (auto& [n, dirs] : shard_dirs) {
    std::multiset<std::string> seen;
    for (size_t k = 0; k < dirs.size(); ++k) {
      json::object s = read_json(dirs[k] / "summary.json");
      CHECK(s.at("shard").at("index") == int(k + 1));
      CHECK(s.at("shard").at("count") == n);
      for (auto& [name, status] : statuses(dirs[k])) {
        seen.insert(name);
        CHECK(status == "cached");
      }
    }
    CHECK(seen == std::multiset<std::string>(kNames.begin(), kNames.end()));
  }
  // Kubernetes' 0-based JOB_COMPLETION_INDEX, count from MINREPRO_SHARD_COUNT: index 1 is shard 2/3.
  fs::path k8s = shard_run("k8s", {}, {"JOB_COMPLETION_INDEX=1", "MINREPRO_SHARD_COUNT=3"});
  CHECK(statuses(k8s) == statuses(shard_dirs[3][1]));

  // Merge: the shards of N=3 give the whole corpus back.
  fs::path merged = d.path / "merged";
  auto m = reduce({"corpus", "merge", shard_dirs[3][0].string(), shard_dirs[3][1].string(),
                   shard_dirs[3][2].string(), "--out", merged.string()});
  INFO(m.err);
  CHECK(m.exit_code == 0);
  json::object ms = read_json(merged / "summary.json");
  check_schema(ms);
  CHECK(ms.at("merged_from").as_array().size() == 3);
  CHECK(statuses(merged) == statuses(out));
  for (auto& name : kNames) CHECK(fs::exists(merged / name / "case.min.cpp"));
  // Without --out: the Markdown table on stdout. The same case twice with the same result: kept once.
  auto dup = reduce({"corpus", "merge", out.string(), shard_dirs[2][0].string()});
  CHECK(dup.exit_code == 0);
  CHECK(dup.out.find("| `local-worker` |") != std::string::npos);
  CHECK(dup.err.find("kept once") != std::string::npos);
  // ... with different results: an error.
  fs::path other = d.path / "other";
  fs::create_directories(other);
  json::object altered = read_json(out / "summary.json");
  altered["cases"].as_array()[0].as_object()["final_tokens"] = 1;
  std::ofstream(other / "summary.json") << json::serialize(altered);
  check_bad_usage(reduce({"corpus", "merge", out.string(), other.string()}), "different results");

  // The local-worker case is fixed: it no longer reproduces, shown first, exit 1.
  std::string fixed = kLocalWorker;
  std::string join = "~Worker() { pthread_join(thread, nullptr); }";
  fixed.replace(fixed.find(join), join.size(),
                "~Worker() {\n    pthread_mutex_lock(&mu);\n    stop = true;\n    pthread_cond_signal(&cv);\n"
                "    pthread_mutex_unlock(&mu);\n    pthread_join(thread, nullptr);\n  }");
  std::ofstream(corpus / "local-worker" / "case.cpp") << fixed;
  auto third = reduce({"corpus", corpus.string(), "--out", out.string(), "-j", "2"});
  INFO(third.err);
  CHECK(third.exit_code == 1);
  auto st = statuses(out);
  CHECK(st["local-worker"] == "no-longer-reproduces");
  CHECK(st["global-flusher"] == "cached");
  CHECK(st["atexit-pipe"] == "cached");
  json::object s3 = read_json(out / "summary.json");
  CHECK(std::string(case_entry(s3, "local-worker").at("message").as_string())
            .find("does not reproduce") != std::string::npos);
  md = slurp(out / "summary.md");
  auto table = md.find("| --- |");
  REQUIRE(table != std::string::npos);
  CHECK(md.find("| `local-worker` |", table) == md.find('\n', table) + 1);  // the first row
  CHECK(md.find("**no-longer-reproduces**") != std::string::npos);
  // --fail-on decides what fails the run.
  CHECK(reduce({"corpus", corpus.string(), "--out", out.string(), "--fail-on", "none"}).exit_code == 0);
  CHECK(reduce({"corpus", corpus.string(), "--out", out.string(), "--fail-on", "error"}).exit_code == 0);
}

TEST_CASE("corpus: the budget keeps the best so far; Ctrl-C stops the case in flight, exits 130") {
  TempDir d;
  // Two cases: the one cut by the budget, and the one Ctrl-C stops.
  fs::path corpus = make_corpus(d.path, 2), out = d.path / "out";
  std::optional<runners::Clock::time_point> second_started;
  double sent_at = 0;
  // atexit-pipe runs first with a 6 s budget (3 s did not cover its calibration next to another
  // reducing test, and its reduction takes longer); Ctrl-C 1.5 s after global-flusher starts.
  auto r = reduce({"corpus", corpus.string(), "--out", out.string(), "-j", "2", "--budget", "6"}, {},
                  [&](pid_t pid, runners::Clock::time_point start) {
                    auto now = runners::Clock::now();
                    if (sent_at > 0) return false;
                    if (!second_started && fs::exists(out / "global-flusher")) second_started = now;
                    if (second_started && now - *second_started > std::chrono::milliseconds(1500)) {
                      kill(pid, SIGINT);
                      sent_at = std::chrono::duration<double>(now - start).count();
                    }
                    return false;
                  });
  INFO(r.err);
  CHECK(r.exit_code == 130);
  CHECK(r.wall_s - sent_at < 2.0);
  json::object s = read_json(out / "summary.json");
  CHECK(s.at("interrupted") == true);
  auto& first = case_entry(s, "atexit-pipe");
  CHECK(first.at("status") == "reduced");
  CHECK(first.at("budget_hit") == true);
  CHECK(first.at("rate") == "");
  CHECK(fs::exists(out / "atexit-pipe" / "case.min.cpp"));
  CHECK(fs::exists(out / "atexit-pipe" / "result.json"));
  CHECK(case_entry(s, "global-flusher").at("status") == "interrupted");
  CHECK(s.at("cases").as_array().size() == 2);
  CHECK(slurp(out / "summary.md").find("reduced (budget hit)") != std::string::npos);

  // The next run goes on from the best of the case cut short by the budget,
  // and adds up its time and tests; a finished case is not resumed again.
  auto again = reduce({"corpus", corpus.string(), "--out", out.string(), "-j", "2"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("atexit-pipe: resuming from the best so far") != std::string::npos);
  CHECK(slurp(out / "atexit-pipe" / "reduce.log").find("resuming from") != std::string::npos);
  json::object s2 = read_json(out / "summary.json");
  auto& resumed = case_entry(s2, "atexit-pipe");
  CHECK(resumed.at("status") == "reduced");
  CHECK(resumed.at("budget_hit") == false);
  CHECK(resumed.at("resumed") == 1);
  CHECK(resumed.at("rate") == "10/10");
  CHECK(resumed.at("seconds").to_number<double>() > first.at("seconds").to_number<double>());
  CHECK(resumed.at("tests").to_number<long>() >= first.at("tests").to_number<long>());
  CHECK(resumed.at("final_tokens").to_number<long>() <= first.at("final_tokens").to_number<long>());
  CHECK(slurp(out / "summary.md").find("reduced (resumed)") != std::string::npos);
  auto third = reduce({"corpus", corpus.string(), "--out", out.string(), "-j", "2"});
  CHECK(third.exit_code == 0);
  for (auto& [name, status] : statuses(out)) CHECK(status == "cached");
}

TEST_CASE("corpus: bad usage is one line and exit status 2") {
  TempDir d;
  fs::path corpus = make_corpus(d.path), out = d.path / "out";
  fs::create_directories(d.path / "empty");
  check_bad_usage(reduce({"corpus"}), "no corpus directory");
  check_bad_usage(reduce({"corpus", corpus.string()}), "--out OUT is required");
  check_bad_usage(reduce({"corpus", (d.path / "nope").string(), "--out", out.string()}), "no such directory");
  check_bad_usage(reduce({"corpus", (d.path / "empty").string(), "--out", out.string()}), "empty corpus");
  for (auto* bad : {"4/3", "0/3", "x", "1/", "2"})
    check_bad_usage(reduce({"corpus", corpus.string(), "--out", out.string(), "--shard", bad}), "--shard");
  check_bad_usage(reduce({"corpus", corpus.string(), "--out", out.string(), "--budget", "soon"}), "--budget");
  check_bad_usage(reduce({"corpus", corpus.string(), "--out", out.string(), "--fail-on", "sometimes"}),
                  "unknown status 'sometimes'");
  check_bad_usage(reduce({"corpus", corpus.string(), "--out", out.string(), "--frobnicate"}), "unknown option");
  check_bad_usage(reduce({"corpus", corpus.string(), "--out", out.string()}, {"JOB_COMPLETION_INDEX=0"}),
                  "shard count");
  check_bad_usage(reduce({"corpus", corpus.string(), "--out", out.string()},
                         {"SLURM_ARRAY_TASK_ID=7", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_COUNT=3"}),
                  "outside 1..3");
  check_bad_usage(reduce({"corpus", "merge"}), "name the shard outputs");
  check_bad_usage(reduce({"corpus", "merge", (d.path / "nope").string()}), "cannot read");
  CHECK_FALSE(fs::exists(out / "summary.json"));  // nothing was run
  auto help = reduce({"corpus", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--shard K/N") != std::string::npos);
}
