// The observer: what the threads of a live process are doing, read from
// /proc/PID/task/*/{stat,syscall,wchan}, and all-thread backtraces (eu-stack,
// gdb as fallback). Facts about processes only; what they mean is the oracle's.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace minrepro::runners {

// How a thread waits, from its state and the syscall it sits in.
enum class Wait {
  Running,   // on a CPU or runnable (state R), or in user space
  Untimed,   // blocked with no timeout: futex/poll/read/wait4/... that only another party can end
  Timed,     // a sleep or a wait with a timeout: it will end by itself
  Other,     // stopped, zombie, unknown
};
const char* to_string(Wait w);

struct ThreadSample {
  pid_t tid = 0;
  std::string name;              // comm
  char state = '?';              // R S D T Z ...
  long syscall = -2;             // -1: running in user space; -2: unknown
  unsigned long args[6] = {};
  std::string wchan;
  unsigned long long cpu_ticks = 0;  // utime + stime
  Wait wait = Wait::Other;
};

struct ProcessSample {
  pid_t pid = 0;
  bool alive = false;
  std::vector<ThreadSample> threads;
};

ProcessSample sample_process(pid_t pid);

// What a thread asleep in nanosleep or clock_nanosleep (on the realtime,
// monotonic or boot-time clock) asked for, read from its memory
// (/proc/TID/mem): the seconds it asked to sleep, or for an absolute wake
// time (TIMER_ABSTIME) the seconds left until it. nullopt for anything else,
// or when the memory cannot be read.
struct SleepRequest {
  double seconds = 0;
  bool absolute = false;
};
std::optional<SleepRequest> sleep_request(const ThreadSample& t);
// Every live process in a process group (including the leader).
std::vector<pid_t> group_members(pid_t pgid);
// Every live child process of `pid`.
std::vector<pid_t> child_processes(pid_t pid);
// The syscall's name for display ("futex", "read", ...), or its number.
std::string syscall_name(long nr);

struct Backtrace {
  pid_t tid = 0;
  std::vector<std::string> frames;  // innermost first, function names (demangled when possible)
};
// An open file descriptor of a live process and what it refers to (the /proc/PID/fd link:
// a path, "pipe:[ino]", "socket:[ino]", ...).
struct OpenFd {
  int fd = -1;
  std::string target;
};
std::vector<OpenFd> open_fds(pid_t pid);

// All-thread backtraces of a live process; empty when no tool could attach.
std::vector<Backtrace> backtraces(pid_t pid);

}  // namespace minrepro::runners
