// The symptom oracles on small real programs, compiled and run for real.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "helpers.hpp"
#include "oracle/build.hpp"
#include "oracle/oracle.hpp"

using namespace minrepro::oracle;

namespace {

Config short_config(Kind kind) {
  Config c;
  c.oracle.kind = kind;
  c.oracle.hang_after = 0.6;
  c.oracle.min_delay = 0.5;
  c.oracle.timeout = 3.0;
  return c;
}

// One oracle per configuration for the whole suite, as a reduction has: a
// program checked again is not built again.
Verdict check(const Config& c, const std::string& src, CheckOptions opts = {}) {
  static std::vector<std::pair<Config, std::unique_ptr<Oracle>>> oracles;
  auto it = std::find_if(oracles.begin(), oracles.end(), [&](auto& e) { return e.first == c; });
  if (it == oracles.end()) {
    auto o = Oracle::create(c, "case.cpp");
    REQUIRE_MESSAGE(o.ok(), (o.ok() ? "" : o.error().message));
    oracles.emplace_back(c, std::move(*o));
    it = std::prev(oracles.end());
  }
  return it->second->check(src, opts);
}

bool reproduces(Kind kind, const std::string& src) { return check(short_config(kind), src).reproduced; }

const char* kGlobalJoin = R"(
#include <condition_variable>
#include <mutex>
#include <thread>
struct Worker {
  std::mutex m;
  std::condition_variable cv;
  bool stop = false;
  std::thread t{[this] { std::unique_lock<std::mutex> l(m); cv.wait(l, [this] { return stop; }); }};
  ~Worker() { t.join(); }  // nobody sets `stop` or notifies: the worker never wakes
} worker;
int main() { return 0; }
)";

const char* kAtexitSleep = R"(
#include <chrono>
#include <cstdlib>
#include <thread>
int main() {
  std::atexit([] { std::this_thread::sleep_for(std::chrono::milliseconds(800)); });
  return 0;
}
)";

const char* kClean = "#include <cstdio>\nint main() { std::puts(\"bye\"); return 0; }\n";
const char* kSpin = "int main() { volatile bool spin = true; while (spin) {} return 0; }\n";
const char* kNullDeref = "int main() { volatile int* p = nullptr; *p = 1; return 0; }\n";

const char* kLocalJoin = R"(
#include <future>
#include <thread>
struct Session {
  std::promise<void> done;
  std::thread t{[f = done.get_future()]() mutable { f.wait(); }};
  ~Session() { t.join(); }  // joins before `done` is destroyed: never fulfilled
};
int main() {
  Session s;
  return 0;
}
)";

const char* kReturnBlocks = R"(
#include <future>
int f() { std::promise<int> p; return p.get_future().get(); }
int main() { return f(); }
)";

const char* kExitFromWorker = R"(
#include <cstdlib>
#include <mutex>
#include <thread>
#include <unistd.h>
std::mutex m;
struct Flusher { ~Flusher() { std::lock_guard<std::mutex> l(m); } } flusher;
int main() {
  std::lock_guard<std::mutex> l(m);
  std::thread([] { std::exit(1); }).detach();
  for (;;) pause();
}
)";

const char* kHalfTheTime = R"(
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
std::mutex m;
std::condition_variable cv;
bool stop = false;
struct Joiner {
  std::thread t;
  ~Joiner() { if (t.joinable()) t.join(); }
} joiner;
int main() {
  auto seed = std::chrono::steady_clock::now().time_since_epoch().count();
  bool lose_wakeup = (seed / 1000) % 2 == 0;
  joiner.t = std::thread([] { std::unique_lock<std::mutex> l(m); cv.wait(l, [] { return stop; }); });
  if (!lose_wakeup) {
    { std::lock_guard<std::mutex> l(m); stop = true; }
    cv.notify_all();
  }
  return 0;
}
)";

}  // namespace

TEST_CASE("global destructor joining a thread that waits forever: early exit-hang verdict") {
  Config c = short_config(Kind::ExitHang);
  c.oracle.hang_after = 2.0;
  auto v = check(c, kGlobalJoin);
  INFO(v.why);
  REQUIRE(v.built);
  CHECK(v.reproduced);
  REQUIRE(v.evidence.size() == 1);
  auto& ev = v.evidence[0];
  CHECK(ev.early);
  REQUIRE(ev.exit_began);
  CHECK(ev.run.wall_s - *ev.exit_began < 0.5);
  CHECK(ev.signature.phase == "exit-handlers");
  CHECK(ev.signature.primitive == "join");
  CHECK(ev.signature.others == "blocked");
  CHECK(reproduces(Kind::Hang, kGlobalJoin));
}

TEST_CASE("atexit handler sleeping 0.8 s: delayed-exit yes, exit-hang no, no early verdict") {
  auto d = check(short_config(Kind::DelayedExit), kAtexitSleep);
  CHECK(d.reproduced);
  CHECK(d.signature.primitive == "sleep");
  Config c = short_config(Kind::ExitHang);
  c.oracle.hang_after = 1.0;  // the default: longer than the 0.8 s delay
  auto h = check(c, kAtexitSleep);
  CHECK_FALSE(h.reproduced);
  REQUIRE(h.evidence.size() == 1);
  CHECK_FALSE(h.evidence[0].early);
  CHECK(h.evidence[0].ended);
}

TEST_CASE("a thread asleep past the verdict counts as waiting: early verdict; a loop of short sleeps does not") {
  Config c = short_config(Kind::ExitHang);  // hang_after 0.6 s
  auto v = check(c, R"(
#include <chrono>
#include <thread>
struct Worker {
  std::thread t{[] { std::this_thread::sleep_for(std::chrono::seconds(5)); }};
  ~Worker() { t.join(); }
} worker;
int main() {}
)");
  INFO(v.why);
  CHECK(v.reproduced);
  REQUIRE(v.evidence.size() == 1);
  auto& ev = v.evidence[0];
  CHECK(ev.early);
  CHECK(ev.why.find("asleep past the verdict") != std::string::npos);
  REQUIRE(ev.exit_began);
  CHECK(ev.run.wall_s - *ev.exit_began < 0.5);
  CHECK(ev.signature.primitive == "join");
  CHECK(ev.signature.others == "sleeping");
  // Each 100 ms sleep may be the last: only the verdict at hang_after says.
  auto loop = check(c, R"(
#include <atomic>
#include <chrono>
#include <thread>
std::atomic<bool> stop{false};
struct Worker {
  std::thread t{[] { while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100)); }};
  ~Worker() { t.join(); }
} worker;
int main() {}
)");
  INFO(loop.why);
  CHECK(loop.reproduced);
  REQUIRE(loop.evidence.size() == 1);
  CHECK_FALSE(loop.evidence[0].early);
  REQUIRE(loop.evidence[0].exit_began);
  CHECK(loop.evidence[0].run.wall_s - *loop.evidence[0].exit_began >= 0.6);
}

TEST_CASE("a check's min_delay override: the same 0.8 s delay passes 0.5 s and fails 1.2 s") {
  Config c = short_config(Kind::DelayedExit);
  c.oracle.min_delay = 0.5;
  CheckOptions strict;
  strict.min_delay = 1.2;  // what reduce asks while reducing, to keep a margin over min_delay
  CHECK(check(c, kAtexitSleep).reproduced);
  auto v = check(c, kAtexitSleep, strict);
  CHECK_FALSE(v.reproduced);
  REQUIRE(v.evidence.size() == 1);
  CHECK(v.evidence[0].why.find("under min_delay") != std::string::npos);
}

TEST_CASE("a delayed exit's begin timeout: a main that never returns is given up on then, not at the timeout") {
  Config c = short_config(Kind::DelayedExit);
  auto o = Oracle::create(c, "case.cpp");
  REQUIRE(o.ok());
  (*o)->tighten_begin_timeout(0.5);
  auto v = (*o)->check(kSpin);
  CHECK_FALSE(v.reproduced);
  REQUIRE(v.evidence.size() == 1);
  CHECK(v.evidence[0].why.find("exit did not begin within the 0.500 s") != std::string::npos);
  CHECK(v.evidence[0].run.wall_s < 2.0);  // the timeout is 3 s
  // The delay itself still gets the whole timeout: 0.8 s after exit began.
  CHECK((*o)->check(kAtexitSleep).reproduced);
}

TEST_CASE("a candidate that crashes libclang is rejected, and the process lives on") {
  for (int i = 0; i < 2; ++i) {
    auto v = check(short_config(Kind::ExitHang), minrepro::test::kCrashesLibclang);
    CHECK_FALSE(v.reproduced);
    CHECK(v.why.find("libclang crashed") != std::string::npos);
  }
  CHECK(reproduces(Kind::ExitHang, kGlobalJoin));  // the same thread's parser still works
}

TEST_CASE("the precheck: a removed return or a removed main() never reaches the compiler") {
  Config c = short_config(Kind::ExitHang);
  auto o = Oracle::create(c, "case.cpp");
  REQUIRE(o.ok());
  Oracle& oracle = **o;
  std::string helper = "int count(int n) { return n + 1; }\n";
  REQUIRE(oracle.enable_precheck(kGlobalJoin + helper));
  auto no_return = oracle.check(std::string(kGlobalJoin) + "int count(int n) { if (n) return 1; }\n");
  CHECK_FALSE(no_return.reproduced);
  CHECK(no_return.why.find("(libclang)") != std::string::npos);
  CHECK(no_return.why.find("return") != std::string::npos);
  std::string without_main = kGlobalJoin;
  without_main.erase(without_main.find("int main()"));
  auto no_main = oracle.check(without_main);
  CHECK(no_main.why == "does not link: no main()");
  CHECK(oracle.stats().builds == 0);
  CHECK(oracle.stats().precheck_rejects == 2);
  CHECK(oracle.check(kGlobalJoin + helper).reproduced);
  CHECK(oracle.stats().builds == 1);
  // No main() in the original (a test driver's, say): none is required.
  REQUIRE(oracle.enable_precheck(without_main));
  CHECK(oracle.check(without_main).why.find("main") != std::string::npos);  // the linker's complaint
  CHECK(oracle.stats().builds == 2);
}

TEST_CASE("the precheck's strict flags: a warning the build would be rejected for, unless the original has it") {
  auto o = Oracle::create(short_config(Kind::ExitHang), "case.cpp");
  REQUIRE(o.ok());
  Oracle& oracle = **o;
  std::string used = std::string(kGlobalJoin) + "int g(int x) { return x + 1; }\n";
  std::string unused = std::string(kGlobalJoin) + "int g(int x) { x + 1; return x; }\n";
  REQUIRE(oracle.enable_precheck(used, {"-Werror=unused-value"}));
  auto v = oracle.check(unused);
  CHECK(v.why.find("(libclang)") != std::string::npos);
  CHECK(v.why.find("unused") != std::string::npos);
  CHECK(oracle.stats().builds == 0);
  // The original has the warning itself: the flag is dropped, the precheck stays.
  REQUIRE(oracle.enable_precheck(unused, {"-Werror=unused-value"}));
  CHECK(oracle.check(unused).reproduced);
  CHECK(oracle.stats().builds == 1);
}

TEST_CASE("a clean exit reproduces under no oracle") {
  for (Kind k : {Kind::ExitHang, Kind::DelayedExit, Kind::Hang, Kind::Crash}) {
    auto v = check(short_config(k), kClean);
    CHECK(v.built);
    CHECK_FALSE(v.reproduced);
  }
}

TEST_CASE("the uninitialized-read guard: stack memory reads as the pattern only while it is on") {
  // Hangs at exit exactly when an uninitialized local holds 0xFE bytes.
  const char* src = R"(
#include <cstring>
#include <thread>
struct Holder { std::thread t; ~Holder() { if (t.joinable()) t.join(); } };
__attribute__((noinline)) bool patterned() {
  unsigned char raw[16];
  unsigned char fe[16];
  std::memset(fe, 0xFE, sizeof fe);
  return std::memcmp(raw, fe, sizeof raw) == 0;
}
int main() {
  static Holder h;
  if (patterned()) h.t = std::thread([] { for (;;) std::this_thread::sleep_for(std::chrono::seconds(1)); });
}
)";
  auto o = Oracle::create(short_config(Kind::ExitHang), "case.cpp");
  REQUIRE(o.ok());
  REQUIRE((*o)->set_uninit_guard(true));  // g++ 12 takes -ftrivial-auto-var-init
  auto on = (*o)->check(src);
  CHECK(on.reproduced);
  CHECK(on.build.command.find("-ftrivial-auto-var-init=pattern") != std::string::npos);
  CHECK_FALSE((*o)->set_uninit_guard(false));
  auto off = (*o)->check(src);  // the same text: not the guarded build from the cache
  CHECK_FALSE(off.reproduced);
  CHECK(off.build.command.find("-ftrivial-auto-var-init") == std::string::npos);
}

TEST_CASE("for(;;) in main: hang yes, exit-hang no") {
  CHECK(reproduces(Kind::Hang, kSpin));
  auto v = check(short_config(Kind::ExitHang), kSpin);
  CHECK_FALSE(v.reproduced);
  CHECK(v.why.find("exit did not begin") != std::string::npos);
}

TEST_CASE("a null dereference is a crash, of the right signal") {
  Config c = short_config(Kind::Crash);
  CHECK(check(c, kNullDeref).reproduced);
  c.oracle.signal = 11;
  CHECK(check(c, kNullDeref).reproduced);
  c.oracle.signal = 6;
  CHECK_FALSE(check(c, kNullDeref).reproduced);
  CHECK_FALSE(reproduces(Kind::ExitHang, kNullDeref));
}

TEST_CASE("a local of main whose destructor joins: exit-hang at main-end, not at main-return") {
  auto v = check(short_config(Kind::ExitHang), kLocalJoin);
  CHECK(v.reproduced);
  CHECK(v.signature.phase == "main-locals");
  CHECK(v.signature.primitive == "join");
  Config c = short_config(Kind::ExitHang);
  c.oracle.exit_begins = ExitBegins::MainReturn;
  CHECK_FALSE(check(c, kLocalJoin).reproduced);
}

TEST_CASE("return f() where f blocks is not an exit hang") {
  auto v = check(short_config(Kind::ExitHang), kReturnBlocks);
  CHECK_FALSE(v.reproduced);
  CHECK(v.why.find("exit did not begin") != std::string::npos);
}

TEST_CASE("std::exit from a worker, then a static destructor deadlock") {
  auto v = check(short_config(Kind::ExitHang), kExitFromWorker);
  CHECK(v.reproduced);
  REQUIRE(!v.evidence.empty());
  CHECK(v.evidence[0].exit_event == "exit-called");
  CHECK(v.evidence[0].exit_tid != v.evidence[0].run.pid);
  CHECK(v.signature.primitive == "mutex");
}

TEST_CASE("a hang about half the time: k-of-n") {
  Config c = short_config(Kind::ExitHang);
  c.oracle.runs = 12;
  c.oracle.min_hits = 1;
  auto v = check(c, kHalfTheTime);
  CHECK(v.runs == 12);
  CHECK(v.hits >= 1);
  CHECK(v.hits <= 11);
  CHECK(v.reproduced);
  CheckOptions all;
  all.min_hits = 12;
  all.runs = 12;
  CHECK_FALSE(check(c, kHalfTheTime, all).reproduced);
}

TEST_CASE("clean ends: a race's other outcome is counted; a hang every time has none") {
  Config c = short_config(Kind::ExitHang);
  CheckOptions twelve;
  twelve.runs = 12;
  twelve.min_hits = 1;
  auto v = check(c, kHalfTheTime, twelve);
  CHECK(v.clean == v.runs - v.hits);  // each run that did not hang ended on its own after main returned
  CHECK(v.clean >= 1);
  CheckOptions three;
  three.runs = 3;
  three.min_hits = 1;
  auto d = check(c, kGlobalJoin, three);
  CHECK(d.hits == 3);
  CHECK(d.clean == 0);
  CHECK(check(c, kClean, three).clean == 3);
  auto before = check(c, kExitFromWorker, three);  // hangs in a static destructor: not a clean end either
  CHECK(before.clean == 0);
  CHECK(check(c, kNullDeref, three).clean == 0);  // ended before its exit began
}

TEST_CASE("code that does not compile is never reproduced, and says why") {
  auto v = check(short_config(Kind::ExitHang), "int main() { return undefined_name; }\n");
  CHECK_FALSE(v.built);
  CHECK_FALSE(v.reproduced);
  CHECK(v.why.find("undefined_name") != std::string::npos);
}

TEST_CASE("the signature guard rejects another bug") {
  auto original = check(short_config(Kind::ExitHang), kGlobalJoin);
  REQUIRE(original.reproduced);
  CheckOptions opts;
  opts.expect = &original.signature;
  auto other = check(short_config(Kind::ExitHang), kExitFromWorker, opts);
  CHECK_FALSE(other.reproduced);
  CHECK(other.why.find("another bug") != std::string::npos);
}

TEST_CASE("the signature guard: the joined thread must wait in what the original's waited in") {
  // The same join in a static destructor, but the worker now waits on a
  // future instead of a condition variable: another deadlock.
  const char* future_worker = R"(
#include <future>
#include <thread>
struct Worker {
  std::promise<void> p;
  std::thread t{[f = p.get_future()] { f.wait(); }};
  ~Worker() { t.join(); }
} worker;
int main() { return 0; }
)";
  auto original = check(short_config(Kind::ExitHang), kGlobalJoin);
  REQUIRE(original.reproduced);
  CHECK(original.signature.waits == std::vector<std::string>{"condvar"});
  CHECK(original.signature.describe() == "join in exit-handlers, other threads blocked (condvar)");
  CheckOptions opts;
  opts.expect = &original.signature;
  auto other = check(short_config(Kind::ExitHang), future_worker, opts);
  CHECK_FALSE(other.reproduced);
  CHECK(other.why.find("blocked (future)") != std::string::npos);
  CHECK(check(short_config(Kind::ExitHang), kGlobalJoin, opts).reproduced);
}

TEST_CASE("concurrent runs: all at once, the same verdicts as one after another") {
  CheckOptions opts;
  opts.runs = 4;
  opts.min_hits = 4;
  opts.stop_when_decided = true;
  opts.concurrent_runs = true;
  auto hang = check(short_config(Kind::ExitHang), kGlobalJoin, opts);
  CHECK(hang.reproduced);
  CHECK(hang.runs == 4);
  CHECK(hang.hits == 4);
  CHECK(hang.signature.primitive == "join");
  auto clean = check(short_config(Kind::ExitHang), kClean, opts);
  CHECK_FALSE(clean.reproduced);
  CHECK(clean.hits == 0);
  CHECK(clean.runs >= 1);
  CHECK(clean.why.find("ended") != std::string::npos);
  // A caller that no longer wants the verdict stops all of them.
  std::atomic<bool> abandon{true};
  opts.abandon = &abandon;
  auto gone = check(short_config(Kind::ExitHang), kGlobalJoin, opts);
  CHECK_FALSE(gone.reproduced);
  CHECK(gone.runs == 0);
}

// Hangs only when the exit begins before the thread's 20 ms sleep ends.
const char* kExitOutrunsThread = R"(
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
std::atomic<bool> ready{false};
struct AtExit {
  std::mutex m;
  std::condition_variable cv;
  ~AtExit() {
    std::unique_lock<std::mutex> l(m);
    if (!ready) cv.wait(l, [] { return false; });
  }
} at_exit;
int main() {
  std::thread([] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); ready = true; }).detach();
  return 0;
}
)";

// A lost wakeup: main waits without a predicate. It hangs at exit (the static
// destructor wants the mutex the worker keeps) only when main waits before the
// worker notifies, 20 ms in; when main goes on 50 ms late, it waits forever.
const char* kLostWakeupIfWorkerFirst = R"(
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
std::mutex held, m;
std::condition_variable cv;
struct Store { ~Store() { std::lock_guard<std::mutex> l(held); } } store;
int main() {
  std::thread([] {
    std::lock_guard<std::mutex> h(held);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::unique_lock<std::mutex> l(m);
    cv.notify_all();
    for (;;) cv.wait(l);
  }).detach();
  std::unique_lock<std::mutex> l(m);
  cv.wait(l);
}
)";

TEST_CASE("perturbed runs: a deterministic hang survives each; a race loses under one") {
  Config c = short_config(Kind::ExitHang);
  CheckOptions opts;
  opts.runs = opts.min_hits = 2;
  for (auto p : {CheckOptions::Perturb::ThreadStart, CheckOptions::Perturb::CreatorResume,
                 CheckOptions::Perturb::ExitBegin}) {
    opts.perturb = p;
    auto v = check(c, kGlobalJoin, opts);
    CHECK_MESSAGE(v.reproduced, v.why);
  }
  CHECK(check(c, minrepro::test::kHangsIfThreadWaitsFirst).reproduced);
  opts.perturb = CheckOptions::Perturb::ThreadStart;
  auto late_thread = check(c, minrepro::test::kHangsIfThreadWaitsFirst, opts);
  CHECK_FALSE(late_thread.reproduced);
  CHECK(late_thread.hits == 0);
  CHECK(late_thread.why.find("ended (exit 0)") != std::string::npos);

  CHECK(check(c, kExitOutrunsThread).reproduced);
  opts.perturb = CheckOptions::Perturb::ExitBegin;
  auto late_exit = check(c, kExitOutrunsThread, opts);
  CHECK_FALSE(late_exit.reproduced);
  CHECK(late_exit.hits == 0);
  CHECK(late_exit.why.find("ended (exit 0)") != std::string::npos);

  CHECK(check(c, kLostWakeupIfWorkerFirst).reproduced);
  opts.perturb = CheckOptions::Perturb::ThreadStart;
  CHECK(check(c, kLostWakeupIfWorkerFirst, opts).reproduced);  // what the other perturbations let through
  opts.perturb = CheckOptions::Perturb::CreatorResume;
  auto late_creator = check(c, kLostWakeupIfWorkerFirst, opts);
  CHECK_FALSE(late_creator.reproduced);
  CHECK(late_creator.hits == 0);
  CHECK_MESSAGE(late_creator.why.find("exit did not begin") != std::string::npos, late_creator.why);
}

TEST_CASE("perturbed runs at once: each run of a batch under its own perturbation") {
  Config c = short_config(Kind::ExitHang);
  CheckOptions opts;
  opts.concurrent_runs = true;
  opts.runs = opts.min_hits = 3;
  opts.perturb_each = {CheckOptions::Perturb::ThreadStart, CheckOptions::Perturb::CreatorResume,
                       CheckOptions::Perturb::ExitBegin};
  auto v = check(c, kGlobalJoin, opts);
  CHECK_MESSAGE(v.reproduced, v.why);
  CHECK(v.hits == 3);
  // The lost wakeup survives the late thread and loses under the late creator,
  // in one batch as one at a time.
  for (bool at_once : {true, false}) {
    CAPTURE(at_once);
    opts.concurrent_runs = at_once;
    opts.runs = opts.min_hits = 2;
    auto lost = check(c, kLostWakeupIfWorkerFirst, opts);
    CHECK_FALSE(lost.reproduced);
    REQUIRE(lost.evidence.size() == 2);
    CHECK_MESSAGE(lost.evidence[0].reproduced, lost.evidence[0].why);
    CHECK_MESSAGE(lost.evidence[1].why.find("exit did not begin") != std::string::npos, lost.evidence[1].why);
  }
}

// Hangs at exit; before it, main joins a thread that waits for a child
// process which left the process group and exits 500 ms in.
const char* kWaitsForSetsidChild = R"(
#include <sys/wait.h>
#include <unistd.h>
#include <condition_variable>
#include <mutex>
#include <thread>
struct Worker {
  std::mutex m;
  std::condition_variable cv;
  std::thread t{[this] { std::unique_lock<std::mutex> l(m); cv.wait(l, [] { return false; }); }};
  ~Worker() { t.join(); }
} worker;
int main() {
  pid_t child = fork();
  if (child == 0) {
    setsid();
    usleep(500000);
    _exit(0);
  }
  std::thread([child] { waitpid(child, nullptr, 0); }).join();
  return 0;
}
)";

TEST_CASE("early reject: a run whose threads all wait on futexes before its exit began is given up on") {
  Config c = short_config(Kind::ExitHang);  // timeout 3 s
  CheckOptions opts;
  opts.early_reject = true;
  auto blocked = check(c, kReturnBlocks, opts);
  CHECK_FALSE(blocked.reproduced);
  REQUIRE(blocked.evidence.size() == 1);
  CHECK(blocked.evidence[0].stalled);
  CHECK_MESSAGE(blocked.why.find("exit did not begin: every thread blocked on a futex") == 0, blocked.why);
  CHECK(blocked.evidence[0].run.wall_s < 2.5);
  auto waited = check(c, kReturnBlocks);  // without it: the whole timeout
  CHECK_FALSE(waited.evidence.at(0).stalled);
  CHECK_MESSAGE(waited.why.find("exit did not begin within the 3") == 0, waited.why);
  CHECK(waited.evidence.at(0).run.wall_s >= 3.0);
  // A thread in a timed sleep, or in waitpid for a process outside the group,
  // may still wake the others: those go on to their exit, and hang there.
  CHECK(check(c, kLostWakeupIfWorkerFirst, opts).reproduced);
  auto child = check(c, kWaitsForSetsidChild, opts);
  CHECK_MESSAGE(child.reproduced, child.why);
  // The lost wakeup under the late creator: main waits forever, given up on early.
  opts.perturb = CheckOptions::Perturb::CreatorResume;
  auto lost = check(c, kLostWakeupIfWorkerFirst, opts);
  CHECK_FALSE(lost.reproduced);
  CHECK_MESSAGE(lost.evidence.at(0).stalled, lost.why);
}

TEST_CASE("a text checked again is not parsed again (a candidate's re-runs)") {
  auto o = Oracle::create(short_config(Kind::ExitHang), "case.cpp");
  REQUIRE(o.ok());
  CHECK((*o)->check(kGlobalJoin, {}).reproduced);
  long parsed = (*o)->stats().parse_us;
  CHECK(parsed > 0);
  CHECK((*o)->check(kGlobalJoin, {}).reproduced);
  CHECK((*o)->stats().parse_us == parsed);
  CHECK_FALSE((*o)->check(kClean, {}).reproduced);
  CHECK((*o)->stats().parse_us > parsed);
}

TEST_CASE("Signature::matches: a bystander may go, a new kind of wait may not") {
  Signature original{"exit-handlers", "join", "blocked", {"condvar", "poll"}, {}};
  CHECK(original.matches(original));
  CHECK(Signature{"exit-handlers", "join", "blocked", {"condvar"}, {}}.matches(original));
  CHECK_FALSE(Signature{"exit-handlers", "join", "blocked", {"future"}, {}}.matches(original));
  CHECK_FALSE(Signature{"exit-handlers", "join", "blocked", {"condvar", "future"}, {}}.matches(original));
  CHECK_FALSE(Signature{"main-locals", "join", "blocked", {"condvar"}, {}}.matches(original));
  CHECK_FALSE(Signature{"exit-handlers", "join", "running", {"condvar"}, {}}.matches(original));
  CHECK(Signature{"exit-handlers", "sleep", "none", {}, {}}.describe() == "sleep in exit-handlers, other threads none");
  // waitpid: the waited-for processes may wait in fewer of the original's primitives, not in others.
  Signature pclose{"exit-handlers", "waitpid", "none", {}, {"read"}};
  CHECK(pclose.describe() == "waitpid in exit-handlers, other threads none; child processes in read");
  CHECK_FALSE(Signature{"exit-handlers", "waitpid", "none", {}, {"read", "sleep"}}.matches(pclose));
  CHECK_FALSE(Signature{"exit-handlers", "waitpid", "none", {}, {"sleep"}}.matches(pclose));
  CHECK_FALSE(Signature{"exit-handlers", "waitpid", "none", {}, {}}.matches(pclose));
  CHECK(Signature{"exit-handlers", "waitpid", "none", {}, {"read"}}.matches(
      Signature{"exit-handlers", "waitpid", "none", {}, {"futex", "read"}}));
}

TEST_CASE("pclose at exit: a grandchild holding the pipe is not a child that runs long, nor a race with the shell") {
  // All hang in pclose's waitpid in an atexit handler. In the first the shell
  // waits for `cat`, which waits for EOF on a pipe a backgrounded sleep keeps
  // open; in the second the shell simply runs the sleep.
  auto program = [](const std::string& command, const std::string& then = "") {
    return "#include <cstdio>\n#include <cstdlib>\n#include <unistd.h>\nFILE* f;\n"
           "int main() { f = popen(\"" + command + "\", \"r\"); char b[16]; if (!fgets(b, sizeof b, f)) return 1;\n"
           "  atexit([] { pclose(f); }); " + then + "}\n";
  };
  Config c = short_config(Kind::ExitHang);
  auto held = check(c, program("{ sleep 30 & echo ready; } | cat"));
  INFO(held.why);
  REQUIRE(held.reproduced);
  CHECK(held.signature.primitive == "waitpid");
  CHECK(held.signature.children == std::vector<std::string>{"read"});
  CheckOptions expect;
  expect.expect = &held.signature;
  auto runs_long = check(c, program("echo ready; sleep 30"), expect);
  CHECK_FALSE(runs_long.reproduced);
  CHECK(runs_long.why.find("child processes in sleep") != std::string::npos);
  CHECK(check(c, program("{ sleep 30 & echo ready; } | cat"), expect).reproduced);

  // Main reads the first of two lines and gives the shell 20 ms: the second
  // gets through, `cat` waits for EOF, and it hangs. When every write of a
  // child process comes 50 ms late, the exit closes the pipe first: `cat`
  // dies of SIGPIPE and pclose returns. Reading both lines hangs either way.
  CheckOptions late_writes;
  late_writes.perturb = CheckOptions::Perturb::ChildWrite;
  std::string race = program("{ echo one; sleep 30 & echo two; } | cat", "usleep(20000); ");
  CHECK(check(c, race).reproduced);
  auto lost = check(c, race, late_writes);
  CHECK_FALSE(lost.reproduced);
  CHECK(lost.why.find("ended") != std::string::npos);
  auto both = check(c, program("{ echo one; sleep 30 & echo two; } | cat", "fgets(b, sizeof b, f); "), late_writes);
  CHECK_MESSAGE(both.reproduced, both.why);
}

TEST_CASE("allowed_warnings: a candidate with a new kind of warning is rejected before it runs") {
  Config c = short_config(Kind::ExitHang);
  c.toolchain.flags.insert(c.toolchain.flags.end(), {"-Wall", "-Wextra"});
  std::string broken = std::string(kGlobalJoin) + "int f(int a) { return (1, a); }\n";
  std::set<std::string> allowed = {"-Wunused-parameter"};
  CheckOptions opts;
  opts.allowed_warnings = &allowed;
  Verdict v = check(c, broken, opts);
  CHECK_FALSE(v.reproduced);
  CHECK(v.runs == 0);
  CHECK(v.why.find("adds a warning") != std::string::npos);
  CHECK(v.why.find("-Wunused-value") != std::string::npos);
  allowed.insert("-Wunused-value");
  CHECK(check(c, broken, opts).reproduced);
  // Without the guard the warning does not matter.
  CHECK(check(c, broken).reproduced);
  // -Wpedantic (reduce adds it too): a zero-size array is a GNU extension that
  // a reduction must not leave behind (pipe2() then writes past it).
  c.toolchain.flags.push_back("-Wpedantic");
  Verdict zero = check(c, std::string(kGlobalJoin) + "int fds[0];\n", opts);
  CHECK_FALSE(zero.reproduced);
  CHECK(zero.why.find("-Wpedantic") != std::string::npos);
}

TEST_CASE("compile_timeout is CPU time: a compiler slow by the clock builds, one that burns CPU is stopped") {
  minrepro::test::TempDir d;
  // Compilers that are g++, except for the case: one waits 1.5 s first (a machine
  // busy with other work), the other spins. The probe builds normally.
  auto fake = [&](const std::string& name, const std::string& before) {
    auto p = d.write(name, "#!/bin/sh\ncase \"$*\" in *case.cpp*) " + before + " ;; esac\nexec g++ \"$@\"\n");
    std::filesystem::permissions(p, std::filesystem::perms::owner_all);
    Toolchain tc;
    tc.cxx = p.string();
    tc.compile_timeout = 1;
    return tc;
  };
  Builder slow(fake("slow.sh", "sleep 1.5"), d.path / "slow");
  REQUIRE(slow.prepare().ok());
  auto b = slow.build(kClean, "case.cpp");
  INFO(b.diagnostics);
  CHECK(b.ok);
  CHECK(b.seconds > 1.5);

  Builder spin(fake("spin.sh", "while :; do :; done"), d.path / "spin");
  REQUIRE(spin.prepare().ok());
  b = spin.build(kClean, "case.cpp");
  INFO(b.diagnostics);
  CHECK_FALSE(b.ok);
  CHECK(b.timed_out);
  CHECK(b.diagnostics.find("over toolchain.compile_timeout = 1 s of CPU time") != std::string::npos);
  CHECK(b.seconds < 5);
}

TEST_CASE("an abandoned build stops its compiler at once, leaves no temporary file and is not cached") {
  minrepro::test::TempDir d;
  // g++, except that it leaves a temporary file in its TMPDIR, as a killed
  // driver does, and waits 30 s first while the file `hold` exists.
  auto hold = d.write("hold", "");
  auto seen = d.path / "tmpdir";
  auto p = d.write("wait.sh", "#!/bin/sh\ncase \"$*\" in *case.cpp*) echo \"$TMPDIR\" > '" + seen.string() +
                                  "'; touch \"${TMPDIR:-/nonexistent}/ccFAKE.o\"; [ -e '" + hold.string() +
                                  "' ] && sleep 30 ;; esac\nexec g++ \"$@\"\n");
  std::filesystem::permissions(p, std::filesystem::perms::owner_all);
  Toolchain tc;
  tc.cxx = p.string();
  Builder b(tc, d.path / "w");
  REQUIRE(b.prepare().ok());
  std::atomic<bool> abandon{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    abandon = true;
  });
  auto r = b.build(kClean, "case.cpp", &abandon);
  stopper.join();
  CHECK(r.abandoned);
  CHECK_FALSE(r.ok);
  CHECK(r.seconds < 5);
  std::string tmpdir = minrepro::test::slurp(seen);
  while (!tmpdir.empty() && tmpdir.back() == '\n') tmpdir.pop_back();
  CHECK(tmpdir.rfind((d.path / "w" / "bin").string(), 0) == 0);  // the build's own directory
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(tmpdir) / "ccFAKE.o"));
  std::filesystem::remove(hold);
  auto again = b.build(kClean, "case.cpp");
  INFO(again.diagnostics);
  CHECK(again.ok);
  CHECK_FALSE(again.cached);
}
