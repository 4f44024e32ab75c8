#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

std::promise<void> g_running, g_shutdown;

struct Pool {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> queue;
    bool stopping = false;
    std::thread workers[2] = {std::thread([this] { loop(); }), std::thread([this] { loop(); })};

    void loop() {
        for (std::unique_lock<std::mutex> lk(mu);;) {
            cv.wait(lk, [this] { return stopping || !queue.empty(); });
            if (stopping) return;  // queued jobs are abandoned
            auto job = std::move(queue.front());
            queue.pop_front();
            lk.unlock();
            job();
            lk.lock();
        }
    }
    void post(std::function<void()> f) {
        { std::lock_guard<std::mutex> lk(mu); queue.push_back(std::move(f)); }
        cv.notify_one();
    }
    ~Pool() {
        { std::lock_guard<std::mutex> lk(mu); stopping = true; }
        cv.notify_all();
        g_shutdown.set_value();            // wake the long-running job...
        for (auto& w : workers) w.join();  // ...which now waits on the pool
    }
} g_pool;

int main() {
    g_pool.post([] {
        g_running.set_value();
        g_shutdown.get_future().wait();
        std::promise<void> done;
        g_pool.post([&done] { done.set_value(); });  // posted after stopping: never runs
        done.get_future().wait();
    });
    g_running.get_future().wait();
}
