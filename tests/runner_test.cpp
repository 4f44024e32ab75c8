// The process runner on real processes, including ones that misbehave.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "helpers.hpp"
#include "runners/observe.hpp"
#include "runners/process.hpp"
#include "runners/session.hpp"

using namespace minrepro::runners;
using minrepro::test::count_tagged;

namespace {
RunSpec shell(const std::string& script, double deadline = 10) {
  RunSpec s;
  s.program = "/bin/sh";
  s.args = {"-c", script};
  s.deadline_s = deadline;
  return s;
}
bool pid_gone(pid_t pid) {
  for (int i = 0; i < 100; ++i) {
    if (!std::filesystem::exists("/proc/" + std::to_string(pid))) return true;
    usleep(20000);
  }
  return false;
}
}  // namespace

TEST_CASE("captures output and exit status") {
  auto r = run(shell("echo out; echo err >&2; exit 3"));
  CHECK(r.started);
  CHECK(r.exited);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK_FALSE(r.out_truncated);
}

TEST_CASE("a background run (compilers) gets SCHED_IDLE and nice 19; others keep ours") {
  // Fields 19 and 41 of /proc/PID/stat: nice and scheduling policy (5 is SCHED_IDLE).
  std::string script = "cut -d' ' -f19,41 /proc/$$/stat";
  auto normal = run(shell(script));
  RunSpec bg = shell(script);
  bg.background = true;
  auto idle = run(bg);
  CHECK(idle.out == "19 5\n");
  CHECK(normal.out != idle.out);
}

TEST_CASE("the spec's environment entries replace inherited ones of the same name") {
  setenv("MINREPRO_TEST_VAR", "outer", 1);
  setenv("MINREPRO_TEST_VAR_LONGER", "kept", 1);
  RunSpec s = shell("env | grep -c '^MINREPRO_TEST_VAR='; echo $MINREPRO_TEST_VAR $MINREPRO_TEST_VAR_LONGER");
  s.env = {"MINREPRO_TEST_VAR=ours"};
  auto r = run(s);
  unsetenv("MINREPRO_TEST_VAR");
  unsetenv("MINREPRO_TEST_VAR_LONGER");
  CHECK(r.out == "1\nours kept\n");
}

TEST_CASE("a program that cannot start is reported, not thrown") {
  RunSpec s;
  s.program = "/nonexistent/program";
  auto r = run(s);
  CHECK_FALSE(r.started);
  CHECK(r.start_error.find("/nonexistent/program") != std::string::npos);
}

TEST_CASE("a program that cannot start does not run the tool's exit handlers in its forked copy") {
  // exit() in the child would flush this stream's buffer a second time.
  char path[] = "/tmp/minrepro-exec-fail-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  FILE* f = fdopen(fd, "w");
  REQUIRE(setvbuf(f, nullptr, _IOFBF, 4096) == 0);
  fputs("written once\n", f);
  RunSpec s;
  s.program = "/nonexistent/program";
  auto r = run(s);
  fclose(f);
  CHECK_FALSE(r.started);
  CHECK(minrepro::test::slurp(path) == "written once\n");
  std::filesystem::remove(path);
}

namespace {
char g_stall_pid_file[64];
void stall_before_exec() {
  char buf[16];
  int n = snprintf(buf, sizeof buf, "%d", getpid());
  int fd = open(g_stall_pid_file, O_WRONLY);
  if (fd >= 0 && write(fd, buf, n) == n) close(fd);
  for (;;) pause();
}
}  // namespace

TEST_CASE("a child that stalls before its exec is killed at the deadline, and the next spawn goes on") {
  snprintf(g_stall_pid_file, sizeof g_stall_pid_file, "/tmp/minrepro-stall-%d", getpid());
  close(open(g_stall_pid_file, O_CREAT | O_WRONLY | O_TRUNC, 0600));
  RunSpec s = shell("exit 0", 0.4);
  s.before_exec = stall_before_exec;
  auto t0 = std::chrono::steady_clock::now();
  auto r = run(s);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK_FALSE(r.started);
  CHECK(r.start_error.find("before its exec") != std::string::npos);
  CHECK(took < 3);
  pid_t child = std::atoi(minrepro::test::slurp(g_stall_pid_file).c_str());
  CHECK(child > 0);
  CHECK(pid_gone(child));
  std::filesystem::remove(g_stall_pid_file);
  auto next = run(shell("echo next", 5));
  CHECK(next.out == "next\n");
}

TEST_CASE("stdin is /dev/null and the private cwd is removed afterwards") {
  auto r = run(shell("cat; pwd"));
  CHECK(r.exit_code == 0);
  std::string dir = r.out.substr(0, r.out.size() - 1);
  CHECK(!dir.empty());
  CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("a grandchild holding stdout open does not hold up the run, and dies") {
  auto r = run(shell("sleep 30 & echo $!; exit 0"));
  CHECK(r.exited);
  CHECK(r.wall_s < 2.0);
  pid_t grandchild = std::stoi(r.out);
  CHECK(pid_gone(grandchild));
  CHECK(count_tagged(session_env()) == 0);
}

TEST_CASE("a setsid grandchild is found, killed and reaped") {
  auto r = run(shell("setsid sleep 31 & echo $!; sleep 0.1; exit 0"));
  CHECK(r.exited);
  pid_t escaped = std::stoi(r.out);
  CHECK(r.descendants_killed >= 1);
  CHECK(pid_gone(escaped));  // not even a zombie: reaped
}

TEST_CASE("a child ignoring SIGTERM is killed at the deadline") {
  auto start = Clock::now();
  auto r = run(shell("trap '' TERM; sleep 32", 0.4));
  double took = std::chrono::duration<double>(Clock::now() - start).count();
  CHECK(r.timed_out);
  CHECK_FALSE(r.exited);
  CHECK(took < 1.5);
  CHECK(pid_gone(r.pid));
  CHECK(count_tagged(session_env()) == 0);
}

TEST_CASE("a 100 MB output flood is capped and fast") {
  RunSpec s;
  s.program = "/usr/bin/head";
  s.args = {"-c", "100000000", "/dev/zero"};
  auto r = run(s);
  CHECK(r.exited);
  CHECK(r.out.size() == 1024u * 1024u);
  CHECK(r.out_truncated);
  CHECK(r.wall_s < 5.0);
}

TEST_CASE("a watcher can stop a run early") {
  auto r = run(shell("sleep 33"), [](pid_t, Clock::time_point start) {
    return Clock::now() - start > std::chrono::milliseconds(200);
  });
  CHECK(r.stopped);
  CHECK(r.wall_s < 1.0);
  CHECK(pid_gone(r.pid));
}

TEST_CASE("sandbox: a fork bomb is contained and fully killed") {
  RunSpec s = shell("f() { f | f & }; f; sleep 1", 2.0);
  s.sandbox = true;
  s.limits.processes = 64;
  auto start = Clock::now();
  auto r = run(s);
  CHECK(r.started);
  CHECK(std::chrono::duration<double>(Clock::now() - start).count() < 6.0);
  CHECK(count_tagged(session_env()) == 0);
}

TEST_CASE("sandbox: a memory hog hits the address-space limit") {
  RunSpec s;
  s.program = "/usr/bin/tail";
  s.args = {"/dev/zero"};
  s.sandbox = true;
  s.limits.memory_mb = 64;
  s.deadline_s = 20;
  auto r = run(s);
  CHECK(r.exited);
  CHECK_FALSE(r.exited_ok());
  CHECK(r.wall_s < 10.0);
}

TEST_CASE("sandbox: rlimits are set and there is no network but loopback") {
  RunSpec s = shell("ulimit -v; ulimit -c; cat /proc/net/dev");
  s.sandbox = true;
  auto r = run(s);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind(std::to_string(2048 * 1024) + "\n0\n", 0) == 0);
  if (sandbox_notes().empty()) {
    CHECK(r.out.find("lo:") != std::string::npos);
    CHECK(r.out.find("eth") == std::string::npos);
  }
}

TEST_CASE("a sleeping thread's request is read from its memory: relative and absolute") {
  using namespace minrepro::runners;
  auto asleep = [](bool absolute) {
    pid_t pid = fork();
    if (pid == 0) {
      timespec ts{};
      if (absolute) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += 30;
      } else {
        ts.tv_sec = 30;
        ts.tv_nsec = 250000000;
      }
      clock_nanosleep(CLOCK_MONOTONIC, absolute ? TIMER_ABSTIME : 0, &ts, nullptr);
      _exit(0);
    }
    std::optional<SleepRequest> r;
    for (int i = 0; i < 200 && !r; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      auto p = sample_process(pid);
      if (!p.threads.empty()) r = sleep_request(p.threads[0]);
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return r;
  };
  auto rel = asleep(false);
  REQUIRE(rel);
  CHECK_FALSE(rel->absolute);
  CHECK(rel->seconds == doctest::Approx(30.25));
  auto abs = asleep(true);
  REQUIRE(abs);
  CHECK(abs->absolute);
  CHECK(abs->seconds > 27);  // what is left of the 30 s
  CHECK(abs->seconds <= 30);
  ThreadSample running;
  running.state = 'R';
  CHECK_FALSE(sleep_request(running));
}
