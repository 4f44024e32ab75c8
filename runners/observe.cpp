#include "runners/observe.hpp"

#include <cxxabi.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "runners/process.hpp"

namespace minrepro::runners {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<pid_t> numeric_entries(const std::string& dir) {
  std::vector<pid_t> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      char* end;
      long v = strtol(e->d_name, &end, 10);
      if (*end == '\0' && v > 0) out.push_back(static_cast<pid_t>(v));
    }
    closedir(d);
  }
  return out;
}

// Fields after the ")" that closes comm: index 0 is field 3 (state).
std::vector<std::string> stat_fields(const std::string& stat, std::string* comm) {
  size_t open = stat.find('('), close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return {};
  if (comm) *comm = stat.substr(open + 1, close - open - 1);
  std::istringstream in(stat.substr(close + 1));
  std::vector<std::string> f;
  for (std::string t; in >> t;) f.push_back(t);
  return f;
}

Wait classify(const ThreadSample& t) {
  if (t.state == 'R') return Wait::Running;
  if (t.state != 'S' && t.state != 'D') return Wait::Other;
  if (t.syscall == -1) return Wait::Running;
  const unsigned long* a = t.args;
  auto untimed_if = [](bool no_timeout) { return no_timeout ? Wait::Untimed : Wait::Timed; };
  switch (t.syscall) {
    case SYS_futex: {
      unsigned long op = a[1] & 0x7f;  // strip FUTEX_PRIVATE_FLAG / FUTEX_CLOCK_REALTIME
      if (op == 0 /*WAIT*/ || op == 9 /*WAIT_BITSET*/ || op == 6 /*LOCK_PI*/ || op == 11 ||
          op == 13 /*LOCK_PI2*/)
        return untimed_if(a[3] == 0);
      return Wait::Other;
    }
    case SYS_futex_waitv: return untimed_if(a[3] == 0);
    case SYS_poll: return untimed_if(static_cast<int>(a[2]) < 0);
    case SYS_ppoll: return untimed_if(a[2] == 0);
    case SYS_epoll_wait:
    case SYS_epoll_pwait: return untimed_if(static_cast<int>(a[3]) < 0);
    case SYS_select:
    case SYS_pselect6: return untimed_if(a[4] == 0);
    case SYS_rt_sigtimedwait: return untimed_if(a[2] == 0);
    case SYS_nanosleep:
    case SYS_clock_nanosleep: return Wait::Timed;
    case SYS_read: case SYS_pread64: case SYS_readv: case SYS_preadv: case SYS_write:
    case SYS_writev: case SYS_recvfrom: case SYS_recvmsg: case SYS_accept: case SYS_accept4:
    case SYS_connect: case SYS_wait4: case SYS_waitid: case SYS_pause: case SYS_rt_sigsuspend:
    case SYS_flock: case SYS_fcntl: case SYS_msgrcv: case SYS_semop: case SYS_open:
    case SYS_openat:
      return Wait::Untimed;
    default: return Wait::Other;
  }
}

std::string demangle(const std::string& name) {
  if (name.rfind("_Z", 0) != 0) return name;
  int status = 0;
  char* d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !d) return name;
  std::string out = d;
  free(d);
  return out;
}

// eu-stack: "TID 123:" then "#0  0x00007f... function_name" per frame.
std::vector<Backtrace> parse_eu_stack(const std::string& text) {
  std::vector<Backtrace> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("TID ", 0) == 0) {
      out.push_back({static_cast<pid_t>(atoi(line.c_str() + 4)), {}});
    } else if (!out.empty() && line.size() > 1 && line[0] == '#') {
      std::istringstream ls(line);
      std::string num, addr, fn;
      ls >> num >> addr;
      std::getline(ls >> std::ws, fn);  // the whole name: eu-stack demangles "void f<T>(T const&)" with spaces
      out.back().frames.push_back(fn.empty() ? "??" : demangle(fn));
    }
  }
  return out;
}

// gdb: "Thread N (Thread 0x... (LWP 123) ...):" then "#0  0x... in func (...) at ...".
std::vector<Backtrace> parse_gdb(const std::string& text) {
  std::vector<Backtrace> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t lwp = line.find("(LWP ");
    if (line.rfind("Thread ", 0) == 0 && lwp != std::string::npos) {
      out.push_back({static_cast<pid_t>(atoi(line.c_str() + lwp + 5)), {}});
    } else if (!out.empty() && line.size() > 1 && line[0] == '#') {
      size_t in_pos = line.find(" in ");
      size_t start = in_pos != std::string::npos ? in_pos + 4 : line.find_first_not_of(" ", 2);
      std::string rest = line.substr(start);
      out.back().frames.push_back(rest.substr(0, rest.find(" (")));
    }
  }
  return out;
}

}  // namespace

const char* to_string(Wait w) {
  switch (w) {
    case Wait::Running: return "running";
    case Wait::Untimed: return "untimed-wait";
    case Wait::Timed: return "timed-wait";
    default: return "other";
  }
}

std::string syscall_name(long nr) {
  static const std::map<long, const char*> names = {
      {SYS_futex, "futex"}, {SYS_read, "read"}, {SYS_write, "write"}, {SYS_poll, "poll"},
      {SYS_ppoll, "ppoll"}, {SYS_epoll_wait, "epoll_wait"}, {SYS_epoll_pwait, "epoll_pwait"},
      {SYS_select, "select"}, {SYS_pselect6, "pselect6"}, {SYS_nanosleep, "nanosleep"},
      {SYS_clock_nanosleep, "clock_nanosleep"}, {SYS_wait4, "wait4"}, {SYS_waitid, "waitid"},
      {SYS_pause, "pause"}, {SYS_rt_sigsuspend, "rt_sigsuspend"}, {SYS_accept, "accept"},
      {SYS_accept4, "accept4"}, {SYS_recvfrom, "recvfrom"}, {SYS_recvmsg, "recvmsg"},
      {SYS_connect, "connect"}, {SYS_flock, "flock"}, {SYS_fcntl, "fcntl"},
      {SYS_rt_sigtimedwait, "rt_sigtimedwait"}, {SYS_futex_waitv, "futex_waitv"}};
  if (nr == -1) return "-";
  if (nr == -2) return "?";
  auto it = names.find(nr);
  return it != names.end() ? it->second : "syscall " + std::to_string(nr);
}

ProcessSample sample_process(pid_t pid) {
  ProcessSample p;
  p.pid = pid;
  std::string base = "/proc/" + std::to_string(pid);
  for (pid_t tid : numeric_entries(base + "/task")) {
    std::string tdir = base + "/task/" + std::to_string(tid);
    ThreadSample t;
    t.tid = tid;
    auto f = stat_fields(slurp(tdir + "/stat"), &t.name);
    if (f.size() < 13) continue;
    t.state = f[0][0];
    t.cpu_ticks = std::stoull(f[11]) + std::stoull(f[12]);
    std::string sc = slurp(tdir + "/syscall");
    if (sc.rfind("running", 0) == 0) {
      t.syscall = -1;
    } else if (!sc.empty()) {
      std::istringstream in(sc);
      in >> t.syscall;
      for (auto& a : t.args) {
        std::string hex;
        if (in >> hex) a = std::stoul(hex, nullptr, 16);
      }
    }
    t.wchan = slurp(tdir + "/wchan");
    if (t.wchan == "0") t.wchan.clear();
    t.wait = classify(t);
    p.threads.push_back(t);
  }
  p.alive = !p.threads.empty() && p.threads.front().state != 'Z';
  for (auto& t : p.threads)
    if (t.state != 'Z' && t.state != 'X') p.alive = true;
  return p;
}

std::optional<SleepRequest> sleep_request(const ThreadSample& t) {
  if (t.state != 'S') return std::nullopt;
  clockid_t clock = CLOCK_MONOTONIC;
  bool absolute = false;
  unsigned long addr = 0;
  if (t.syscall == SYS_nanosleep) {
    addr = t.args[0];
  } else if (t.syscall == SYS_clock_nanosleep) {
    clock = static_cast<clockid_t>(t.args[0]);
    absolute = (t.args[1] & TIMER_ABSTIME) != 0;
    addr = t.args[2];
  } else {
    return std::nullopt;
  }
  if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME) return std::nullopt;
  int fd = open(("/proc/" + std::to_string(t.tid) + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  timespec req{};
  ssize_t n = pread(fd, &req, sizeof req, static_cast<off_t>(addr));
  close(fd);
  if (n != static_cast<ssize_t>(sizeof req) || req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000L)
    return std::nullopt;
  SleepRequest r{static_cast<double>(req.tv_sec) + static_cast<double>(req.tv_nsec) * 1e-9, absolute};
  if (absolute) {
    timespec now{};
    if (clock_gettime(clock, &now) != 0) return std::nullopt;
    r.seconds -= static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
  }
  return r;
}

namespace {
// Every live (not zombie) process whose stat field `field` (1: ppid, 2: pgrp) is `value`.
std::vector<pid_t> processes_with(size_t field, pid_t value) {
  std::vector<pid_t> out;
  for (pid_t pid : numeric_entries("/proc")) {
    auto f = stat_fields(slurp("/proc/" + std::to_string(pid) + "/stat"), nullptr);
    if (f.size() > 2 && std::stol(f[field]) == value && f[0] != "Z") out.push_back(pid);
  }
  return out;
}
}  // namespace

std::vector<pid_t> group_members(pid_t pgid) { return processes_with(2, pgid); }

std::vector<pid_t> child_processes(pid_t pid) { return processes_with(1, pid); }

std::vector<OpenFd> open_fds(pid_t pid) {
  std::vector<OpenFd> out;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd/";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      char target[4096];
      ssize_t n = readlink((dir + e->d_name).c_str(), target, sizeof target);
      if (n >= 0) out.push_back({atoi(e->d_name), std::string(target, static_cast<size_t>(n))});
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end(), [](const OpenFd& a, const OpenFd& b) { return a.fd < b.fd; });
  return out;
}

std::vector<Backtrace> backtraces(pid_t pid) {
  RunSpec spec;
  spec.program = "/usr/bin/eu-stack";
  spec.args = {"-p", std::to_string(pid)};
  spec.deadline_s = 5;
  spec.limits.memory_mb = 4096;
  if (access(spec.program.c_str(), X_OK) == 0) {
    RunResult r = run(spec);
    auto bt = parse_eu_stack(r.out);
    if (!bt.empty()) return bt;
  }
  spec.program = "/usr/bin/gdb";
  spec.args = {"-batch", "-nx", "-p", std::to_string(pid), "-ex", "thread apply all bt"};
  spec.deadline_s = 10;
  if (access(spec.program.c_str(), X_OK) == 0) return parse_gdb(run(spec).out);
  return {};
}

}  // namespace minrepro::runners
