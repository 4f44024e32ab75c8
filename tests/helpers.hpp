// Shared helpers for the test suites.
#pragma once
#include <dirent.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "runners/process.hpp"

namespace minrepro::test {

// An exit hang that needs the new thread to wait before main's exit sets
// `stop` (set without a notify; main gives the thread 10 ms): starting 50 ms
// late, the thread finds `stop` set, and the join returns.
// libclang 14 crashes on this (a template header in front of a destructor)
// and leaves its process's heap corrupted.
inline const char* const kCrashesLibclang = R"(#include <vector>
struct A {
  std::vector<int> v;
  template <typename F>
  ~A() { for (auto& x : v) (void)x; }
};
A g;
int main() {}
)";

inline const char* const kHangsIfThreadWaitsFirst = R"(#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
struct Worker {
  std::mutex m;
  std::condition_variable cv;
  bool stop = false;
  std::thread t{[this] { std::unique_lock<std::mutex> l(m); cv.wait(l, [this] { return stop; }); }};
  ~Worker() {
    { std::lock_guard<std::mutex> l(m); stop = true; }  // no notify
    t.join();
  }
} worker;
int main() {
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return 0;
}
)";

int surviving_processes();

// The parent of process `pid` (a /proc entry name), when it is alive and not a zombie.
inline std::optional<pid_t> live_parent(const std::string& pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string s((std::istreambuf_iterator<char>(stat)), {});
  auto close = s.rfind(')');  // the command name may hold anything
  if (close == std::string::npos || s.size() < close + 5 || s[close + 2] == 'Z') return std::nullopt;
  return pid_t(std::stol(s.substr(close + 4)));
}

inline bool process_alive(pid_t pid) { return live_parent(std::to_string(pid)).has_value(); }

// Every live (non-zombie) process but this one, with its parent.
inline std::vector<std::pair<pid_t, pid_t>> live_processes() {
  std::vector<std::pair<pid_t, pid_t>> out;
  DIR* d = opendir("/proc");
  while (dirent* e = d ? readdir(d) : nullptr) {
    std::string name = e->d_name;
    if (name.find_first_not_of("0123456789") != std::string::npos || std::stoi(name) == getpid()) continue;
    if (auto parent = live_parent(name)) out.emplace_back(std::stoi(name), *parent);
  }
  if (d) closedir(d);
  return out;
}

// Live processes whose environment holds `entry`.
inline int count_tagged(const std::string& entry) {
  int n = 0;
  for (auto [pid, parent] : live_processes()) {
    std::ifstream env("/proc/" + std::to_string(pid) + "/environ");
    std::string text((std::istreambuf_iterator<char>(env)), {});
    std::stringstream ss(text);
    for (std::string item; std::getline(ss, item, '\0');)
      if (item == entry) ++n;
  }
  return n;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A run of one of our tools (or the compiler) with room for what it starts itself.
inline runners::RunSpec tool_spec(const std::string& program, std::vector<std::string> args) {
  runners::RunSpec s;
  s.program = program;
  s.args = std::move(args);
  s.deadline_s = 900;
  s.limits.memory_mb = 0;  // none: a sanitizer build of the tool reserves terabytes
  s.limits.processes = 4096;
  s.limits.cpu_s = 3600;
  s.limits.output_kb = 4096;
  return s;
}

// A scratch directory removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "minrepro-test-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

}  // namespace minrepro::test
