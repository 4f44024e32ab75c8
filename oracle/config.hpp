// Configuration: a repro.toml read with toml++, then CLI flags on top. Every
// key DESIGN.md lists; an unknown key, a wrong type or a bad value is an Error
// naming file:line:column and the key.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "runners/expected.hpp"
#include "runners/process.hpp"

namespace minrepro::oracle {

struct Toolchain {
  std::string cxx = "g++";
  std::vector<std::string> flags = {"-std=c++17", "-pthread", "-O0", "-Werror=return-type"};
  std::vector<std::string> ldflags;
  double compile_timeout = 60.0;
  bool operator==(const Toolchain&) const = default;
};

enum class Kind { ExitHang, DelayedExit, Hang, Crash, Script };
// The oracles about how a process exits: they need the main-end markers.
inline bool is_exit_kind(Kind k) { return k == Kind::ExitHang || k == Kind::DelayedExit; }
enum class ExitBegins { MainEnd, MainReturn };

struct OracleConfig {
  Kind kind = Kind::ExitHang;
  std::string script;                 // for Kind::Script
  ExitBegins exit_begins = ExitBegins::MainEnd;
  double hang_after = 1.0;            // exit-hang: alive this long after exit began
  double min_delay = 0.5;             // delayed-exit: ended at least this long after exit began
  double timeout = 10.0;              // hard limit per run
  int runs = 1;                       // k of n: reproduced when >= min_hits of runs do
  int min_hits = 1;
  bool early_delay = false;           // delayed-exit: decide once min_delay passed
  bool early_verdict = true;          // exit-hang: decide from /proc when all threads block
  int signal = 0;                     // crash: a given signal only (0 = any)
  bool signature = true;              // same-bug guard (reducer)
  bool operator==(const OracleConfig&) const = default;
};

struct ReduceConfig {
  int jobs = 0;                       // 0 = all cores
  std::vector<std::string> passes;    // empty = default list
  bool operator==(const ReduceConfig&) const = default;
};

struct Config {
  Toolchain toolchain;
  OracleConfig oracle;
  runners::Limits limits;
  ReduceConfig reduce;
  bool operator==(const Config&) const = default;
};

// Reads `path` on top of `base`.
Expected<Config> load_config(const std::filesystem::path& path, Config base = {});

// "exit-hang", "delayed-exit", "hang", "crash", "script:PATH".
Status set_oracle_kind(OracleConfig& oracle, const std::string& name);
std::string kind_name(const OracleConfig& oracle);
// "SIGSEGV", "SEGV" or a number.
int parse_signal(const std::string& text);
// Validates cross-field constraints (min_hits <= runs, ...).
Status validate(const Config& config);

}  // namespace minrepro::oracle

namespace minrepro {
// A number as %g ("0.3", "60"): how verdicts, reports and messages print settings.
std::string format_number(double v);
}  // namespace minrepro
