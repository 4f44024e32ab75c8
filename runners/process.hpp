// The process runner: start one program in its own process group with rlimits,
// stdin from /dev/null, a private temp cwd and capped output; wait for it until
// it exits, a watcher says stop, or a hard deadline passes; then kill it and
// every descendant. Knows processes, not symptoms.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace minrepro::runners {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC on Linux, like the probe

struct Limits {
  long memory_mb = 2048;  // RLIMIT_AS; 0: none (our own tools: ASan reserves terabytes of address space)
  long cpu_s = 30;        // RLIMIT_CPU
  long file_mb = 256;     // RLIMIT_FSIZE
  long processes = 256;   // RLIMIT_NPROC (of the uid the program runs as)
  long output_kb = 1024;  // cap on each of stdout and stderr
  bool operator==(const Limits&) const = default;
};

struct RunSpec {
  std::filesystem::path program;
  std::vector<std::string> args;
  std::vector<std::string> env;          // extra "KEY=VALUE" entries on top of ours
  bool inherit_env = true;               // start from the tool's environment
  std::filesystem::path cwd;             // empty: a private temp dir, removed afterwards
  bool remove_cwd = false;               // remove a given cwd afterwards too
  std::filesystem::path temp_root;       // where private dirs go (default: TMPDIR)
  Limits limits;
  double deadline_s = 10.0;              // hard limit, from start
  bool sandbox = false;                  // candidates: no network, unprivileged uid when root
  bool background = false;               // SCHED_IDLE, nice 19: only the CPU time nothing else wants (compilers)
  std::chrono::milliseconds tick{10};    // how often the watcher is asked
  void (*before_exec)() = nullptr;       // tests: runs in the child first thing after fork
};

// Called every tick while the program runs; return true to stop it now.
using Watcher = std::function<bool(pid_t pid, Clock::time_point start)>;

struct RunResult {
  bool started = false;
  std::string start_error;   // why it could not be started
  pid_t pid = -1;
  Clock::time_point start;
  double wall_s = 0;         // start to exit (or to the kill)
  bool exited = false;       // ended on its own (exit or signal)
  int exit_code = -1;        // when exited normally
  int signal = 0;            // when killed by a signal on its own
  bool timed_out = false;    // the hard deadline passed
  bool stopped = false;      // the watcher asked to stop
  int descendants_killed = 0;
  std::string out, err;
  bool out_truncated = false, err_truncated = false;

  bool exited_ok() const { return exited && signal == 0 && exit_code == 0; }
  std::string describe_end() const;  // "exit 0", "signal 11 (SIGSEGV)", "killed at deadline"
};

RunResult run(const RunSpec& spec, const Watcher& watch = {});

// A fresh private directory under `root` that a sandboxed program may write to.
std::filesystem::path make_run_dir(const std::filesystem::path& root, bool sandbox);

// Notes about the sandbox that the user should see once (e.g. no network namespace).
std::vector<std::string> sandbox_notes();

// Kill every program currently started by run() (for Ctrl-C). Async-signal-unsafe;
// call from a normal thread.
void kill_all_running();

}  // namespace minrepro::runners
