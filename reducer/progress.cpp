#include "reducer/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace minrepro::reducer {

Progress::Progress(bool quiet)
    : quiet_(quiet), tty_(isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()), last_(start_) {}

std::string Progress::render(const ProgressState& s) const {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char buf[256];
  snprintf(buf, sizeof buf, "[%6.1fs] %-16s %5zu tokens %6zu bytes (%3.0f%%)  tests %ld  cache %ld  %.1f/s",
           elapsed, s.pass.c_str(), s.tokens, s.bytes,
           s.original_bytes ? 100.0 * double(s.bytes) / double(s.original_bytes) : 0.0, s.tests, s.cache_hits,
           elapsed > 0 ? double(s.tests) / elapsed : 0.0);
  return buf;
}

void Progress::update(const ProgressState& s, bool force) {
  if (quiet_) return;
  std::lock_guard l(mu_);
  auto now = std::chrono::steady_clock::now();
  auto every = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (!force && now - last_ < every) return;
  last_ = now;
  if (tty_) {
    fprintf(stderr, "\r\033[K%s", render(s).c_str());
    live_ = true;
  } else {
    fprintf(stderr, "%s\n", render(s).c_str());
  }
  fflush(stderr);
}

void Progress::note(const std::string& line) {
  if (quiet_) return;
  std::lock_guard l(mu_);
  if (live_) fprintf(stderr, "\r\033[K");
  live_ = false;
  fprintf(stderr, "%s\n", line.c_str());
}

void Progress::finish() {
  if (quiet_) return;
  std::lock_guard l(mu_);
  if (live_) fprintf(stderr, "\n");
  live_ = false;
}

}  // namespace minrepro::reducer
