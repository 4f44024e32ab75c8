#include <thread>

class ProgressReporter {
public:
  ProgressReporter(std::chrono::milliseconds interval) : interval_(interval) {
    thread_ = std::thread([this] { std::this_thread::sleep_for(interval_); });
  }

  ~ProgressReporter() { thread_.join(); }

  std::chrono::milliseconds interval_;
  std::thread thread_;
};

int main() { ProgressReporter progress(std::chrono::milliseconds(1500)); }
