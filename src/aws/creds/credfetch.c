/* SPDX-License-Identifier: Apache-2.0 */
/* Single-flight fetch and refresh of a source (see credfetch.h). */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws/cred.h"
#include "aws/creds/credfetch.h"
#include "aws/creds/credjob.h"
#include "aws/creds/credsrc.h"
#include "aws/loop.h"
#include "core/xmalloc.h"

/* A caller waiting for the fetch, or told it failed. */
struct credfetch_waiter {
	uint64_t id;
	aws_ready_cb ready;
	void *arg;
	char *cause; /* on the failed list: the error to report */
	struct credfetch_waiter *next;
};

/* A trace line through the chain's callback. */
void
credfetch_trace(const struct credsrc *s, int level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (s->opts->trace == NULL || s->opts->verbosity < level)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	s->opts->trace(s->opts->trace_arg, level, msg);
	free(msg);
}

/* Free a list of waiters. */
static void
credfetch_free_list(struct credfetch_waiter *w)
{
	struct credfetch_waiter *next;

	for (; w != NULL; w = next) {
		next = w->next;
		free(w->cause);
		free(w);
	}
}

/*
 * Take fetched credentials as the current ones, unless already expired.
 * now is wall time (expiry), mono the loop's monotonic time (pacing).
 */
static int
credfetch_accept(struct credsrc *s, int64_t now, int64_t mono,
    struct aws_creds *n, char **cause)
{
	char *when;

	if (n->expires_ms != 0 && n->expires_ms <= now) {
		*cause = xprintf("%s: the credentials it returned have already "
				 "expired",
		    s->provider);
		return (-1);
	}
	cred_clear(&s->cur);
	s->cur = *n;
	memset(n, 0, sizeof *n);
	s->cur.provider = s->provider;
	s->have = 1;
	s->next_try_mono = mono + CREDFETCH_PACE_MS;
	if (s->cur.expires_ms != 0) {
		when = cred_time_format(s->cur.expires_ms, "Z");
		credfetch_trace(
		    s, 2, "credentials: %s valid until %s", s->provider, when);
		free(when);
	}
	return (0);
}

/*
 * A fetch failed with why. Returns 0 when the current credentials are
 * kept (more than a minute left at wall time now), -1 when the failure
 * stands. Either way the next try waits a little (monotonic time).
 */
static int
credfetch_failed(struct credsrc *s, int64_t now, int64_t mono, const char *why)
{
	int64_t left = s->cur.expires_ms - now;

	s->next_try_mono = mono + CREDFETCH_RETRY_MS;
	if (!s->have || left <= CREDFETCH_FLOOR_MS)
		return (-1);
	credfetch_trace(s, 1,
	    "credentials: refreshing %s failed, the current ones last %lld s "
	    "more: %s",
	    s->provider, (long long)(left / 1000), why);
	return (0);
}

/* The fetch ended (from the loop): settle, then tell every waiter. */
static void
credfetch_done(void *arg, int rc, struct aws_creds *c, const char *cause)
{
	struct credsrc *s = arg;
	struct credfetch_waiter *w, *f;
	aws_ready_cb ready;
	int64_t now = loop_now(s->opts->loop);
	int64_t mono = loop_mono(s->opts->loop);
	char *why = NULL;

	s->job = NULL;
	if (rc != 0)
		why = xstrdup(cause != NULL ? cause : "no credentials");
	else if (credfetch_accept(s, now, mono, c, &why) == 0)
		why = NULL;
	if (why != NULL && credfetch_failed(s, now, mono, why) != 0) {
		/* Each waiter gets the error on its next get(). */
		for (w = s->waiters; w != NULL; w = w->next) {
			f = xcalloc(1, sizeof *f);
			f->id = w->id;
			f->ready = w->ready;
			f->arg = w->arg;
			f->cause = xstrdup(why);
			f->next = s->failed;
			s->failed = f;
		}
	}
	free(why);
	/* Callers that ask from inside a ready() join a new list. */
	s->waking = s->waiters;
	s->waiters = NULL;
	while (s->waking != NULL) {
		w = s->waking;
		s->waking = w->next;
		ready = w->ready;
		arg = w->arg;
		free(w);
		ready(arg);
	}
}

/* Add a waiter for the fetch in flight. */
static uint64_t
credfetch_wait(struct credsrc *s, aws_ready_cb ready, void *ready_arg)
{
	struct credfetch_waiter *w, **pp;

	w = xcalloc(1, sizeof *w);
	w->id = ++s->wait_seq;
	w->ready = ready;
	w->arg = ready_arg;
	for (pp = &s->waiters; *pp != NULL; pp = &(*pp)->next)
		continue;
	*pp = w;
	return (w->id);
}

/* The current credentials of a source; see credfetch.h. */
int
credfetch_get(void *arg, const struct aws_creds **out, aws_ready_cb ready,
    void *ready_arg, uint64_t *wait, char **cause)
{
	struct credsrc *s = arg;
	struct credfetch_waiter **pp, *f;
	struct aws_creds n;
	char *why = NULL;
	int64_t now, mono, left;
	int rc;

	*wait = 0;
	/* A failure this caller waited for. */
	for (pp = &s->failed; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->ready == ready && (*pp)->arg == ready_arg) {
			f = *pp;
			*pp = f->next;
			*cause = f->cause;
			free(f);
			return (-1);
		}
	}
	now = loop_now(s->opts->loop);
	mono = loop_mono(s->opts->loop);
	left = s->cur.expires_ms - now;
	if (s->have &&
	    (s->cur.expires_ms == 0 || left >= CREDFETCH_ADVISORY_MS))
		goto ok;
	if (s->job == NULL) {
		if (s->have && left > CREDFETCH_FLOOR_MS &&
		    mono < s->next_try_mono)
			goto ok;
		memset(&n, 0, sizeof n);
		rc =
		    credjob_start(s, now, &n, credfetch_done, s, &s->job, &why);
		if (rc == 0)
			rc = credfetch_accept(s, now, mono, &n, &why);
		cred_clear(&n);
		if (rc < 0) {
			if (credfetch_failed(s, now, mono, why) == 0) {
				free(why);
				goto ok;
			}
			*cause = why;
			return (-1);
		}
		if (rc == 0)
			goto ok;
		credfetch_trace(s, 3, "credentials: fetching %s", s->provider);
	}
	/* The advisory window: the current ones while the refresh runs. */
	if (s->have && left >= CREDFETCH_MANDATORY_MS)
		goto ok;
	if (ready == NULL) {
		*cause =
		    xprintf("%s: credentials are being fetched", s->provider);
		return (-1);
	}
	*wait = credfetch_wait(s, ready, ready_arg);
	return (1);
ok:
	s->cur.provider = s->provider;
	*out = &s->cur;
	return (0);
}

/* Remove waiter id from a list. Returns 1 when found. */
static int
credfetch_unlink(struct credfetch_waiter **pp, uint64_t id)
{
	struct credfetch_waiter *w;

	for (; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			w = *pp;
			*pp = w->next;
			free(w->cause);
			free(w);
			return (1);
		}
	}
	return (0);
}

/* Drop a waiter; see credfetch.h. */
void
credfetch_cancel(void *arg, uint64_t id)
{
	struct credsrc *s = arg;

	if (id == 0)
		return;
	if (!credfetch_unlink(&s->waiters, id) &&
	    !credfetch_unlink(&s->waking, id))
		credfetch_unlink(&s->failed, id);
}

/* The source as a provider; see credfetch.h. */
struct aws_creds_provider
credfetch_provider_of(struct credsrc *s)
{
	struct aws_creds_provider p = {credfetch_get, credfetch_cancel, s};

	return (p);
}

/* Cancel the fetch and forget the waiters; see credfetch.h. */
void
credfetch_stop(struct credsrc *s)
{
	credjob_cancel(s->job);
	s->job = NULL;
	credfetch_free_list(s->waiters);
	credfetch_free_list(s->waking);
	credfetch_free_list(s->failed);
	s->waiters = s->waking = s->failed = NULL;
}
