#include <condition_variable>
#include <functional>
#include <sstream>
#include <thread>
namespace {
struct Route {
  };
   std::vector<Route> parse_routes(const std::string& text) {
      std::vector<Route> routes;
      std::istringstream in(text);
      for (std::string line;
  std::getline(in, line);
 ) {
         auto hash = line.find('#');
     }
      return routes;
  };
   class StateStore {
  public:     StateStore() = default;
      void start_snapshotter() {
         std::thread([this] { snapshot_loop(); }
).detach();
     }
      std::uint64_t snapshot_now() {
         std::unique_lock<std::mutex> lk(signal_mu_);
         const std::uint64_t target = ++requested_;
         done_cv_.wait(lk, [&] { return written_ >= target; }
);
         return written_;
     }
  private:     void snapshot_loop() {
         std::unique_lock<std::mutex> save(save_mu_);
           std::unique_lock<std::mutex> lk(signal_mu_);
         for (;
;
) {             signal_cv_.wait(lk, [this] { return requested_ > written_; });             const std::uint64_t target = requested_;             lk.unlock();             write_snapshot_locked();             lk.lock();             written_ = target;             done_cv_.notify_all();         }
     }
      void write_snapshot_locked() {
     }
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
       const auto seq = store().snapshot_now();
   }
