#include "runners/process.hpp"

// Boost 1.81's process v2 headers miss these includes (boostorg/process#279).
#include <boost/optional.hpp>
#include <boost/type_traits.hpp>
#include <boost/asio.hpp>
#include <boost/process/v2.hpp>

#include <fcntl.h>
#include <linux/close_range.h>
#include <grp.h>
#include <net/if.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "runners/session.hpp"

namespace asio = boost::asio;
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace minrepro::runners {
namespace {

struct Sandbox {
  int netns_fd = -1;
  bool drop_uid = false;
  uid_t uid = 65534;
  gid_t gid = 65534;
  std::vector<std::string> notes;
};

// A network namespace made once and entered by every candidate: no route out,
// loopback up so programs that talk to themselves still work.
int make_netns(std::string& why) {
  int p[2];
  if (pipe(p) != 0) return why = strerror(errno), -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    char ok = 0;
    if (unshare(CLONE_NEWNET) == 0) {
      ok = 1;
      int s = socket(AF_INET, SOCK_DGRAM, 0);
      struct ifreq ifr {};
      strcpy(ifr.ifr_name, "lo");
      if (s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP;
        ioctl(s, SIOCSIFFLAGS, &ifr);
      }
    } else {
      ok = static_cast<char>(errno);
    }
    if (write(p[1], &ok, 1) != 1) _exit(1);
    pause();
    _exit(0);
  }
  close(p[1]);
  if (pid < 0) return close(p[0]), why = strerror(errno), -1;
  char ok = 0;
  int fd = -1;
  if (read(p[0], &ok, 1) == 1 && ok == 1) {
    fd = open(("/proc/" + std::to_string(pid) + "/ns/net").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) why = strerror(errno);
  } else {
    why = ok > 1 ? strerror(ok) : "helper failed";
  }
  close(p[0]);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return fd;
}

const Sandbox& sandbox() {
  static Sandbox sb;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string why;
    sb.netns_fd = make_netns(why);
    if (sb.netns_fd < 0)
      sb.notes.push_back("candidates share the host network: cannot make a network namespace (" +
                         why + ")");
    if (geteuid() == 0) {
      sb.drop_uid = true;
      if (passwd* pw = getpwnam("nobody")) sb.uid = pw->pw_uid, sb.gid = pw->pw_gid;
    }
  });
  return sb;
}

// Runs in the forked child before exec: only async-signal-safe calls.
struct ChildSetup {
  const RunSpec* spec;
  const Sandbox* sb;
  char** envp;
  pid_t parent;

  template <class Launcher>
  bp::error_code on_setup(Launcher& l, const fs::path&, const char* const*) {
    l.env = envp;
    return {};
  }

  template <class Launcher>
  bp::error_code on_exec_setup(Launcher&, const fs::path&, const char* const*) {
    if (spec->before_exec) spec->before_exec();
    auto fail = [] { return bp::error_code(errno, bp::system_category()); };
    if (setpgid(0, 0) != 0) return fail();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the tool died between fork and prctl
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) signal(s, SIG_DFL);
    const Limits& lim = spec->limits;
    // Never above the current hard limit: the tool may itself run under limits.
    auto limit = [](int what, rlim_t v) {
      rlimit cur{};
      getrlimit(what, &cur);
      if (cur.rlim_max != RLIM_INFINITY && v > cur.rlim_max) v = cur.rlim_max;
      rlimit r{v, v};
      return setrlimit(what, &r);
    };
    if ((lim.memory_mb > 0 && limit(RLIMIT_AS, rlim_t(lim.memory_mb) << 20)) || limit(RLIMIT_CPU, lim.cpu_s) ||
        limit(RLIMIT_FSIZE, rlim_t(lim.file_mb) << 20) || limit(RLIMIT_CORE, 0))
      return fail();
    if (spec->sandbox) {
      if (sb->netns_fd >= 0) setns(sb->netns_fd, CLONE_NEWNET);
      if (limit(RLIMIT_NPROC, lim.processes)) return fail();
    }
    if (spec->background) {
      sched_param idle{};
      sched_setscheduler(0, SCHED_IDLE, &idle);
      setpriority(PRIO_PROCESS, 0, 19);
    }
    if (chdir(spec->cwd.c_str()) != 0) return fail();
    // Only stdin/stdout/stderr reach the program: the launcher's own copies of
    // the pipes (and anything else of ours) close at exec.
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
      for (int fd = 3; fd < 4096; ++fd) fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (spec->sandbox && sb->drop_uid) {
      if (setgroups(0, nullptr) || setgid(sb->gid) || setuid(sb->uid)) return fail();
    }
    return {};
  }

  // After a failed exec the launcher calls exit(): the tool's atexit handlers
  // and static destructors would run in this copy of it (stdio buffers written
  // twice, shared work directories removed). The parent has the errno already.
  // Variadic: Boost 1.81 tests for this hook with other arguments than it calls
  // it with.
  template <class... Any>
  void on_exec_error(Any&&...) {
    _exit(127);
  }
};

// The launcher waits for the child's exec in a blocking read() with no
// deadline of its own. A child that stalls before exec (on a lock that fork
// copied held, as a sanitizer's allocator lock can be) would keep that read,
// and the spawn lock with it, waiting for ever. Spawns are serialized, so one
// thread watches them all: a child that has not reached exec by its run's
// deadline is killed, which ends the read.
class ExecWatch {
 public:
  static ExecWatch& get() {
    static ExecWatch* w = new ExecWatch;  // never destroyed: its thread runs to the end
    return *w;
  }

  // `pid` is the launcher's own field, set by its fork().
  void arm(pid_t* pid, Clock::time_point deadline) {
    std::lock_guard l(mu_);
    pid_ = pid;
    deadline_ = deadline;
    fired_ = false;
    cv_.notify_one();
  }
  // True when the child was killed before its exec.
  bool disarm() {
    std::lock_guard l(mu_);
    pid_ = nullptr;
    return fired_;
  }

 private:
  ExecWatch() {
    std::unique_lock l(mu_);
    std::thread([this] { watch(); }).detach();
    // Not back before the thread waits: a fork while it still sets itself up
    // (allocating) is what this guards against.
    cv_.wait(l, [this] { return started_; });
  }

  void watch() {
    std::unique_lock l(mu_);
    started_ = true;
    cv_.notify_all();
    for (;;) {
      if (!pid_ || Clock::now() < deadline_) {
        if (pid_) cv_.wait_until(l, deadline_);
        else cv_.wait(l);
        continue;
      }
      // The spawning thread wrote it right after fork(), a syscall and a
      // blocking read() ago; it is not written again while armed.
      pid_t pid = std::atomic_ref<pid_t>(*pid_).load();
      if (pid > 0) {
        kill(pid, SIGKILL);
        fired_ = true;
        pid_ = nullptr;
      } else {
        deadline_ = Clock::now() + std::chrono::milliseconds(10);  // not forked yet
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  pid_t* pid_ = nullptr;
  Clock::time_point deadline_;
  bool fired_ = false;
};

// Capped, asynchronous capture of one pipe: keeps the first `cap` bytes, reads
// and discards the rest so the writer never blocks on a full pipe.
struct Capture {
  asio::readable_pipe pipe;
  std::string& text;
  bool& truncated;
  size_t cap;
  std::array<char, 65536> buf{};
  bool eof = false;

  Capture(asio::io_context& ctx, std::string& t, bool& tr, size_t c)
      : pipe(ctx), text(t), truncated(tr), cap(c) {}

  void start() {
    pipe.async_read_some(asio::buffer(buf), [this](bp::error_code ec, size_t n) {
      size_t keep = text.size() < cap ? std::min(n, cap - text.size()) : 0;
      text.append(buf.data(), keep);
      if (keep < n) truncated = true;
      if (ec) {
        eof = true;
        return;
      }
      start();
    });
  }
};

std::mutex g_running_mu;
std::map<pid_t, std::string> g_running;  // pgid -> run tag

void register_running(pid_t pgid, const std::string& tag) {
  std::lock_guard l(g_running_mu);
  g_running[pgid] = tag;
}
void unregister_running(pid_t pgid) {
  std::lock_guard l(g_running_mu);
  g_running.erase(pgid);
}

// Kills the program's group and every process carrying its run tag.
int kill_run(pid_t pgid, const std::string& tag) {
  killpg(pgid, SIGKILL);
  return kill_tagged(tag);
}

}  // namespace

std::string RunResult::describe_end() const {
  if (!started) return "not started: " + start_error;
  if (exited && signal) return "signal " + std::to_string(signal) + " (" + sigabbrev_np(signal) + ")";
  if (exited) return "exit " + std::to_string(exit_code);
  if (timed_out) return "killed at the deadline";
  return "killed";
}

std::vector<std::string> sandbox_notes() { return sandbox().notes; }

void kill_all_running() {
  std::map<pid_t, std::string> copy;
  {
    std::lock_guard l(g_running_mu);
    copy = g_running;
  }
  for (auto& [pgid, tag] : copy) kill_run(pgid, tag);
}

fs::path make_run_dir(const fs::path& root, bool sandboxed) {
  fs::path base = root.empty() ? fs::temp_directory_path() : root;
  std::string templ = (base / "run-XXXXXX").string();
  if (!mkdtemp(templ.data())) return {};
  const Sandbox& sb = sandbox();
  if (sandboxed && sb.drop_uid && chown(templ.c_str(), sb.uid, sb.gid) != 0) return {};
  return templ;
}

RunResult run(const RunSpec& spec_in, const Watcher& watch) {
  RunResult r;
  RunSpec spec = spec_in;
  static const Sandbox unsandboxed;
  const Sandbox& sb = spec.sandbox ? sandbox() : unsandboxed;
  bool own_cwd = spec.cwd.empty();
  if (own_cwd) spec.cwd = make_run_dir(spec.temp_root, spec.sandbox);
  if (spec.cwd.empty()) {
    r.start_error = "cannot create a private directory under " + spec.temp_root.string();
    return r;
  }

  std::string tag = new_run_env();
  std::vector<std::string> env_store;
  // The spec's entries replace inherited ones of the same name (a getenv
  // would find the first).
  auto set_by_spec = [&](const char* e) {
    const char* eq = strchr(e, '=');
    size_t n = eq ? size_t(eq - e) + 1 : strlen(e);
    return std::any_of(spec.env.begin(), spec.env.end(), [&](const std::string& s) { return s.compare(0, n, e, n) == 0; });
  };
  if (spec.inherit_env)
    for (char** e = environ; *e; ++e)
      // Keep an outer tool's tags (nested runs stay findable); drop its probe file.
      if (strncmp(*e, "MINREPRO_PROBE=", 15) != 0 && !set_by_spec(*e)) env_store.emplace_back(*e);
  env_store.push_back(session_env());
  env_store.push_back(tag);
  for (auto& e : spec.env) env_store.push_back(e);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);

  asio::io_context ctx;
  Capture out(ctx, r.out, r.out_truncated, size_t(spec.limits.output_kb) << 10);
  Capture err(ctx, r.err, r.err_truncated, size_t(spec.limits.output_kb) << 10);
  asio::writable_pipe out_w(ctx), err_w(ctx);
  asio::connect_pipe(out.pipe, out_w);
  asio::connect_pipe(err.pipe, err_w);

  bp::error_code ec;
  std::optional<bp::process> proc;
  Clock::time_point deadline;  // from the start, for the exec as for the run
  {
    std::lock_guard lock(spawn_mutex());
    r.start = Clock::now();
    deadline = r.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec.deadline_s));
    bp::posix::default_launcher launcher;
    ExecWatch& exec_watch = ExecWatch::get();
    exec_watch.arm(&launcher.pid, deadline);
    // The io_context overload drops `ec` and throws in Boost 1.81: pass the executor.
    proc.emplace(launcher(ctx.get_executor(), ec, spec.program, spec.args,
                          bp::process_stdio{nullptr, out_w, err_w},
                          ChildSetup{&spec, &sb, envp.data(), getpid()}));
    if (exec_watch.disarm() && !ec) {
      proc->wait(ec);
      ec = bp::error_code(ETIMEDOUT, bp::system_category());
      char why[96];
      snprintf(why, sizeof why, ": killed before its exec: not started within the deadline (%g s)", spec.deadline_s);
      r.start_error = spec.program.string() + why;
    }
    if (!ec) own_pid(proc->id());
  }
  out_w.close();
  err_w.close();
  if (ec) {
    if (r.start_error.empty()) r.start_error = spec.program.string() + ": " + ec.message();
    if (own_cwd || spec.remove_cwd) fs::remove_all(spec.cwd, ec);
    return r;
  }
  r.started = true;
  r.pid = proc->id();
  register_running(r.pid, tag);
  out.start();
  err.start();

  // The child's exit (not EOF on its pipes) ends the wait: a pidfd becomes
  // readable when the process ends.
  bool done = false;
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, r.pid, 0));
  std::optional<asio::posix::stream_descriptor> pidsd;
  if (pidfd >= 0) {
    pidsd.emplace(ctx, pidfd);
    pidsd->async_wait(asio::posix::stream_descriptor::wait_read, [&](bp::error_code) {
      done = true;
      ctx.stop();
    });
  }
  for (;;) {
    auto now = Clock::now();
    if (!done && pidfd < 0) done = !proc->running(ec);
    if (done) break;
    if (now >= deadline) {
      r.timed_out = true;
      break;
    }
    if (watch && watch(r.pid, r.start)) {
      r.stopped = true;
      break;
    }
    auto slice = std::min<Clock::duration>(spec.tick, deadline - now);
    ctx.restart();
    ctx.run_for(pidfd >= 0 ? slice : std::min<Clock::duration>(slice, std::chrono::milliseconds(2)));
  }
  auto end = Clock::now();
  r.wall_s = std::chrono::duration<double>(end - r.start).count();

  r.descendants_killed = kill_run(r.pid, tag);
  proc->wait(ec);
  if (done || r.exited) {
    int st = proc->native_exit_code();
    r.exited = true;
    if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
    else r.exit_code = WEXITSTATUS(st);
  }
  disown_pid(r.pid);
  unregister_running(r.pid);

  // Bounded drain: whatever is still in the pipes after everybody is dead.
  ctx.restart();
  auto drain_until = Clock::now() + std::chrono::milliseconds(200);
  while (!(out.eof && err.eof) && Clock::now() < drain_until) {
    if (pidsd) pidsd->close(ec);
    ctx.run_for(std::chrono::milliseconds(10));
    ctx.restart();
  }
  out.pipe.close(ec);
  err.pipe.close(ec);
  ctx.restart();
  ctx.poll();
  if (own_cwd || spec.remove_cwd) fs::remove_all(spec.cwd, ec);
  reap_strays();
  return r;
}

}  // namespace minrepro::runners
