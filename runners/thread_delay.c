/* Preloaded (LD_PRELOAD) into a candidate for one of the oracle's perturbed
 * runs: every thread the program creates sleeps MINREPRO_THREAD_DELAY_MS
 * milliseconds before its start routine runs. A deterministic exit hang does
 * not care; a candidate that only hangs when main outruns a new thread (the
 * edit removed the wait for "worker ready") stops hanging, and is rejected. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef int (*create_fn)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);

struct start {
  void* (*routine)(void*);
  void* arg;
};

static long delay_ms(void) {
  const char* v = getenv("MINREPRO_THREAD_DELAY_MS");
  return v ? strtol(v, NULL, 10) : 0;
}

static void* delayed(void* p) {
  struct start s = *(struct start*)p;
  free(p);
  struct timespec ts = {delay_ms() / 1000, (delay_ms() % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
  return s.routine(s.arg);
}

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*routine)(void*), void* arg) {
  static create_fn real;
  if (!real) real = (create_fn)dlsym(RTLD_NEXT, "pthread_create");
  if (!real) return EAGAIN;
  struct start* s = malloc(sizeof *s);
  if (!s || delay_ms() <= 0) {
    free(s);
    return real(thread, attr, routine, arg);
  }
  s->routine = routine;
  s->arg = arg;
  int rc = real(thread, attr, delayed, s);
  if (rc != 0) free(s);
  return rc;
}
