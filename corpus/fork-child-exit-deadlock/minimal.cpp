#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

std::mutex g_archive_mu;
std::promise<void> g_locked;
pid_t g_child = -1;

struct Logger {
    ~Logger() { std::lock_guard<std::mutex> lk(g_archive_mu); }  // in the child nobody will ever unlock it
} g_log;

int main() {
    std::thread([] {
        std::lock_guard<std::mutex> lk(g_archive_mu);
        g_locked.set_value();
        std::this_thread::sleep_for(std::chrono::seconds(30));  // holds the lock across the fork
    }).detach();
    g_locked.get_future().wait();
    g_child = fork();
    if (g_child == 0) std::exit(0);  // the child runs ~Logger at exit
    std::atexit([] { waitpid(g_child, nullptr, 0); });
}
