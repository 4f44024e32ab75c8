// The delta-debugging engine with synthetic predicates: known 1-minimal answers.
#include <doctest/doctest.h>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "reducer/engine.hpp"

using namespace minrepro::reducer;

namespace {

// The text "abcdefghij"; chunk i removes character i.
std::vector<Chunk> char_chunks(const std::string& text) {
  std::vector<Chunk> out;
  for (unsigned i = 0; i < text.size(); ++i) out.push_back({{i, i + 1, ""}});
  return out;
}

std::string run_engine(const std::string& text, std::function<bool(const std::string&)> test, int jobs,
                       PassStats* stats_out = nullptr) {
  Engine engine(std::move(test), jobs);
  PassStats stats;
  std::string improved;
  auto out = engine.reduce(text, char_chunks(text), stats, [&](const std::string& t) { improved = t; });
  CHECK(improved == (out == text ? std::string() : out));
  if (stats_out) *stats_out = stats;
  return out;
}

bool has_all(const std::string& s, const std::string& chars) {
  for (char c : chars)
    if (s.find(c) == std::string::npos) return false;
  return true;
}

}  // namespace

TEST_CASE("monotone predicate: exactly the needed elements remain") {
  for (int jobs : {1, 2, 4}) {
    auto out = run_engine("abcdefghij", [](const std::string& s) { return has_all(s, "cfh"); }, jobs);
    CHECK(out == "cfh");
  }
}

TEST_CASE("-j 2 finds as small a result as -j 1") {
  auto pred = [](const std::string& s) { return has_all(s, "bi") && s.size() % 2 == 0; };
  auto one = run_engine("abcdefghijkl", pred, 1);
  auto two = run_engine("abcdefghijkl", pred, 2);
  CHECK(one.size() == two.size());
  CHECK(has_all(one, "bi"));
}

TEST_CASE("non-monotone predicate: the result is 1-minimal") {
  // Interesting when it holds 'a' and an even number of letters.
  auto pred = [](const std::string& s) { return s.find('a') != std::string::npos && s.size() % 2 == 0; };
  auto out = run_engine("abcdefgh", pred, 2);
  REQUIRE(pred(out));
  for (size_t i = 0; i < out.size(); ++i) {
    std::string less = out;
    less.erase(i, 1);
    CHECK_FALSE(pred(less));
  }
}

TEST_CASE("nothing removable: the text comes back unchanged") {
  auto out = run_engine("abc", [](const std::string& s) { return s == "abc"; }, 2);
  CHECK(out == "abc");
}

TEST_CASE("the verdict cache answers repeated candidates") {
  std::atomic<int> calls{0};
  Engine engine([&](const std::string& s) { ++calls; return has_all(s, "a"); }, 1);
  PassStats stats;
  engine.reduce("abcd", char_chunks("abcd"), stats, [](const std::string&) {});
  int first = calls;
  PassStats again;
  engine.reduce("abcd", char_chunks("abcd"), again, [](const std::string&) {});
  CHECK(calls == first);  // all answered from the cache
  CHECK(again.cache_hits > 0);
  CHECK(again.tests == 0);
}

TEST_CASE("a success stops the stale tests in flight") {
  // Interesting when 'c' stays. With 2 jobs a slow candidate runs beside each
  // winner; it is told to stop (and does) when the winner is accepted.
  std::atomic<int> stopped_early{0};
  Test test = [&](const std::string& s, const TestContext& ctx) {
    const std::atomic<bool>& abandoned = ctx.abandoned;
    bool ok = s.find('c') != std::string::npos;
    if (ok) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // both tests are running by now
    else
      for (int i = 0; i < 200; ++i) {  // a slow rejection: up to 2 s
        if (abandoned) {
          ++stopped_early;
          return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    return ok;
  };
  Engine engine(test, 2);
  PassStats stats;
  std::string text = "abcdef";
  auto out = engine.reduce(text, char_chunks(text), stats, [](const std::string&) {});
  CHECK(out == "c");
  CHECK(stopped_early > 0);
  CHECK(engine.total_abandoned() == stopped_early);
}

namespace {

// A test that says every candidate it will accept is promising first, then
// takes `accept_ms` (the re-runs); rejections are quick. Records what ran.
struct PromisingTest {
  std::function<bool(const std::string&)> pred;
  int accept_ms = 20;
  std::mutex mu;
  std::vector<std::string> tested;
  std::set<std::string> pending;  // said promising, not finished
  int on_top = 0;                 // tests started with a pending candidate's edits already applied

  Test test() {
    return [this](const std::string& s, const TestContext& ctx) {
      bool ok = pred(s);
      {
        std::lock_guard l(mu);
        tested.push_back(s);
        for (auto& p : pending)
          if (s.size() < p.size() && std::includes(p.begin(), p.end(), s.begin(), s.end())) ++on_top;
      }
      if (!ok) return false;
      {
        std::lock_guard l(mu);
        pending.insert(s);
      }
      ctx.promising();
      for (int i = 0; i < accept_ms && !ctx.abandoned; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      std::lock_guard l(mu);
      pending.erase(s);
      return true;
    };
  }
};

// A pseudo-random, non-monotone predicate: whether the text hashes into `keep` of 8 buckets.
std::function<bool(const std::string&)> hashed(unsigned seed, unsigned keep) {
  return [=](const std::string& s) { return (std::hash<std::string>{}(s) ^ seed) % 8 < keep || s.size() > 11; };
}

}  // namespace

TEST_CASE("a promising candidate: the next ones are tested on top of it, and the result is the sequential one") {
  // The verdicts are consumed in group order on the base a sequential scan
  // would use, so any -j gives exactly the -j 1 result, speculation or not.
  std::string text = "abcdefghijkl";  // sorted: std::includes below
  int on_top = 0;
  for (unsigned seed = 0; seed < 12; ++seed) {
    std::string want;
    for (int jobs : {1, 2, 3}) {
      PromisingTest t;
      t.pred = hashed(seed, 3);
      t.accept_ms = 5 + static_cast<int>(seed % 3) * 5;
      Engine engine(t.test(), jobs);
      PassStats stats;
      auto out = engine.reduce(text, char_chunks(text), stats, [](const std::string&) {});
      if (jobs == 1) want = out;
      CHECK_MESSAGE(out == want, "seed " << seed << ", -j " << jobs);
      if (jobs > 1) on_top += t.on_top;
    }
  }
  CHECK(on_top > 0);  // speculation happened
}

TEST_CASE("a promising candidate that then fails: the tests built on it do not count") {
  // 'c' must stay, and so must 'e': removing 'e' passes the first run (says
  // promising) and then fails. The tests built on top of it meanwhile are
  // stale; the result is the sequential one.
  Test test = [](const std::string& s, const TestContext& ctx) {
    if (s.find('c') == std::string::npos) return false;
    bool has_e = s.find('e') != std::string::npos;
    if (!has_e) ctx.promising();
    std::this_thread::sleep_for(std::chrono::milliseconds(has_e ? 5 : 30));
    return has_e;
  };
  std::string text = "abcdefgh";
  for (int jobs : {1, 2}) {
    Engine engine(test, jobs);
    PassStats stats;
    CHECK(engine.reduce(text, char_chunks(text), stats, [](const std::string&) {}) == "ce");
  }
}

TEST_CASE("apply_chunks drops nested and overlapping edits") {
  std::string t = "0123456789";
  Chunk outer{{2, 8, ""}}, inner{{3, 4, "X"}}, overlap{{7, 9, ""}}, insert{{0, 0, "<"}};
  CHECK(apply_chunks(t, {&outer, &inner}) == "0189");
  CHECK(apply_chunks(t, {&inner}) == "012X456789");
  CHECK(apply_chunks(t, {&outer, &overlap}) == "0189");
  CHECK(apply_chunks(t, {&insert, &inner}) == "<012X456789");
}
