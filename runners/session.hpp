// Process bookkeeping for one run of the tool: every process the tool starts is
// tagged through its environment, so that it and every descendant (even one that
// escaped with setsid) can be found and killed, and a guardian process kills
// them all if the tool itself dies, even by SIGKILL.
#pragma once
#include <sys/types.h>

#include <mutex>
#include <string>

namespace minrepro::runners {

// Call once at program start, before any thread exists: makes the tool a child
// subreaper and forks the guardian. Safe to call more than once.
void start_session();

// Asks the guardian to remove this directory too when the tool ends, however it ends.
void remove_at_exit(const std::string& dir);

// The environment entry every process of this session carries ("MINREPRO_SESSION=...").
const std::string& session_env();

// A fresh environment entry that tags one run ("MINREPRO_RUN=...").
std::string new_run_env();

// SIGKILLs every live process whose environment holds `env_entry`, repeating
// until none is left (a forking process may add more while we scan). Returns how
// many were killed.
int kill_tagged(const std::string& env_entry);

// Reaps zombies the tool inherited as subreaper that no runner waits for.
void reap_strays();

// Held while a process is spawned and registered, and while strays are reaped,
// so the stray reaper never steals the exit status of a child a runner owns.
std::mutex& spawn_mutex();
void own_pid(pid_t pid);
void disown_pid(pid_t pid);

}  // namespace minrepro::runners
