// reduce: the minrepro command line.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "reducer/cli.hpp"
#include "reducer/commands.hpp"
#include "runners/session.hpp"

namespace minrepro {
namespace {
std::atomic<bool> g_interrupted{false};
std::atomic<void (*)()> g_callback{nullptr};

// SIGINT/SIGTERM are blocked in every thread and taken here, so the tool can
// kill its candidates and keep the best result instead of dying mid-write.
void signal_thread(sigset_t set) {
  int sig = 0;
  while (sigwait(&set, &sig) == 0) {
    if (g_interrupted.exchange(true)) _exit(kInterrupted);  // a second Ctrl-C: give up now
    if (auto cb = g_callback.load()) cb();
  }
}
}  // namespace

bool interrupted() { return g_interrupted; }
void on_interrupt(void (*callback)()) { g_callback = callback; }

}  // namespace minrepro

int main(int argc, char** argv) {
  using namespace minrepro;
  runners::start_session();  // before any thread: forks the guardian
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::thread(signal_thread, set).detach();

  // Corpus mode has its own options (each case brings its own repro.toml).
  if (argc > 1 && std::string(argv[1]) == "corpus") return run_corpus({argv + 2, argv + argc});
  auto opts = cli::parse(argc, argv);
  if (!opts) {
    std::cerr << "reduce: " << opts.error().message << "\n";
    return kBadInput;
  }
  if (opts->help) {
    std::cout << cli::usage();
    return 0;
  }
  if (opts->version) {
    std::cout << "minrepro " << MINREPRO_VERSION << "\n";
    return 0;
  }
  if (opts->command == "tokens") return run_tokens(*opts);
  if (opts->command == "matrix") return run_matrix(*opts);
  return opts->command == "check" ? run_check(*opts) : run_reduce(*opts);
}
