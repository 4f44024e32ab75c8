#include <condition_variable>
#include <thread>

class SpanExporter {
public:
  SpanExporter()
      : writer_([] {
          std::unique_lock<std::mutex> lk(mu_);

          wake_.wait(lk);
        }) {}

  ~SpanExporter() { writer_.join(); }

  static inline std::mutex mu_;
  static inline std::condition_variable wake_;
  std::thread writer_;
} g_exporter;

int main() {}
