#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

struct Store {
    std::mutex save_mu, signal_mu;
    std::condition_variable signal_cv;
    bool requested = false;
    std::promise<void> started;
    ~Store() { std::lock_guard<std::mutex> lk(save_mu); }  // the snapshotter owns save_mu forever
} g_store;

int main() {
    std::thread([] {
        std::unique_lock<std::mutex> save(g_store.save_mu);  // held while idle
        g_store.started.set_value();
        std::unique_lock<std::mutex> lk(g_store.signal_mu);
        g_store.signal_cv.wait(lk, [] { return g_store.requested; });
    }).detach();
    g_store.started.get_future().wait();
}
