/*
 * The single event loop: one curl multi handle plus timers, driven by an
 * injectable clock. Everything network-bound runs as callbacks on it; there
 * are no threads. loop_run_until() may be called from inside a callback
 * (a nested run keeps every other transfer and timer going), which lets
 * control-plane code such as discovery be written as straight-line calls.
 */
#ifndef APILOGS_LOOP_H
#define APILOGS_LOOP_H

#include <stdint.h>

struct loop;
struct loop_timer;

/*
 * A clock: milliseconds since the epoch. Tests inject a fake one; when it
 * has an advance function the loop runs in virtual time: instead of
 * sleeping until the next timer it moves the clock there (as long as no
 * real transfer is in flight).
 */
struct clock {
	int64_t (*now_ms)(void *arg);
	void *arg;
	void (*advance)(void *arg, int64_t to_ms);
};

typedef void (*loop_timer_cb)(void *arg);

extern const struct clock clock_system;

int64_t clock_now(const struct clock *);

/* Create a loop. Caller frees with loop_free(). */
struct loop *loop_new(const struct clock *);
void loop_free(struct loop *);
int64_t loop_now(struct loop *);
const struct clock *loop_clock(struct loop *);

/* Call cb(arg) once at or after when_ms. The timer frees itself after
 * firing; cancel it before then with loop_timer_cancel(). */
struct loop_timer *loop_timer_at(
    struct loop *, int64_t when_ms, loop_timer_cb, void *arg);
void loop_timer_cancel(struct loop *, struct loop_timer *);
/* The earliest pending deadline, or INT64_MAX. */
int64_t loop_next_deadline(struct loop *);
/* Fire every timer due at the clock's current time; returns how many. */
int loop_run_timers(struct loop *);

/*
 * Watch a descriptor (a child's pipe, say): cb(arg, revents) runs from
 * the loop when fd is ready for what events asks (LOOP_FD_IN, LOOP_FD_OUT;
 * end of file and errors count as readable). Returns a non-zero id; the
 * watch lasts until loop_fd_unwatch(id), which is harmless for an id that
 * is gone. The descriptor stays the caller's.
 */
#define LOOP_FD_IN 0x1
#define LOOP_FD_OUT 0x4
typedef void (*loop_fd_cb)(void *arg, int revents);
uint64_t loop_fd_watch(struct loop *, int fd, int events, loop_fd_cb, void *);
void loop_fd_unwatch(struct loop *, uint64_t id);

/*
 * Run until *done becomes non-zero, loop_stop() is called, or SIGINT/SIGTERM
 * arrives. Returns 0 when *done, 1 when stopped or interrupted.
 */
int loop_run_until(struct loop *, const int *done);
/* Make every loop_run_until return (e.g. on Ctrl-C or a fatal error). */
void loop_stop(struct loop *);
int loop_stopped(struct loop *);
/* Install SIGINT/SIGTERM handlers that stop the loop; ignore SIGPIPE. */
void loop_catch_signals(struct loop *);
/* Non-zero once SIGINT or SIGTERM was received. */
int loop_interrupted(void);

/* For http.c: the curl multi handle (CURLM *) and completion hook. */
void *loop_multi(struct loop *);
typedef void (*loop_done_cb)(void *easy, int result, void *arg);

#endif
