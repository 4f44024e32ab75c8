#include <condition_variable>
#include <thread>

class HashPipeline {
public:
  HashPipeline(size_t) {}

  ~HashPipeline() { worker_.join(); }

  static inline std::mutex mu_;
  static inline std::condition_variable work_cv_;
  static inline std::thread worker_;
};

int main() {

  HashPipeline pipeline(0);

  HashPipeline::worker_ = std::thread([] {
    std::unique_lock<std::mutex> lk(HashPipeline::mu_);
    HashPipeline::work_cv_.wait(lk);
  });
}
