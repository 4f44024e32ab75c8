#include "reducer/describe.hpp"

#include <cstdio>
#include <cstring>

#include "reducer/diagnosis.hpp"

namespace minrepro {

std::string format_seconds(double s, int width) {
  char buf[40];
  snprintf(buf, sizeof buf, "%*.3f s", width, s);
  return buf;
}

namespace {
std::string secs(double s) { return format_seconds(s, 7); }
std::string num(double v) { return format_number(v); }
}  // namespace

std::string describe_oracle(const oracle::OracleConfig& oc) {
  std::string s = oracle::kind_name(oc);
  std::string begins = oc.exit_begins == oracle::ExitBegins::MainEnd ? "main-end" : "main-return";
  switch (oc.kind) {
    case oracle::Kind::ExitHang: s += ", exit begins at " + begins + ", hang_after " + num(oc.hang_after) + " s"; break;
    case oracle::Kind::DelayedExit: s += ", exit begins at " + begins + ", min_delay " + num(oc.min_delay) + " s"; break;
    case oracle::Kind::Crash: if (oc.signal) s += std::string(", signal SIG") + sigabbrev_np(oc.signal); break;
    default: break;
  }
  s += ", timeout " + num(oc.timeout) + " s";
  if (oc.runs > 1) s += ", " + std::to_string(oc.min_hits) + " of " + std::to_string(oc.runs) + " runs";
  return s;
}

void print_run(std::ostream& out, const oracle::RunEvidence& ev, bool backtraces) {
  out << "  timeline:\n";
  for (auto& m : ev.markers)
    out << "    " << secs(m.t) << "  " << m.event
        << (ev.exit_began && m.t == *ev.exit_began && m.event == ev.exit_event ? "   <- exit began" : "")
        << "\n";
  if (ev.ended)
    out << "    " << secs(*ev.ended) << "  process ended: " << ev.run.describe_end() << "\n";
  else if (ev.run.started)
    out << "    " << secs(ev.run.wall_s) << "  killed by minrepro (verdict" << (ev.early ? ", early" : "")
        << ")\n";
  if (ev.run.started && ev.ended) {
    out << "  exit status: " << ev.run.describe_end() << "\n";
  }
  if (ev.run.out_truncated || ev.run.err_truncated) out << "  output: truncated at the cap\n";
  if (!ev.threads.empty()) {
    out << "  threads" << (ev.ended ? " during the delay" : " at the verdict") << ":\n";
    char line[256];
    snprintf(line, sizeof line, "    %-8s %-16s %-5s %-16s %-22s %s\n", "tid", "name", "state", "syscall",
             "wchan", "wait");
    out << line;
    for (auto& t : ev.threads) {
      auto& s = t.sample;
      snprintf(line, sizeof line, "    %-8d %-16s %-5c %-16s %-22s %s%s\n", s.tid, s.name.c_str(), s.state,
               runners::syscall_name(s.syscall).c_str(), s.wchan.empty() ? "-" : s.wchan.c_str(),
               runners::to_string(t.progressed ? runners::Wait::Running : s.wait),
               s.tid == ev.exit_tid ? "   <- exiting thread" : "");
      out << line;
    }
    if (backtraces)
      for (auto& t : ev.threads) {
        out << "  backtrace of thread " << t.sample.tid << ":\n";
        if (t.frames.empty()) out << "    (none: eu-stack or gdb could not attach)\n";
        for (size_t i = 0; i < t.frames.size(); ++i) {
          const std::string& f = t.frames[i];  // long template names: just the function
          out << "    #" << i << "  " << (f.size() <= 120 ? f : report::short_name(f) + "(...)") << "\n";
        }
      }
    out << "  signature: " << ev.signature.describe() << "\n";
  }
}

void print_verdict(std::ostream& out, const oracle::Verdict& v, bool backtraces) {
  if (!v.build.command.empty())
    out << "build: " << (v.build.ok ? "ok" : "FAILED") << " (" << secs(v.build.seconds).substr(1) << ")  "
        << v.build.command << "\n";
  if (!v.built) {
    if (!v.build.ok) out << "compiler errors:\n" << v.build.first_errors(8);
    out << "result: not reproduced: " << v.why << "\n";
    return;
  }
  bool shown_hit = false;  // the first run in full, and the first that reproduced (a flaky case's signature)
  for (size_t i = 0; i < v.evidence.size(); ++i) {
    auto& ev = v.evidence[i];
    out << "run " << i + 1 << "/" << v.evidence.size() << ": " << (ev.reproduced ? "REPRODUCED" : "not reproduced")
        << " - " << ev.why << (ev.early ? " (early verdict)" : "") << "\n";
    if (i == 0 || v.evidence.size() <= 3 || backtraces || (ev.reproduced && !shown_hit)) print_run(out, ev, backtraces);
    shown_hit = shown_hit || ev.reproduced;
  }
  out << "result: " << (v.reproduced ? "reproduced" : "not reproduced") << " (" << v.hits << "/" << v.runs
      << " runs)\n";
}

}  // namespace minrepro
