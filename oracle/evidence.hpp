// What one run showed: the probe's markers as a timeline, what every thread was
// doing when the verdict fell, and the bug's signature (the slippage guard).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runners/observe.hpp"

namespace minrepro::oracle {

struct Marker {
  std::string event;  // main-enter, main-end, main-return, exit-called
  pid_t pid = 0, tid = 0;
  double t = 0;       // seconds since the process started
};

// Parses the probe file; keeps markers of `pid` only (a forked child writes its own).
std::vector<Marker> parse_markers(const std::string& text, pid_t pid, long long start_ns);

struct ThreadView {
  runners::ThreadSample sample;
  bool progressed = false;           // used CPU between the two samples of a snapshot
  std::vector<std::string> frames;   // innermost first; empty without a backtrace
};

// Same bug, not another: the blocking primitive on the exiting thread, where it
// sits, whether the other threads are blocked or running, and what the waiting
// ones wait in.
struct Signature {
  std::string phase;      // main-locals | exit-handlers | before-exit
  std::string primitive;  // join, mutex, condvar, future, sleep, read, waitpid, poll, running, ...
  std::string others;     // none | blocked | sleeping | running
  std::vector<std::string> waits;  // the primitives other threads wait in (not running), sorted, unique
  // For waitpid: what the processes it waits for wait in, down the tree
  // through those that wait for their own children (sorted, unique). A shell
  // whose pipe reader waits for EOF is not a shell running `sleep 3600`.
  std::vector<std::string> children;
  bool empty() const { return primitive.empty(); }
  bool operator==(const Signature&) const = default;
  // A candidate shows the original's bug: the same primitive, phase and others,
  // and its waiting threads wait only in primitives the original's did (a
  // reduction may drop a bystander thread, not turn a worker blocked on a
  // future into one parked on a condition variable); for waitpid, the waited-for
  // processes wait in some of the original's primitives.
  bool matches(const Signature& original) const;
  std::string describe() const;
};

// The blocking primitive a thread sits in: from its backtrace when there is
// one, otherwise from its syscall.
std::string primitive_of(const ThreadView& t);
Signature make_signature(const std::string& phase, pid_t exiting_tid, const std::vector<ThreadView>& threads,
                         const std::vector<std::string>& children = {});

// What the child processes of `pid` wait in, through the ones that wait for
// their own children: the primitives of the rest (sorted, unique).
std::vector<std::string> waited_children(pid_t pid);

// A snapshot of a live process: two /proc samples around all-thread backtraces.
std::vector<ThreadView> snapshot(pid_t pid, bool with_backtraces);

}  // namespace minrepro::oracle
