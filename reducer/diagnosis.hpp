// The one-line diagnosis a bug report starts with: what the exiting thread is
// blocked in, which of the program's own functions called it, in which part of
// the exit, and what the other threads are doing. Built from one run's evidence
// (backtraces, thread states, the signature), never from the source.
#pragma once
#include <string>
#include <vector>

#include "oracle/oracle.hpp"

namespace minrepro::report {

// "the main thread is blocked in std::thread::join called from Worker::~Worker during
// exit handlers (a static object's destructor); the other thread waits on a condition
// variable in the lambda in Worker::Worker()".
std::string diagnose(const oracle::RunEvidence& ev, const oracle::OracleConfig& oc);

// A frame's function without return type, template arguments and parameters:
// "void std::this_thread::sleep_for<long, ...>(...)" -> "std::this_thread::sleep_for".
std::string short_name(const std::string& frame);
// Whether a frame belongs to the program (not the C or C++ runtime, not the probe).
bool is_user_frame(const std::string& frame);

// Where a thread waits: the outermost runtime frame that names a blocking
// primitive, and the first frame of the program above it (-1 when none).
struct WaitSite {
  int blocking = -1;
  int caller = -1;
  std::string kind;  // join, condvar, future, mutex, sleep, ... ("" when no frame names one)
};
WaitSite wait_site(const std::vector<std::string>& frames);

}  // namespace minrepro::report
