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
  bool quiet = false;
  bool resume = false;
  bool stats = false;
  bool help = false;
  bool version = false;
};

// Parses argv; reads the TOML config first, then applies the flags over it.
Expected<Options> parse(int argc, char** argv);
std::string usage();

// Reads a C++ source the user gave us: an Error for missing, unreadable, empty or binary files.
Expected<std::string> read_source(const std::filesystem::path& path);

}  // namespace minrepro::cli
