#include "reducer/diagnosis.hpp"

#include <cctype>
#include <cstdio>
#include <map>
#include <set>

namespace minrepro::report {
namespace {

// Frame names that say how a thread waits, outermost wins. A pattern matches at
// a word boundary only, so "read" does not match "std::thread".
const std::vector<std::pair<const char*, const char*>> kWaitPatterns = {
    {"thread::join", "join"},
    {"pthread_join", "join"},
    {"clockjoin", "join"},
    {"timedjoin", "join"},
    {"thrd_join", "join"},
    {"condition_variable", "condvar"},
    {"pthread_cond_", "condvar"},
    {"cnd_wait", "condvar"},
    {"future", "future"},
    {"__atomic_futex_unsigned", "future"},
    {"semaphore", "semaphore"},
    {"sem_wait", "semaphore"},
    {"sem_clockwait", "semaphore"},
    {"sem_timedwait", "semaphore"},
    {"barrier", "barrier"},
    {"latch", "barrier"},
    {"__cxa_guard_acquire", "static-init-guard"},
    {"rwlock", "rwlock"},
    {"mutex::lock", "mutex"},
    {"pthread_mutex_", "mutex"},
    {"lll_lock_wait", "mutex"},
    {"mtx_lock", "mutex"},
    {"sleep_for", "sleep"},
    {"sleep_until", "sleep"},
    {"nanosleep", "sleep"},
    {"usleep", "sleep"},
    {"sleep", "sleep"},
    {"waitpid", "waitpid"},
    {"wait4", "waitpid"},
    {"waitid", "waitpid"},
    {"pclose", "waitpid"},
    {"system", "waitpid"},
    {"epoll_wait", "poll"},
    {"poll", "poll"},
    {"select", "poll"},
    {"accept", "accept"},
    {"read", "read"},
    {"fread", "read"},
    {"fgets", "read"},
    {"getline", "read"},
    {"recv", "read"},
    {"getchar", "read"},
    {"pause", "pause"},
    {"sigsuspend", "pause"},
    {"sigwait", "pause"},
    {"flock", "flock"},
    {"lockf", "flock"},
    {"write", "write"},
};

bool word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string kind_of(const std::string& name) {
  for (auto& [pat, kind] : kWaitPatterns) {
    std::string p = pat;
    for (size_t at = name.find(p); at != std::string::npos; at = name.find(p, at + 1)) {
      bool before = at == 0 || !word(name[at - 1]);
      bool after = !word(p.back()) || at + p.size() >= name.size() || !word(name[at + p.size()]);
      if (before && after) return kind;
    }
  }
  return "";
}

const std::set<std::string> kLibcFunctions = {
    "exit",    "abort",        "raise",   "syscall", "start_thread", "clone",   "clone3",    "nanosleep", "usleep",
    "sleep",   "read",         "write",   "poll",    "ppoll",        "select",  "pselect",   "pause",     "waitpid",
    "wait",    "wait4",        "waitid",  "system",  "popen",        "pclose",  "fclose",    "fflush",    "fread",
    "fgets",   "getline",      "getchar", "accept",  "accept4",      "recv",    "recvfrom",  "recvmsg",   "sigsuspend",
    "sigwait", "sigtimedwait", "flock",   "lockf",   "atexit",       "on_exit", "thrd_join", "mtx_lock",  "cnd_wait",
    "??"};

// Names for the reader: a lambda by where it was written, std::future by its public name.
std::string display(const std::string& frame) {
  std::string n = short_name(frame);
  const std::string anon = "(anonymous namespace)::";
  for (size_t at; (at = n.find(anon)) != std::string::npos;) n.erase(at, anon.size());
  size_t lambda = n.find("::{lambda(");
  if (lambda != std::string::npos) return "the lambda in " + n.substr(0, lambda);
  if (n.rfind("std::__basic_future::", 0) == 0) n = "std::future::" + n.substr(21);
  return n;
}

bool is_destructor(const std::string& frame) { return short_name(frame).find("::~") != std::string::npos; }

bool is_exit_machinery(const std::string& frame) {
  std::string n = short_name(frame);
  return n == "__run_exit_handlers" || n == "exit" || n == "__cxa_finalize" || n == "_dl_fini";
}

struct Phrase {
  const char* one;
  const char* many;
};

Phrase phrase_of(const std::string& kind) {
  static const std::map<std::string, Phrase> phrases = {
      {"join", {"is joining a thread", "are joining threads"}},
      {"condvar", {"waits on a condition variable", "wait on a condition variable"}},
      {"future", {"waits on a std::future", "wait on a std::future"}},
      {"mutex", {"waits for a mutex", "wait for a mutex"}},
      {"rwlock", {"waits for a rwlock", "wait for a rwlock"}},
      {"semaphore", {"waits on a semaphore", "wait on a semaphore"}},
      {"barrier", {"waits at a barrier", "wait at a barrier"}},
      {"static-init-guard", {"waits for a static initialization", "wait for a static initialization"}},
      {"sleep", {"sleeps", "sleep"}},
      {"waitpid", {"waits for a child process", "wait for a child process"}},
      {"poll", {"waits in poll/select", "wait in poll/select"}},
      {"read", {"waits in read", "wait in read"}},
      {"accept", {"waits in accept", "wait in accept"}},
      {"write", {"waits in write", "wait in write"}},
      {"pause", {"waits for a signal", "wait for a signal"}},
      {"flock", {"waits for a file lock", "wait for a file lock"}},
      {"running", {"is running", "are running"}},
  };
  auto it = phrases.find(kind);
  return it != phrases.end() ? it->second : Phrase{"is blocked", "are blocked"};
}

// Where a thread is, for the reader: "in the lambda in submit_job(), run by Pool::loop"
// (the outermost function of the program on the stack says which thread it is).
std::string location(const std::vector<std::string>& frames, int caller) {
  if (caller < 0) return "";
  std::string here = display(frames[caller]);
  std::string where = " in " + here;
  for (size_t i = frames.size(); i-- > static_cast<size_t>(caller) + 1;) {
    if (!is_user_frame(frames[i]) || frames[i].find("{lambda(") != std::string::npos) continue;
    std::string outer = display(frames[i]);
    if (outer != here && here.find("the lambda in " + outer) != 0 && outer != "main") where += ", run by " + outer;
    break;
  }
  return where;
}

std::string kind_of_thread(const oracle::ThreadView& t, const WaitSite& ws) {
  if (t.progressed || t.sample.wait == runners::Wait::Running) return "running";
  return ws.kind.empty() ? oracle::primitive_of(t) : ws.kind;
}

// "during exit handlers (a static object's destructor)": from the stack above the
// caller when there is one (the signature's phase comes from markers read after a
// delayed exit ended), otherwise from the signature.
std::string phase_phrase(const oracle::RunEvidence& ev, const std::vector<std::string>& frames, int caller) {
  const std::string locals =
      caller >= 0 && is_destructor(frames[caller]) ? " while main's locals are destroyed" : " after main's body ended";
  if (caller < 0) {
    const std::string& phase = ev.signature.phase;
    return phase == "main-locals" ? locals : phase == "before-exit" ? " before exit began" : " during exit handlers";
  }
  for (size_t i = caller; i < frames.size(); ++i) {
    if (short_name(frames[i]) == "main") return ev.signature.phase == "before-exit" ? " before exit began" : locals;
    if (!is_exit_machinery(frames[i])) continue;
    if (i == 0) break;
    const std::string& handler = frames[i - 1];  // the function exit() called
    std::string what = is_destructor(handler) || short_name(handler).rfind("__tcf_", 0) == 0
                           ? "a static object's destructor"
                           : "an atexit handler";
    if (static_cast<int>(i - 1) != caller && is_user_frame(handler)) what = display(handler) + ", " + what;
    return " during exit handlers (" + what + ")";
  }
  return ev.signature.phase == "before-exit" ? " before exit began" : " during exit";
}

std::string describe_exiting(const oracle::RunEvidence& ev, const oracle::ThreadView& t) {
  pid_t pid = ev.run.pid;
  std::string who =
      t.sample.tid == pid ? "the main thread" : "thread " + std::to_string(t.sample.tid) + " (it began the exit)";
  WaitSite ws = wait_site(t.frames);
  std::string kind = kind_of_thread(t, ws);
  if (t.frames.empty())  // no backtrace: what the signature knows
    return who + " " + phrase_of(kind).one + phase_phrase(ev, t.frames, -1) +
           " (no backtrace: eu-stack or gdb could not attach)";
  std::string out = who;
  if (kind == "running") {
    int user = -1;
    for (size_t i = 0; i < t.frames.size() && user < 0; ++i)
      if (is_user_frame(t.frames[i])) user = static_cast<int>(i);
    return out + " is running" + location(t.frames, user) + phase_phrase(ev, t.frames, user);
  }
  out += kind == "sleep" ? " sleeps in " : " is blocked in ";
  out += ws.blocking >= 0 ? display(t.frames[ws.blocking]) : kind;
  if (ws.caller >= 0) out += " called from " + display(t.frames[ws.caller]);
  return out + phase_phrase(ev, t.frames, ws.caller);
}

std::string describe_others(const oracle::RunEvidence& ev, pid_t exiting) {
  std::map<std::pair<std::string, std::string>, int> groups;  // (kind, location) -> threads
  std::vector<std::pair<std::string, std::string>> order;
  int n = 0;
  for (auto& t : ev.threads) {
    if (t.sample.tid == exiting || t.sample.state == 'Z') continue;
    WaitSite ws = wait_site(t.frames);
    std::string kind = kind_of_thread(t, ws);
    int where = ws.caller;
    if (kind == "running")
      for (size_t i = 0; i < t.frames.size() && where < 0; ++i)
        if (is_user_frame(t.frames[i])) where = static_cast<int>(i);
    auto key = std::make_pair(kind, location(t.frames, where));
    if (groups[key]++ == 0) order.push_back(key);
    ++n;
  }
  if (n == 0) return "no other threads";
  if (n == 1) return "the other thread " + std::string(phrase_of(order[0].first).one) + order[0].second;
  std::string out = "the " + std::to_string(n) + " other threads: ";
  for (size_t i = 0; i < order.size(); ++i) {
    int count = groups[order[i]];
    Phrase p = phrase_of(order[i].first);
    out += (i ? ", " : "") + std::to_string(count) + " " + (count == 1 ? p.one : p.many) + order[i].second;
  }
  return out;
}

}  // namespace

std::string short_name(const std::string& frame) {
  std::string s = frame.substr(0, frame.find('@'));  // symbol versions: pthread_cond_wait@@GLIBC_2.3.2
  const std::string anon = "(anonymous namespace)";
  for (size_t at; (at = s.find(anon)) != std::string::npos;) s.replace(at, anon.size(), "{anonymous}");
  // Cut the parameter list: the first top-level "(...)" not followed by "::"
  // (that one belongs to an enclosing function: "Session::Session()::{lambda()#1}").
  int depth = 0;
  size_t cut = s.size();
  for (size_t i = 0; i < s.size() && cut == s.size(); ++i) {
    char c = s[i];
    if (c == '<' || c == '{' || c == '[')
      ++depth;
    else if (c == '>' || c == '}' || c == ']')
      --depth;
    else if (c == '(' && depth == 0) {
      if (i >= 8 && s.compare(i - 8, 8, "operator") == 0 && s.compare(i, 2, "()") == 0) {
        ++i;
        continue;
      }
      size_t close = i;
      for (int d = 0; close < s.size(); ++close)
        if (s[close] == '(')
          ++d;
        else if (s[close] == ')' && --d == 0)
          break;
      if (s.compare(close + 1, 2, "::") == 0)
        i = close;
      else
        cut = i;
    }
  }
  s.resize(cut);
  // Drop template arguments and the return type (text before a top-level space).
  std::string out;
  int angle = 0, nest = 0;
  for (char c : s) {
    if (c == '<')
      ++angle;
    else if (c == '>')
      --angle;
    else if (angle > 0)
      continue;
    else if (c == ' ' && nest == 0)
      out.clear();
    else {
      if (c == '(' || c == '{') ++nest;
      if (c == ')' || c == '}') --nest;
      out += c;
    }
  }
  for (size_t at; (at = out.find("{anonymous}")) != std::string::npos;) out.replace(at, 11, anon);
  return out.empty() ? frame : out;
}

bool is_user_frame(const std::string& frame) {
  if (frame.find('@') != std::string::npos) return false;  // a versioned C library symbol
  std::string n = short_name(frame);
  if (n.empty() || n[0] == '_') return false;  // reserved names: the runtime, the probe (__wrap_main)
  for (const char* prefix : {"std::", "__gnu_cxx::", "__cxxabiv1::", "pthread_", "sem_", "clock_", "epoll_"})
    if (n.rfind(prefix, 0) == 0) return false;
  return kLibcFunctions.count(n) == 0;
}

WaitSite wait_site(const std::vector<std::string>& frames) {
  WaitSite w;
  for (size_t i = 0; i < frames.size() && w.caller < 0; ++i)
    if (is_user_frame(frames[i])) w.caller = static_cast<int>(i);
  int limit = w.caller < 0 ? static_cast<int>(frames.size()) : w.caller;
  for (int i = 0; i < limit; ++i)
    if (std::string k = kind_of(short_name(frames[i])); !k.empty()) {
      w.blocking = i;
      w.kind = k;
    }
  if (w.blocking < 0 && w.caller > 0) w.blocking = w.caller - 1;  // the runtime function the program called
  return w;
}

std::string diagnose(const oracle::RunEvidence& ev, const oracle::OracleConfig& oc) {
  if (!ev.reproduced) return "not reproduced: " + ev.why;
  pid_t exiting = ev.exit_tid ? ev.exit_tid : ev.run.pid;
  const oracle::ThreadView* t = nullptr;
  for (auto& v : ev.threads)
    if (v.sample.tid == exiting) t = &v;
  std::string prefix;
  if (oc.kind == oracle::Kind::DelayedExit && ev.ended && ev.exit_began) {
    char buf[64];
    snprintf(buf, sizeof buf, "exit takes %.2f s: ", *ev.ended - *ev.exit_began);
    prefix = buf;
  }
  if (oc.kind == oracle::Kind::Crash) return "the process died: " + ev.run.describe_end();
  if (oc.kind == oracle::Kind::Script) return "the interestingness script says so (" + ev.why + ")";
  if (ev.threads.empty()) return prefix + "no thread snapshot was taken (" + ev.why + ")";
  std::string main_part =
      t ? describe_exiting(ev, *t) : "the thread that began the exit (" + std::to_string(exiting) + ") has ended";
  return prefix + main_part + "; " + describe_others(ev, exiting);
}

}  // namespace minrepro::report
