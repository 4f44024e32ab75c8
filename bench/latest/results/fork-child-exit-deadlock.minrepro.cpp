#include <sys/wait.h>

#include <condition_variable>
#include <functional>
#include <thread>

class Logger {
public:
  ~Logger() { std::lock_guard<std::mutex> lk(archive_mu_); }

  static inline std::mutex archive_mu_;

  static inline std::mutex state_mu_;
  static inline std::condition_variable state_cv_;
  static inline long rotations_started_;

  static inline std::thread rotator_;
} g_log;

class ChildReaper {
public:
  ~ChildReaper() {
    for (auto child : children_) {
      int status = waitpid(child.first, &status, 0);
    }
  }

  static inline std::vector<std::pair<pid_t, std::string>> children_;
} g_children;

int main() {

  Logger::rotator_ = std::thread([] {
    std::unique_lock<std::mutex> lk(Logger::archive_mu_);

    ++Logger::rotations_started_;

    Logger::state_cv_.notify_all();

    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  });

  std::unique_lock<std::mutex> lk(Logger::state_mu_);
  Logger::state_cv_.wait(lk, [] { return Logger::rotations_started_; });

  fork();

  ChildReaper::children_.emplace_back();
}
