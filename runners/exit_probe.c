/* The exit probe, linked into every candidate with -Wl,--wrap=main -Wl,--wrap=exit.
 * It appends one line per event to the file named by MINREPRO_PROBE:
 *   "<event> <pid> <tid> <CLOCK_MONOTONIC ns>"
 * Events: main-enter, main-end (from the oracle's source instrumentation),
 * main-return, exit-called. Only async-signal-safe calls after the first open.
 * With MINREPRO_EXIT_DELAY_MS set (one of the oracle's perturbed runs), the
 * exit begins that many milliseconds late: main-end and exit-called sleep
 * before they are marked, so the other threads get ahead of the exit. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int __real_main(int, char**, char**);
void __real_exit(int) __attribute__((noreturn));

static int probe_fd = -1;
static long exit_delay_ms;

static char* put_num(char* p, unsigned long long v) {
  char tmp[24];
  int n = 0;
  do tmp[n++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (n) *p++ = tmp[--n];
  return p;
}

static void delay_exit(void) {
  struct timespec ts = {exit_delay_ms / 1000, (exit_delay_ms % 1000) * 1000000L};
  while (exit_delay_ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void mark(const char* event) {
  if (probe_fd < 0) return;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  char line[128], *p = line;
  size_t len = strlen(event);
  memcpy(p, event, len);
  p += len;
  *p++ = ' ';
  p = put_num(p, (unsigned long long)getpid());
  *p++ = ' ';
  p = put_num(p, (unsigned long long)syscall(SYS_gettid));
  *p++ = ' ';
  p = put_num(p, (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec);
  *p++ = '\n';
  ssize_t ignored = write(probe_fd, line, (size_t)(p - line));
  (void)ignored;
}

int __wrap_main(int argc, char** argv, char** envp) {
  const char* path = getenv("MINREPRO_PROBE");
  if (path) probe_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  const char* delay = getenv("MINREPRO_EXIT_DELAY_MS");
  if (delay) exit_delay_ms = strtol(delay, NULL, 10);
  mark("main-enter");
  int rc = __real_main(argc, argv, envp);
  mark("main-return");
  return rc;
}

void __wrap_exit(int code) {
  delay_exit();
  mark("exit-called");
  __real_exit(code);
}

/* Called by the instrumentation: `return X;` in main becomes
 * `return __repro_main_end(X);`, and main's closing brace gets a call too. */
int __repro_main_end(int rc) {
  delay_exit();
  mark("main-end");
  return rc;
}

void __repro_main_end_void(void) {
  delay_exit();
  mark("main-end");
}
