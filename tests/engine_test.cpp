// The delta-debugging engine with synthetic predicates: known 1-minimal answers.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
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
  Test test = [&](const std::string& s, const std::atomic<bool>& abandoned) {
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

TEST_CASE("apply_chunks drops nested and overlapping edits") {
  std::string t = "0123456789";
  Chunk outer{{2, 8, ""}}, inner{{3, 4, "X"}}, overlap{{7, 9, ""}}, insert{{0, 0, "<"}};
  CHECK(apply_chunks(t, {&outer, &inner}) == "0189");
  CHECK(apply_chunks(t, {&inner}) == "012X456789");
  CHECK(apply_chunks(t, {&outer, &overlap}) == "0189");
  CHECK(apply_chunks(t, {&insert, &inner}) == "<012X456789");
}
