#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex mu;
std::condition_variable cv;
bool has_work = false;

// ~jthread() calls request_stop() and join(), but the body never looks at its
// stop token: the plain condition_variable wait is not woken by a stop request.
std::jthread worker([] {
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [] { return has_work; });
});

int main() {}
