#include <condition_variable>
#include <thread>

class Queue {
public:
  Queue()
      : worker_([] {
          std::unique_lock<std::mutex> lock(mutex_);

          ready_.wait(lock);
        }) {}
  ~Queue() { worker_.join(); }

  static inline std::mutex mutex_;
  static inline std::condition_variable ready_;
  std::thread worker_;
} g_queue;

int main() {}
