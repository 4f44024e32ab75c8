// repro.sh: a standalone reproducer for a bug report. It needs a C++ compiler
// and coreutils only: it writes the case and a tiny exit marker (main wrapped
// with --wrap=main, like minrepro's probe) from here-documents, builds them,
// runs the program under `timeout -s KILL` in a process group of its own,
// decides from the markers whether the symptom shows, and kills the group.
#include <cstring>

#include "reducer/describe.hpp"
#include "reducer/report.hpp"

namespace minrepro::report {
namespace {

const char* const kHeader = R"SH(#!/usr/bin/env bash
# Standalone reproducer written by minrepro @VERSION@. It builds the case below and checks
# for the symptom, @SYMPTOM_TEXT@.
# Needs a C++ compiler and coreutils (timeout, date, mktemp, cat, head).
#   bash repro.sh               # with @CXX@, as minrepro built it
#   CXX=clang++ bash repro.sh   # with another compiler
# Exit status: 0 the symptom shows, 1 it does not, 2 the case does not build.
set -u

CXX="${CXX:-@CXX@}"
CXXFLAGS=(@CXXFLAGS@)
LDFLAGS=(@LDFLAGS@)
SYMPTOM=@KIND@      # exit-hang | delayed-exit | hang | crash | script
EXIT_EVENTS="@EXIT_EVENTS@"   # the markers that mean "exit began"
HANG_AFTER=@HANG_AFTER@     # exit-hang: still alive this many seconds after exit began
MIN_DELAY=@MIN_DELAY@      # delayed-exit: ended at least this many seconds after exit began
TIMEOUT=@TIMEOUT@        # seconds for exit to begin (hang: to end)
SIGNAL=@SIGNAL@         # crash: this signal only (0: any)
SCRIPT=@SCRIPT@         # script: the interestingness test, run in a directory holding case.cpp

)SH";

const char* const kShim = R"SH(
# Timestamps (CLOCK_REALTIME ns, like `date +%s%N`) of main's start, the end of its
# body, its return and calls of exit(), appended to the file named by REPRO_MARKERS.
cat >"$work/exit_marker.cpp" <<'MINREPRO_SHIM_END'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern "C" {
int __real_main(int, char**, char**);
[[noreturn]] void __real_exit(int);

static int marker_fd = -1;

static void mark(const char* event) {
  if (marker_fd < 0) return;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char line[96];
  int n = snprintf(line, sizeof line, "%s %d %lld%09ld\n", event, (int)getpid(), (long long)ts.tv_sec, ts.tv_nsec);
  if (n <= 0 || write(marker_fd, line, (size_t)n) < 0) marker_fd = -1;
}

int __wrap_main(int argc, char** argv, char** envp) {
  if (const char* path = getenv("REPRO_MARKERS")) marker_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
  mark("main-enter");
  int rc = __real_main(argc, argv, envp);
  mark("main-return");
  return rc;
}

[[noreturn]] void __wrap_exit(int code) {
  mark("exit-called");
  __real_exit(code);
}

int __repro_main_end(int rc) noexcept {
  mark("main-end");
  return rc;
}

void __repro_main_end_void() noexcept { mark("main-end"); }
}
MINREPRO_SHIM_END
)SH";

const char* const kBody = R"SH(
# Seconds ("0.3") to nanoseconds, with bash arithmetic only.
ns() {
  local s=$1 int frac=
  int=${s%%.*}
  [ "$int" != "$s" ] && frac=${s#*.}
  frac="${frac}000000000"
  echo $(( ${int:-0} * 1000000000 + 10#${frac:0:9} ))
}
now() { date +%s%N; }
show() { printf '%d.%03d s' $(( $1 / 1000000000 )) $(( $1 / 1000000 % 1000 )); }
alive() { kill -0 "$runner" 2>/dev/null; }

# The markers of the program's own process (a forked child writes its own).
pid= entered= began= event=
read_markers() {
  local ev p t
  while read -r ev p t; do
    [ -z "$pid" ] && [ "$ev" = main-enter ] && pid=$p
    [ "$p" = "$pid" ] || continue
    [ "$ev" = main-enter ] && entered=$t
    case " $EXIT_EVENTS " in *" $ev "*) [ -z "$began" ] && began=$t && event=$ev ;; esac
  done <"$markers"
}

output() {
  local f
  for f in stdout stderr; do
    [ -s "$work/$f" ] && { echo "program $f (first lines):"; head -n 10 "$work/$f"; }
  done
  return 0
}

threads() {
  [ -n "$pid" ] && [ -d "/proc/$pid/task" ] || return 0
  echo "threads of process $pid:"
  local t stat
  for t in /proc/"$pid"/task/*; do
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    echo "  tid ${t##*/}: state ${stat%% *}, wchan $(cat "$t/wchan" 2>/dev/null)"
  done
}

command -v "$CXX" >/dev/null || { echo "repro.sh: no compiler '$CXX' (set CXX)"; exit 2; }
echo "repro.sh: building with $CXX ${CXXFLAGS[*]+${CXXFLAGS[*]}}"
if ! "$CXX" ${CXXFLAGS[@]+"${CXXFLAGS[@]}"} "$work/case.cpp" "$work/exit_marker.cpp" -Wl,--wrap=main \
    -Wl,--wrap=exit ${LDFLAGS[@]+"${LDFLAGS[@]}"} -o "$work/prog" 2>"$work/build.log"; then
  echo "repro.sh: the case does not build with $CXX:"
  head -n 20 "$work/build.log"
  exit 2
fi

if [ "$SYMPTOM" = script ]; then
  (cd "$work" && "$SCRIPT" case.cpp) && { echo "repro.sh: SYMPTOM SHOWN (the script says interesting)"; exit 0; }
  echo "repro.sh: symptom not shown (the script says not interesting)"
  exit 1
fi

markers="$work/markers"
: >"$markers"
limit=$(( ($(ns "$TIMEOUT") + $(ns "$HANG_AFTER")) / 1000000000 + 2 ))
start=$(now)
# timeout puts itself and the program in a process group of their own: killing
# that group (on every exit of this script) kills whatever the program started too.
REPRO_MARKERS="$markers" timeout -s KILL "$limit" "$work/prog" </dev/null >"$work/stdout" 2>"$work/stderr" &
runner=$!
group=$runner
deadline=$(( start + $(ns "$TIMEOUT") ))
read_markers
while [ -z "$began" ] && [ "$SYMPTOM" != hang ] && [ "$SYMPTOM" != crash ] && alive && [ "$(now)" -lt "$deadline" ]; do
  sleep 0.02
  read_markers
done
read_markers

ended() {  # waits for the program; sets status and end
  wait "$runner" 2>/dev/null
  status=$?
  end=$(now)
  runner=
}

case "$SYMPTOM" in
  hang)
    while alive && [ "$(now)" -lt "$deadline" ]; do sleep 0.05; done
    if alive; then
      echo "repro.sh: SYMPTOM SHOWN (hang): still running after $TIMEOUT s"
      threads
      exit 0
    fi
    ended
    echo "repro.sh: symptom not shown: the program ended (status $status) after $(show $((end - start)))"
    output
    exit 1 ;;
  crash)
    ended
    if [ "$status" -gt 128 ] && [ "$status" -ne 137 ] && { [ "$SIGNAL" = 0 ] || [ "$status" -eq $((128 + SIGNAL)) ]; }; then
      echo "repro.sh: SYMPTOM SHOWN (crash): killed by signal $((status - 128))"
      exit 0
    fi
    echo "repro.sh: symptom not shown: exit status $status"
    output
    exit 1 ;;
esac

if [ -z "$began" ]; then
  if alive; then
    echo "repro.sh: symptom not shown: exit did not begin within $TIMEOUT s"
  else
    ended
    echo "repro.sh: symptom not shown: the program ended (status $status) before exit began"
    output
  fi
  exit 1
fi
echo "repro.sh: exit began ($event) $(show $((began - start))) after start"

if [ "$SYMPTOM" = exit-hang ]; then
  target=$(( began + $(ns "$HANG_AFTER") ))
  while alive && [ "$(now)" -lt "$target" ]; do sleep 0.02; done
  if alive; then
    t=$(now)
    echo "repro.sh: SYMPTOM SHOWN (exit-hang): still alive $(show $((t - began))) after exit began (hang_after $HANG_AFTER s); killing it"
    threads
    exit 0
  fi
  ended
  echo "repro.sh: symptom not shown: the program ended (status $status) $(show $((end - began))) after exit began"
  output
  exit 1
fi

# delayed-exit
ended
if [ "$status" -eq 137 ]; then
  echo "repro.sh: symptom not shown: still alive at the ${limit} s limit (a hang, not a delayed exit)"
  exit 1
fi
delay=$((end - began))
if [ "$delay" -ge "$(ns "$MIN_DELAY")" ]; then
  echo "repro.sh: SYMPTOM SHOWN (delayed-exit): the program ended (status $status) $(show "$delay") after exit began (min_delay $MIN_DELAY s)"
  exit 0
fi
echo "repro.sh: symptom not shown: the program ended (status $status) $(show "$delay") after exit began (under min_delay $MIN_DELAY s)"
output
exit 1
)SH";

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string words(const std::vector<std::string>& v) {
  std::string out;
  for (auto& w : v) out += (out.empty() ? "" : " ") + shell_quote(w);
  return out;
}

std::string seconds(double v) { return format_number(v); }

std::string symptom_text(const oracle::OracleConfig& oc) {
  switch (oc.kind) {
    case oracle::Kind::ExitHang:
      return "exit-hang: exit begins and the process is still alive HANG_AFTER seconds later";
    case oracle::Kind::DelayedExit:
      return "delayed-exit: exit begins and the process ends on its own, but only MIN_DELAY seconds or more later";
    case oracle::Kind::Hang:
      return "hang: the process still runs after TIMEOUT seconds";
    case oracle::Kind::Crash:
      return "crash: the process dies from a signal";
    default:
      return "script: the interestingness test SCRIPT says the case is interesting";
  }
}

}  // namespace

std::string render_script(const Bundle& b) {
  const oracle::OracleConfig& oc = b.config.oracle;
  std::string s = kHeader;
  replace_all(s, "@VERSION@", MINREPRO_VERSION);
  replace_all(s, "@SYMPTOM_TEXT@", symptom_text(oc));
  replace_all(s, "@CXX@", b.config.toolchain.cxx);
  replace_all(s, "@CXXFLAGS@", words(b.config.toolchain.flags));
  replace_all(s, "@LDFLAGS@", words(b.config.toolchain.ldflags));
  std::string kind = oracle::kind_name(oc);
  replace_all(s, "@KIND@", oc.kind == oracle::Kind::Script ? "script" : kind);
  replace_all(
      s, "@EXIT_EVENTS@",
      oc.exit_begins == oracle::ExitBegins::MainEnd ? "main-end main-return exit-called" : "main-return exit-called");
  replace_all(s, "@HANG_AFTER@", seconds(oc.hang_after));
  replace_all(s, "@MIN_DELAY@", seconds(oc.min_delay));
  replace_all(s, "@TIMEOUT@", seconds(oc.timeout));
  replace_all(s, "@SIGNAL@", std::to_string(oc.signal));
  replace_all(s, "@SCRIPT@", shell_quote(oc.script.empty() ? std::string("none") : oc.script));
  // The here-document's end marker must not be a line of the case.
  std::string end = "MINREPRO_CASE_END";
  while (b.compiled_text.find(end) != std::string::npos) end += "_";
  s += "work=$(mktemp -d \"${TMPDIR:-/tmp}/repro.XXXXXX\") || exit 2\n"
       "runner= group=\n"
       "# True while a process of the program's group is alive (a zombie is not).\n"
       "group_alive() {\n"
       "  local f s\n"
       "  for f in /proc/[0-9]*/stat; do\n"
       "    read -r s <\"$f\" 2>/dev/null || continue\n"
       "    s=${s##*) }  # state ppid pgrp ...\n"
       "    set -- $s\n"
       "    [ \"$3\" = \"$group\" ] && [ \"$1\" != Z ] && return 0\n"
       "  done\n"
       "  return 1\n"
       "}\n"
       "finish() {  # nothing the program started outlives the script\n"
       "  [ -n \"$group\" ] && kill -KILL -- \"-$group\" 2>/dev/null\n"
       "  [ -n \"$runner\" ] && kill -KILL \"$runner\" 2>/dev/null && wait \"$runner\" 2>/dev/null\n"
       "  # SIGKILL takes a moment (a process with threads in the kernel): wait until it is done.\n"
       "  local i=0\n"
       "  while [ -n \"$group\" ] && [ $i -lt 500 ] && group_alive; do sleep 0.01; i=$((i + 1)); done\n"
       "  rm -rf \"$work\"\n"
       "}\n"
       "trap 'finish 2>/dev/null' EXIT\n"
       "trap 'exit 130' INT TERM HUP\n\n";
  if (b.compiled_text != b.case_text)
    s += "# The case, with two hooks (__repro_main_end) that mark the end of main's body;\n"
         "# case.cpp beside this script is the case without them.\n";
  else
    s += "# The case (the same as case.cpp beside this script).\n";
  s += "cat >\"$work/case.cpp\" <<'" + end + "'\n" + b.compiled_text + (b.compiled_text.ends_with("\n") ? "" : "\n") +
       end + "\n";
  s += kShim;
  s += kBody;
  return s;
}

}  // namespace minrepro::report
