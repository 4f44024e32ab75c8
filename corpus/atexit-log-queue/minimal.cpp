#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

std::mutex mu;
std::condition_variable wake, drained;
int queued = 0;
bool running = true;

int main() {
    std::atexit([] {  // flush the log: wait until the writer has drained the queue
        std::unique_lock<std::mutex> lk(mu);
        drained.wait(lk, [] { return queued == 0; });
    });
    std::thread writer([] {
        std::unique_lock<std::mutex> lk(mu);
        while (running) {
            wake.wait(lk, [] { return !running || queued > 0; });
            queued = 0;
            drained.notify_all();
        }
    });
    { std::lock_guard<std::mutex> lk(mu); running = false; }
    wake.notify_one();
    writer.join();  // the writer is stopped...
    ++queued;       // ...then one more line is logged
}
