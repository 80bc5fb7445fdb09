/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The single event loop: one curl multi handle plus timers, driven by an
 * injectable clock. Everything network-bound runs as callbacks on it; there
 * are no threads. No callback may run the loop: loop_run_until() is
 * for the command layer (and the blocking *_sync wrappers it uses), before
 * or after the engine's run, never from inside a timer, transfer or
 * descriptor callback. Asynchronous work is an owned handle (a timer id, an
 * aws_op) that its owner cancels when it goes away.
 */
#ifndef APILOGS_LOOP_H
#define APILOGS_LOOP_H

#include <stdint.h>

#include "aws/clock.h"

struct loop;

typedef void (*loop_timer_cb)(void *arg);

/* Create a loop on clock c (NULL: the system clock). Caller frees with
 * loop_free(). NULL with *cause (caller frees; cause may be NULL) when
 * libcurl cannot be loaded. */
struct loop *loop_new(const struct clock *, char **cause);
void loop_free(struct loop *);
/* Wall-clock time (epoch ms): for timestamps, windows and signing only. */
int64_t loop_now(struct loop *);
/* Monotonic time (ms): for deadlines and durations. */
int64_t loop_mono(struct loop *);
const struct clock *loop_clock(struct loop *);

/*
 * Call cb(arg) once at or after monotonic time when_ms (loop_timer_at) or
 * after delay_ms (loop_timer_in). Returns the timer's id, never 0. The
 * timer is gone once it fired; loop_timer_cancel() before then keeps it
 * from firing, and is harmless for an id that already fired or was
 * cancelled (and for 0).
 */
uint64_t loop_timer_at(
    struct loop *, int64_t when_ms, loop_timer_cb, void *arg);
uint64_t loop_timer_in(
    struct loop *, int64_t delay_ms, loop_timer_cb, void *arg);
void loop_timer_cancel(struct loop *, uint64_t id);
/* The earliest pending deadline (monotonic), or INT64_MAX. */
int64_t loop_next_deadline(struct loop *);
/* Fire every timer due at the clock's current time; returns how many. */
int loop_run_timers(struct loop *);

/*
 * Watch a descriptor (a child's pipe, say): cb(arg, revents) runs from
 * the loop when fd is ready for what events asks (LOOP_FD_IN, LOOP_FD_OUT;
 * end of file and errors count as readable). events LOOP_FD_HUP alone
 * asks only whether the other end is gone (a pipe whose reader closed,
 * POLLERR/POLLHUP): checked each time the loop wakes, at least once a
 * second, without making the loop wait on it. Returns a non-zero id; the
 * watch lasts until loop_fd_unwatch(id), which is harmless for an id that
 * is gone (also from inside the callback). The descriptor stays the
 * caller's.
 */
#define LOOP_FD_IN 0x1
#define LOOP_FD_OUT 0x4
#define LOOP_FD_HUP 0x10
typedef void (*loop_fd_cb)(void *arg, int revents);
uint64_t loop_fd_watch(struct loop *, int fd, int events, loop_fd_cb, void *);
void loop_fd_unwatch(struct loop *, uint64_t id);

/*
 * Something real (a child process polled by a timer) is awaited (delta 1)
 * or no longer (delta -1). In virtual time the loop then lets real time
 * pass before it jumps to a timer, so that the virtual clock cannot run
 * ahead of what it waits for. No effect on the system clock.
 */
void loop_real_wait(struct loop *, int delta);

/*
 * Run until *done becomes non-zero, loop_stop() is called, or SIGINT/SIGTERM
 * arrives. Returns 0 when *done, 1 when stopped or interrupted.
 */
int loop_run_until(struct loop *, const int *done);
/*
 * After a stop (loop_stop, Ctrl-C) or an error, run the loop once more
 * until *done, for at most max_ms: for clean-up calls that must reach the
 * service (stopping Logs Insights queries). A signal that arrived before
 * is ignored for this run; a new one ends it. A stop from before (or one
 * made during the run) stays in force afterwards; running out of max_ms
 * is not a stop, so the loop runs on for what comes next. Returns 0 when
 * *done, 1 otherwise. The command layer only.
 */
int loop_run_grace(struct loop *, const int *done, int64_t max_ms);
/* Make every loop_run_until return (e.g. on Ctrl-C or a fatal error). */
void loop_stop(struct loop *);
int loop_stopped(struct loop *);
/* Install SIGINT/SIGTERM handlers that stop the loop; ignore SIGPIPE. */
void loop_catch_signals(struct loop *);
/* Non-zero once SIGINT or SIGTERM was received. */
int loop_interrupted(void);

/*
 * Transfers, for http.c: the loop drives a curl multi handle. A transfer
 * layer adds an easy handle (CURL *) with loop_xfer_add(), naming the hook
 * that runs, from the loop, when curl reports it done (result is its
 * CURLcode); the hook removes it with loop_xfer_remove() (also used to
 * abort one). The loop knows nothing else of transfers.
 */
typedef void (*loop_xfer_done_cb)(void *arg, void *easy, int result);
void loop_xfer_add(struct loop *, void *easy, loop_xfer_done_cb, void *arg);
void loop_xfer_remove(struct loop *, void *easy);
/* Transfers added and not removed yet. */
int loop_xfers(struct loop *);

#endif
