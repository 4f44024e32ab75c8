#include <functional>
#include <mutex>
#include <thread>

struct JobSpec {};

struct JobResult {};

JobResult job_compress(JobSpec) { exit(EXIT_FAILURE); }

class JobTable {
public:
  ~JobTable() { std::lock_guard lk(mu_); }

  static inline std::mutex mu_;
} g_jobs;

int main() {

  std::function<JobResult(JobSpec)> fn = job_compress;
  std::lock_guard<std::mutex> lk(JobTable::mu_);
  std::thread worker([&] {
    fn({});
  });
  worker.join();
}
