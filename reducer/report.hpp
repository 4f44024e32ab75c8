// The bug-report bundle (--report DIR): report.md (the case, how to build and
// run it, the toolchain, the symptom's timeline, the reproduction rate, threads,
// backtraces, open files and a one-line diagnosis), repro.sh (a standalone
// reproducer needing only a C++ compiler and coreutils) and case.cpp. Every file
// is replaced atomically.
#pragma once
#include <filesystem>
#include <ostream>
#include <string>

#include "oracle/oracle.hpp"
#include "reducer/cli.hpp"
#include "runners/expected.hpp"

namespace minrepro::report {

// What the bundle is made of.
struct Bundle {
  std::string case_text;      // the case as the reader gets it (case.cpp)
  std::string compiled_text;  // what repro.sh compiles: the case plus the main-end hooks when needed
  oracle::Config config;
  std::string build_command;  // minrepro's own build, work paths shortened
  std::string build_errors;   // the compiler's first errors when the case does not build
  oracle::RunEvidence shown;  // the run the timeline, threads and backtraces come from
  int hits = 0, runs = 0;     // the reproduction rate
  std::string diagnosis;
};

// Completes `v` for a report (more runs for the rate, one run without an early
// verdict for a full timeline), writes DIR/{report.md,repro.sh,case.cpp} and
// prints where they went and the diagnosis to `out`. `expect`: a run counts only
// with this signature (the reducer's confirmation); may be null.
Status write_bundle(oracle::Oracle& oracle, const cli::Options& options, const std::string& text,
                    const oracle::Verdict& v, const oracle::Signature* expect, std::ostream& out);

std::string render_markdown(const Bundle& b);
std::string render_script(const Bundle& b);

// Adds (or replaces) the section "## TITLE" at the end of DIR/report.md; a new
// report.md is headed "# minrepro report: HEADING".
Status add_section(const std::filesystem::path& dir, const std::string& title, const std::string& body,
                   const std::string& heading);

// A word for sh: as is when safe, else in single quotes.
std::string shell_quote(const std::string& word);

// The first line of `cxx --version`; "" when it cannot be run.
std::string compiler_version_line(const std::string& cxx);
// "12.2.0" from "g++ (Debian 12.2.0-14+deb12u1) 12.2.0".
std::string short_version(const std::string& version_line);

}  // namespace minrepro::report
