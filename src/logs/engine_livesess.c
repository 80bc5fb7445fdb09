/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One Live Tail session of --watch: opening it (and again after an end, with
 * a backoff), what it says (events, updates and the watermark, ends,
 * refusals). How sources are put into sessions, and the rules for gaps,
 * watermarks and refusals, are in engine_live.c.
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

/* Is there no ARN for source i? */
int
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
void
live_refuse(struct live_session *ls, enum logs_err err, const char *msg)
{
	struct engine *e = ls->e;
	size_t i;

	if (e->o.follow_mode == ENGINE_FOLLOW_LIVE) {
		/* What the history read (its last seconds wait in the
		 * follow merge) is printed first. */
		follow_release(e, 1);
		engine_fail(e,
		    err == LOGS_ERR_ACCESS ? ENGINE_ERR_ACCESS : ENGINE_ERR_AWS,
		    "Live Tail (StartLiveTail) refused: %s "
		    "(--follow-mode live; auto would poll instead)",
		    msg ? msg : "error");
		return;
	}
	if (!e->live->said_refused)
		engine_notice(e, ENGINE_NOTICE_WARN,
		    "Live Tail is not available (%s); following by polling",
		    msg ? msg : "error");
	e->live->said_refused = 1;
	ls->state = LIVE_POLLED;
	for (i = 0; i < ls->nsrc; i++)
		live_feed(ls, ls->src[i], ls->watermark, 1);
}

/* A refusal: during the history read (a session opened by live_early)
 * live_start decides, once the history said which groups exist. */
static void
live_refused(struct live_session *ls, struct livetail_msg *m)
{
	struct engine *e = ls->e;

	if (e->following) {
		live_refuse(ls, m->err, m->message);
		return;
	}
	ls->state = LIVE_POLLED;
	ls->refused = m->err == LOGS_OK ? LOGS_ERR_OTHER : m->err;
	free(ls->refusal);
	ls->refusal = xstrdup(m->message ? m->message : "error");
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

/*
 * An update: hold its events, move the watermark. Received at wall time U,
 * it carries every event ingested up to about U - LIVE_TRANSIT_MS (the
 * service sends what it ingested since its previous update), so what the
 * session may still deliver was ingested later, and is stamped later than
 * U - LIVE_TRANSIT_MS - D, D the largest ingestion delay (ingestionTime -
 * timestamp) seen: that is the session's watermark. Live Tail updates say
 * nothing of their own time, so U is the arrival time.
 */
static void
live_update(struct live_session *ls, struct livetail_msg *m)
{
	struct engine *e = ls->e;
	int64_t now = loop_now(e->loop), mono = loop_mono(e->loop);
	int64_t wm;
	struct event *ev;
	size_t k;

	for (k = 0; m->page != NULL && k < m->page->n; k++) {
		ev = &m->page->ev[k];
		if (ev->src >= ls->nsrc)
			continue;
		live_delay_learn(e, ev);
		if (live_hold(e, ls->src[ev->src], ev, mono))
			e->st.live_events++;
	}
	if (m->sampled)
		live_sampled(ls, now);
	else
		ls->said_skipped = 0; /* a skipped span ends */
	ls->last_update = now;
	wm = now - LIVE_TRANSIT_MS - live_delay(e, now);
	if (wm > ls->watermark)
		ls->watermark = wm;
	live_prune(e);
	if (e->following)
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
	if (m->kind != LIVETAIL_UPDATE)
		e->wake = 1; /* live_early_wait looks */
	switch (m->kind) {
	case LIVETAIL_START:
		ls->state = LIVE_OPEN;
		ls->failures = 0;
		ls->said_down = 0;
		ls->said_sampled = ls->said_skipped = 0; /* once a session */
		ls->last_update = loop_now(e->loop);
		/* During the history read, live_start backfills. */
		if (ls->gap_from != LOGS_TIME_UNSET && e->following)
			for (i = 0; i < ls->nsrc; i++)
				live_feed(ls, ls->src[i], ls->gap_from, 0);
		if (e->following)
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
void
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
