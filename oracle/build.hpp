// The build step: compile a candidate with the configured toolchain, link the
// exit probe in with --wrap=main/--wrap=exit, keep the diagnostics, cache
// binaries by content hash. The probe object is built once per toolchain.
#pragma once
#include <atomic>
#include <filesystem>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "oracle/config.hpp"
#include "oracle/pch.hpp"
#include "runners/expected.hpp"
#include "runners/process.hpp"

namespace minrepro::oracle {

struct BuildResult {
  bool ok = false;
  std::filesystem::path binary;
  std::string diagnostics;  // the compiler's stderr
  double seconds = 0;
  bool cached = false;
  bool timed_out = false;
  bool abandoned = false;   // stopped because the caller no longer wanted it: no verdict
  std::string command;      // for display and bug reports

  // The compiler's first error lines, for a one-glance answer.
  std::string first_errors(int max_lines = 5) const;
};

// A compiler warning: where, and the option that names its kind ("-Wunused-value").
struct Warning {
  int line = 0, column = 0;
  std::string kind, text;
};
std::vector<Warning> warnings_in(const std::string& diagnostics);
// The lines (of the compiled file) that the compiler's errors point at.
std::vector<unsigned> error_lines(const std::string& diagnostics);

// A compiler run: in the background (SCHED_IDLE), toolchain.compile_timeout seconds of CPU, and a
// wall-clock backstop of kCompileWallFactor times that.
inline constexpr double kCompileWallFactor = 10;
runners::RunSpec compiler_spec(const Toolchain& tc, std::vector<std::string> args, std::filesystem::path cwd);
// Why a compile failed on time ("" when it did not): the wall backstop or the CPU limit.
std::string compile_timeout_note(const Toolchain& tc, const runners::RunResult& r);

class Builder {
 public:
  Builder(Toolchain toolchain, std::filesystem::path workdir);
  // Finds the compiler and builds the probe. A failure is bad input (exit 2).
  Status prepare();
  // `text` is compiled as the file `name` (the user's file name). The
  // compiler is stopped when `abandon` turns true; that build is not cached.
  // `guard` overrides the uninitialized-read guard's setting for this build.
  BuildResult build(const std::string& text, const std::string& name, const std::atomic<bool>* abandon = nullptr,
                    std::optional<bool> guard = std::nullopt);
  const Toolchain& toolchain() const { return toolchain_; }
  // Uninitialized-read guard: while on (and the compiler takes it), builds
  // add -ftrivial-auto-var-init=pattern, so a program that reads uninitialized
  // stack memory sees 0xFE bytes instead of whatever a run left there. Returns
  // whether the guard is on.
  bool set_uninit_guard(bool on);
  bool uninit_guard_supported() const { return guard_supported_; }
  std::filesystem::path probe_object() const { return probe_o_; }
  // The LD_PRELOAD library that delays every new thread's start
  // (runners/thread_delay.c); empty when it could not be built.
  std::filesystem::path thread_delay_library() const { return thread_delay_so_; }
  long pchs_built() const { return pch_.built(); }

 private:
  Toolchain toolchain_;
  std::filesystem::path workdir_;
  std::filesystem::path probe_o_, thread_delay_so_;
  std::vector<std::string> fast_flags_;  // -pipe, -fuse-ld=lld when it works
  bool guard_supported_ = false, guard_ = false;
  PchCache pch_;
  std::mutex mu_;
  std::map<std::string, BuildResult> cache_;
  std::deque<std::string> order_;  // oldest first; binaries beyond kKeep are removed
  static constexpr size_t kKeep = 32;
  unsigned counter_ = 0;
};

std::string content_hash(const std::string& text);
// Resolves a program name through PATH; empty when not found.
std::filesystem::path find_program(const std::string& name);

}  // namespace minrepro::oracle
