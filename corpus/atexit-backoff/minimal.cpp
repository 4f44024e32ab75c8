#include <chrono>
#include <cstdlib>
#include <thread>

static bool upload() { return false; }  // endpoint is empty: every attempt fails

static void flush_at_exit() {
    auto backoff = std::chrono::milliseconds(120);
    for (int attempt = 0; attempt < 4 && !upload(); ++attempt) {
        std::this_thread::sleep_for(backoff);  // 120 + 240 + 480 + 960 ms
        backoff *= 2;
    }
}

int main() {
    std::atexit(flush_at_exit);
    return 0;
}
