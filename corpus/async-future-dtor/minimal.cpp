#include <chrono>
#include <future>
#include <thread>

int main() {
    // Kept only "so it runs in the background": the future's destructor waits for the task.
    std::future<void> check = std::async(std::launch::async, [] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1600));
    });
}
