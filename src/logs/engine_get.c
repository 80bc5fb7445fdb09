/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A second quota pool for the history: GetLogEvents (10 requests/s per
 * account and region, apart from FilterLogEvents' 5) reads one stream.
 *
 * Before the feeds are made, each group that may be read that way (no
 * filter pattern, no stream selection, not following) is listed with
 * DescribeLogStreams (its own budget, 25 requests/s): a stream counts
 * unless its lastIngestionTime is older than the window's start by more
 * than GET_LAG_MS (events may be stamped up to 2 h after they are
 * ingested, and the listing's times lag by up to about an hour). A group
 * with at most stream_reads such streams, listed within GET_LIST_PAGES
 * pages, is eligible. The eligible groups are then shared between the
 * pools in the ratio of their budgets (group sizes are unknown, so each
 * group counts the same): a group moves to GetLogEvents while that lowers
 * the time the busier pool needs. A group is read by one pool only, so
 * nothing is read twice; its streams become feeds of the same history
 * merge and memory budget as every FilterLogEvents feed.
 *
 * A stream's read: startFromHead=true from the window's start, endTime the
 * window's end + 1 (the service's end is exclusive; events past the end
 * are dropped too, as an emulator may include it); empty pages in the
 * middle are normal; the end is the forward token the read sent coming
 * back.
 */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_int.h"
#include "logs/logs.h"
#include "logs/source.h"

#define GET_LAG_MS (4 * 3600 * 1000LL)
#define GET_LIST_PAGES 4 /* 200 streams */

enum gp_state { GP_WANT, GP_INFLIGHT, GP_DONE };

struct gp_group {
	struct getplan *gp;
	uint32_t srcidx;
	enum gp_state state;
	struct logs_streams_op *op;
	char *token;
	char **names; /* the streams that count, owned */
	size_t n;
	int pages;
	int ok;  /* eligible */
	int get; /* read with GetLogEvents */
};

struct getplan {
	struct engine *e;
	struct gp_group *g;
	size_t ng;
	size_t left; /* listings not finished */
	uint64_t timer;
	int assigned; /* gp_assign ran */
};

static void gp_pump(struct getplan *);

static void
gp_pump_timer(void *arg)
{
	struct getplan *gp = arg;

	gp->timer = 0;
	gp_pump(gp);
}

/* Does stream s count for the window [start, end]? See the top. */
static int
gp_counts(const struct logs_stream *s, int64_t start)
{
	return (start == LOGS_TIME_UNSET ||
		s->last_ingestion == LOGS_TIME_UNSET ||
		s->last_ingestion + GET_LAG_MS >= start);
}

/* A group's listing ended (ok: it may be read with GetLogEvents). */
static void
gp_done(struct gp_group *g, int ok)
{
	g->state = GP_DONE;
	g->ok = ok;
	free(g->token);
	g->token = NULL;
	if (--g->gp->left == 0)
		g->gp->e->wake = 1;
}

/* A DescribeLogStreams page of a group. */
static void
gp_answer(void *arg, struct logs_streams_result *r)
{
	struct gp_group *g = arg;
	struct engine *e = g->gp->e;
	int64_t now = loop_mono(e->loop);
	size_t i;

	g->op = NULL;
	g->state = GP_WANT;
	if (e->done)
		return;
	switch (r->err) {
	case LOGS_OK:
		break;
	case LOGS_ERR_THROTTLED:
		e->st.throttles++;
		ratelimit_throttled(&e->rl_desc, now);
		gp_pump(g->gp);
		return;
	default:
		/* FilterLogEvents reads it, and reports what is wrong. */
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "DescribeLogStreams on '%s': %s; reading it with "
		    "FilterLogEvents",
		    e->srcs[g->srcidx]->group, r->message);
		gp_done(g, 0);
		return;
	}
	ratelimit_success(&e->rl_desc, now);
	g->pages++;
	for (i = 0; i < r->n; i++) {
		if (!gp_counts(&r->streams[i], e->o.start))
			continue;
		if (g->n >= e->o.stream_reads) {
			gp_done(g, 0);
			return;
		}
		g->names = xreallocarray(g->names, g->n + 1, sizeof *g->names);
		g->names[g->n++] = xstrdup(r->streams[i].name);
	}
	if (r->next_token == NULL) {
		gp_done(g, 1);
		return;
	}
	if (g->pages >= GET_LIST_PAGES ||
	    (g->token != NULL && strcmp(g->token, r->next_token) == 0)) {
		gp_done(g, 0);
		return;
	}
	free(g->token);
	g->token = r->next_token;
	r->next_token = NULL;
	gp_pump(g->gp);
}

/* Send the listings that may go under the DescribeLogStreams budget. */
static void
gp_pump(struct getplan *gp)
{
	struct engine *e = gp->e;
	struct gp_group *g;
	int64_t wait;
	size_t i;

	for (i = 0; i < gp->ng && !e->done; i++) {
		g = &gp->g[i];
		if (g->state != GP_WANT)
			continue;
		wait = ratelimit_take(&e->rl_desc, loop_mono(e->loop));
		if (wait > 0) {
			if (gp->timer == 0)
				gp->timer = loop_timer_in(
				    e->loop, wait, gp_pump_timer, gp);
			return;
		}
		g->state = GP_INFLIGHT;
		e->st.describe_requests++;
		g->op = logs_streams_async(
		    e->logs, e->srcs[g->srcidx]->group, g->token, gp_answer, g);
	}
}

/* May source s be read stream by stream? */
static int
gp_eligible(const struct source *s)
{
	return (s->nstream_names == 0 &&
		(s->stream_prefix == NULL || *s->stream_prefix == '\0') &&
		s->stream_re == NULL);
}

/*
 * Start listing the groups that may be read with GetLogEvents. Returns 1
 * when listings are under way (the caller runs the loop until
 * getplan_pending() is 0), 0 when there is nothing to plan.
 */
int
getplan_start(struct engine *e)
{
	struct getplan *gp;
	size_t i;

	if (e->o.stream_reads == 0 || e->will_follow ||
	    (e->o.pattern != NULL && *e->o.pattern != '\0'))
		return (0);
	gp = xcalloc(1, sizeof *gp);
	gp->e = e;
	gp->g = xcalloc(e->nsrc + 1, sizeof *gp->g);
	for (i = 0; i < e->nsrc; i++) {
		if (!gp_eligible(e->srcs[i]))
			continue;
		gp->g[gp->ng].gp = gp;
		gp->g[gp->ng].srcidx = (uint32_t)i;
		gp->g[gp->ng].state = GP_WANT;
		gp->ng++;
	}
	gp->left = gp->ng;
	e->gplan = gp;
	if (gp->ng == 0)
		return (0);
	gp_pump(gp);
	return (1);
}

/* Listings not finished yet. */
int
getplan_pending(const struct engine *e)
{
	return (e->gplan != NULL && e->gplan->left > 0);
}

static int
gp_cmp(const void *a, const void *b)
{
	const struct gp_group *x = *(const struct gp_group *const *)a;
	const struct gp_group *y = *(const struct gp_group *const *)b;

	if (x->n != y->n)
		return (x->n < y->n ? -1 : 1);
	return (x->srcidx < y->srcidx ? -1 : (x->srcidx > y->srcidx));
}

/* The time the busier pool needs for g groups through GetLogEvents and f
 * through FilterLogEvents, in units of a group's read. */
static double
gp_cost(struct engine *e, size_t g, size_t f)
{
	double a = (double)g / e->rl_get.max_rate;
	double b = (double)f / e->rl.max_rate;

	return (a > b ? a : b);
}

/* Share the eligible groups between the pools (see the top). */
static void
gp_assign(struct engine *e)
{
	struct getplan *gp = e->gplan;
	struct gp_group **ok;
	size_t i, nok = 0, ng = 0, nf = e->nsrc;

	ok = xcalloc(gp->ng + 1, sizeof *ok);
	for (i = 0; i < gp->ng; i++) {
		if (gp->g[i].ok)
			ok[nok++] = &gp->g[i];
	}
	qsort(ok, nok, sizeof *ok, gp_cmp);
	for (i = 0; i < nok; i++) {
		/* No stream in the window: nothing to read at all. */
		if (ok[i]->n > 0 &&
		    gp_cost(e, ng + 1, nf - 1) >= gp_cost(e, ng, nf))
			break;
		ok[i]->get = 1;
		ng++;
		nf--;
		e->st.get_groups++;
		e->st.get_streams += ok[i]->n;
		engine_notice(e, ENGINE_NOTICE_DEBUG,
		    "'%s': %zu streams in the window: reading them with "
		    "GetLogEvents",
		    e->srcs[ok[i]->srcidx]->group, ok[i]->n);
	}
	if (ng > 0)
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "reading %zu of %zu groups stream by stream with "
		    "GetLogEvents (%zu streams), the others with "
		    "FilterLogEvents",
		    ng, e->nsrc, e->st.get_streams);
	free(ok);
}

/*
 * Make the feeds of source srcidx if it is read with GetLogEvents: one per
 * stream (the feed takes the name). Returns 1 if so, 0 when the caller
 * makes its FilterLogEvents feeds.
 */
int
getplan_make_feeds(struct engine *e, uint32_t srcidx)
{
	struct getplan *gp = e->gplan;
	struct gp_group *g = NULL;
	struct feed *f;
	size_t i;

	if (gp == NULL || gp->left > 0)
		return (0);
	if (!gp->assigned) {
		gp->assigned = 1;
		gp_assign(e);
	}
	for (i = 0; i < gp->ng; i++) {
		if (gp->g[i].srcidx == srcidx)
			g = &gp->g[i];
	}
	if (g == NULL || !g->get)
		return (0);
	for (i = 0; i < g->n; i++) {
		f = feed_new(e, srcidx, NULL, 0);
		f->gstream = g->names[i];
		f->get = 1;
		g->names[i] = NULL;
		e->get_feeds++;
	}
	return (1);
}

/* Free the plan (cancelling listings in flight). Accepts none. */
void
getplan_free(struct engine *e)
{
	struct getplan *gp = e->gplan;
	size_t i, j;

	if (gp == NULL)
		return;
	loop_timer_cancel(e->loop, gp->timer);
	for (i = 0; i < gp->ng; i++) {
		logs_streams_cancel(gp->g[i].op);
		free(gp->g[i].token);
		for (j = 0; j < gp->g[i].n; j++)
			free(gp->g[i].names[j]);
		free(gp->g[i].names);
	}
	free(gp->g);
	free(gp);
	e->gplan = NULL;
}

/*
 * GetLogEvents was denied on f before it read anything (a policy with
 * logs:FilterLogEvents alone): FilterLogEvents reads the same stream
 * instead (logStreamNames), so the output stays the same. Returns 1 if f
 * was switched, 0 if it had read pages already (the caller fails).
 */
int
getfeed_denied(struct engine *e, struct feed *f)
{
	struct feed *q, *next, **head, **tail;

	if (f->token != NULL || f->read_pages > 0)
		return (0);
	f->get = 0;
	f->names = xreallocarray(NULL, 1, sizeof *f->names);
	f->names[0] = f->gstream;
	f->nnames = 1;
	f->split_done = 1;
	if (e->said_get_denied)
		return (1);
	e->said_get_denied = 1;
	engine_notice(e, ENGINE_NOTICE_WARN,
	    "GetLogEvents is denied on '%s': reading its streams with "
	    "FilterLogEvents (allow logs:GetLogEvents, or use "
	    "--stream-reads 0)",
	    f->src->group);
	/* The streams waiting for their first GetLogEvents go to the
	 * FilterLogEvents queue instead. */
	q = e->gq_head;
	e->gq_head = e->gq_tail = NULL;
	for (; q != NULL; q = next) {
		next = q->wait_next;
		q->wait_next = NULL;
		if (getfeed_denied(e, q)) {
			head = &e->wq_head;
			tail = &e->wq_tail;
		} else {
			head = &e->gq_head;
			tail = &e->gq_tail;
		}
		if (*tail != NULL)
			(*tail)->wait_next = q;
		else
			*head = q;
		*tail = q;
	}
	return (1);
}

/* The window's end a stream's read asks for (inclusive). */
static int64_t
getfeed_end(struct engine *e, struct feed *f)
{
	return (f->end != LOGS_TIME_UNSET ? f->end : e->hist_end);
}

/* Send the GetLogEvents request of a stream's feed. */
void
getfeed_send(struct engine *e, struct feed *f)
{
	struct logs_get lg;

	memset(&lg, 0, sizeof lg);
	lg.group = f->src->group;
	lg.stream = f->gstream;
	lg.start = f->start;
	lg.end = getfeed_end(e, f) + 1; /* exclusive */
	lg.token = f->token;
	lg.limit = e->o.limit;
	e->st.get_requests++;
	f->op = logs_get_async(e->logs, &lg, engine_on_page, f);
}

/*
 * A GetLogEvents page of f's stream, next its forward token (taken). The
 * token f sent coming back is the end of the stream; any other token,
 * after an empty page too, reads on (a token seen before in this read is a
 * cycle, see feed_check_page).
 */
void
getfeed_page(struct engine *e, struct feed *f, struct page *p, char *next)
{
	int64_t end = getfeed_end(e, f);
	struct event *ev;
	size_t i, n = 0;
	char *cause;
	int last;

	last =
	    next == NULL || (f->token != NULL && strcmp(next, f->token) == 0);
	for (i = 0; i < p->n; i++) {
		ev = &p->ev[i];
		if ((f->start != LOGS_TIME_UNSET && ev->ts < f->start) ||
		    ev->ts > end)
			continue;
		ev->stream = f->gstream;
		ev->stream_len = strlen(f->gstream);
		if (n != i)
			p->ev[n] = *ev;
		n++;
	}
	p->n = n;
	if (!last) {
		switch (feed_check_page(f, p, next, 0, &cause)) {
		case FEED_PAGE_CYCLE:
			page_free(p);
			free(next);
			engine_fail(e, ENGINE_ERR_AWS, "%s", cause);
			free(cause);
			return;
		case FEED_PAGE_AGAIN:
			p->n = 0;
			break;
		case FEED_PAGE_NEW:
			break;
		}
	}
	free(f->token);
	f->token = NULL;
	if (last)
		free(next);
	else
		f->token = next;
	hist_page(e, f, p);
}
