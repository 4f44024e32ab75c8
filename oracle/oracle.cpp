#include "oracle/oracle.hpp"

#include <algorithm>

#include <sys/syscall.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <fstream>
#include <sstream>

#include "oracle/instrument.hpp"
#include "runners/observe.hpp"
#include "runners/session.hpp"

namespace minrepro::oracle {
namespace fs = std::filesystem;
using runners::Clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string fmt_s(double s) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

// Every thread of every process in the group sits in an untimed wait; the key
// (thread, syscall, first argument, CPU ticks) must stay the same over a quiet window.
// futex_only: every wait a futex one, which only the group's own threads can
// end (no child process outside the group, no pipe, no signal).
// asleep_past: a sleeping thread counts as waiting when it says so (it cannot
// wake before the verdict is due).
std::optional<std::string> quiet_key(pid_t pgid, bool futex_only = false,
                                     const std::function<bool(const runners::ThreadSample&)>& asleep_past = {}) {
  std::string key;
  auto members = runners::group_members(pgid);
  if (members.empty()) return std::nullopt;
  for (pid_t pid : members) {
    auto p = runners::sample_process(pid);
    for (auto& t : p.threads) {
      if (t.state == 'Z') continue;
      bool waits = t.wait == runners::Wait::Untimed || (t.wait == runners::Wait::Timed && asleep_past && asleep_past(t));
      if (!waits) return std::nullopt;
      if (futex_only && t.syscall != SYS_futex && t.syscall != SYS_futex_waitv) return std::nullopt;
      key += std::to_string(t.tid) + ":" + std::to_string(t.syscall) + ":" + std::to_string(t.args[0]) +
             ":" + std::to_string(t.cpu_ticks) + ";";
    }
  }
  return key;
}

// The earliest run time (seconds from the run's start) at which a thread in
// nanosleep or clock_nanosleep can wake. A relative sleep began after the
// last time the thread was seen in anything else — in another sleep, or
// (never seen) the run's start — so it cannot end before that plus what it
// asked for; an absolute one ends when it says. A sleep with the same
// arguments as the one seen before counts as that one (earlier: safe).
class SleepWatch {
 public:
  std::optional<double> wakes_at_least(const runners::ThreadSample& t, double now) {
    auto req = runners::sleep_request(t);
    if (!req) return std::nullopt;
    std::string key = std::to_string(t.syscall);
    for (unsigned long a : t.args) key += ":" + std::to_string(a);
    Seen& s = seen_[t.tid];
    if (s.key != key) {
      s.key = key;
      s.began_after = s.last_seen;
    }
    s.last_seen = now;
    return req->absolute ? now + req->seconds : s.began_after + req->seconds;
  }

 private:
  struct Seen {
    std::string key;
    double began_after = 0, last_seen = 0;
  };
  std::map<pid_t, Seen> seen_;
};

std::string phase_of(const std::vector<Marker>& markers) {
  bool end = false;
  for (auto& m : markers) {
    if (m.event == "main-return" || m.event == "exit-called") return "exit-handlers";
    if (m.event == "main-end") end = true;
  }
  return end ? "main-locals" : "before-exit";
}

// Reads the probe file as it grows.
struct ProbeReader {
  fs::path path;
  long long start_ns = 0;
  pid_t pid = 0;
  std::string text;

  void update(RunEvidence& ev, ExitBegins boundary) {
    std::ifstream in(path);
    if (!in) return;
    in.seekg(static_cast<std::streamoff>(text.size()));
    std::stringstream ss;
    ss << in.rdbuf();
    std::string more = ss.str();
    if (more.empty()) return;
    text += more;
    ev.markers = parse_markers(text, pid, start_ns);
    for (auto& m : ev.markers) {
      bool begins = m.event == "main-return" || m.event == "exit-called" ||
                    (m.event == "main-end" && boundary == ExitBegins::MainEnd);
      if (begins) {
        ev.exit_began = m.t;
        ev.exit_event = m.event;
        ev.exit_tid = m.tid;
        break;
      }
    }
  }
};

}  // namespace

Oracle::Oracle(Config config, std::string file_name, fs::path workdir)
    : config_(std::move(config)),
      file_name_(std::move(file_name)),
      workdir_(std::move(workdir)),
      parse_flags_(config_.toolchain.flags) {}

Oracle::~Oracle() {
  std::error_code ec;
  fs::remove_all(workdir_, ec);
}

Expected<std::unique_ptr<Oracle>> Oracle::create(const Config& config, const std::string& file_name) {
  if (auto st = validate(config); !st) return st.error();
  std::string templ = (fs::temp_directory_path() / "minrepro-XXXXXX").string();
  if (!mkdtemp(templ.data()))
    return Error{"cannot create a work directory in " + fs::temp_directory_path().string() +
                 ": " + strerror(errno) + " (set TMPDIR to a writable place)"};
  runners::remove_at_exit(templ);
  // Sandboxed candidates run as an unprivileged user: let them reach their run dirs.
  fs::permissions(templ, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  std::unique_ptr<Oracle> o(new Oracle(config, file_name, templ));
  fs::create_directories(o->workdir_ / "runs");
  fs::permissions(o->workdir_ / "runs", fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::create_directories(o->workdir_ / "parse");
  std::ofstream(o->workdir_ / "parse" / file_name);
  if (config.oracle.kind != Kind::Script) {
    o->builder_ = std::make_unique<Builder>(config.toolchain, o->workdir_);
    if (auto st = o->builder_->prepare(); !st) return st.error();
  } else if (access(config.oracle.script.c_str(), X_OK) != 0) {
    return Error{"oracle script '" + config.oracle.script + "' is not an executable file (chmod +x it)"};
  }
  return o;
}

void Oracle::cancel() {
  cancelled_ = true;
  runners::kill_all_running();
}

std::string Oracle::instrumented(const std::string& text) {
  return instrument_main_end(text, workdir_ / "parse" / file_name_, parse_flags_).text;
}

bool Oracle::enable_precheck(const std::string& original, const std::vector<std::string>& strict) {
  auto parse = [&](std::vector<std::string> flags) {
    Instrumented ins = instrument_main_end(original, workdir_ / "parse" / file_name_, flags);
    precheck_ = !ins.parse_errors;
    need_main_ = ins.found_main;
    if (precheck_) parse_flags_ = std::move(flags);
    return precheck_.load();
  };
  {
    std::lock_guard l(parsed_mu_);  // parsed with other flags
    parsed_.clear(), parsed_order_.clear();
  }
  std::vector<std::string> flags = config_.toolchain.flags;
  flags.insert(flags.end(), strict.begin(), strict.end());
  return (!strict.empty() && parse(flags)) || parse(config_.toolchain.flags);
}

namespace {
// An empty file beside a run dir that the unprivileged candidate may write.
fs::path shared_file(const fs::path& path) {
  std::ofstream(path).flush();
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_write |
                            fs::perms::group_write | fs::perms::others_read | fs::perms::group_read);
  return path;
}
// Run i of a check: perturbed by perturb_each[i] when there is one.
CheckOptions run_options(const CheckOptions& options, int i) {
  CheckOptions mine = options;
  if (size_t(i) < options.perturb_each.size()) mine.perturb = options.perturb_each[i];
  return mine;
}
}  // namespace

Observation Oracle::observe(const std::string& source, const std::string& env_name) {
  Observation out;
  BuildResult b = builder_->build(source, file_name_);
  out.diagnostics = b.diagnostics;
  if (!b.ok) return out;
  out.built = true;
  runners::RunSpec spec = candidate_spec(b.binary);
  fs::path file = shared_file(spec.cwd.string() + ".out");
  spec.env = {env_name + "=" + file.string()};
  spec.deadline_s = config_.oracle.timeout + config_.oracle.hang_after;
  runners::run(spec, [&](pid_t, Clock::time_point) { return cancelled_.load(); });
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  out.text = ss.str();
  std::error_code ec;
  fs::remove(file, ec);
  return out;
}

runners::RunSpec Oracle::candidate_spec(const fs::path& binary) const {
  runners::RunSpec spec;
  spec.program = binary;
  spec.cwd = runners::make_run_dir(workdir_ / "runs", true);
  spec.remove_cwd = true;
  spec.sandbox = true;
  spec.limits = config_.limits;
  return spec;
}

bool Oracle::abandoned(const CheckOptions& options) const {
  return cancelled_ || (options.abandon && *options.abandon);
}

RunEvidence Oracle::run_binary(const fs::path& binary, const CheckOptions& options) {
  const OracleConfig& oc = config_.oracle;
  RunEvidence ev;
  runners::RunSpec spec = candidate_spec(binary);
  // The probe file lives beside the run dir (which the runner removes), made
  // writable for the unprivileged candidate.
  ProbeReader probe;
  probe.path = shared_file(spec.cwd.string() + ".probe");
  spec.env = {"MINREPRO_PROBE=" + probe.path.string()};
  std::string delay_ms = std::to_string(CheckOptions::kPerturbMs);
  if (options.perturb == CheckOptions::Perturb::ExitBegin) spec.env.push_back("MINREPRO_EXIT_DELAY_MS=" + delay_ms);
  static const std::map<CheckOptions::Perturb, std::string> preloaded = {
      {CheckOptions::Perturb::ThreadStart, "MINREPRO_THREAD_DELAY_MS="},
      {CheckOptions::Perturb::CreatorResume, "MINREPRO_CREATOR_DELAY_MS="},
      {CheckOptions::Perturb::ChildWrite, "MINREPRO_CHILD_WRITE_DELAY_MS="}};
  if (auto so = builder_->thread_delay_library(); preloaded.count(options.perturb) && !so.empty()) {
    const char* outer = getenv("LD_PRELOAD");
    spec.env.push_back("LD_PRELOAD=" + so.string() + (outer && *outer ? std::string(":") + outer : ""));
    spec.env.push_back(preloaded.at(options.perturb) + delay_ms);
  }
  // A backstop only: the watcher decides, and takes its evidence before any kill.
  spec.deadline_s = oc.timeout + (oc.kind == Kind::ExitHang ? oc.hang_after : 0) + 2.0;

  // Every thread in the same untimed wait since quiet_since (the early verdicts).
  std::optional<double> quiet_since;
  std::string quiet;
  double next_sample = 0;
  bool began_seen = false;
  SleepWatch sleeps;
  bool sleeper_counted = false;  // the quiet window had a thread asleep past `verdict_at`
  // verdict_at: a thread asleep until after it counts as waiting.
  auto stays_quiet = [&](pid_t pid, double now, bool futex_only, std::optional<double> verdict_at = std::nullopt) {
    if (now < next_sample) return false;
    next_sample = now + 0.05;
    bool sleeper = false;
    std::function<bool(const runners::ThreadSample&)> asleep_past;
    if (verdict_at)
      asleep_past = [&](const runners::ThreadSample& t) {
        auto wake = sleeps.wakes_at_least(t, now);
        // 0.1 s: the verdict's own tick, and the run's start against the program's.
        bool past = wake && *wake > *verdict_at + 0.1;
        sleeper |= past;
        return past;
      };
    auto key = quiet_key(pid, futex_only, asleep_past);
    sleeper_counted = key && sleeper;
    if (!key) {
      quiet_since.reset();
    } else if (!quiet_since || *key != quiet) {
      quiet_since = now;
      quiet = *key;
    } else if (now - *quiet_since >= 0.15) {
      return true;
    }
    return false;
  };
  double min_delay = options.min_delay.value_or(oc.min_delay);
  double delay_snapshot_at = std::min(min_delay * 0.5, 0.25);
  // The phase is the one at the snapshot: a delayed exit ends in exit handlers
  // even when the delay was in main's locals.
  std::string phase;
  auto take_snapshot = [&](pid_t pid) {
    phase = phase_of(ev.markers);
    ev.threads = snapshot(pid, options.backtraces || oc.signature);
    ev.fds = runners::open_fds(pid);
    // What child processes wait in matters only to a waitpid (a /proc scan per level).
    if (std::any_of(ev.threads.begin(), ev.threads.end(), [](const ThreadView& t) { return primitive_of(t) == "waitpid"; }))
      ev.children = waited_children(pid);
  };

  auto watch = [&](pid_t pid, Clock::time_point start) -> bool {
    if (abandoned(options)) return ev.why = "cancelled", true;
    double now = seconds_since(start);
    if (probe.pid == 0) {
      probe.pid = pid;
      probe.start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
    }
    probe.update(ev, oc.exit_begins);
    bool exit_kind = is_exit_kind(oc.kind);
    if (!exit_kind || !ev.exit_began) {
      if (exit_kind && options.early_reject && now >= 0.05 && stays_quiet(pid, now, true)) {
        ev.early = ev.stalled = true;
        ev.why = "exit did not begin: every thread blocked on a futex " + fmt_s(now) + " in";
        return true;
      }
      double limit = exit_kind && begin_timeout_ ? std::min(*begin_timeout_, oc.timeout) : oc.timeout;
      if (now < limit) return false;
      if (oc.kind == Kind::Hang) {
        take_snapshot(pid);
        ev.reproduced = true;
        ev.why = "still running after the " + fmt_s(oc.timeout) + " timeout";
      } else {
        ev.why = exit_kind ? "exit did not begin within the " + fmt_s(limit) + " timeout"
                           : "still running at the " + fmt_s(oc.timeout) + " timeout";
      }
      return true;
    }
    double since = now - *ev.exit_began;
    if (!began_seen) began_seen = true, quiet_since.reset();
    if (oc.kind == Kind::DelayedExit) {
      if (ev.threads.empty() && since >= delay_snapshot_at) take_snapshot(pid);
      if (options.early_delay.value_or(oc.early_delay) && since >= min_delay) {
        ev.reproduced = ev.early = true;
        ev.why = "still exiting " + fmt_s(since) + " after " + ev.exit_event + " (early_delay)";
        return true;
      }
      if (since < oc.timeout) return false;
      ev.why = "still alive " + fmt_s(since) + " after " + ev.exit_event + ": a hang, not a delay";
      return true;
    }
    // exit-hang
    if (since >= oc.hang_after) {
      take_snapshot(pid);
      ev.reproduced = true;
      ev.why = "still alive " + fmt_s(since) + " after " + ev.exit_event;
      return true;
    }
    if (options.early_verdict.value_or(oc.early_verdict) && since >= 0.05 &&
        stays_quiet(pid, now, false, *ev.exit_began + oc.hang_after)) {
      take_snapshot(pid);
      ev.reproduced = ev.early = true;
      ev.why = std::string(sleeper_counted ? "every thread blocked in an untimed wait or asleep past the verdict "
                                           : "every thread blocked in an untimed wait ") +
               fmt_s(since) + " after " + ev.exit_event;
      return true;
    }
    return false;
  };

  ev.run = runners::run(spec, watch);
  struct RemoveProbe {
    fs::path p;
    ~RemoveProbe() {
      std::error_code ec;
      fs::remove(p, ec);
    }
  } remove_probe{probe.path};
  if (!ev.run.started) {
    ev.why = "could not start: " + ev.run.start_error;
    return ev;
  }
  if (probe.pid == 0) {
    probe.pid = ev.run.pid;
    probe.start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(ev.run.start.time_since_epoch()).count();
  }
  probe.update(ev, oc.exit_begins);
  if (ev.run.exited) {
    ev.ended = ev.run.wall_s;
    std::string end = ev.run.describe_end();
    switch (oc.kind) {
      case Kind::ExitHang:
      case Kind::DelayedExit: {
        if (!ev.exit_began) {
          ev.why = "ended (" + end + ") before exit began";
          break;
        }
        double delay = *ev.ended - *ev.exit_began;
        bool delayed = oc.kind == Kind::DelayedExit && delay >= min_delay;
        ev.reproduced = delayed;
        ev.why = "ended (" + end + ") " + fmt_s(delay) + " after " + ev.exit_event +
                 (delayed ? "" : oc.kind == Kind::DelayedExit ? " (under min_delay)" : "");
        break;
      }
      case Kind::Crash:
        ev.reproduced = ev.run.signal != 0 && (oc.signal == 0 || ev.run.signal == oc.signal);
        ev.why = "ended: " + end;
        break;
      default:
        ev.why = "ended: " + end;
    }
    ev.clean = !ev.reproduced && (ev.exit_began || !is_exit_kind(oc.kind));
  }
  if (!ev.threads.empty()) {
    ev.signature = make_signature(phase, ev.exit_tid ? ev.exit_tid : ev.run.pid, ev.threads, ev.children);
    if (ev.reproduced && options.expect && !options.expect->empty() && oc.signature &&
        !ev.signature.matches(*options.expect)) {
      ev.reproduced = false;
      ev.why = "shows another bug: " + ev.signature.describe() + " (expected " + options.expect->describe() + ")";
    }
  }
  return ev;
}

Verdict Oracle::check_script(const std::string& text, const CheckOptions& options) {
  Verdict v;
  v.built = true;
  int n = options.runs ? options.runs : config_.oracle.runs;
  int k = options.min_hits ? options.min_hits : config_.oracle.min_hits;
  for (int i = 0; i < n && !cancelled_; ++i) {
    RunEvidence ev;
    fs::path dir = runners::make_run_dir(workdir_ / "runs", false);
    std::ofstream(dir / file_name_) << text;
    runners::RunSpec spec;
    spec.program = fs::absolute(config_.oracle.script);
    spec.args = {file_name_};
    spec.cwd = dir;
    spec.remove_cwd = true;
    spec.deadline_s = config_.oracle.timeout;
    spec.limits = config_.limits;
    spec.limits.memory_mb = std::max(spec.limits.memory_mb, 8192L);
    spec.limits.processes = std::max(spec.limits.processes, 4096L);
    ev.run = runners::run(spec, [&](pid_t, Clock::time_point) { return cancelled_.load(); });
    ev.reproduced = ev.run.exited_ok();
    ev.why = "script " + ev.run.describe_end();
    v.hits += ev.reproduced;
    v.evidence.push_back(std::move(ev));
    ++v.runs;
    if (options.stop_when_decided && (v.hits >= k || v.hits + (n - i - 1) < k)) break;
  }
  v.reproduced = v.hits >= k;
  v.why = std::to_string(v.hits) + "/" + std::to_string(v.runs) + " runs interesting";
  return v;
}

std::vector<Warning> Oracle::warnings(const std::string& text) {
  bool exit_kind = is_exit_kind(config_.oracle.kind);
  std::string source = exit_kind ? instrumented(text) : text;
  return warnings_in(builder_->build(source, file_name_).diagnostics);
}

std::shared_ptr<const Instrumented> Oracle::parsed(const std::string& text) {
  std::string key = content_hash(text);
  {
    std::lock_guard l(parsed_mu_);
    if (auto it = parsed_.find(key); it != parsed_.end()) return it->second;
  }
  auto t0 = Clock::now();
  auto fresh =
      std::make_shared<const Instrumented>(instrument_main_end(text, workdir_ / "parse" / file_name_, parse_flags_));
  stats_.parse_us += std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
  std::lock_guard l(parsed_mu_);
  if (parsed_.emplace(key, fresh).second) parsed_order_.push_back(key);
  while (parsed_order_.size() > 16) parsed_.erase(parsed_order_.front()), parsed_order_.pop_front();
  return fresh;
}

Verdict Oracle::check(const std::string& text, const CheckOptions& options) {
  if (config_.oracle.kind == Kind::Script) return check_script(text, options);
  ++stats_.checks;
  Verdict v;
  bool exit_kind = is_exit_kind(config_.oracle.kind);
  std::string source = text;
  if (exit_kind || precheck_) {
    std::shared_ptr<const Instrumented> cached = parsed(text);
    const Instrumented& ins = *cached;
    if (ins.parse_errors && (precheck_ || (exit_kind && ins.crashed))) {
      ++stats_.precheck_rejects;
      v.build.diagnostics = ins.first_error;
      v.why = "does not compile (libclang): " + ins.first_error;
      return v;
    }
    if (precheck_ && need_main_ && !ins.found_main) {  // the link would fail
      ++stats_.precheck_rejects;
      v.build.diagnostics = v.why = "does not link: no main()";
      return v;
    }
    if (exit_kind) source = ins.text;
  }
  if (abandoned(options)) return v.why = "cancelled", v;
  v.build = builder_->build(source, file_name_, options.abandon, options.uninit_guard);
  if (v.build.cached) ++stats_.build_cache_hits;
  else ++stats_.builds, stats_.build_us += long(v.build.seconds * 1e6);
  if (v.build.abandoned || abandoned(options)) return v.why = "cancelled", v;
  if (!v.build.ok) {
    ++stats_.build_failures;
    std::string first = v.build.first_errors(1);
    if (!first.empty() && first.back() == '\n') first.pop_back();
    v.why = "does not compile: " + first;
    return v;
  }
  v.built = true;
  if (options.allowed_warnings)
    for (auto& w : warnings_in(v.build.diagnostics))
      if (!options.allowed_warnings->count(w.kind)) {
        ++stats_.warning_rejects;
        v.why = "adds a warning: " + w.text;
        return v;
      }
  int n = options.runs ? options.runs : config_.oracle.runs;
  int k = options.min_hits ? options.min_hits : config_.oracle.min_hits;
  auto record = [&](RunEvidence ev) {
    ++v.runs;
    ++stats_.runs;
    stats_.early_verdicts += ev.early && !ev.stalled;
    stats_.early_rejects += ev.stalled;
    stats_.run_us += long(ev.run.wall_s * 1e6);
    if (ev.reproduced && ++v.hits == 1) v.signature = ev.signature;
    v.clean += ev.clean;
    v.evidence.push_back(std::move(ev));
  };
  if (options.concurrent_runs && n > 1) {
    for (auto& ev : concurrent_runs(v.build.binary, options, n, k)) record(std::move(ev));
  } else {
    for (int i = 0; i < n && !abandoned(options); ++i) {
      record(run_binary(v.build.binary, run_options(options, i)));
      if (options.stop_when_decided && (v.hits >= k || v.hits + (n - i - 1) < k)) break;
    }
  }
  v.reproduced = v.hits >= k && !abandoned(options);
  v.why = v.evidence.empty() ? "cancelled" : v.evidence.back().why;
  if (options.concurrent_runs)  // the last in index order may be one stopped as decided
    for (auto& ev : v.evidence)
      if (ev.reproduced == v.reproduced && ev.why != "cancelled") {
        v.why = ev.why;
        break;
      }
  return v;
}

namespace {
constexpr int kMaxConcurrentRuns = 4;
}

std::vector<RunEvidence> Oracle::concurrent_runs(const fs::path& binary, const CheckOptions& options, int n, int k) {
  std::atomic<bool> stop{false};  // decided (with stop_when_decided), or abandoned by the caller
  CheckOptions each = options;
  each.abandon = &stop;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::optional<RunEvidence>> out(n);  // empty: never started (decided first)
  int finished = 0, hits = 0;
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < std::min(n, kMaxConcurrentRuns); ++w)
    threads.emplace_back([&] {
      for (int i; (i = next++) < n;) {
        if (stop) {  // decided: the rest are not started
          std::lock_guard l(mu);
          ++finished;
          continue;
        }
        RunEvidence ev = run_binary(binary, run_options(each, i));
        std::lock_guard l(mu);
        hits += ev.reproduced;
        out[i] = std::move(ev);
        ++finished;
        if (options.stop_when_decided && (hits >= k || hits + (n - finished) < k)) stop = true;
        cv.notify_all();
      }
    });
  {
    std::unique_lock l(mu);
    while (finished < n) {
      cv.wait_for(l, std::chrono::milliseconds(10));
      if (finished >= n) break;
      if (abandoned(options)) stop = true;
    }
  }
  for (auto& t : threads) t.join();
  std::vector<RunEvidence> ran;
  for (auto& ev : out)
    if (ev) ran.push_back(std::move(*ev));
  return ran;
}

}  // namespace minrepro::oracle
