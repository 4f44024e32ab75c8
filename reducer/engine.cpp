#include "reducer/engine.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "oracle/build.hpp"

namespace minrepro::reducer {

ThreadPool::ThreadPool(int n) {
  for (int i = 0; i < n; ++i)
    threads_.emplace_back([this] {
      for (;;) {
        std::function<void()> task;
        {
          std::unique_lock l(mu_);
          cv_.wait(l, [this] { return quit_ || !queue_.empty(); });
          if (quit_ && queue_.empty()) return;
          task = std::move(queue_.front());
          queue_.pop_front();
        }
        task();
      }
    });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard l(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard l(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

Engine::Engine(Test test, int jobs)
    : test_(std::move(test)), jobs_(std::max(1, jobs)), pool_(std::max(1, jobs)) {}

Engine::Engine(std::function<bool(const std::string&)> test, int jobs)
    : Engine([t = std::move(test)](const std::string& c, const std::atomic<bool>&) { return t(c); }, jobs) {}

Engine::Done Engine::wait_one(PassStats& stats) {
  std::unique_lock l(done_mu_);
  done_cv_.wait(l, [this] { return !done_.empty(); });
  Done d = std::move(done_.front());
  done_.pop_front();
  l.unlock();
  --inflight_;
  ++stats.tests;
  ++total_tests_;
  if (d.abandoned) ++abandoned_;
  if (!stopped_ && !d.abandoned) {
    std::lock_guard c(cache_mu_);
    cache_[d.key] = d.interesting;
  }
  return d;
}

std::string Engine::reduce(const std::string& text, const std::vector<Chunk>& chunks, PassStats& stats,
                           const std::function<void(const std::string&)>& on_improve) {
  auto start = std::chrono::steady_clock::now();
  std::vector<size_t> remaining(chunks.size());
  for (size_t i = 0; i < chunks.size(); ++i) remaining[i] = i;
  std::vector<const Chunk*> applied;
  std::string best = text;
  auto with = [&](const std::vector<size_t>& group) {
    std::vector<const Chunk*> set = applied;
    for (size_t i : group) set.push_back(&chunks[i]);
    return apply_chunks(text, set);
  };

  // Largest groups first: the whole list, then halves, quarters, ... single chunks.
  for (size_t size = remaining.size(); size >= 1 && !remaining.empty() && !stopped_;
       size = size == 1 ? 0 : (size + 1) / 2) {
    size = std::min(size, remaining.size());
    std::vector<std::vector<size_t>> groups;
    for (size_t i = 0; i < remaining.size(); i += size)
      groups.emplace_back(remaining.begin() + i, remaining.begin() + std::min(remaining.size(), i + size));
    std::vector<char> gone(groups.size(), 0);
    // Pipelined speculation: `jobs` groups in flight, each tested against the
    // current best; results are consumed in group order, so the first success
    // wins exactly as in a sequential scan. After a success the groups tested
    // against the old text are stale: those still running are told to stop
    // (their verdicts are not cached); those already done still fill the cache.
    int generation = 0;
    // Raised when a success makes the tests in flight stale: they stop at once.
    auto stale = std::make_shared<std::atomic<bool>>(false);
    std::map<size_t, bool> results;           // group -> verdict, current generation
    std::map<size_t, std::string> candidate;  // group -> text under test
    size_t g = 0, next = 0;
    auto launch = [&](size_t k) {
      std::string c = with(groups[k]);
      if (c == best) return void(results[k] = false);  // no-op chunks
      std::string key = oracle::content_hash(c);
      {
        std::lock_guard l(cache_mu_);
        if (auto it = cache_.find(key); it != cache_.end()) {
          ++stats.cache_hits;
          ++total_hits_;
          results[k] = it->second;
          if (it->second) candidate[k] = std::move(c);
          return;
        }
      }
      ++inflight_;
      candidate[k] = c;
      pool_.submit([this, k, generation, stale, c = std::move(c), key = std::move(key)] {
        bool ok = !stopped_ && !*stale && test_(c, *stale);
        bool abandoned = !ok && *stale;
        {
          std::lock_guard l(done_mu_);
          done_.push_back({k, generation, key, ok, abandoned});
        }
        done_cv_.notify_one();
      });
    };
    while (g < groups.size() && !stopped_) {
      while (inflight_ < jobs_ && next < groups.size()) launch(next++);
      auto it = results.find(g);
      if (it == results.end()) {
        Done d = wait_one(stats);
        if (d.generation == generation) results[d.group] = d.interesting;
        continue;
      }
      if (it->second) {
        gone[g] = 1;
        for (size_t i : groups[g]) applied.push_back(&chunks[i]);
        best = std::move(candidate[g]);
        ++stats.accepted;
        on_improve(best);
        ++generation;
        stale->store(true);
        stale = std::make_shared<std::atomic<bool>>(false);
        results.clear();
        candidate.clear();
        next = g + 1;
      }
      ++g;
    }
    while (inflight_ > 0) wait_one(stats);
    std::vector<size_t> keep;
    for (size_t k = 0; k < groups.size(); ++k)
      if (!gone[k]) keep.insert(keep.end(), groups[k].begin(), groups[k].end());
    remaining = keep;
    if (size == 1) break;
  }
  stats.chunks += static_cast<int>(chunks.size());
  stats.bytes_removed += static_cast<long>(text.size()) - static_cast<long>(best.size());
  stats.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return best;
}

}  // namespace minrepro::reducer
