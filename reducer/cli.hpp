// Command-line parsing for `reduce`, `reduce check`: flags on top of repro.toml.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "oracle/config.hpp"
#include "runners/expected.hpp"

namespace minrepro::cli {

struct Options {
  std::string command = "reduce";    // reduce | check
  std::filesystem::path input;
  std::vector<std::filesystem::path> inputs;  // `tokens`
  std::filesystem::path output;      // -o; default: <input stem>.min.cpp
  std::filesystem::path config_file; // --config; default: repro.toml beside the input
  oracle::Config config;
  bool backtrace = false;            // check: print all-thread backtraces
  std::filesystem::path report_dir;  // --report: write report.md, repro.sh and case.cpp there
  int report_runs = 10;              // --report-runs: runs behind the report's reproduction rate
  std::vector<std::string> compilers, stds, opts;  // matrix: --compilers, --std, --opt (empty: defaults)
  bool runs_given = false;           // --runs was on the command line (matrix defaults to 3 otherwise)
  std::filesystem::path summary;     // --summary: the run's numbers as JSON (corpus mode reads it)
  bool quiet = false;
  bool resume = false;
  bool stats = false;
  bool help = false;
  bool version = false;
};

// Parses argv; reads the TOML config first, then applies the flags over it.
Expected<Options> parse(int argc, char** argv);
std::string usage();

// Flag values: seconds in (0, 86400], whole numbers >= lo; errors name the flag.
Expected<double> to_seconds(const std::string& flag, const std::string& v);
Expected<int> to_count(const std::string& flag, const std::string& v, int lo);

// Reads a C++ source the user gave us: an Error for missing, unreadable, empty or binary files.
Expected<std::string> read_source(const std::filesystem::path& path);

}  // namespace minrepro::cli
