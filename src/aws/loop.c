/* The event loop: a curl multi handle, timers and signal handling. */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/curlfn.h"

#include "aws/http.h"
#include "aws/loop.h"
#include "core/xmalloc.h"

struct loop_timer {
	int64_t when;
	uint64_t seq; /* ties fire in creation order */
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
	struct loop_timer *timers; /* sorted by (when, seq) */
	uint64_t seq;
	int stopped;
};

static volatile sig_atomic_t loop_signalled;
static int loop_pipe[2] = {-1, -1};

static int64_t
clock_system_now(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

const struct clock clock_system = {clock_system_now, NULL, NULL};

/* The current time of a clock in epoch milliseconds. */
int64_t
clock_now(const struct clock *c)
{
	return (c->now_ms(c->arg));
}

/* Create a loop on clock c (NULL: the system clock). */
struct loop *
loop_new(const struct clock *c)
{
	struct loop *l;
	static int curl_ready;

	if (!curl_ready) {
		char *cause = NULL;

		/* Like running out of memory: nothing works without it. */
		if (curlfn_load(&cause) != 0) {
			fprintf(stderr, "apilogs: %s\n", cause);
			exit(1);
		}
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = 1;
	}
	l = xcalloc(1, sizeof *l);
	l->clock = c != NULL ? c : &clock_system;
	l->multi = curl_multi_init();
	if (l->multi == NULL)
		abort();
	curl_multi_setopt(l->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, 16L);
	return (l);
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

/* The loop's current time in epoch milliseconds. */
int64_t
loop_now(struct loop *l)
{
	return (clock_now(l->clock));
}

/* The clock the loop runs on. */
const struct clock *
loop_clock(struct loop *l)
{
	return (l->clock);
}

/* The curl multi handle, for http.c. */
void *
loop_multi(struct loop *l)
{
	return (l->multi);
}

/* Schedule cb(arg) at when_ms. */
struct loop_timer *
loop_timer_at(struct loop *l, int64_t when_ms, loop_timer_cb cb, void *arg)
{
	struct loop_timer *t, **pp;

	t = xcalloc(1, sizeof *t);
	t->when = when_ms;
	t->seq = l->seq++;
	t->cb = cb;
	t->arg = arg;
	for (pp = &l->timers; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->when > when_ms)
			break;
	}
	t->next = *pp;
	*pp = t;
	return (t);
}

/* Cancel a pending timer. Accepts NULL. */
void
loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **pp;

	if (t == NULL)
		return;
	for (pp = &l->timers; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == t) {
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

	now = loop_now(l);
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
 * Run the callbacks of the watches that poll found ready. A callback may
 * add or remove watches: each ready id is looked up again before its call.
 */
static void
loop_fd_dispatch(struct loop *l, struct curl_waitfd *wfd, size_t n)
{
	uint64_t *ready;
	int *rev;
	size_t i, k, nready = 0;

	ready = xcalloc(n + 1, sizeof *ready);
	rev = xcalloc(n + 1, sizeof *rev);
	for (i = 0; i < n && i < l->nfds; i++) {
		if (wfd[i].revents != 0) {
			ready[nready] = l->fds[i].id;
			rev[nready++] = wfd[i].revents;
		}
	}
	for (k = 0; k < nready && !l->stopped; k++) {
		for (i = 0; i < l->nfds; i++) {
			if (l->fds[i].id == ready[k]) {
				l->fds[i].cb(l->fds[i].arg, rev[k]);
				break;
			}
		}
	}
	free(ready);
	free(rev);
}

static void
loop_on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	loop_signalled = sig;
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

/* Non-zero after loop_stop() or a signal. */
int
loop_stopped(struct loop *l)
{
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
		if (msg->msg == CURLMSG_DONE)
			http_finished(
			    l, msg->easy_handle, (int)msg->data.result);
		if (l->stopped)
			break;
	}
}

/* Run until *done, loop_stop() or a signal; see loop.h. */
int
loop_run_until(struct loop *l, const int *done)
{
	struct curl_waitfd *wfd = NULL;
	size_t nwatch, i;
	unsigned int nfd;
	long curl_ms;
	int64_t wait, deadline;
	int numfds, rc;

	for (;;) {
		if (loop_signalled)
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

		wait = 1000;
		curl_ms = -1;
		curl_multi_timeout(l->multi, &curl_ms);
		if (curl_ms >= 0 && curl_ms < wait)
			wait = curl_ms;
		deadline = loop_next_deadline(l);
		if (deadline != INT64_MAX) {
			deadline -= loop_now(l);
			if (deadline < wait)
				wait = deadline < 0 ? 0 : deadline;
		}
		if (done == NULL && http_active(l) == 0 && l->timers == NULL &&
		    l->nfds == 0) {
			rc = 0; /* nothing left to do */
			goto out;
		}
		if (l->clock->advance != NULL && http_active(l) == 0 &&
		    l->nfds == 0) {
			/* Virtual time: jump to the next timer. */
			if (l->timers == NULL) {
				rc = 1; /* nothing can ever happen */
				goto out;
			}
			if (l->timers->when > loop_now(l))
				l->clock->advance(
				    l->clock->arg, l->timers->when);
			continue;
		}
		/* The watched descriptors, then the signal pipe. */
		nwatch = l->nfds;
		wfd = xreallocarray(wfd, nwatch + 1, sizeof *wfd);
		for (i = 0; i < nwatch; i++) {
			wfd[i].fd = l->fds[i].fd;
			wfd[i].events = (short)l->fds[i].events;
			wfd[i].revents = 0;
		}
		nfd = (unsigned int)nwatch;
		if (loop_pipe[0] != -1) {
			wfd[nfd].fd = loop_pipe[0];
			wfd[nfd].events = CURL_WAIT_POLLIN;
			wfd[nfd].revents = 0;
			nfd++;
		}
		curl_multi_poll(
		    l->multi, nfd ? wfd : NULL, nfd, (int)wait, &numfds);
		if (nfd > nwatch && (wfd[nwatch].revents & CURL_WAIT_POLLIN))
			loop_drain_pipe();
		loop_fd_dispatch(l, wfd, nwatch);
	}
out:
	free(wfd);
	return (rc);
}
