#include "runners/session.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

namespace minrepro::runners {
namespace {

std::string g_session_env;
std::atomic<unsigned> g_run_counter{0};
std::mutex g_spawn_mu;
std::set<pid_t> g_owned;  // guarded by g_spawn_mu
pid_t g_guardian = -1;
int g_guardian_fd = -1;

bool environ_holds(pid_t pid, const std::string& entry) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/environ", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string env;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0 && env.size() < (1u << 20)) env.append(buf, n);
  close(fd);
  // Entries are NUL-separated; match a whole entry.
  for (size_t pos = 0; pos < env.size();) {
    size_t end = env.find('\0', pos);
    if (end == std::string::npos) end = env.size();
    if (env.compare(pos, end - pos, entry) == 0) return true;
    pos = end + 1;
  }
  return false;
}

template <class F>
void for_each_pid(F f) {
  DIR* d = opendir("/proc");
  if (!d) return;
  while (dirent* e = readdir(d)) {
    char* end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end == '\0' && pid > 0) f(static_cast<pid_t>(pid));
  }
  closedir(d);
}

std::vector<pid_t> tagged_pids(const std::string& entry) {
  std::vector<pid_t> out;
  pid_t self = getpid();
  for_each_pid([&](pid_t pid) {
    if (pid != self && pid != g_guardian && environ_holds(pid, entry)) out.push_back(pid);
  });
  return out;
}

// The guardian waits for the tool's end (EOF on a pipe only the tool holds),
// then kills every process of the session. It ignores the terminal's signals so
// a Ctrl-C or a SIGTERM to the whole group does not take it down before its work.
[[noreturn]] void guardian_main(int read_fd) {
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) signal(s, SIG_IGN);
  setpgid(0, 0);
  // The tool sends directories to remove, one per line; EOF means it is gone.
  std::string dirs;
  char buf[4096];
  ssize_t n;
  while ((n = read(read_fd, buf, sizeof buf)) != 0)
    if (n > 0) dirs.append(buf, n);
  kill_tagged(g_session_env);
  for (size_t pos = 0, end; (end = dirs.find('\n', pos)) != std::string::npos; pos = end + 1) {
    std::error_code ec;
    std::filesystem::remove_all(dirs.substr(pos, end - pos), ec);
  }
  _exit(0);
}

}  // namespace

void start_session() {
  if (!g_session_env.empty()) return;
  g_session_env = "MINREPRO_SESSION=" + std::to_string(getpid()) + "-" +
                  std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[1]);
    guardian_main(p[0]);
  }
  close(p[0]);
  if (pid > 0) g_guardian = pid, g_guardian_fd = p[1];
  // p[1] stays open for the life of the tool: its closing is the guardian's cue.
}

void remove_at_exit(const std::string& dir) {
  if (g_guardian_fd < 0) return;
  std::string line = dir + "\n";
  if (write(g_guardian_fd, line.data(), line.size()) < 0) {
    // Nothing to do: the directory is still removed on a normal exit.
  }
}

const std::string& session_env() { return g_session_env; }

std::string new_run_env() {
  return "MINREPRO_RUN=" + g_session_env.substr(g_session_env.find('=') + 1) + "." +
         std::to_string(++g_run_counter);
}

int kill_tagged(const std::string& env_entry) {
  int killed = 0;
  for (int round = 0; round < 200; ++round) {
    auto pids = tagged_pids(env_entry);
    if (pids.empty()) break;
    for (pid_t pid : pids)
      if (kill(pid, SIGKILL) == 0) ++killed;
    // A SIGKILLed process keeps its environ until it is gone; give it a moment.
    std::this_thread::sleep_for(std::chrono::milliseconds(round < 10 ? 1 : 10));
    reap_strays();
  }
  return killed;
}

void reap_strays() {
  std::lock_guard lock(g_spawn_mu);
  for (;;) {
    siginfo_t info{};
    // Peek first: only reap children no runner owns.
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
    if (g_owned.count(info.si_pid) || info.si_pid == g_guardian) {
      // An owned zombie is at the head; reap the others by scanning /proc.
      std::vector<pid_t> zombies;
      pid_t self = getpid();
      for_each_pid([&](pid_t pid) {
        char path[64], buf[512];
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0) return;
        buf[n] = 0;
        const char* rp = strrchr(buf, ')');
        char state = 0;
        int ppid = 0;
        if (rp && sscanf(rp + 2, "%c %d", &state, &ppid) == 2 && state == 'Z' && ppid == self &&
            !g_owned.count(pid) && pid != g_guardian)
          zombies.push_back(pid);
      });
      for (pid_t z : zombies) waitpid(z, nullptr, WNOHANG);
      return;
    }
    waitpid(info.si_pid, nullptr, WNOHANG);
  }
}

std::mutex& spawn_mutex() { return g_spawn_mu; }
void own_pid(pid_t pid) { g_owned.insert(pid); }  // caller holds spawn_mutex()
void disown_pid(pid_t pid) {
  std::lock_guard lock(g_spawn_mu);
  g_owned.erase(pid);
}

}  // namespace minrepro::runners
