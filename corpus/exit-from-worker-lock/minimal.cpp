#include <cstdlib>
#include <mutex>
#include <thread>

struct JobTable {
    std::mutex mu;
    ~JobTable() { std::lock_guard<std::mutex> lk(mu); }  // writes the journal under the lock
} g_jobs;

int main() {
    std::lock_guard<std::mutex> lk(g_jobs.mu);     // held while the job runs
    std::thread([] { std::exit(1); }).join();      // the job fails fatally: exit() on the worker
}
