#include <condition_variable>
#include <thread>

class StateStore {
public:
  ~StateStore() { std::lock_guard<std::mutex> save(save_mu_); }

  static inline std::mutex save_mu_;

  static inline std::mutex signal_mu_;
  static inline std::condition_variable signal_cv_;
  static inline std::condition_variable done_cv_;
  static inline uint64_t requested_;
  static inline uint64_t written_;
};

StateStore &store() {
  static StateStore instance;
  return instance;
}

int main() {

  std::thread([] {
    std::unique_lock<std::mutex> save(StateStore::save_mu_);
    std::unique_lock<std::mutex> lk(StateStore::signal_mu_);
    for (;;) {
      StateStore::signal_cv_.wait(lk, [] { return StateStore::requested_ > StateStore::written_; });
      StateStore::written_ = 1;
      StateStore::done_cv_.notify_all();
    }
  }).detach();

  std::unique_lock<std::mutex> lk(StateStore::signal_mu_);
  ++StateStore::requested_;
  StateStore::signal_cv_.notify_all();
  store().done_cv_.wait(lk);
}
