// The quick benchmark case: a small job queue whose global owner joins its
// worker at exit without waking it.
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

class Queue {
public:
    Queue() : worker_([this] { loop(); }) {}
    ~Queue() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        worker_.join();
    }
    void push(std::string job) {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(std::move(job));
        ready_.notify_one();
    }
    int done() {
        std::lock_guard<std::mutex> lock(mutex_);
        return done_;
    }

private:
    void loop() {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            ready_.wait(lock, [this] { return !jobs_.empty(); });
            std::string job = std::move(jobs_.front());
            jobs_.pop_front();
            ++done_;
            if (stopping_) return;
        }
    }
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::string> jobs_;
    bool stopping_ = false;
    int done_ = 0;
    std::thread worker_;
};

Queue g_queue;

int main() {
    for (int i = 0; i < 3; ++i) g_queue.push("job " + std::to_string(i));
    while (g_queue.done() < 3) std::this_thread::yield();
    std::printf("%d jobs done\n", g_queue.done());
    return 0;
}
