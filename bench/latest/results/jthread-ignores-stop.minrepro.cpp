#include <condition_variable>
#include <thread>

class Indexer {
public:
  Indexer()
      : worker_([] {
          std::unique_lock<std::mutex> lk(mu_);

          queue_cv_.wait(lk);
        }) {}

  static inline std::mutex mu_;
  static inline std::condition_variable queue_cv_;
  std::jthread worker_;
} g_indexer;

int main() {}
