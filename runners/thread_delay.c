/* Preloaded (LD_PRELOAD) into a candidate for the oracle's perturbed runs.
 * With MINREPRO_THREAD_DELAY_MS, every thread the program creates sleeps that
 * many milliseconds before its start routine runs. With
 * MINREPRO_CREATOR_DELAY_MS, the thread that created one sleeps that many
 * milliseconds once pthread_create() returns: the new thread goes first. With
 * MINREPRO_CHILD_WRITE_DELAY_MS, every write() of a child process (a shell,
 * `cat`, a forked copy: any process below the candidate that inherited the
 * preload) sleeps first. A deterministic exit hang does not care; a candidate
 * that only hangs when main outruns a new thread (the edit removed the wait
 * for "worker ready"), or when a new thread does not outrun main (a condition
 * variable's predicate removed: a notify before the wait is lost), or when the
 * shell's output gets through before main's exit closes the pipe (main reads
 * one line of three), stops hanging, and is rejected. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

typedef int (*create_fn)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);

struct start {
  void* (*routine)(void*);
  void* arg;
};

static long env_ms(const char* name) {
  const char* v = getenv(name);
  return v ? strtol(v, NULL, 10) : 0;
}
static long delay_ms(void) { return env_ms("MINREPRO_THREAD_DELAY_MS"); }

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static void* delayed(void* p) {
  struct start s = *(struct start*)p;
  free(p);
  sleep_ms(delay_ms());
  return s.routine(s.arg);
}

/* The candidate is the first process that loads the library; it names itself
 * in the environment its children inherit. */
static pid_t root_pid;

__attribute__((constructor)) static void find_root(void) {
  const char* r = getenv("MINREPRO_PERTURB_ROOT");
  if (r) {
    root_pid = (pid_t)strtol(r, NULL, 10);
    return;
  }
  root_pid = getpid();
  char buf[24];
  snprintf(buf, sizeof buf, "%ld", (long)root_pid);
  setenv("MINREPRO_PERTURB_ROOT", buf, 1);
}

typedef ssize_t (*write_fn)(int, const void*, size_t);

ssize_t write(int fd, const void* buf, size_t n) {
  static write_fn real;
  if (!real) real = (write_fn)dlsym(RTLD_NEXT, "write");
  if (!real) {
    errno = ENOSYS;
    return -1;
  }
  long ms = env_ms("MINREPRO_CHILD_WRITE_DELAY_MS");
  if (ms > 0 && getpid() != root_pid) sleep_ms(ms);
  return real(fd, buf, n);
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*routine)(void*), void* arg) {
  static create_fn real;
  if (!real) real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
  if (!real) return EAGAIN;
  long creator_ms = env_ms("MINREPRO_CREATOR_DELAY_MS");
  struct start* s = malloc(sizeof *s);
  if (!s || delay_ms() <= 0) {
    free(s);
    int rc = real(thread, attr, routine, arg);
    if (rc == 0 && creator_ms > 0) sleep_ms(creator_ms);
    return rc;
  }
  s->routine = routine;
  s->arg = arg;
  int rc = real(thread, attr, delayed, s);
  if (rc != 0) free(s);
  return rc;
}
