#include "reducer/cli.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace minrepro::cli {
namespace fs = std::filesystem;

std::string usage() {
  return R"(usage:
  reduce [options] --oracle NAME case.cpp        reduce; writes case.min.cpp
  reduce check [options] --oracle NAME case.cpp  does it reproduce? verdict and evidence
  reduce matrix [options] --oracle NAME case.cpp does it reproduce with g++/clang++, -std, -O levels?
  reduce tokens FILE...                          count tokens (the counter of the statistics)
  reduce corpus DIR --out OUT [options]          reduce every DIR/<name>/case.cpp (nightly), summaries
  reduce corpus merge OUT... [--out DIR]         join the summaries of shards

oracles: exit-hang, delayed-exit, hang, crash, script:PATH
options:
  --config FILE        TOML config (default: repro.toml beside the case, if any)
  --cxx CXX            C++ compiler (default g++)
  --cxxflags "FLAGS"   compiler flags (default "-std=c++17 -pthread -O0 -Werror=return-type")
  --ldflags "FLAGS"    linker flags
  --exit-begins WHEN   main-end (default) or main-return
  --hang-after S       exit-hang: alive S seconds after exit began (default 1.0)
  --min-delay S        delayed-exit: ended at least S seconds after exit began (default 0.5)
  --timeout S          hard limit per run (default 10)
  --runs N             runs per check (default 1; matrix: per configuration, default 3)
  --min-hits K         reproduced when K of N runs reproduce (default 1)
  --no-early-verdict   exit-hang: always wait hang_after, never decide from /proc
  --early-delay        delayed-exit: decide once min_delay has passed
  --signal SIG         crash: only this signal counts
  --backtrace          check: print all-thread backtraces at the verdict
  --report DIR         check, reduce: write a bug-report bundle (report.md, repro.sh, case.cpp) to DIR;
                       matrix: add the matrix table to DIR/report.md
  --report-runs N      runs behind the report's reproduction rate (default 10)
  --compilers a,b      matrix: compilers to try (default: the configured one, g++, clang++)
  --std a,b            matrix: -std levels (default c++17,c++20 and the case's own)
  --opt a,b            matrix: optimization levels (default O0,O2 and the case's own)
  -o FILE              reduce: output file (default: CASE.min.cpp)
  -j N                 reduce: parallel tests (default: all cores)
  --passes a,b         reduce: run only these passes
  --no-signature       reduce: accept a candidate that shows another bug
  --resume             reduce: continue from an existing output file
  --stats              reduce: print where the time went
  --summary FILE       reduce: write the run's numbers as JSON (what corpus mode reads)
  --quiet              no progress output
  -h, --help           this text
  --version            the version
corpus options (each case is reduced by its own repro.toml):
  --out OUT            where results go: OUT/<name>/case.min.cpp, reduce.log; OUT/summary.{json,md}
  -j N                 parallel tests of each reduction (cases run one at a time)
  --budget S           time per case (default 1800): then the best so far is kept
  --shard K/N          reduce only shard K of N (1-based); default from SLURM_ARRAY_TASK_ID or
                       JOB_COMPLETION_INDEX (with --shard-count N or MINREPRO_SHARD_COUNT)
  --shard-count N      the number of shards when the index comes from the environment
  --fail-on LIST       statuses that make the exit status 1 (default no-longer-reproduces,error,timeout;
                       none for never)
exit status: 0 reproduced / reduced, 1 does not reproduce, 2 bad input or usage, 130 interrupted
  (corpus: 1 when a case's status is in --fail-on)
)";
}

Expected<std::string> read_source(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error{path.string() + ": no such file (check the path)"};
  if (fs::is_directory(path, ec)) return Error{path.string() + ": is a directory, not a C++ file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path.string() + ": cannot read: " + strerror(errno) + " (check permissions)"};
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error{path.string() + ": is empty; give the C++ program that shows the symptom"};
  size_t control = 0;
  for (unsigned char c : text)
    if (c == 0 || (c < 32 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v')) ++control;
  if (text.find('\0') != std::string::npos || control * 100 > text.size())
    return Error{path.string() + ": looks like a binary file, not C++ source"};
  return text;
}

namespace {

std::vector<std::string> split_words(const std::string& s, char sep = ' ') {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string w; std::getline(ss, w, sep);)
    if (!w.empty()) out.push_back(w);
  return out;
}

}  // namespace

Expected<double> to_seconds(const std::string& flag, const std::string& v) {
  char* end = nullptr;
  errno = 0;
  double d = strtod(v.c_str(), &end);
  if (v.empty() || *end || errno || d <= 0 || d > 86400)
    return Error{flag + ": '" + v + "' is not a number of seconds (e.g. 0.5)"};
  return d;
}

Expected<int> to_count(const std::string& flag, const std::string& v, int lo) {
  char* end = nullptr;
  long n = strtol(v.c_str(), &end, 10);
  if (v.empty() || *end || n < lo || n > 100000)
    return Error{flag + ": '" + v + "' is not a whole number >= " + std::to_string(lo)};
  return static_cast<int>(n);
}

Expected<Options> parse(int argc, char** argv) {
  Options o;
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t i = 0;
  if (!args.empty() && (args[0] == "check" || args[0] == "reduce" || args[0] == "tokens" || args[0] == "matrix"))
    o.command = args[i++];
  // Flags are collected first and applied after the config file is read.
  std::vector<std::function<Status(oracle::Config&)>> apply;
  std::vector<std::string> positional;
  for (; i < args.size(); ++i) {
    const std::string a = args[i];
    auto value = [&]() -> Expected<std::string> {
      if (i + 1 >= args.size()) return Error{a + ": needs a value (see --help)"};
      return args[++i];
    };
    auto with_value = [&](auto set) -> Status {
      auto v = value();
      if (!v) return v.error();
      apply.push_back([set, v = *v, a](oracle::Config& c) { return set(c, a, v); });
      return Ok{};
    };
    auto seconds = [&](double oracle::OracleConfig::*field) {
      return with_value([field](oracle::Config& c, const std::string& f, const std::string& v) -> Status {
        auto d = to_seconds(f, v);
        if (!d) return d.error();
        c.oracle.*field = *d;
        return Ok{};
      });
    };
    auto count = [&](int oracle::OracleConfig::*field) {
      return with_value([field](oracle::Config& c, const std::string& f, const std::string& v) -> Status {
        auto n = to_count(f, v, 1);
        if (!n) return n.error();
        c.oracle.*field = *n;
        return Ok{};
      });
    };
    auto flag = [&](auto set) {
      apply.push_back([set](oracle::Config& c) -> Status {
        set(c);
        return Ok{};
      });
      return Status(Ok{});
    };
    Status st = Ok{};
    if (a == "-h" || a == "--help") o.help = true;
    else if (a == "--version") o.version = true;
    else if (a == "--backtrace") o.backtrace = true;
    else if (a == "--quiet" || a == "-q") o.quiet = true;
    else if (a == "--resume") o.resume = true;
    else if (a == "--stats") o.stats = true;
    else if (a == "--summary") {
      auto v = value();
      if (!v) return v.error();
      o.summary = *v;
    }
    else if (a == "--config") {
      auto v = value();
      if (!v) return v.error();
      o.config_file = *v;
    } else if (a == "-o" || a == "--output") {
      auto v = value();
      if (!v) return v.error();
      o.output = *v;
    } else if (a == "--oracle")
      st = with_value([](oracle::Config& c, const std::string&, const std::string& v) {
        return oracle::set_oracle_kind(c.oracle, v);
      });
    else if (a == "--cxx")
      st = with_value([](oracle::Config& c, const std::string&, const std::string& v) -> Status {
        c.toolchain.cxx = v;
        return Ok{};
      });
    else if (a == "--cxxflags")
      st = with_value([](oracle::Config& c, const std::string&, const std::string& v) -> Status {
        c.toolchain.flags = split_words(v);
        return Ok{};
      });
    else if (a == "--ldflags")
      st = with_value([](oracle::Config& c, const std::string&, const std::string& v) -> Status {
        c.toolchain.ldflags = split_words(v);
        return Ok{};
      });
    else if (a == "--exit-begins")
      st = with_value([](oracle::Config& c, const std::string& f, const std::string& v) -> Status {
        if (v == "main-end") c.oracle.exit_begins = oracle::ExitBegins::MainEnd;
        else if (v == "main-return") c.oracle.exit_begins = oracle::ExitBegins::MainReturn;
        else return Error{f + ": '" + v + "' must be main-end or main-return"};
        return Ok{};
      });
    else if (a == "--signal")
      st = with_value([](oracle::Config& c, const std::string& f, const std::string& v) -> Status {
        c.oracle.signal = oracle::parse_signal(v);
        if (c.oracle.signal <= 0) return Error{f + ": '" + v + "' is not a signal (e.g. SIGSEGV)"};
        return Ok{};
      });
    else if (a == "-j" || a == "--jobs")
      st = with_value([](oracle::Config& c, const std::string& f, const std::string& v) -> Status {
        auto n = to_count(f, v, 0);
        if (!n) return n.error();
        c.reduce.jobs = *n;
        return Ok{};
      });
    else if (a == "--passes")
      st = with_value([](oracle::Config& c, const std::string&, const std::string& v) -> Status {
        c.reduce.passes = split_words(v, ',');
        return Ok{};
      });
    else if (a == "--hang-after") st = seconds(&oracle::OracleConfig::hang_after);
    else if (a == "--min-delay") st = seconds(&oracle::OracleConfig::min_delay);
    else if (a == "--timeout") st = seconds(&oracle::OracleConfig::timeout);
    else if (a == "--runs") {
      st = count(&oracle::OracleConfig::runs);
      o.runs_given = true;
    } else if (a == "--report" || a == "--report-runs" || a == "--compilers" || a == "--std" || a == "--opt") {
      auto v = value();
      if (!v) return v.error();
      if (a == "--report") o.report_dir = *v;
      else if (a == "--compilers") o.compilers = split_words(*v, ',');
      else if (a == "--std") o.stds = split_words(*v, ',');
      else if (a == "--opt") o.opts = split_words(*v, ',');
      else if (auto n = to_count(a, *v, 1); n) o.report_runs = *n;
      else return n.error();
    }
    else if (a == "--min-hits") st = count(&oracle::OracleConfig::min_hits);
    else if (a == "--no-early-verdict") st = flag([](oracle::Config& c) { c.oracle.early_verdict = false; });
    else if (a == "--early-delay") st = flag([](oracle::Config& c) { c.oracle.early_delay = true; });
    else if (a == "--no-signature") st = flag([](oracle::Config& c) { c.oracle.signature = false; });
    else if (a.size() > 1 && a[0] == '-') return Error{"unknown option '" + a + "' (see --help)"};
    else positional.push_back(a);
    if (!st) return st.error();
  }
  if (o.help || o.version) return o;
  if (o.command == "tokens") {
    if (positional.empty()) return Error{"tokens: name at least one file"};
    o.inputs.assign(positional.begin(), positional.end());
    return o;
  }
  if (positional.size() != 1)
    return Error{positional.empty() ? "no input file: reduce [check] --oracle NAME case.cpp (see --help)"
                                    : "one input file at a time, got " + std::to_string(positional.size())};
  o.input = positional[0];
  if (o.config_file.empty()) {
    fs::path beside = o.input.parent_path() / "repro.toml";
    if (fs::exists(beside)) o.config_file = beside;
  } else if (!fs::exists(o.config_file)) {
    return Error{o.config_file.string() + ": config file not found"};
  }
  if (!o.config_file.empty()) {
    auto c = oracle::load_config(o.config_file, o.config);
    if (!c) return c.error();
    o.config = *c;
  }
  for (auto& f : apply)
    if (auto st = f(o.config); !st) return st.error();
  if (auto st = oracle::validate(o.config); !st) return st.error();
  if (o.output.empty()) {
    fs::path out = o.input;
    out.replace_extension();
    o.output = out.string() + ".min" + o.input.extension().string();
  }
  std::error_code ec;
  if (!o.report_dir.empty() && fs::equivalent(o.report_dir / "case.cpp", o.input, ec))
    return Error{"--report " + o.report_dir.string() + " would overwrite the input case.cpp; choose another directory"};
  return o;
}

}  // namespace minrepro::cli
