// Progress on stderr: one live line on a terminal, plain periodic lines
// otherwise, nothing with --quiet.
#pragma once
#include <chrono>
#include <mutex>
#include <string>

namespace minrepro::reducer {

struct ProgressState {
  std::string pass;
  size_t bytes = 0, tokens = 0;
  size_t original_bytes = 0, original_tokens = 0;
  long tests = 0, cache_hits = 0;
};

class Progress {
 public:
  explicit Progress(bool quiet);
  // Redraws (terminal) or prints when enough time passed or `force`.
  void update(const ProgressState& s, bool force = false);
  // A line that stays (ends the live line first).
  void note(const std::string& line);
  void finish();

 private:
  std::string render(const ProgressState& s) const;
  bool quiet_, tty_;
  bool live_ = false;
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mu_;
};

}  // namespace minrepro::reducer
