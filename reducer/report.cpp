#include "reducer/report.hpp"

#include <gnu/libc-version.h>
#include <sys/utsname.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "reducer/describe.hpp"
#include "reducer/diagnosis.hpp"
#include "reducer/session.hpp"
#include "runners/process.hpp"

namespace minrepro::report {
namespace fs = std::filesystem;

namespace {

std::string secs(double s) { return format_seconds(s); }
std::string num(double v) { return format_number(v); }

std::string join_flags(const std::vector<std::string>& flags) {
  std::string out;
  for (auto& f : flags) out += (out.empty() ? "" : " ") + shell_quote(f);
  return out;
}

// minrepro's build command without its work paths: "... case.cpp exit_probe.o ... -o prog".
std::string shorten_build(const std::string& command, const fs::path& workdir, const std::string& file_name) {
  std::istringstream in(command);
  std::string out;
  for (std::string w; in >> w;) {
    if (w == "-include") {  // the precompiled header of the include block: an implementation detail
      in >> w;
      continue;
    }
    if (w.find(workdir.string()) != std::string::npos) {
      w = fs::path(w).filename().string();
      if (w == file_name) w = "case.cpp";
    }
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

const char* what_it_does(const oracle::OracleConfig& oc) {
  switch (oc.kind) {
    case oracle::Kind::ExitHang:
      return "# exit begins, but the process never ends";
    case oracle::Kind::DelayedExit:
      return "# exit begins, and the process ends only after a long delay";
    case oracle::Kind::Hang:
      return "# the process never ends";
    case oracle::Kind::Crash:
      return "# the process dies from a signal";
    default:
      return "";
  }
}

// `reduce check ...` with every setting that matters for this case.
std::string check_command(const oracle::Config& c) {
  const oracle::OracleConfig& oc = c.oracle;
  std::string s = "reduce check --oracle " + shell_quote(oracle::kind_name(oc));
  if (c.toolchain.cxx != "g++") s += " --cxx " + shell_quote(c.toolchain.cxx);
  if (c.toolchain.flags != oracle::Toolchain{}.flags) s += " --cxxflags " + shell_quote(join_flags(c.toolchain.flags));
  if (!c.toolchain.ldflags.empty()) s += " --ldflags " + shell_quote(join_flags(c.toolchain.ldflags));
  bool exit_kind = oracle::is_exit_kind(oc.kind);
  if (exit_kind && oc.exit_begins == oracle::ExitBegins::MainReturn) s += " --exit-begins main-return";
  if (oc.kind == oracle::Kind::ExitHang) s += " --hang-after " + num(oc.hang_after);
  if (oc.kind == oracle::Kind::DelayedExit) s += " --min-delay " + num(oc.min_delay);
  if (oc.kind == oracle::Kind::Crash && oc.signal) s += std::string(" --signal SIG") + sigabbrev_np(oc.signal);
  return s + " --timeout " + num(oc.timeout) + " case.cpp";
}

std::string event_meaning(const std::string& event) {
  if (event == "main-enter") return "main started";
  if (event == "main-end") return "main's body is done; the destructors of main's locals run next";
  if (event == "main-return") return "main returned; static destructors and atexit handlers run next";
  if (event == "exit-called") return "exit() was called";
  return event;
}

void timeline(std::ostream& md, const oracle::RunEvidence& ev, const oracle::OracleConfig& oc) {
  md << "| time since start | event |\n| ---: | --- |\n";
  for (auto& m : ev.markers) {
    bool began = ev.exit_began && m.t == *ev.exit_began && m.event == ev.exit_event;
    md << "| " << secs(m.t) << " | " << (began ? "**exit began**: " : "") << event_meaning(m.event) << " (`" << m.event
       << "`) |\n";
  }
  double since = ev.exit_began ? ev.run.wall_s - *ev.exit_began : 0;
  if (ev.ended && ev.exit_began)
    md << "| " << secs(*ev.ended) << " | the process ended on its own (" << ev.run.describe_end() << "), "
       << secs(*ev.ended - *ev.exit_began) << " after exit began |\n";
  else if (ev.ended)
    md << "| " << secs(*ev.ended) << " | the process ended (" << ev.run.describe_end() << ") |\n";
  else if (ev.early)
    md << "| " << secs(ev.run.wall_s) << " | every thread blocked in an untimed wait, no CPU progress for 0.15 s, "
       << secs(since) << " after exit began: killed by minrepro (early verdict) |\n";
  else if (ev.exit_began && oc.kind == oracle::Kind::ExitHang)
    md << "| " << secs(ev.run.wall_s) << " | **still alive " << secs(since) << " after exit began** (hang_after "
       << num(oc.hang_after) << " s): killed by minrepro |\n";
  else if (ev.run.started)
    md << "| " << secs(ev.run.wall_s) << " | killed by minrepro: " << ev.why << " |\n";
}

void threads_table(std::ostream& md, const oracle::RunEvidence& ev) {
  pid_t exiting = ev.exit_tid ? ev.exit_tid : ev.run.pid;
  md << "| tid | name | state | wait | syscall | wchan | |\n| ---: | --- | --- | --- | --- | --- | --- |\n";
  for (auto& t : ev.threads) {
    auto& s = t.sample;
    md << "| " << s.tid << " | " << s.name << " | " << s.state << " | "
       << runners::to_string(t.progressed ? runners::Wait::Running : s.wait) << " | "
       << runners::syscall_name(s.syscall) << " | " << (s.wchan.empty() ? "-" : s.wchan) << " | "
       << (s.tid == exiting ? "exiting thread" : "") << " |\n";
  }
}

void backtraces(std::ostream& md, const oracle::RunEvidence& ev) {
  pid_t exiting = ev.exit_tid ? ev.exit_tid : ev.run.pid;
  md << "Innermost frame first (eu-stack, gdb as fallback); names over 120 characters without their template "
        "arguments and parameters.\n\n```\n";
  for (auto& t : ev.threads) {
    md << "thread " << t.sample.tid << (t.sample.tid == exiting ? " (exiting thread)" : "") << ":\n";
    if (t.frames.empty()) md << "    (none: eu-stack or gdb could not attach)\n";
    for (size_t i = 0; i < t.frames.size(); ++i) {
      const std::string& f = t.frames[i];
      md << "    #" << i << "  " << (f.size() <= 120 ? f : short_name(f) + "(...)") << "\n";
    }
  }
  md << "```\n";
}

void fd_table(std::ostream& md, const oracle::RunEvidence& ev) {
  md << "| fd | refers to |\n| ---: | --- |\n";
  for (auto& f : ev.fds) {
    std::string note;
    if (f.target.size() > 6 && f.target.compare(f.target.size() - 6, 6, ".probe") == 0)
      note = " (minrepro's exit probe)";
    else if (f.fd <= 2 && (f.target == "/dev/null" || f.target.rfind("pipe:", 0) == 0))
      note = f.fd == 0 ? " (stdin, given by minrepro)" : " (captured by minrepro)";
    else if (f.fd > 2)
      for (auto& std_fd : ev.fds)
        if (std_fd.fd <= 2 && std_fd.target == f.target)
          note = " (a copy of fd " + std::to_string(std_fd.fd) + ", left open by minrepro's process runner)";
    md << "| " << f.fd << " | `" << f.target << "`" << note << " |\n";
  }
}

std::string versions_table(const oracle::Config& c) {
  std::ostringstream md;
  std::string cxx = compiler_version_line(c.toolchain.cxx);
  struct utsname u {};
  uname(&u);
  md << "| | |\n| --- | --- |\n"
     << "| compiler | `" << (cxx.empty() ? c.toolchain.cxx + " (--version failed)" : cxx) << "` |\n"
     << "| flags | `" << join_flags(c.toolchain.flags) << "`"
     << (c.toolchain.ldflags.empty() ? "" : ", ldflags `" + join_flags(c.toolchain.ldflags) + "`") << " |\n"
     << "| C library | glibc " << gnu_get_libc_version() << " |\n"
     << "| kernel | " << u.sysname << " " << u.release << " " << u.machine << " (" << u.version << ") |\n"
     << "| minrepro | " << MINREPRO_VERSION << " |\n";
  return md.str();
}

std::string write_file(const fs::path& path, const std::string& text, bool executable) {
  if (auto st = reducer::write_atomically(path, text); !st) return st.error().message;
  std::error_code ec;
  if (executable)
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add,
                    ec);
  return "";
}

}  // namespace

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string compiler_version_line(const std::string& cxx) {
  runners::RunSpec spec;
  spec.program = oracle::find_program(cxx);
  if (spec.program.empty()) return "";
  spec.args = {"--version"};
  spec.deadline_s = 10;
  spec.limits.memory_mb = 4096;
  auto r = runners::run(spec);
  if (!r.exited_ok()) return "";
  return r.out.substr(0, r.out.find('\n'));
}

std::string short_version(const std::string& line) {
  std::istringstream in(line);
  std::string w, last, after_version;
  bool next = false;
  for (; in >> w; last = w) {
    if (next && after_version.empty()) after_version = w;
    next = w == "version";
  }
  std::string v = after_version.empty() ? last : after_version;
  return v.empty() || v.find_first_of("0123456789") != 0 ? "" : v;
}

std::string render_markdown(const Bundle& b) {
  const oracle::OracleConfig& oc = b.config.oracle;
  const oracle::RunEvidence& ev = b.shown;
  std::ostringstream md;
  md << "# minrepro report: " << oracle::kind_name(oc) << "\n\n"
     << "**Diagnosis:** " << b.diagnosis << "\n\n"
     << "- symptom: " << describe_oracle(oc) << "\n"
     << "- reproduced: " << b.hits << "/" << b.runs << " runs\n";
  if (!ev.signature.empty()) md << "- signature: " << ev.signature.describe() << "\n";
  md << "\n## The case (`case.cpp`)\n\n```cpp\n"
     << b.case_text << (b.case_text.ends_with("\n") ? "" : "\n") << "```\n\n## Build and run\n\n```sh\n"
     << shell_quote(b.config.toolchain.cxx) << " " << join_flags(b.config.toolchain.flags) << " case.cpp"
     << (b.config.toolchain.ldflags.empty() ? "" : " " + join_flags(b.config.toolchain.ldflags)) << " -o case\n"
     << "./case    " << what_it_does(oc) << "\n```\n\n"
     << "`bash repro.sh` builds and runs it and checks for the symptom by itself (exit status 0: it shows, "
        "1: it does not; `CXX=clang++ bash repro.sh` to try another compiler). With minrepro:\n\n```sh\n"
     << check_command(b.config) << "\n```\n\n";
  if (!b.build_command.empty())
    md << "minrepro built it with its exit probe linked in (`--wrap=main`/`--wrap=exit` timestamp when exit "
          "begins):\n\n```sh\n"
       << b.build_command << "\n```\n\n";
  md << "## Toolchain\n\n" << versions_table(b.config) << "\n";
  if (!b.build_errors.empty()) {
    md << "## Compiler errors\n\n```\n" << b.build_errors << "```\n\n";
    return md.str();
  }
  md << "## Symptom timeline\n\n";
  if (!ev.run.started)
    md << "(no run)\n\n";
  else {
    timeline(md, ev, oc);
    md << "\n";
  }
  md << "## Reproduction rate\n\n"
     << b.hits << "/" << b.runs << " runs reproduced (" << describe_oracle(oc)
     << "; exit-hang runs may be decided early, once every thread sits in an untimed wait or sleeps past the verdict).\n\n";
  bool delay = ev.ended.has_value();
  if (!ev.threads.empty()) {
    md << (delay ? "## Threads during the delay\n\n" : "## Threads at the hang\n\n");
    threads_table(md, ev);
    md << "\n## Backtraces\n\n";
    backtraces(md, ev);
  }
  for (auto [name, text] : {std::pair{"stdout", &ev.run.out}, std::pair{"stderr", &ev.run.err}}) {
    if (text->empty()) continue;
    std::istringstream in(*text);
    md << "\n## Program " << name << "\n\nThe first lines, of the run shown.\n\n```\n";
    int n = 0;
    for (std::string line; n < 20 && std::getline(in, line); ++n) md << line << "\n";
    md << "```\n";
  }
  if (!ev.fds.empty()) {
    md << "\n## Open file descriptors\n\n"
       << (delay ? "Of the process during the delay.\n\n" : "Of the hung process, at the verdict.\n\n");
    fd_table(md, ev);
  }
  return md.str();
}

Status add_section(const fs::path& dir, const std::string& title, const std::string& body, const std::string& heading) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"cannot create " + dir.string() + ": " + ec.message() + " (choose another --report DIR)"};
  std::string md;
  if (std::ifstream in(dir / "report.md"); in) {
    std::stringstream ss;
    ss << in.rdbuf();
    md = ss.str();
  } else {
    md = "# minrepro report: " + heading + "\n";
  }
  std::string marker = "\n## " + title + "\n";
  if (size_t at = md.find(marker); at != std::string::npos) {
    size_t next = md.find("\n## ", at + marker.size());
    md.erase(at, next == std::string::npos ? std::string::npos : next - at);
  }
  if (!md.ends_with("\n")) md += "\n";
  md += marker + "\n" + body;
  if (auto err = write_file(dir / "report.md", md, false); !err.empty()) return Error{err};
  return Ok{};
}

Status write_bundle(oracle::Oracle& oracle, const cli::Options& o, const std::string& text, const oracle::Verdict& v,
                    const oracle::Signature* expect, std::ostream& out) {
  const oracle::OracleConfig& oc = o.config.oracle;
  Bundle b;
  b.case_text = text;
  b.config = o.config;
  b.hits = v.hits;
  b.runs = v.runs;
  std::string file_name = o.input.filename().string();
  if (!v.build.command.empty()) b.build_command = shorten_build(v.build.command, oracle.workdir(), file_name);
  if (!v.built) b.build_errors = v.build.first_errors(20);
  const oracle::RunEvidence* shown = nullptr;
  for (auto& ev : v.evidence)
    if (!shown && ev.reproduced) shown = &ev;
  if (!shown && !v.evidence.empty()) shown = &v.evidence.front();
  oracle::CheckOptions co;
  co.min_hits = 1;
  co.expect = expect;
  // An early verdict ends the run before hang_after: one full run for a timeline that shows it.
  oracle::Verdict full;
  if (shown && shown->reproduced && shown->early && oc.kind == oracle::Kind::ExitHang && !oracle.cancelled()) {
    co.runs = 1;
    co.early_verdict = false;
    full = oracle.check(text, co);
    b.hits += full.hits;
    b.runs += full.runs;
    if (full.hits) shown = &full.evidence.front();
    co.early_verdict.reset();
  }
  if (v.built && b.runs < o.report_runs && !oracle.cancelled()) {
    co.runs = o.report_runs - b.runs;
    co.backtraces = false;
    auto more = oracle.check(text, co);
    b.hits += more.hits;
    b.runs += more.runs;
  }
  if (oracle.cancelled()) return Error{"interrupted; no report written"};
  if (shown) b.shown = *shown;
  b.diagnosis = v.built ? diagnose(b.shown, oc) : v.why;
  bool hooks = oracle::is_exit_kind(oc.kind) &&
               oc.exit_begins == oracle::ExitBegins::MainEnd;
  b.compiled_text = hooks ? oracle.instrumented(text) : text;
  if (hooks) {  // diagnostics of the script's build name case.cpp
    std::string from = "#line 1 \"" + file_name + "\"";
    if (size_t at = b.compiled_text.find(from); at != std::string::npos)
      b.compiled_text.replace(at, from.size(), "#line 1 \"case.cpp\"");
  }

  const fs::path& dir = o.report_dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"cannot create " + dir.string() + ": " + ec.message() + " (choose another --report DIR)"};
  std::string err = write_file(dir / "case.cpp", b.case_text, false);
  if (err.empty()) err = write_file(dir / "repro.sh", render_script(b), true);
  if (err.empty()) err = write_file(dir / "report.md", render_markdown(b), false);
  if (!err.empty()) return Error{err};
  out << "report: wrote " << (dir / "report.md").string() << ", " << (dir / "repro.sh").string() << ", "
      << (dir / "case.cpp").string() << " (" << b.hits << "/" << b.runs << " runs reproduced)\n"
      << "diagnosis: " << b.diagnosis << "\n";
  return Ok{};
}

}  // namespace minrepro::report
