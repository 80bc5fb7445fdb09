/* SPDX-License-Identifier: Apache-2.0 */
/* The event loop: a curl multi handle, timers and signal handling. */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/curlfn.h"

#include "aws/loop.h"
#include "core/xmalloc.h"

struct loop_timer {
	int64_t when; /* monotonic */
	uint64_t id;  /* also ties: fire in creation order */
	loop_timer_cb cb;
	void *arg;
	struct loop_timer *next;
};

struct loop_fd {
	uint64_t id;
	int fd;
	int events;
	loop_fd_cb cb;
	void *arg;
};

struct loop {
	const struct clock *clock;
	struct loop_fd *fds; /* watched descriptors */
	size_t nfds;
	uint64_t fd_seq;
	CURLM *multi;
	int nxfers;                  /* easy handles on multi */
	loop_xfer_done_cb xfer_done; /* their completion hook */
	void *xfer_arg;
	struct loop_timer *timers; /* sorted by (when, id) */
	uint64_t timer_seq;
	int real_waits; /* loop_real_wait(): something real is awaited */
	int stopped;
	int grace;           /* loop_run_grace: signals so far are seen */
	int grace_expired;   /* its max_ms ran out (not a stop) */
	sig_atomic_t graced; /* loop_nsignals when it began */
};

static volatile sig_atomic_t loop_signalled;
static volatile sig_atomic_t loop_nsignals; /* signals received */
static int loop_pipe[2] = {-1, -1};

/* Create a loop; see loop.h. */
struct loop *
loop_new(const struct clock *c, char **cause)
{
	struct loop *l;
	static int curl_ready;
	char *why = NULL;

	if (!curl_ready) {
		if (curlfn_load(&why) != 0)
			goto fail;
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = 1;
	}
	l = xcalloc(1, sizeof *l);
	l->clock = c != NULL ? c : &clock_system;
	l->multi = curl_multi_init();
	if (l->multi == NULL) {
		free(l);
		why = xstrdup("cannot create a libcurl multi handle");
		goto fail;
	}
	curl_multi_setopt(l->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, 16L);
	return (l);
fail:
	if (cause != NULL)
		*cause = why;
	else
		free(why);
	return (NULL);
}

/* Free a loop, its pending timers and its multi handle. Accepts NULL. */
void
loop_free(struct loop *l)
{
	struct loop_timer *t, *next;

	if (l == NULL)
		return;
	for (t = l->timers; t != NULL; t = next) {
		next = t->next;
		free(t);
	}
	curl_multi_cleanup(l->multi);
	free(l->fds);
	free(l);
}

/* The loop's wall-clock time in epoch milliseconds. */
int64_t
loop_now(struct loop *l)
{
	return (clock_now(l->clock));
}

/* The loop's monotonic time in milliseconds. */
int64_t
loop_mono(struct loop *l)
{
	return (clock_mono(l->clock));
}

/* The clock the loop runs on. */
const struct clock *
loop_clock(struct loop *l)
{
	return (l->clock);
}

/* Add a transfer; see loop.h. */
void
loop_xfer_add(struct loop *l, void *easy, loop_xfer_done_cb cb, void *arg)
{
	l->xfer_done = cb;
	l->xfer_arg = arg;
	l->nxfers++;
	curl_multi_add_handle(l->multi, easy);
}

/* Take a transfer off the loop (done or aborted). */
void
loop_xfer_remove(struct loop *l, void *easy)
{
	if (curl_multi_remove_handle(l->multi, easy) == CURLM_OK)
		l->nxfers--;
}

/* Transfers in flight. */
int
loop_xfers(struct loop *l)
{
	return (l->nxfers);
}

/* Schedule cb(arg) at monotonic time when_ms; see loop.h. */
uint64_t
loop_timer_at(struct loop *l, int64_t when_ms, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t, **pp;

	t = xcalloc(1, sizeof *t);
	t->when = when_ms;
	t->id = ++l->timer_seq;
	t->cb = cb;
	t->arg = arg;
	for (pp = &l->timers; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->when > when_ms)
			break;
	}
	t->next = *pp;
	*pp = t;
	return (t->id);
}

/* Schedule cb(arg) in delay_ms; see loop.h. */
uint64_t
loop_timer_in(struct loop *l, int64_t delay_ms, loop_timer_cb cb, void *arg)
{
	return (loop_timer_at(l, loop_mono(l) + delay_ms, cb, arg));
}

/* Cancel a pending timer. Accepts ids that fired or were cancelled, and 0. */
void
loop_timer_cancel(struct loop *l, uint64_t id)
{
	struct loop_timer **pp, *t;

	if (id == 0)
		return;
	for (pp = &l->timers; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			t = *pp;
			*pp = t->next;
			free(t);
			return;
		}
	}
}

/* The earliest timer deadline, or INT64_MAX when none is pending. */
int64_t
loop_next_deadline(struct loop *l)
{
	return (l->timers == NULL ? INT64_MAX : l->timers->when);
}

/*
 * Fire the timers that are due now. Each is unlinked before its callback
 * runs, so callbacks may add or cancel timers (or run the loop nested).
 */
int
loop_run_timers(struct loop *l)
{
	struct loop_timer *t;
	loop_timer_cb cb;
	void *arg;
	int64_t now;
	int n = 0;

	now = loop_mono(l);
	while (!l->stopped && l->timers != NULL && l->timers->when <= now) {
		t = l->timers;
		l->timers = t->next;
		cb = t->cb;
		arg = t->arg;
		free(t);
		cb(arg);
		n++;
	}
	return (n);
}

/* Watch a descriptor; see loop.h. */
uint64_t
loop_fd_watch(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg)
{
	struct loop_fd *w;

	l->fds = xreallocarray(l->fds, l->nfds + 1, sizeof *l->fds);
	w = &l->fds[l->nfds++];
	w->id = ++l->fd_seq;
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	return (w->id);
}

/* Stop watching a descriptor. Accepts ids that are gone (and 0). */
void
loop_fd_unwatch(struct loop *l, uint64_t id)
{
	size_t i;

	for (i = 0; i < l->nfds; i++) {
		if (l->fds[i].id == id) {
			memmove(&l->fds[i], &l->fds[i + 1],
			    (l->nfds - i - 1) * sizeof *l->fds);
			l->nfds--;
			return;
		}
	}
}

/*
 * Run the callbacks of the ready watches (ids[k] with revents rev[k]). A
 * callback may add or remove watches: each id is looked up again before
 * its call, so one removed by an earlier callback is skipped.
 */
static void
loop_fd_dispatch(struct loop *l, const uint64_t *ids, const int *rev, size_t n)
{
	size_t i, k;

	for (k = 0; k < n && !l->stopped; k++) {
		for (i = 0; i < l->nfds; i++) {
			if (l->fds[i].id == ids[k]) {
				l->fds[i].cb(l->fds[i].arg, rev[k]);
				break;
			}
		}
	}
}

/* Watches for readiness (LOOP_FD_IN/OUT): polled with curl's sockets. */
static size_t
loop_fd_polled(struct loop *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->nfds; i++)
		n += (l->fds[i].events & (LOOP_FD_IN | LOOP_FD_OUT)) != 0;
	return (n);
}

/*
 * Hang-up watches (LOOP_FD_HUP alone): checked with a poll() of no events
 * and no wait each time the loop wakes, since a pipe whose reader is gone
 * stays in error and would wake a blocking poll for ever.
 */
static void
loop_check_hup(struct loop *l)
{
	struct pollfd p;
	uint64_t *ids = NULL;
	int *rev = NULL;
	size_t i, n = 0;

	for (i = 0; i < l->nfds; i++) {
		if (l->fds[i].events != LOOP_FD_HUP)
			continue;
		p.fd = l->fds[i].fd;
		p.events = 0;
		p.revents = 0;
		if (poll(&p, 1, 0) <= 0 ||
		    !(p.revents & (POLLERR | POLLHUP | POLLNVAL)))
			continue;
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		rev = xreallocarray(rev, n + 1, sizeof *rev);
		ids[n] = l->fds[i].id;
		rev[n++] = LOOP_FD_HUP;
	}
	loop_fd_dispatch(l, ids, rev, n);
	free(ids);
	free(rev);
}

static void
loop_on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	loop_signalled = sig;
	loop_nsignals++;
	if (loop_pipe[1] != -1 && write(loop_pipe[1], &c, 1) < 0) {
		/* The pipe is full: a wakeup is already pending. */
	}
	errno = saved;
}

/* Stop the loop on SIGINT/SIGTERM and ignore SIGPIPE (EPIPE is handled). */
void
loop_catch_signals(struct loop *l)
{
	struct sigaction sa;
	int i;

	(void)l;
	if (loop_pipe[0] == -1 && pipe(loop_pipe) == 0) {
		for (i = 0; i < 2; i++) {
			fcntl(loop_pipe[i], F_SETFL,
			    fcntl(loop_pipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(loop_pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = loop_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Non-zero once SIGINT or SIGTERM arrived. */
int
loop_interrupted(void)
{
	return (loop_signalled != 0);
}

/* Make every running loop_run_until() return. */
void
loop_stop(struct loop *l)
{
	l->stopped = 1;
}

static void
loop_grace_over(void *arg)
{
	struct loop *l = arg;

	l->stopped = 1;
	l->grace_expired = 1;
}

/* Run once more after a stop, for a bounded clean-up; see loop.h. */
int
loop_run_grace(struct loop *l, const int *done, int64_t max_ms)
{
	int was = l->stopped, rc;
	uint64_t t;

	l->stopped = 0;
	l->grace = 1;
	l->grace_expired = 0;
	l->graced = loop_nsignals;
	t = loop_timer_in(l, max_ms, loop_grace_over, l);
	rc = loop_run_until(l, done);
	loop_timer_cancel(l, t);
	l->grace = 0;
	/* The end of max_ms only ends this run: after a grace run that
	 * follows an error rather than a stop, the caller goes on with the
	 * loop (stats counts locally after Logs Insights failed). A stop
	 * from before, or one made during the run, stays. */
	l->stopped = was || (l->stopped && !l->grace_expired);
	l->grace_expired = 0;
	return (rc);
}

/* Non-zero after loop_stop() or a signal. */
int
loop_stopped(struct loop *l)
{
	if (l->grace && loop_nsignals == l->graced)
		return (l->stopped);
	return (l->stopped || loop_signalled);
}

static void
loop_drain_pipe(void)
{
	char buf[64];

	if (loop_pipe[0] == -1)
		return;
	while (read(loop_pipe[0], buf, sizeof buf) > 0)
		continue;
}

/* Let curl move transfers along and report the finished ones. */
static void
loop_perform(struct loop *l)
{
	CURLMsg *msg;
	int running, left;

	curl_multi_perform(l->multi, &running);
	for (;;) {
		msg = curl_multi_info_read(l->multi, &left);
		if (msg == NULL)
			break;
		if (msg->msg == CURLMSG_DONE && l->xfer_done != NULL)
			l->xfer_done(l->xfer_arg, msg->easy_handle,
			    (int)msg->data.result);
		if (l->stopped)
			break;
	}
}

/* Note that something real is (delta 1) or no longer (-1) awaited. */
void
loop_real_wait(struct loop *l, int delta)
{
	l->real_waits += delta;
}

/* Sleep ms of real time (at most a second). */
static void
loop_sleep_real(int64_t ms)
{
	struct timespec ts;

	if (ms > 1000)
		ms = 1000;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ms * 1000000;
	nanosleep(&ts, NULL);
}

/* Run until *done, loop_stop() or a signal; see loop.h. */
int
loop_run_until(struct loop *l, const int *done)
{
	struct curl_waitfd *wfd = NULL;
	uint64_t *ids = NULL;
	int *rev = NULL;
	size_t npolled, nready, i, k;
	unsigned int nfd;
	long curl_ms;
	int64_t wait, deadline;
	int numfds, rc;

	for (;;) {
		if (loop_signalled && (!l->grace || loop_nsignals != l->graced))
			l->stopped = 1;
		if (l->stopped) {
			rc = 1;
			goto out;
		}
		if (done != NULL && *done) {
			rc = 0;
			goto out;
		}
		loop_perform(l);
		loop_run_timers(l);
		if (l->stopped || (done != NULL && *done))
			continue;

		wait = 1000; /* wake at least once a second */
		curl_ms = -1;
		curl_multi_timeout(l->multi, &curl_ms);
		if (curl_ms >= 0 && curl_ms < wait)
			wait = curl_ms;
		deadline = loop_next_deadline(l);
		if (deadline != INT64_MAX) {
			deadline -= loop_mono(l);
			if (deadline < wait)
				wait = deadline < 0 ? 0 : deadline;
		}
		npolled = loop_fd_polled(l);
		if (done == NULL && l->nxfers == 0 && l->timers == NULL &&
		    npolled == 0) {
			rc = 0; /* nothing left to do */
			goto out;
		}
		if (l->clock->advance != NULL && l->nxfers == 0 &&
		    npolled == 0) {
			/* Virtual time: jump to the next timer. */
			if (l->timers == NULL) {
				rc = 1; /* nothing can ever happen */
				goto out;
			}
			/* While something real is awaited (a child process
			 * polled by a timer), virtual time must not outrun
			 * it: let the real time pass too. */
			if (l->real_waits > 0 && l->timers->when > loop_mono(l))
				loop_sleep_real(l->timers->when - loop_mono(l));
			if (l->timers->when > loop_mono(l))
				l->clock->advance(
				    l->clock->arg, l->timers->when);
			loop_check_hup(l);
			continue;
		}
		/* The watched descriptors, then the signal pipe. */
		wfd = xreallocarray(wfd, npolled + 1, sizeof *wfd);
		ids = xreallocarray(ids, npolled + 1, sizeof *ids);
		rev = xreallocarray(rev, npolled + 1, sizeof *rev);
		for (i = 0, k = 0; i < l->nfds; i++) {
			if (!(l->fds[i].events & (LOOP_FD_IN | LOOP_FD_OUT)))
				continue;
			wfd[k].fd = l->fds[i].fd;
			wfd[k].events = (short)(l->fds[i].events &
						(LOOP_FD_IN | LOOP_FD_OUT));
			wfd[k].revents = 0;
			ids[k++] = l->fds[i].id;
		}
		nfd = (unsigned int)npolled;
		if (loop_pipe[0] != -1) {
			wfd[nfd].fd = loop_pipe[0];
			wfd[nfd].events = CURL_WAIT_POLLIN;
			wfd[nfd].revents = 0;
			nfd++;
		}
		curl_multi_poll(
		    l->multi, nfd ? wfd : NULL, nfd, (int)wait, &numfds);
		if (nfd > npolled && (wfd[npolled].revents & CURL_WAIT_POLLIN))
			loop_drain_pipe();
		for (i = 0, nready = 0; i < npolled; i++) {
			if (wfd[i].revents != 0) {
				ids[nready] = ids[i];
				rev[nready++] = wfd[i].revents;
			}
		}
		loop_fd_dispatch(l, ids, rev, nready);
		loop_check_hup(l);
	}
out:
	free(wfd);
	free(ids);
	free(rev);
	return (rc);
}
