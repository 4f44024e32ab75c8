#include <atomic>
#include <chrono>
#include <thread>

class ProgressReporter {
public:
    ~ProgressReporter() {
        stop_ = true;
        thread_.join();  // waits until the current 1.5 s sleep is over
    }

private:
    std::atomic<bool> stop_{false};
    std::thread thread_{[this] {
        do std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        while (!stop_);
    }};
};

int main() {
    ProgressReporter progress;
}
