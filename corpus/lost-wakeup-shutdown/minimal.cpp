#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

struct Pipeline {
    std::atomic<bool> closing{false};
    std::mutex mu;
    std::condition_variable cv;
    std::promise<void> result, taken;
    std::thread worker{[this] {
        while (!closing) {                // the flag is checked here, not under mu
            result.set_value();           // hand a result over and wait until it
            taken.get_future().wait();    // is taken: close() happens meanwhile
            std::unique_lock<std::mutex> lk(mu);
            cv.wait(lk);                  // its notification is already gone
        }
    }};
    ~Pipeline() { worker.join(); }
};

int main() {
    Pipeline p;
    p.result.get_future().wait();  // the worker is past its flag check
    p.closing = true;              // close(): flag and notify, without the mutex,
    p.cv.notify_all();             // while nobody waits on cv yet
    p.taken.set_value();
    return 0;
}
