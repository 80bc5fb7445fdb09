/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --watch through Live Tail. Before the history read (live_early), the
 * sources are split into sessions of up to 10 groups (a group with a
 * stream selection gets a session of its own: the service allows stream
 * filters with one group only). Every event of every session goes into the
 * same follow heap as polled events, so the time-ordered release and the
 * hold-back are shared with polling; nothing leaves it before the history
 * read is over (live_start).
 *
 * Gaps: a session covers what is ingested after it opened. The history
 * reads up to a t0 taken after the sessions started, so the first open
 * leaves none; every later open (after an end: 3-hour timeout, stream
 * exception, broken or silent connection; or a start after t0) gives each
 * of its groups a backfill, one FilterLogEvents read from the session's
 * watermark (or t0) minus the overlap. Live Tail events have no eventId: in
 * live mode every event (live, backfill, fallback poll) is de-duplicated on the
 * key (source, stream, timestamp, message), so the overlap prints nothing
 * twice.
 *
 * Watermark of a session: after an update received at wall time U it is
 * complete up to U - LIVE_TRANSIT_MS - D (live_update, live_delay); while a
 * session is down it stays where it was, and a backfill holds the release
 * at its own start until it read its last page.
 *
 * Refusal (the call answered with an error before sessionStart:
 * AccessDenied, LimitExceeded, an endpoint without the operation): in auto
 * mode one notice, and the session's groups are polled from the session's
 * watermark on; in live mode the run fails with that error. During the
 * history read a refusal waits for its end (live_start).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_live.h"
#include "logs/logs.h"
#include "logs/source.h"

/* live_early waited long enough. */
static void
live_wake(void *arg)
{
	struct engine *e = arg;

	e->live->early_wait = 0;
	e->wake = 1;
}

/* A new session over from (watermark). */
static struct live_session *
live_session_new(struct engine *e, int single, int64_t from)
{
	struct live_session *ls;

	ls = xcalloc(1, sizeof *ls);
	ls->e = e;
	ls->single = single;
	ls->watermark = from;
	ls->gap_from = from;
	ls->sampled_from = LOGS_TIME_UNSET;
	e->live->s = xreallocarray(e->live->s, e->live->n + 1, sizeof *ls);
	e->live->s[e->live->n++] = ls;
	return (ls);
}

/* Does source i need a session of its own (a stream selection)? */
static int
live_single(const struct source *s)
{
	return ((s->names_exact && s->nstream_names > 0) ||
		(s->stream_prefix != NULL && *s->stream_prefix != '\0'));
}

/* Put source i into a session (a new one when none has room). */
static struct live_session *
live_place(struct engine *e, uint32_t i, int64_t from, size_t first)
{
	struct live_session *ls = NULL;
	int single = live_single(e->srcs[i]);
	size_t k;

	for (k = first; !single && k < e->live->n; k++) {
		ls = e->live->s[k];
		if (!ls->single && ls->state != LIVE_POLLED &&
		    ls->nsrc < LIVETAIL_MAX_GROUPS)
			break;
		ls = NULL;
	}
	if (ls == NULL)
		ls = live_session_new(e, single, from);
	ls->src[ls->nsrc++] = i;
	return (ls);
}

/* Is source i in a session? */
static int
live_has(struct engine *e, uint32_t i)
{
	size_t k, j;

	for (k = 0; k < e->live->n; k++)
		for (j = 0; j < e->live->s[k]->nsrc; j++)
			if (e->live->s[k]->src[j] == i)
				return (1);
	return (0);
}

/* Set up live mode: the ARN template. */
static void
live_init(struct engine *e)
{
	size_t i;

	e->live = xcalloc(1, sizeof *e->live);
	for (i = 0; i < e->nsrc && e->live->arn_template == NULL; i++) {
		if (e->srcs[i]->arn != NULL)
			e->live->arn_template = xstrdup(e->srcs[i]->arn);
	}
}

/*
 * Before the history read: open the sessions of the sources that have an
 * ARN (their own, or one built from another), and wait (at most
 * LIVE_EARLY_WAIT_MS) until each started or was refused. The history then reads
 * up to a t0 taken after that: an event is ingested either before its group's
 * history request (the history has it when stamped up to t0; stamped later, it
 * was ingested after t0, so after sessionStart) or after it (the session has
 * it). So the first open needs no FilterLogEvents backfill. A session
 * still connecting backfills from t0 when it starts. Sessions' events wait
 * in the follow heap until the history is done (live_start).
 */
void
live_early(struct engine *e)
{
	int64_t from = loop_now(e->loop) - e->o.overlap_ms;
	struct source *s;
	size_t i, k;
	uint64_t t;

	if (!e->o.follow || e->o.follow_mode == ENGINE_FOLLOW_POLL ||
	    e->o.end != LOGS_TIME_UNSET)
		return;
	live_init(e);
	for (i = 0; i < e->nsrc; i++) {
		s = e->srcs[i];
		if (!s->missing && !live_arn_missing(e, (uint32_t)i))
			live_place(e, (uint32_t)i, from, 0);
	}
	for (k = 0; k < e->live->n; k++) {
		e->live->s[k]->gap_from = LOGS_TIME_UNSET;
		live_open(e->live->s[k]);
	}
	t = loop_timer_in(e->loop, LIVE_EARLY_WAIT_MS, live_wake, e);
	e->live->early_wait = 1;
	while (!e->done && e->live->early_wait) {
		for (k = 0; k < e->live->n; k++)
			if (e->live->s[k]->state == LIVE_CONNECTING)
				break;
		if (k == e->live->n)
			break;
		e->wake = 0;
		if (loop_run_until(e->loop, &e->wake) != 0)
			break;
	}
	loop_timer_cancel(e->loop, t);
}

/* Once t0 is known: a session not started yet fills in from t0 when it
 * starts. The history's last seconds wait in the follow heap unless every
 * session was refused already (then it is printed as when polling). */
void
live_early_t0(struct engine *e)
{
	size_t k;

	if (e->live == NULL)
		return;
	for (k = 0; k < e->live->n; k++)
		if (e->live->s[k]->refusal == NULL)
			e->hold_hist = 1;
	for (k = 0; k < e->live->n; k++)
		if (e->live->s[k]->state == LIVE_CONNECTING &&
		    e->live->s[k]->gap_from == LOGS_TIME_UNSET)
			e->live->s[k]->gap_from = e->t0;
}

/*
 * Follow through Live Tail from t0; see the top. Returns 0 when polling
 * is asked for (or the run has an end time), and the caller polls.
 * Sessions opened by live_early carry on: refused ones are polled from t0,
 * gaps and sampled windows seen during the history are read now.
 */
int
live_start(struct engine *e)
{
	int64_t from = e->t0;
	struct live_session *ls;
	size_t i, j, n0;

	if (e->o.follow_mode == ENGINE_FOLLOW_POLL ||
	    e->o.end != LOGS_TIME_UNSET)
		return (0);
	feed_free_all(e);
	e->following = 1;
	if (e->live == NULL)
		live_init(e);
	n0 = e->live->n;
	for (i = 0; i < n0; i++) {
		ls = e->live->s[i];
		if (ls->sampled_from != LOGS_TIME_UNSET &&
		    (ls->gap_from == LOGS_TIME_UNSET ||
			ls->sampled_from < ls->gap_from))
			ls->gap_from = ls->sampled_from;
		ls->sampled_from = LOGS_TIME_UNSET;
		if (ls->refusal != NULL) {
			/* Refused during the history read. With a group the
			 * history found missing, the others get new sessions
			 * (below); else the refusal stands. */
			for (j = 0; j < ls->nsrc; j++)
				if (e->srcs[ls->src[j]]->missing)
					break;
			if (j < ls->nsrc)
				ls->nsrc = 0;
			else {
				ls->watermark = e->t0; /* polled from t0 */
				live_refuse(ls, ls->refused, ls->refusal);
			}
			if (e->done)
				return (1);
			continue;
		}
		if (ls->state != LIVE_OPEN || ls->gap_from == LOGS_TIME_UNSET)
			continue;
		for (j = 0; j < ls->nsrc; j++)
			live_feed(ls, ls->src[j], ls->gap_from, 0);
		ls->gap_from = LOGS_TIME_UNSET;
	}
	for (i = 0; i < e->nsrc; i++) {
		if (e->srcs[i]->missing || live_has(e, (uint32_t)i))
			continue;
		if (live_arn_missing(e, (uint32_t)i)) {
			if (e->o.follow_mode != ENGINE_FOLLOW_LIVE)
				continue;
			engine_fail(e, ENGINE_ERR_AWS,
			    "Live Tail needs the ARN of log group '%s', and "
			    "DescribeLogGroups gave none",
			    e->srcs[i]->group);
			return (1);
		}
		live_place(e, (uint32_t)i, from, n0);
	}
	/* Groups that do not exist yet, or without an ARN: polled. */
	ls = NULL;
	for (i = 0; i < e->nsrc; i++) {
		if (!e->srcs[i]->missing && !live_arn_missing(e, (uint32_t)i))
			continue;
		if (live_has(e, (uint32_t)i))
			continue;
		if (ls == NULL) {
			ls = live_session_new(e, 0, from);
			ls->state = LIVE_POLLED;
		}
		live_feed(ls, (uint32_t)i, from, 1);
	}
	for (i = n0; i < e->live->n; i++) {
		if (e->live->s[i]->state != LIVE_POLLED)
			live_open(e->live->s[i]);
	}
	return (1);
}

/* The polled pseudo-session (groups Live Tail does not cover). */
static struct live_session *
live_polled(struct engine *e, int64_t from)
{
	struct live_session *ls;
	size_t k;

	for (k = 0; k < e->live->n; k++) {
		ls = e->live->s[k];
		if (ls->state == LIVE_POLLED && ls->nsrc == 0)
			return (ls);
	}
	ls = live_session_new(e, 0, from);
	ls->state = LIVE_POLLED;
	return (ls);
}

/*
 * Re-discovery found source i while following: Live Tail it from now
 * minus the overlap. A session with room is opened again with the group
 * added (its backfill covers the gap). 0 when not in live mode.
 */
int
live_add_source(struct engine *e, uint32_t i)
{
	int64_t from = loop_now(e->loop) - e->o.overlap_ms;
	struct live_session *ls;

	if (e->live == NULL)
		return (0);
	if (e->live->arn_template == NULL && e->srcs[i]->arn != NULL)
		e->live->arn_template = xstrdup(e->srcs[i]->arn);
	if (e->srcs[i]->missing || live_arn_missing(e, i)) {
		live_feed(live_polled(e, from), i, from, 1);
		return (1);
	}
	ls = live_place(e, i, from, 0);
	if (ls->gap_from == LOGS_TIME_UNSET || ls->gap_from > from)
		ls->gap_from = from;
	if (ls->watermark < ls->gap_from)
		ls->gap_from = ls->watermark;
	if (ls->state == LIVE_WAITING)
		return (1); /* its timer opens it with the new group */
	livetail_cancel(ls->lt);
	ls->lt = NULL;
	live_open(ls);
	return (1);
}

/* End every session. */
void
live_free(struct engine *e)
{
	size_t k;

	if (e->live == NULL)
		return;
	for (k = 0; k < e->live->n; k++) {
		livetail_cancel(e->live->s[k]->lt);
		loop_timer_cancel(e->loop, e->live->s[k]->timer);
		free(e->live->s[k]->refusal);
		free(e->live->s[k]);
	}
	free(e->live->s);
	free(e->live->arn_template);
	free(e->live);
	e->live = NULL;
}
