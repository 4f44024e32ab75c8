#include "reducer/engine.hpp"

#include <algorithm>
#include <chrono>
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
        std::lock_guard l(mu_);
        if (--pending_ == 0) done_cv_.notify_all();
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

void ThreadPool::run_all(std::vector<std::function<void()>> tasks) {
  std::unique_lock l(mu_);
  pending_ += static_cast<int>(tasks.size());
  for (auto& t : tasks) queue_.push_back(std::move(t));
  cv_.notify_all();
  done_cv_.wait(l, [this] { return pending_ == 0; });
}

Engine::Engine(Test test, int jobs)
    : test_(std::move(test)), jobs_(std::max(1, jobs)), pool_(std::max(1, jobs)) {}

std::vector<char> Engine::test_batch(const std::vector<std::string>& candidates, PassStats& stats) {
  std::vector<char> result(candidates.size(), 0);
  std::vector<size_t> todo;
  std::vector<std::string> keys(candidates.size());
  {
    std::lock_guard l(cache_mu_);
    for (size_t i = 0; i < candidates.size(); ++i) {
      keys[i] = oracle::content_hash(candidates[i]);
      if (auto it = cache_.find(keys[i]); it != cache_.end()) {
        result[i] = it->second;
        ++stats.cache_hits;
        ++total_hits_;
      } else {
        todo.push_back(i);
      }
    }
  }
  std::vector<std::function<void()>> tasks;
  for (size_t i : todo) tasks.push_back([&, i] { result[i] = !stopped_ && test_(candidates[i]); });
  pool_.run_all(std::move(tasks));
  std::lock_guard l(cache_mu_);
  for (size_t i : todo) {
    if (!stopped_) cache_[keys[i]] = result[i];
    ++stats.tests;
    ++total_tests_;
  }
  return result;
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
    for (size_t g = 0; g < groups.size() && !stopped_;) {
      // Speculative batch: the next `jobs` groups, each tested against the current best.
      std::vector<size_t> idx;
      std::vector<std::string> cands;
      for (size_t k = g; k < groups.size() && idx.size() < size_t(jobs_); ++k) {
        std::string c = with(groups[k]);
        if (c == best) continue;  // no-op chunks
        idx.push_back(k);
        cands.push_back(std::move(c));
      }
      if (idx.empty()) break;
      auto ok = test_batch(cands, stats);
      size_t next = idx.back() + 1;
      for (size_t j = 0; j < idx.size(); ++j) {
        if (!ok[j]) continue;
        // The first success in order wins; later ones were tested without it and are retried.
        gone[idx[j]] = 1;
        for (size_t i : groups[idx[j]]) applied.push_back(&chunks[i]);
        best = std::move(cands[j]);
        ++stats.accepted;
        on_improve(best);
        next = idx[j] + 1;
        break;
      }
      g = next;
    }
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
