#include "oracle/build.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runners/process.hpp"

namespace minrepro::runners {
extern const char* const kExitProbeSource;
extern const char* const kThreadDelaySource;
}

namespace minrepro::oracle {
namespace fs = std::filesystem;

std::string content_hash(const std::string& text) {
  // FNV-1a, 64 bits, twice with different seeds: collisions are not a concern at our scale.
  auto fnv = [&](uint64_t h) {
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    return h;
  };
  char buf[40];
  snprintf(buf, sizeof buf, "%016llx%016llx", (unsigned long long)fnv(14695981039346656037ull),
           (unsigned long long)fnv(0x9e3779b97f4a7c15ull));
  return buf;
}

fs::path find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? fs::path(name) : fs::path();
  const char* path = getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(ss, dir, ':');) {
    fs::path p = fs::path(dir.empty() ? "." : dir) / name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

std::string BuildResult::first_errors(int max_lines) const {
  std::istringstream in(diagnostics);
  std::string out;
  int n = 0;
  for (std::string line; std::getline(in, line) && n < max_lines;) {
    if (line.find("error") != std::string::npos || line.find("undefined reference") != std::string::npos) {
      out += line + "\n";
      ++n;
    }
  }
  if (out.empty()) {  // no line says "error": show the start
    std::istringstream again(diagnostics);
    for (std::string line; std::getline(again, line) && n < max_lines; ++n) out += line + "\n";
  }
  return out;
}

namespace {
// "file:line:column: <severity> ...": the line and column before position `at`.
void location_before(const std::string& line, size_t at, int& l, int& c) {
  auto c2 = line.rfind(':', at - 1), c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : line.rfind(':', c2 - 1);
  if (c1 == std::string::npos) return;
  l = std::atoi(line.c_str() + c1 + 1);
  c = std::atoi(line.c_str() + c2 + 1);
}
}  // namespace

std::vector<Warning> warnings_in(const std::string& diagnostics) {
  std::vector<Warning> out;
  std::istringstream in(diagnostics);
  for (std::string line; std::getline(in, line);) {
    auto w = line.find(": warning: ");
    auto open = line.rfind(" [-W");
    if (w == std::string::npos || open == std::string::npos || line.back() != ']') continue;
    Warning warning;
    warning.kind = line.substr(open + 2, line.size() - open - 3);
    warning.text = line;
    location_before(line, w, warning.line, warning.column);
    out.push_back(std::move(warning));
  }
  return out;
}

std::vector<unsigned> error_lines(const std::string& diagnostics) {
  std::vector<unsigned> out;
  std::istringstream in(diagnostics);
  for (std::string line; std::getline(in, line);)
    if (auto e = line.find(": error: "); e != std::string::npos) {
      int l = 0, c = 0;
      location_before(line, e, l, c);
      if (l > 0) out.push_back(unsigned(l));
    }
  return out;
}

runners::RunSpec compiler_spec(const Toolchain& tc, std::vector<std::string> args, fs::path cwd) {
  runners::RunSpec spec;
  spec.program = find_program(tc.cxx);
  spec.args = std::move(args);
  // The driver's temporary files (cc*.o, cc*.s) go to the build's own
  // directory: a compile killed as a loser or at its deadline cannot remove
  // them, and they then go with that directory instead of piling up in /tmp.
  spec.env = {"TMPDIR=" + cwd.string()};
  spec.cwd = std::move(cwd);
  // compile_timeout is CPU time (each of the driver's processes); the wall
  // clock is only a backstop, so a machine busy with other work slows a build
  // down without failing it.
  spec.limits.cpu_s = static_cast<long>(std::ceil(tc.compile_timeout));
  spec.deadline_s = tc.compile_timeout * kCompileWallFactor;
  spec.limits.memory_mb = 8192;
  spec.limits.processes = 4096;
  spec.background = true;  // candidates' runs, which decide verdicts by timing, come first
  return spec;
}

std::string compile_timeout_note(const Toolchain& tc, const runners::RunResult& r) {
  if (r.timed_out)
    return "compile timed out: still running after " + format_number(tc.compile_timeout * kCompileWallFactor) +
           " s (" + format_number(kCompileWallFactor) + "x toolchain.compile_timeout; is the machine overloaded?)";
  // RLIMIT_CPU's soft and hard limits are the same: the kernel sends SIGKILL.
  bool killed = r.exited && (r.signal == SIGKILL || r.signal == SIGXCPU);
  if (killed || r.err.find("Killed signal terminated program") != std::string::npos ||
      r.err.find("CPU time limit exceeded") != std::string::npos)
    return "compile timed out: over toolchain.compile_timeout = " + format_number(tc.compile_timeout) +
           " s of CPU time";
  return "";
}

namespace {

runners::RunResult compile(const Toolchain& tc, std::vector<std::string> args, const fs::path& cwd,
                           const std::atomic<bool>* abandon = nullptr) {
  runners::Watcher stop;
  if (abandon) stop = [abandon](pid_t, runners::Clock::time_point) { return abandon->load(); };
  return runners::run(compiler_spec(tc, std::move(args), cwd), stop);
}

std::string shell_join(const std::string& program, const std::vector<std::string>& args) {
  std::string out = program;
  for (auto& a : args) out += " " + a;
  return out;
}

}  // namespace

Builder::Builder(Toolchain toolchain, fs::path workdir)
    : toolchain_(toolchain), workdir_(std::move(workdir)), pch_(std::move(toolchain), workdir_ / "pch") {}

Status Builder::prepare() {
  if (find_program(toolchain_.cxx).empty())
    return Error{"compiler '" + toolchain_.cxx +
                 "' not found: install it (e.g. apt-get install g++) or set --cxx / toolchain.cxx"};
  fs::create_directories(workdir_ / "bin");
  fs::path src = workdir_ / "exit_probe.c";
  std::ofstream(src) << runners::kExitProbeSource;
  probe_o_ = workdir_ / "exit_probe.o";
  // The probe is C: compile it with the C++ driver in C mode so one toolchain serves both.
  std::vector<std::string> args = {"-x", "c", "-O2", "-fPIC", "-c", src.string(), "-o", probe_o_.string()};
  for (auto& f : toolchain_.flags)
    if (f.rfind("-m", 0) == 0 || f.rfind("-fsanitize", 0) == 0) args.push_back(f);  // ABI-relevant only
  auto r = compile(toolchain_, args, workdir_);
  if (!r.exited_ok())
    return Error{"cannot build the exit probe with '" + toolchain_.cxx + "': " +
                 (r.err.empty() ? r.describe_end() : r.err.substr(0, r.err.find('\n'))) +
                 " (check the compiler and --cxxflags)"};
  // The thread-delay library for perturbed runs; without it (a toolchain that
  // cannot build shared objects) those runs are plain ones.
  fs::path delay_src = workdir_ / "thread_delay.c";
  std::ofstream(delay_src) << runners::kThreadDelaySource;
  fs::path delay_so = workdir_ / "thread_delay.so";
  args = {"-x", "c", "-O2", "-fPIC", "-shared", delay_src.string(), "-o", delay_so.string()};
  for (auto& f : toolchain_.flags)
    if (f.rfind("-m", 0) == 0) args.push_back(f);
  if (compile(toolchain_, args, workdir_).exited_ok()) thread_delay_so_ = delay_so;
  // Speed, not semantics: no temporary files between the compiler's stages,
  // and lld (links a candidate in ~0.08 s instead of bfd's ~0.2 s) when it is
  // installed, the compiler takes it, and the user chose no linker.
  fast_flags_ = {"-pipe"};
  // The flag in the user's own flags is theirs to choose.
  guard_supported_ = std::none_of(toolchain_.flags.begin(), toolchain_.flags.end(), [](const std::string& f) {
    return f.rfind("-ftrivial-auto-var-init", 0) == 0;
  });
  auto chose_linker = [](const std::vector<std::string>& v) {
    return std::any_of(v.begin(), v.end(), [](const std::string& f) { return f.find("-fuse-ld") != f.npos; });
  };
  if (!find_program("ld.lld").empty() && !chose_linker(toolchain_.flags) && !chose_linker(toolchain_.ldflags)) {
    fs::path main_c = workdir_ / "lld-check.c";
    std::ofstream(main_c) << "int main(void) { return 0; }\n";
    if (compile(toolchain_, {"-fuse-ld=lld", "-x", "c", main_c.string(), "-o", (workdir_ / "lld-check").string()},
                workdir_)
            .exited_ok())
      fast_flags_.push_back("-fuse-ld=lld");
  }
  if (guard_supported_) {
    fs::path main_c = workdir_ / "guard-check.c";
    std::ofstream(main_c) << "int main(void) { int x; return 0; }\n";
    guard_supported_ = compile(toolchain_, {"-ftrivial-auto-var-init=pattern", "-x", "c", "-fsyntax-only",
                                            main_c.string()},
                               workdir_)
                           .exited_ok();
  }
  return Ok{};
}

bool Builder::set_uninit_guard(bool on) {
  std::lock_guard l(mu_);
  guard_ = on && guard_supported_;
  return guard_;
}

BuildResult Builder::build(const std::string& text, const std::string& name, const std::atomic<bool>* abandon,
                           std::optional<bool> guard_override) {
  std::string key = content_hash(text);
  unsigned n;
  bool guard;
  {
    std::lock_guard l(mu_);
    guard = guard_override ? *guard_override && guard_supported_ : guard_;
    if (guard) key += "-g";
    if (auto it = cache_.find(key); it != cache_.end()) {
      BuildResult hit = it->second;
      hit.cached = true;
      hit.seconds = 0;
      return hit;
    }
    n = ++counter_;
  }
  fs::path dir = workdir_ / "bin" / (key + "-" + std::to_string(n));
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  fs::path src = dir / name;
  std::ofstream(src) << text;
  BuildResult b;
  b.binary = dir / "prog";
  std::vector<std::string> args = toolchain_.flags;
  args.insert(args.end(), fast_flags_.begin(), fast_flags_.end());
  if (guard) args.push_back("-ftrivial-auto-var-init=pattern");
  if (auto header = pch_.header_for(text)) args.insert(args.end(), {"-include", header->string()});
  args.insert(args.end(), {src.string(), probe_o_.string(), "-Wl,--wrap=main", "-Wl,--wrap=exit"});
  args.insert(args.end(), toolchain_.ldflags.begin(), toolchain_.ldflags.end());
  args.insert(args.end(), {"-o", b.binary.string()});
  b.command = shell_join(toolchain_.cxx, args);
  auto r = compile(toolchain_, args, dir, abandon);
  b.seconds = r.wall_s;
  if (r.stopped) {
    b.abandoned = true;
    b.diagnostics = "abandoned";
    std::error_code ec;
    fs::remove_all(dir, ec);
    return b;
  }
  b.diagnostics = r.err + r.out;
  b.ok = r.exited_ok() && fs::exists(b.binary);
  if (std::string note = compile_timeout_note(toolchain_, r); !b.ok && !note.empty()) {
    b.timed_out = true;
    b.diagnostics += "\n" + note;
  }
  std::lock_guard l(mu_);
  cache_[key] = b;
  order_.push_back(key);
  while (order_.size() > kKeep) {
    std::error_code ec;
    fs::remove_all(cache_[order_.front()].binary.parent_path(), ec);
    cache_.erase(order_.front());
    order_.pop_front();
  }
  return b;
}

}  // namespace minrepro::oracle
