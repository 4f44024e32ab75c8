// The doctest main of every suite: starts a session (tags every spawned
// process), runs the tests, then fails if any spawned process survived.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "helpers.hpp"
#include "runners/session.hpp"

int main(int argc, char** argv) {
  minrepro::runners::start_session();
  doctest::Context ctx(argc, argv);
  int rc = ctx.run();
  if (ctx.shouldExit()) return rc;
  // Give killed processes a moment to vanish from /proc.
  int left = 0;
  for (int i = 0; i < 50 && (left = minrepro::test::surviving_processes()) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (left > 0) {
    std::cerr << "FAIL: " << left << " process(es) spawned by this suite are still alive\n";
    return 1;
  }
  return rc;
}

namespace minrepro::test {

int surviving_processes() {
  // Every process started through the runner carries the session's env entry.
  return count_tagged(runners::session_env());
}

}  // namespace minrepro::test
