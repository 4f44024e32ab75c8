#include <sstream>
#include <thread>

std::chrono::milliseconds initial_backoff_{50};

void flush_telemetry_at_exit() {
  auto backoff = initial_backoff_;
  for (int attempt = 1; attempt <= 4; ++attempt) {
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

int main() { atexit(flush_telemetry_at_exit); }
