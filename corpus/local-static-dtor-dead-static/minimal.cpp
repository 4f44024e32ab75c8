#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

struct Sink {  // flush() waits until the writer thread has caught up
    std::mutex mu;
    std::condition_variable cv;
    int requested = 0, done = 0;
    bool stop = false;
    std::thread writer{[this] {
        std::unique_lock<std::mutex> lk(mu);
        while (!stop) {
            done = requested;
            cv.notify_all();
            cv.wait(lk);
        }
    }};
    void flush() {
        std::unique_lock<std::mutex> lk(mu);
        int ticket = ++requested;
        cv.notify_all();
        cv.wait(lk, [&] { return done >= ticket; });
    }
    ~Sink() {
        { std::lock_guard<std::mutex> lk(mu); stop = true; }
        cv.notify_all();
        writer.join();
    }
};
extern Sink g_sink;

struct Tracer {
    std::promise<void> stop;
    std::thread flusher{[this] {
        stop.get_future().wait();
        g_sink.flush();  // g_sink and its writer are already gone
    }};
    ~Tracer() {
        stop.set_value();
        flusher.join();
    }
};

Tracer& tracer() {
    static Tracer t;
    return t;
}
Tracer& g_early = tracer();  // constructed before g_sink, so destroyed after it
Sink g_sink;

int main() {}
