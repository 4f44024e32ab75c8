#include <condition_variable>
#include <mutex>
#include <thread>

struct Exporter {
    std::mutex mu;
    std::condition_variable cv, idle_cv;
    bool stop = false, idle = false;
    std::thread worker{[this] {
        std::unique_lock<std::mutex> lk(mu);
        idle = true;
        idle_cv.notify_all();
        cv.wait(lk, [this] { return stop; });  // nobody notifies cv at shutdown
    }};
    void wait_idle() {
        std::unique_lock<std::mutex> lk(mu);
        idle_cv.wait(lk, [this] { return idle; });
    }
    ~Exporter() {
        { std::lock_guard<std::mutex> lk(mu); stop = true; }  // missing cv.notify_one()
        worker.join();
    }
} g_exporter;

int main() { g_exporter.wait_idle(); }
