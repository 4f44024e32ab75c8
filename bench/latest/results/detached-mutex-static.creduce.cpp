#include <condition_variable>
#include <functional>
#include <map>
#include <sstream>
#include <thread>
namespace {
  class StateStore {
  public:     StateStore() = default;
      std::int64_t get(const std::string& counter) const {
         std::lock_guard<std::mutex> lk(data_mu_);
         auto it = counters_.find(counter);
         return it == counters_.end() ? 0 : it->second;
     }
      void start_snapshotter() {
         std::thread([this] {
 snapshot_loop();
 }
).detach();
     }
      std::uint64_t snapshot_now() {
         std::unique_lock<std::mutex> lk(signal_mu_);
         const std::uint64_t target = ++requested_;
         signal_cv_.notify_all();
         done_cv_.wait(lk, [&] {
 return written_ >= target;
 }
);
         return written_;
     }
  private:     void snapshot_loop() {
         std::unique_lock<std::mutex> save(save_mu_);
           std::unique_lock<std::mutex> lk(signal_mu_);
         for (;
;
) {
             signal_cv_.wait(lk, [this] {
 return requested_ > written_;
 }
);
             const std::uint64_t target = requested_;
             lk.unlock();
             lk.lock();
             written_ = target;
             done_cv_.notify_all();
         }
     }
      void write_snapshot_locked() {
         std::map<std::string, std::int64_t> sorted;
         {
             std::lock_guard<std::mutex> lk(data_mu_);
             sorted.insert(counters_.begin(), counters_.end());
         }
         std::ostringstream os;
         for (const auto& kv : sorted) os << kv.first << '=' << kv.second << '\n';
         last_snapshot_ = os.str();
     }
      mutable std::mutex data_mu_;
      std::unordered_map<std::string, std::int64_t> counters_;
      std::mutex save_mu_;
      std::string last_snapshot_;
      std::mutex signal_mu_;
      std::condition_variable signal_cv_;
      std::condition_variable done_cv_;
      std::uint64_t requested_ = 0;
      std::uint64_t written_ = 0;
  };
   StateStore& store() {
      static StateStore instance;
      return instance;
  }
   }
      int main() {
       store().start_snapshotter();
   }
