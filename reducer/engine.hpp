// The generic delta-debugging engine: given the chunks one pass proposed for
// the current text, find a 1-minimal set of chunks to keep (groups of
// counter-based delta debugging's sizes, down to single chunks), testing `jobs` candidates at once speculatively, with a verdict
// cache keyed by candidate hash. Knows nothing of C++ or processes.
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <thread>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "reducer/pass.hpp"

namespace minrepro::reducer {

// What a test is told. `abandoned` turns true when its verdict is no longer
// wanted (another candidate won meanwhile): the test may then stop early and
// return false; that verdict is not cached. `promising()` says the candidate
// will most likely turn out interesting (its first run reproduced; only the
// re-runs are left): the engine then tests the next candidates on top of it
// instead of beside it, so a run of successes does not wait for each one's
// re-runs.
struct TestContext {
  const std::atomic<bool>& abandoned;
  const std::function<void()>& promising;
};

// Must be thread-safe: called from `jobs` threads at once.
using Test = std::function<bool(const std::string& candidate, const TestContext& ctx)>;

struct PassStats {
  std::string name;
  int rounds = 0;       // times the pass ran
  int chunks = 0;       // chunks proposed, summed over rounds
  int tests = 0;        // candidates tested (cache misses)
  int cache_hits = 0;
  int accepted = 0;     // groups of chunks removed
  long bytes_removed = 0;
  long tokens_removed = 0;
  double seconds = 0;
};

// A fixed set of worker threads: candidates are tested on long-lived threads so
// per-thread state (libclang parsers with their preambles) is reused.
class ThreadPool {
 public:
  explicit ThreadPool(int n);
  ~ThreadPool();
  // Queues a task; returns at once.
  void submit(std::function<void()> task);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

class Engine {
 public:
  Engine(Test test, int jobs);
  Engine(std::function<bool(const std::string&)> test, int jobs);
  // Returns the smallest interesting text reachable by applying chunks;
  // `on_improve` sees every accepted text (to write it out at once).
  std::string reduce(const std::string& text, const std::vector<Chunk>& chunks, PassStats& stats,
                     const std::function<void(const std::string&)>& on_improve);
  // Makes reduce() return as soon as possible with the best so far.
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  int jobs() const { return jobs_; }
  long total_tests() const { return total_tests_; }
  long total_cache_hits() const { return total_hits_; }

 private:
  // From a worker to the engine's thread: a test finished, or said it is promising.
  struct Event {
    long launch;
    bool finished;
    std::string key;
    bool interesting = false;
    bool abandoned = false;  // stopped because it was stale: not a verdict
  };
  void post(Event e);
  // Waits for one event; a finished test's verdict is cached and counted.
  Event wait_event(PassStats& stats);

  Test test_;
  int jobs_;
  ThreadPool pool_;
  std::atomic<bool> stopped_{false};
  std::mutex cache_mu_;
  std::unordered_map<std::string, bool> cache_;
  std::atomic<long> total_tests_{0}, total_hits_{0};
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  std::deque<Event> done_;
  int inflight_ = 0;     // engine thread only
  long launches_ = 0;    // engine thread only
  std::atomic<long> abandoned_{0};

 public:
  long total_abandoned() const { return abandoned_; }
};

}  // namespace minrepro::reducer
