// End-to-end reductions with the real binary, and what Ctrl-C / kill -9 leave behind.
#include <doctest/doctest.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "helpers.hpp"
#include "runners/process.hpp"
#include "runners/session.hpp"

using namespace minrepro;
using minrepro::test::slurp;
using minrepro::test::TempDir;

namespace {

const char* kCase = R"(#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>

static int parse_level(const std::string& s) { return s == "debug" ? 2 : s == "info" ? 1 : 0; }

struct Logger {
  int level = 1;
  std::map<std::string, int> counts;
  void log(const std::string& what) {
    counts[what]++;
    if (level > 1) std::printf("%s\n", what.c_str());
  }
};

struct Flusher {
  std::mutex m;
  std::condition_variable cv;
  bool stop = false;
  std::thread t{[this] {
    std::unique_lock<std::mutex> l(m);
    cv.wait(l, [this] { return stop; });
  }};
  ~Flusher() {
    t.join();  // bug: nobody sets `stop` or notifies
  }
};

Flusher flusher;

int main() {
  Logger log;
  log.level = parse_level("info");
  for (int i = 0; i < 3; ++i) log.log("tick");
  return 0;
}
)";

runners::RunSpec reduce_spec(const std::vector<std::string>& args) {
  return test::tool_spec(MINREPRO_REDUCE_BINARY, args);
}

}  // namespace

TEST_CASE("reduce: a small case shrinks, keeps the bug, compiles cleanly, input untouched") {
  TempDir d;
  auto input = d.write("case.cpp", kCase);
  // The token pass (the slowest, a text fallback) is left out to keep the suite fast.
  auto r = runners::run(reduce_spec({"--oracle", "exit-hang", "--hang-after", "0.5", "-j", "2", "--passes",
                                     "top-level-decls,class-members,function-bodies,statements,includes,params,lines,balanced",
                                     input.string()}));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(slurp(input) == kCase);
  auto out = d.path / "case.min.cpp";
  REQUIRE(std::filesystem::exists(out));
  std::string min = slurp(out);
  CHECK(min.size() * 2 < std::string(kCase).size());
  CHECK(min.find("join") != std::string::npos);
  CHECK(min.find("Logger") == std::string::npos);
  CHECK(r.err.find("confirmed: reproduced 10/10") != std::string::npos);
  // Valid C++ without -w: compiles warning-free, and `reduce check` still reproduces it.
  auto cc = runners::run([&] {
    runners::RunSpec s;
    s.program = "/usr/bin/g++";
    s.args = {"-std=c++17", "-pthread", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only", out.string()};
    return s;
  }());
  CHECK_MESSAGE(cc.exit_code == 0, cc.err);
  auto check = runners::run(reduce_spec({"check", "--hang-after", "0.5", out.string()}));
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("signature: join in exit-handlers") != std::string::npos);
}

TEST_CASE("reduce: the values step frees what computed a constant (delayed-exit)") {
  // The delay needs attempts = 4, parsed at run time; the default gives 300 ms,
  // under min_delay. No text pass can remove the parse; `i < 4` can.
  const char* src = R"(#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

static int attempts = 2;

static void flush() {
  for (int i = 0; i < attempts; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(150));
}

int main() {
  attempts = std::stoi(std::string("4"));
  std::atexit(flush);
  return 0;
}
)";
  // The statements pass alone keeps the parse: removing the assignment
  // leaves 300 ms. So only the values step can take `stoi` out.
  TempDir d;
  auto input = d.write("case.cpp", src);
  auto r = runners::run(reduce_spec({"--oracle", "delayed-exit", "--min-delay", "0.5", "-j", "2", "--passes",
                                     "statements,values", input.string()}));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::string min = slurp(d.path / "case.min.cpp");
  CHECK(min.find("stoi") == std::string::npos);
  CHECK(min.find("i < 4") != std::string::npos);
  CHECK(r.err.find("confirmed: reproduced 10/10") != std::string::npos);
}

TEST_CASE("reduce: a race stays a race (the result that hangs every time is stepped back from)") {
  // Hangs about half the runs (a clock's parity decides whether the wakeup is
  // lost) and ends cleanly in the rest. Removing the `if` gives a hang in every
  // run with the same signature: another bug, which the confirmation refuses.
  const char* racy = R"(#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
std::mutex m;
std::condition_variable cv;
bool stop = false;
struct Joiner {
  std::thread t;
  ~Joiner() { t.join(); }
} joiner;
int main() {
  bool lose_wakeup = std::chrono::steady_clock::now().time_since_epoch().count() / 1000 % 2 == 0;
  joiner.t = std::thread([] { std::unique_lock<std::mutex> l(m); cv.wait(l, [] { return stop; }); });
  if (!lose_wakeup) {
    { std::lock_guard<std::mutex> l(m); stop = true; }
    cv.notify_all();
  }
}
)";
  TempDir d;
  auto input = d.write("case.cpp", racy);
  // 10 calibration runs: both outcomes show (but for 2 chances in 1,000).
  auto r = runners::run(reduce_spec({"--hang-after", "0.3", "--runs", "10", "--min-hits", "1", "-j", "2",
                                     "--passes", "statements", input.string()}));
  INFO(r.err);
  std::string min = slurp(d.path / "case.min.cpp");
  CHECK(min.find("notify_all") != std::string::npos);
  CHECK(min.find("lose_wakeup") != std::string::npos);
  CHECK(r.err.find("(a race): stepping back to the newest earlier result that does both") != std::string::npos);
  CHECK(r.err.find("stepped back ") != std::string::npos);
  // The exit status also weighs the rate (1 when clearly below the original's), which two samples of a
  // coin flip can miss by chance; the race is what this checks.
  CHECK((r.exit_code == 0 || r.err.find("reproduces less often") != std::string::npos));
}

TEST_CASE("reduce --resume: a start that hangs only when main outruns a thread is not resumed from") {
  // The same signature as kCase, but it hangs only when the thread waits
  // before the exit: not when the thread starts 50 ms late. The one pass is
  // a cheap one (what is checked is where the reduction starts from).
  const char* racy = test::kHangsIfThreadWaitsFirst;
  std::string deterministic = kCase;
  deterministic = deterministic.substr(0, deterministic.find("int main()")) + "int main() {}\n";
  TempDir d;
  auto input = d.write("case.cpp", kCase);
  auto resume = [&] {
    return runners::run(reduce_spec({"--hang-after", "0.5", "-j", "2", "--passes", "params", "--resume",
                                     input.string()}));
  };
  d.write("case.min.cpp", racy);
  auto r = resume();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("does not reproduce (perturbed: ended (exit 0)") != std::string::npos);
  CHECK(r.err.find("starting from the input") != std::string::npos);
  d.write("case.min.cpp", deterministic);
  auto again = resume();
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("resuming from") != std::string::npos);
}

TEST_CASE("reduce: the calibration leaves out the perturbation the original does not survive") {
  // Hangs only when the thread waits before the exit: not when it starts 50 ms
  // late, but still when its creator or the exit goes on 50 ms late. The
  // calibration's perturbed runs go at once; each note must name its own.
  TempDir d;
  auto input = d.write("case.cpp", test::kHangsIfThreadWaitsFirst);
  auto r = runners::run(reduce_spec({"--hang-after", "0.3", "-j", "2", "--passes", "params", input.string()}));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("note: the original does not reproduce when threads start 50 ms late (ended (exit 0)") !=
        std::string::npos);
  CHECK(r.err.find("when threads' creators go on") == std::string::npos);
  CHECK(r.err.find("when the exit begins") == std::string::npos);
}

TEST_CASE("reduce: a case that does not reproduce is refused with exit 2") {
  TempDir d;
  auto input = d.write("ok.cpp", "int main() { return 0; }\n");
  auto r = runners::run(reduce_spec({"--hang-after", "0.3", input.string()}));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not reproduce") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(d.path / "ok.min.cpp"));
}

TEST_CASE("reduce: Ctrl-C while the original is checked says nothing was written, exits 130") {
  TempDir d;
  auto input = d.write("case.cpp", kCase);
  bool sent = false;
  auto r = runners::run(reduce_spec({"--hang-after", "0.5", "-j", "2", input.string()}),
                        [&](pid_t pid, runners::Clock::time_point start) {
                          // The calibration's three runs of 0.5 s and more have not ended by then.
                          if (!sent && runners::Clock::now() - start > std::chrono::milliseconds(1000))
                            sent = kill(pid, SIGINT) == 0;
                          return false;
                        });
  REQUIRE(sent);
  CHECK(r.exit_code == 130);
  CHECK(r.err.find("reduce: interrupted while checking the original; nothing written") != std::string::npos);
  CHECK(r.wall_s < 4);
  CHECK_FALSE(std::filesystem::exists(d.path / "case.min.cpp"));
  CHECK(minrepro::test::count_tagged(runners::session_env()) == 0);
}

TEST_CASE("reduce: Ctrl-C keeps the best so far, exits 130; kill -9 leaves nothing running") {
  for (int sig : {SIGINT, SIGKILL}) {
    TempDir d;
    auto input = d.write("case.cpp", kCase);
    auto out = d.path / "case.min.cpp";
    bool sent = false;
    double sent_at = 0;
    int left_after_kill = -1;
    auto r = runners::run(reduce_spec({"--hang-after", "0.5", "-j", "2", input.string()}),
                          [&](pid_t pid, runners::Clock::time_point start) {
                            // Once the reduction has begun (the output is written after the
                            // calibration, which a loaded machine can stretch past 6 s).
                            if (sent || runners::Clock::now() - start < std::chrono::seconds(6) ||
                                !std::filesystem::exists(out))
                              return false;
                            kill(pid, sig);
                            sent = true;
                            sent_at = std::chrono::duration<double>(runners::Clock::now() - start).count();
                            if (sig == SIGKILL) {
                              // Before our runner cleans up: the reducer's guardian must have
                              // killed its candidates and compilers by itself.
                              for (int i = 0; i < 60 && left_after_kill != 0; ++i) {
                                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                                left_after_kill = minrepro::test::count_tagged(runners::session_env());
                              }
                            }
                            return false;  // let it end on its own
                          });
    CAPTURE(sig);
    CHECK(r.exited);
    if (sig == SIGINT) {
      CHECK(r.exit_code == 130);
      CHECK(r.wall_s - sent_at < 1.5);  // stops within about a second
    } else {
      CHECK(r.signal == SIGKILL);
      CHECK(left_after_kill == 0);
    }
    CHECK(slurp(input) == kCase);
    REQUIRE(sent);
    REQUIRE(std::filesystem::exists(out));
    CHECK(slurp(out).find("join") != std::string::npos);
    CHECK(minrepro::test::count_tagged(runners::session_env()) == 0);
  }
}
