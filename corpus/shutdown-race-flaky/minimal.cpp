#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

struct Uploader {
    std::atomic<bool> stopping{false};
    std::mutex mu;
    std::condition_variable cv;
    bool pending = false;
    std::thread worker{[this] {
        std::mt19937 rng{std::random_device{}()};
        while (!stopping) {
            std::unique_lock<std::mutex> lk(mu);
            bool batch = std::exchange(pending, false);
            lk.unlock();
            if (batch && rng() % 2) std::this_thread::sleep_for(std::chrono::milliseconds(80));  // rejected: back off
            lk.lock();
            if (!pending) cv.wait(lk);  // a notify sent during the back-off is lost
        }
    }};

    void submit() {
        {
            std::lock_guard<std::mutex> lk(mu);
            pending = true;
        }
        cv.notify_one();
    }
    ~Uploader() {
        stopping = true;
        cv.notify_all();
        worker.join();
    }
} g_uploader;

int main() {
    g_uploader.submit();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}
