#include "oracle/evidence.hpp"

#include <algorithm>

#include <unistd.h>

#include <functional>
#include <map>
#include <sstream>
#include <utility>

namespace minrepro::oracle {

std::vector<Marker> parse_markers(const std::string& text, pid_t pid, long long start_ns) {
  std::vector<Marker> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    Marker m;
    long long ns = 0;
    if (!(ls >> m.event >> m.pid >> m.tid >> ns)) continue;  // a line still being written
    if (m.pid != pid) continue;
    m.t = double(ns - start_ns) / 1e9;
    out.push_back(m);
  }
  return out;
}

std::string Signature::describe() const {
  if (empty()) return "(none)";
  std::string out = primitive + " in " + phase + ", other threads " + others;
  for (size_t i = 0; i < waits.size(); ++i) out += (i ? ", " : " (") + waits[i] + (i + 1 == waits.size() ? ")" : "");
  for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "; child processes in ") + children[i];
  return out;
}

bool Signature::matches(const Signature& original) const {
  if (phase != original.phase || primitive != original.primitive || others != original.others) return false;
  if (!original.children.empty() &&
      (children.empty() ||
       !std::includes(original.children.begin(), original.children.end(), children.begin(), children.end())))
    return false;
  return std::includes(original.waits.begin(), original.waits.end(), waits.begin(), waits.end());
}

std::string primitive_of(const ThreadView& t) {
  // Innermost frame first: the first frame we recognise names the primitive.
  static const std::vector<std::pair<const char*, const char*>> patterns = {
      {"pthread_join", "join"},          {"clockjoin", "join"},
      {"thread::join", "join"},          {"pthread_cond_", "condvar"},
      {"condition_variable", "condvar"}, {"__atomic_futex_unsigned", "future"},
      {"future", "future"},              {"pthread_rwlock", "rwlock"},
      {"pthread_mutex_lock", "mutex"},   {"pthread_mutex_timedlock", "mutex"},
      {"__lll_lock_wait", "mutex"},      {"mutex::lock", "mutex"},
      {"sem_wait", "semaphore"},         {"sem_clockwait", "semaphore"},
      {"pthread_barrier", "barrier"},    {"__cxa_guard_acquire", "static-init-guard"},
      {"nanosleep", "sleep"},            {"sleep_for", "sleep"},
      {"usleep", "sleep"},               {"waitpid", "waitpid"},
      {"wait4", "waitpid"},              {"waitid", "waitpid"},
      {"pclose", "waitpid"},             {"epoll_wait", "poll"},
      {"poll", "poll"},                  {"select", "poll"},
      {"__libc_read", "read"},           {"fread", "read"},
      {"getline", "read"},               {"read", "read"},
      {"accept", "accept"},              {"recv", "read"},
      {"pause", "pause"},                {"sigsuspend", "pause"},
  };
  if (t.sample.wait == runners::Wait::Running || t.progressed) return "running";
  for (const std::string& f : t.frames)
    for (auto& [pat, prim] : patterns)
      if (f.find(pat) != std::string::npos) return prim;
  switch (t.sample.syscall) {
    case -2: return "unknown";
    default: {
      std::string sc = runners::syscall_name(t.sample.syscall);
      if (sc == "nanosleep" || sc == "clock_nanosleep") return "sleep";
      if (sc == "wait4" || sc == "waitid") return "waitpid";
      return sc;
    }
  }
}

Signature make_signature(const std::string& phase, pid_t exiting_tid, const std::vector<ThreadView>& threads,
                         const std::vector<std::string>& children) {
  Signature s;
  s.phase = phase;
  s.others = "none";
  const ThreadView* exiting = nullptr;
  bool any_running = false, any_timed = false, any_other = false;
  for (auto& t : threads) {
    if (t.sample.tid == exiting_tid) {
      exiting = &t;
      continue;
    }
    if (t.sample.state == 'Z') continue;
    any_other = true;
    if (t.sample.wait == runners::Wait::Running || t.progressed) {
      any_running = true;
      continue;
    }
    if (t.sample.wait == runners::Wait::Timed) any_timed = true;
    s.waits.push_back(primitive_of(t));
  }
  std::sort(s.waits.begin(), s.waits.end());
  s.waits.erase(std::unique(s.waits.begin(), s.waits.end()), s.waits.end());
  if (any_other) s.others = any_running ? "running" : any_timed ? "sleeping" : "blocked";
  s.primitive = exiting ? primitive_of(*exiting) : "gone";
  if (s.primitive == "waitpid") s.children = children;
  return s;
}

std::vector<std::string> waited_children(pid_t pid) {
  std::vector<std::string> out;
  std::function<void(pid_t, int)> visit = [&](pid_t parent, int depth) {
    for (pid_t child : runners::child_processes(parent)) {
      bool waits = false;
      for (auto& t : runners::sample_process(child).threads) {
        if (t.state == 'Z' || t.state == 'X') continue;
        std::string p = primitive_of(ThreadView{t, false, {}});
        if (p == "waitpid" && depth < 8) waits = true;
        else out.push_back(p);
      }
      if (waits) visit(child, depth + 1);
    }
  };
  visit(pid, 0);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<ThreadView> snapshot(pid_t pid, bool with_backtraces) {
  auto first = runners::sample_process(pid);
  std::vector<runners::Backtrace> bts;
  if (with_backtraces) bts = runners::backtraces(pid);
  else usleep(30000);  // a short window for the CPU-progress comparison
  auto second = runners::sample_process(pid);
  std::map<pid_t, runners::ThreadSample> before;
  for (auto& t : first.threads) before[t.tid] = t;
  std::vector<ThreadView> out;
  for (auto& t : second.threads) {
    ThreadView v;
    v.sample = t;
    if (auto it = before.find(t.tid); it != before.end()) {
      // How a thread waits is read before eu-stack attached: the attach
      // interrupts a sleep, which then shows as restart_syscall.
      v.sample = it->second;
      v.progressed = t.cpu_ticks > it->second.cpu_ticks + 1;
      if (v.progressed) v.sample.wait = runners::Wait::Running;
    }
    for (auto& bt : bts)
      if (bt.tid == t.tid) v.frames = bt.frames;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace minrepro::oracle
