#include <condition_variable>

std::mutex mu_;
std::condition_variable drained_;

void flush_log_at_exit() {
  std::unique_lock<std::mutex> lk(mu_);
  drained_.wait(lk);
}

int main() { atexit(flush_log_at_exit); }
