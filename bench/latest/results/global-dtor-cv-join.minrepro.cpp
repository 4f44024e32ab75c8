#include <condition_variable>
#include <thread>

class MetricsExporter {
public:
  MetricsExporter()
      : worker_([] {
          std::unique_lock<std::mutex> lk(mu_);

          cv_.wait(lk);
        }) {}

  ~MetricsExporter() { worker_.join(); }

  static inline std::mutex mu_;
  static inline std::condition_variable cv_;
  std::thread worker_;
} g_metrics;

int main() {}
