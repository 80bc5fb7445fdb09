/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --watch through Live Tail. After the history read up to t0, the sources
 * are split into sessions of up to 10 groups (a group with a stream
 * selection gets a session of its own: the service allows stream filters
 * with one group only). Every event of every session goes into the same
 * follow heap as polled events, so the time-ordered release and the
 * hold-back are shared with polling.
 *
 * Gaps: a session covers what is ingested after it opened. So when one
 * opens (the first time, and after every end: 3-hour timeout, stream
 * exception, broken or silent connection) each of its groups gets a
 * backfill, one FilterLogEvents read from the session's watermark minus
 * the overlap. Live Tail events have no eventId: in live mode every event
 * (live, backfill, fallback poll) is de-duplicated on the key (source,
 * stream, timestamp, message), so the overlap prints nothing twice.
 *
 * Watermark of a session: after an update at wall time U it is complete up
 * to U - ingestion delay (learned, capped at the hold-back) - 1 s; while a
 * session is down it stays where it was, and a backfill holds the release
 * at its own start until it read its last page.
 *
 * Refusal (the call answered with an error before sessionStart:
 * AccessDenied, LimitExceeded, an endpoint without the operation): in auto
 * mode one notice, and the session's groups are polled from the session's
 * watermark on; in live mode the run fails with that error.
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

/* The ARN of source i: its own, or one built from another ARN of the run
 * (same partition, region and account). NULL (caller frees) when none. */
static char *
live_arn(struct engine *e, uint32_t i)
{
	struct source *s = e->srcs[i];
	const char *t = e->live->arn_template;
	const char *g;
	size_t glen;

	if (s->arn != NULL)
		return (xstrdup(s->arn));
	/* A group given by its ARN (-g arn:...): that one, without ":*". */
	if (livetail_arn_group(s->group, &glen) != NULL) {
		g = livetail_arn_group(s->group, &glen);
		return (xprintf("%.*s", (int)(g - s->group + glen), s->group));
	}
	if (t == NULL || livetail_arn_group(t, &glen) == NULL)
		return (NULL);
	g = livetail_arn_group(t, &glen);
	return (xprintf("%.*s%s", (int)(g - t), t, s->group));
}

static void live_open(struct live_session *);

/* Is there no ARN for source i? */
static int
live_arn_missing(struct engine *e, uint32_t i)
{
	char *arn = live_arn(e, i);

	free(arn);
	return (arn == NULL);
}

static void
live_open_timer(void *arg)
{
	struct live_session *ls = arg;

	ls->timer = 0;
	live_open(ls);
}

/* The session was refused: poll its groups (auto) or fail (live). */
static void
live_refused(struct live_session *ls, struct livetail_msg *m)
{
	struct engine *e = ls->e;
	size_t i;

	if (e->o.follow_mode == ENGINE_FOLLOW_LIVE) {
		engine_fail(e,
		    m->err == LOGS_ERR_ACCESS ? ENGINE_ERR_ACCESS
					      : ENGINE_ERR_AWS,
		    "Live Tail (StartLiveTail) refused: %s "
		    "(--follow-mode live; auto would poll instead)",
		    m->message ? m->message : "error");
		return;
	}
	if (!e->live->said_refused)
		engine_notice(e, ENGINE_NOTICE_WARN,
		    "Live Tail is not available (%s); following by polling",
		    m->message ? m->message : "error");
	e->live->said_refused = 1;
	ls->state = LIVE_POLLED;
	for (i = 0; i < ls->nsrc; i++)
		live_feed(ls, ls->src[i], ls->watermark, 1);
}

/* The session ended: open it again at once (with a backoff when it keeps
 * failing before it opens); the backfill on open fills the gap. */
static void
live_ended(struct live_session *ls, struct livetail_msg *m)
{
	struct engine *e = ls->e;
	int64_t delay = 0;
	int level;

	if (ls->state == LIVE_CONNECTING)
		ls->failures++;
	ls->state = LIVE_WAITING;
	if (ls->gap_from == LOGS_TIME_UNSET || ls->watermark < ls->gap_from)
		ls->gap_from = ls->watermark;
	if (ls->failures > 0) {
		delay = (int64_t)1000 << (ls->failures > 5 ? 5 : ls->failures);
		if (delay > LIVE_RETRY_MAX_MS)
			delay = LIVE_RETRY_MAX_MS;
	}
	/* An end followed by a reconnection is routine (-v says it); a
	 * session that cannot open again is worth a word, once a streak. */
	level = ls->failures > 0 && !ls->said_down ? ENGINE_NOTICE_WARN
						   : ENGINE_NOTICE_INFO;
	if (ls->failures > 0)
		ls->said_down = 1;
	engine_notice(e, level,
	    "Live Tail session of %zu group%s ended (%s); reconnecting%s",
	    ls->nsrc, ls->nsrc == 1 ? "" : "s",
	    m->message ? m->message
	    : m->code  ? m->code
		       : "closed",
	    delay > 0 ? " after a pause" : "");
	ls->timer = loop_timer_in(e->loop, delay, live_open_timer, ls);
}

/* An update: hold its events, move the watermark. */
static void
live_update(struct live_session *ls, struct livetail_msg *m)
{
	struct engine *e = ls->e;
	int64_t now = loop_now(e->loop), mono = loop_mono(e->loop);
	int64_t delay = 0, wm;
	struct event *ev;
	size_t k;

	for (k = 0; m->page != NULL && k < m->page->n; k++) {
		ev = &m->page->ev[k];
		if (ev->src >= ls->nsrc)
			continue;
		if (ev->ingest - ev->ts > delay)
			delay = ev->ingest - ev->ts;
		if (live_hold(e, ls->src[ev->src], ev, mono))
			e->st.live_events++;
	}
	ls->delay_est -= ls->delay_est / 8;
	if (delay > ls->delay_est)
		ls->delay_est = delay;
	if (ls->delay_est > e->o.hold_back_ms)
		ls->delay_est = e->o.hold_back_ms;
	if (m->sampled)
		live_sampled(ls, now);
	ls->last_update = now;
	wm = now - ls->delay_est - LIVE_SLACK_MS;
	if (wm > ls->watermark)
		ls->watermark = wm;
	live_prune(e);
	follow_release(e, 0);
}

/*
 * Is an error answer to StartLiveTail a refusal? Any 4xx is (access, too
 * many sessions, a bad parameter, an unknown operation), and so is a 5xx
 * that is no AWS error (an emulator's HTML page for an operation it does
 * not have); a service's own 5xx is tried again, and counts as a refusal
 * after LIVE_MAX_5XX sessions in a row failed so.
 */
#define LIVE_MAX_5XX 3
static int
live_is_refusal(struct live_session *ls, const struct livetail_msg *m)
{
	const char *c = m->code;

	/* No answer at all: the endpoint may come back. */
	if (m->end == LIVETAIL_BROKEN)
		return (ls->failures + 1 >= LIVE_MAX_5XX);
	if (m->err != LOGS_ERR_TRANSPORT)
		return (1);
	if (c == NULL || *c == '\0' || strspn(c, "0123456789") == strlen(c))
		return (1);
	return (ls->failures + 1 >= LIVE_MAX_5XX);
}

/* What a session says. */
static void
live_on_msg(void *arg, struct livetail_msg *m)
{
	struct live_session *ls = arg;
	struct engine *e = ls->e;
	size_t i;

	if (m->kind == LIVETAIL_END)
		ls->lt = NULL;
	if (e->done)
		return;
	switch (m->kind) {
	case LIVETAIL_START:
		ls->state = LIVE_OPEN;
		ls->failures = 0;
		ls->said_down = 0;
		ls->last_update = loop_now(e->loop);
		if (ls->gap_from != LOGS_TIME_UNSET)
			for (i = 0; i < ls->nsrc; i++)
				live_feed(ls, ls->src[i], ls->gap_from, 0);
		ls->gap_from = LOGS_TIME_UNSET;
		return;
	case LIVETAIL_UPDATE:
		live_update(ls, m);
		return;
	case LIVETAIL_END:
		break;
	}
	if (m->end == LIVETAIL_STOPPED)
		return;
	if ((m->end == LIVETAIL_REFUSED || m->end == LIVETAIL_BROKEN) &&
	    ls->state == LIVE_CONNECTING && live_is_refusal(ls, m)) {
		live_refused(ls, m);
		return;
	}
	live_ended(ls, m);
}

/* Open (or open again) a session. */
static void
live_open(struct live_session *ls)
{
	struct engine *e = ls->e;
	struct livetail_req req;
	struct source *s = e->srcs[ls->src[0]];
	char *arns[LIVETAIL_MAX_GROUPS];
	size_t i;

	memset(&req, 0, sizeof req);
	for (i = 0; i < ls->nsrc; i++)
		arns[i] = live_arn(e, ls->src[i]);
	req.arns = (const char *const *)arns;
	req.narns = ls->nsrc;
	if (ls->single) {
		req.stream_names = (const char *const *)s->stream_names;
		req.nstream_names = s->names_exact ? s->nstream_names : 0;
		req.stream_prefix = s->stream_prefix;
	}
	req.pattern = e->o.pattern;
	ls->state = LIVE_CONNECTING;
	e->st.live_sessions++;
	ls->lt = livetail_start(e->o.live_client ? e->o.live_client : e->logs,
	    &req, live_on_msg, ls);
	for (i = 0; i < ls->nsrc; i++)
		free(arns[i]);
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
live_place(struct engine *e, uint32_t i, int64_t from)
{
	struct live_session *ls = NULL;
	int single = live_single(e->srcs[i]);
	size_t k;

	for (k = 0; !single && k < e->live->n; k++) {
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

/*
 * Follow through Live Tail from t0; see the top. Returns 0 when polling
 * is asked for (or the run has an end time), and the caller polls.
 */
int
live_start(struct engine *e)
{
	int64_t from = e->t0;
	struct live_session *ls;
	size_t i;

	if (e->o.follow_mode == ENGINE_FOLLOW_POLL ||
	    e->o.end != LOGS_TIME_UNSET)
		return (0);
	feed_free_all(e);
	e->following = 1;
	e->live = xcalloc(1, sizeof *e->live);
	for (i = 0; i < e->nsrc && e->live->arn_template == NULL; i++) {
		if (e->srcs[i]->arn != NULL)
			e->live->arn_template = xstrdup(e->srcs[i]->arn);
	}
	for (i = 0; i < e->nsrc; i++) {
		if (e->srcs[i]->missing)
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
		live_place(e, (uint32_t)i, from);
	}
	/* Groups that do not exist yet, or without an ARN: polled. */
	ls = NULL;
	for (i = 0; i < e->nsrc; i++) {
		if (!e->srcs[i]->missing && !live_arn_missing(e, (uint32_t)i))
			continue;
		if (ls == NULL) {
			ls = live_session_new(e, 0, from);
			ls->state = LIVE_POLLED;
		}
		live_feed(ls, (uint32_t)i, from, 1);
	}
	for (i = 0; i < e->live->n; i++) {
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
	ls = live_place(e, i, from);
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
		free(e->live->s[k]);
	}
	free(e->live->s);
	free(e->live->arn_template);
	free(e->live);
	e->live = NULL;
}
