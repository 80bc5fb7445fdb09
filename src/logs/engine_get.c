/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A second quota pool for the history: GetLogEvents (10 requests/s per
 * account and region, apart from FilterLogEvents' 5) reads one stream.
 *
 * Every group starts on FilterLogEvents, so a short read costs nothing
 * more. A group that may be read stream by stream (no filter pattern, no
 * stream selection, not following, not cut into time slices) and whose
 * first page shows a long read (GET_MIN_PAGES pages or more to go, as
 * hist_split estimates) is listed with DescribeLogStreams (its own budget,
 * 25 requests/s); its time slicing waits for the answer. A stream counts
 * unless its lastIngestionTime is older than the window's start by more
 * than GET_LAG_MS (events may be stamped up to 2 h after their ingestion,
 * and the listing's times lag by up to about an hour). A group with at
 * most stream_reads such streams, listed within GET_LIST_PAGES pages, is
 * eligible. At its next page with events, an eligible group moves to
 * GetLogEvents if that reads it sooner and lowers the time the busier pool
 * needs. The cost of a group (getplan_cost): P FilterLogEvents pages still
 * to go (as hist_split estimates them from its first page) at --max-rps,
 * against P / gain GetLogEvents pages (getplan_gain: its events carry no
 * stream name and no event id, so a 1 MB page holds more of them) plus
 * GET_STREAM_REQS requests a stream (its last, partial page, and the
 * request that gets its token back) at --max-get-rps. The pools' loads
 * are the costs of the groups still reading on each side (a group not yet
 * estimated counts as this one). Its FilterLogEvents feed is cut at the
 * newest timestamp it has read (it reads one more page, cut there, then
 * ends: events of that millisecond beyond the page are read once), and
 * one GetLogEvents feed per stream reads from the next millisecond. A
 * group that is not moved is sliced as usual. Nothing is read twice, and
 * every feed goes through the same history merge and memory budget.
 *
 * A stream's read: startFromHead=true, endTime the window's end + 1 (the
 * service's end is exclusive; events past the end are dropped too, as an
 * emulator may include it); empty pages in the middle are normal; the end
 * is the forward token the read sent coming back.
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
#define GET_MIN_PAGES 4
/* GetLogEvents requests a stream costs beyond its share of full pages:
 * half a page on average for its last one, and the request that gets the
 * token back. */
#define GET_STREAM_REQS 1.5
/* Bytes of an event's JSON beside its message: GetLogEvents'
 * {"timestamp":N,"message":"","ingestionTime":N}, and what
 * FilterLogEvents adds: "logStreamName":"",  and "eventId":"" of 56
 * digits (measured on fakecwl with 120-byte messages: 5164 events a
 * GetLogEvents page against 3056 a FilterLogEvents page, 1.69). */
#define GET_EV_BYTES 71.0
#define FLE_EV_EXTRA 88.0
#define PAGE_BYTES 1048576.0
#define PAGE_EVENTS 10000.0

enum gp_state {
	GP_NONE,     /* not eligible, or decided */
	GP_IDLE,     /* eligible, not listed */
	GP_WANT,     /* a listing page waits for the budget */
	GP_INFLIGHT, /* a listing page in flight */
	GP_LISTED    /* listed: decide at the next page */
};

struct gp_group {
	struct getplan *gp;
	uint32_t srcidx;
	enum gp_state state;
	struct logs_streams_op *op;
	char *token;
	char **names; /* the streams that count, owned */
	size_t n;
	int pages;
	int ok;        /* listed and eligible */
	int moved;     /* read with GetLogEvents */
	double fpages; /* FilterLogEvents pages to go (its first page) */
	double gain;   /* events a GetLogEvents page holds more */
	double cost;   /* seconds on its pool (0: not estimated) */
};

struct getplan {
	struct engine *e;
	struct gp_group *g; /* per source */
	size_t ng;
	uint64_t timer;
};

static void gp_pump(struct getplan *);

static void
gp_pump_timer(void *arg)
{
	struct getplan *gp = arg;

	gp->timer = 0;
	gp_pump(gp);
}

/* Does stream s count for a window from start? See the top. */
int
getplan_counts(const struct logs_stream *s, int64_t start)
{
	return (start == LOGS_TIME_UNSET ||
		s->last_ingestion == LOGS_TIME_UNSET ||
		s->last_ingestion + GET_LAG_MS >= start);
}

/* A group's listing ended (ok: it may be read with GetLogEvents). */
static void
gp_listed(struct gp_group *g, int ok)
{
	g->state = ok ? GP_LISTED : GP_NONE;
	g->ok = ok;
	free(g->token);
	g->token = NULL;
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
	case LOGS_ERR_NOT_FOUND:
		/* FilterLogEvents says it, as it does without this pool. */
		gp_listed(g, 0);
		return;
	default:
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "DescribeLogStreams on '%s': %s; reading it with "
		    "FilterLogEvents",
		    e->srcs[g->srcidx]->group, r->message);
		gp_listed(g, 0);
		return;
	}
	ratelimit_success(&e->rl_desc, now);
	g->pages++;
	for (i = 0; i < r->n; i++) {
		if (!getplan_counts(&r->streams[i], e->o.start))
			continue;
		if (g->n >= e->o.stream_reads) {
			gp_listed(g, 0);
			return;
		}
		g->names = xreallocarray(g->names, g->n + 1, sizeof *g->names);
		g->names[g->n++] = xstrdup(r->streams[i].name);
	}
	if (r->next_token == NULL) {
		gp_listed(g, 1);
		return;
	}
	if (g->pages >= GET_LIST_PAGES ||
	    (g->token != NULL && strcmp(g->token, r->next_token) == 0)) {
		gp_listed(g, 0);
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
int
getplan_eligible(const struct source *s)
{
	return (s->nstream_names == 0 &&
		(s->stream_prefix == NULL || *s->stream_prefix == '\0') &&
		s->stream_re == NULL);
}

/* GetLogEvents is not to read source i (the three-pool split found it
 * would read it slower; engine_insights_mix.c). */
void
getplan_exclude(struct engine *e, size_t i)
{
	if (e->gplan != NULL && i < e->gplan->ng)
		e->gplan->g[i].state = GP_NONE;
}

/* Set up the plan of a history read (no request yet; see the top). */
void
getplan_start(struct engine *e)
{
	struct getplan *gp;
	size_t i;

	if (e->o.stream_reads == 0 || e->will_follow ||
	    (e->o.pattern != NULL && *e->o.pattern != '\0') || e->nsrc == 0)
		return;
	gp = xcalloc(1, sizeof *gp);
	gp->e = e;
	gp->g = xcalloc(e->nsrc, sizeof *gp->g);
	gp->ng = e->nsrc;
	for (i = 0; i < e->nsrc; i++) {
		gp->g[i].gp = gp;
		gp->g[i].srcidx = (uint32_t)i;
		gp->g[i].state =
		    getplan_eligible(e->srcs[i]) ? GP_IDLE : GP_NONE;
	}
	e->gplan = gp;
}

/*
 * How many times the events of a FilterLogEvents page a GetLogEvents page
 * holds, from page p's events (their messages and stream names) and the
 * page size limit (0: the service's, 10 000 events): both pages hold 1 MB
 * of JSON at most.
 */
double
getplan_gain(const struct page *p, int64_t limit)
{
	double msg = 0, st = 0, fle, gle, cap = PAGE_EVENTS;
	size_t i;

	if (p->n == 0)
		return (1);
	for (i = 0; i < p->n; i++) {
		msg += (double)p->ev[i].msg_len;
		st += (double)p->ev[i].stream_len;
	}
	msg /= (double)p->n;
	st /= (double)p->n;
	if (limit > 0 && (double)limit < cap)
		cap = (double)limit;
	gle = PAGE_BYTES / (msg + GET_EV_BYTES);
	fle = PAGE_BYTES / (msg + GET_EV_BYTES + FLE_EV_EXTRA + st);
	gle = gle < cap ? gle : cap;
	fle = fle < cap ? fle : cap;
	return (gle / fle);
}

/*
 * The seconds a group of nstreams streams with fpages FilterLogEvents
 * pages to go takes: *f with FilterLogEvents at f_rps, *g with GetLogEvents
 * at g_rps (see the top). Returns whether GetLogEvents reads it sooner.
 */
int
getplan_cost(double fpages, size_t nstreams, double gain, double f_rps,
    double g_rps, double *f, double *g)
{
	*f = fpages / f_rps;
	*g = (fpages / gain + GET_STREAM_REQS * (double)nstreams) / g_rps;
	return (*g < *f);
}

/* The seconds of work still on each pool: the costs of the groups still
 * reading (one not estimated yet counts as guess). */
static void
gp_load(struct engine *e, double guess, double *lg, double *lf)
{
	struct gp_group *g;
	struct feed *f;
	size_t i, j;

	*lg = *lf = 0;
	for (i = 0; i < e->nsrc; i++) {
		for (j = 0; j < e->nfeeds; j++) {
			f = e->feeds[j];
			if (f->srcidx == i && f->state != FEED_DONE)
				break;
		}
		if (j == e->nfeeds)
			continue;
		g = &e->gplan->g[i];
		if (g->moved)
			*lg += g->cost;
		else
			*lf += g->cost > 0 ? g->cost : guess;
	}
}

/* The pages reading on from p takes, as hist_split estimates them (0:
 * none, or unknown). */
static double
gp_pages(struct engine *e, const struct page *p)
{
	int64_t first = p->ev[0].ts, last = p->ev[p->n - 1].ts;

	if (e->hist_end == LOGS_TIME_UNSET || e->hist_end <= last)
		return (0);
	return ((double)((uint64_t)(e->hist_end - first) /
			 (uint64_t)(last - first + 1)));
}

/* Move g's read to GetLogEvents from after p: f stops at p's newest
 * timestamp (see the top). */
static void
gp_move(
    struct engine *e, struct gp_group *g, struct feed *f, const struct page *p)
{
	struct feed *s;
	size_t i;

	g->moved = 1;
	f->cut = p->ev[p->n - 1].ts;
	f->split_done = 1;
	e->st.get_groups++;
	e->st.get_streams += g->n;
	engine_notice(e, ENGINE_NOTICE_INFO,
	    "'%s': %zu streams in the window: reading on from %lld with "
	    "GetLogEvents",
	    f->src->group, g->n, (long long)f->cut);
	for (i = 0; i < g->n; i++) {
		s = feed_new(e, g->srcidx, NULL, 0);
		s->gstream = g->names[i];
		g->names[i] = NULL;
		s->get = 1;
		s->start = f->cut + 1;
		s->end = f->end;
		s->split_done = 1;
		e->get_feeds++;
		engine_request(e, s);
	}
}

/*
 * A FilterLogEvents page of f, before hist_split: list its group, or move
 * it to GetLogEvents, when that may pay (see the top). Returns 1 when the
 * group's time slicing must wait (a listing under way) or not happen (it
 * moved), 0 when hist_split may go on.
 */
int
getplan_page(struct engine *e, struct feed *f, const struct page *p)
{
	struct gp_group *g;
	double fs, gs, lg, lf;

	if (e->gplan == NULL || f->get || f->srcidx >= e->gplan->ng)
		return (0);
	g = &e->gplan->g[f->srcidx];
	if (g->state == GP_NONE)
		return (0);
	if (f->token == NULL || f->prev_slice != NULL ||
	    f->next_slice != NULL || f->nnames > 0 || f->split_done ||
	    f->cut != LOGS_TIME_UNSET) {
		g->state = GP_NONE; /* the read ends, or is sliced */
		return (0);
	}
	if (p->n == 0)
		return (1); /* decide at a page that says where it is */
	switch (g->state) {
	case GP_IDLE:
		g->fpages = gp_pages(e, p);
		g->cost = g->fpages / e->rl.max_rate;
		if (g->fpages < GET_MIN_PAGES) {
			g->state = GP_NONE;
			return (0);
		}
		g->gain = getplan_gain(p, e->o.limit);
		g->state = GP_WANT;
		gp_pump(e->gplan);
		return (1);
	case GP_WANT:
	case GP_INFLIGHT:
		return (1);
	default:
		break;
	}
	g->state = GP_NONE;
	if (!g->ok || !getplan_cost(g->fpages, g->n, g->gain, e->rl.max_rate,
			  e->rl_get.max_rate, &fs, &gs))
		return (0);
	gp_load(e, fs, &lg, &lf);
	if ((lg + gs > lf - fs ? lg + gs : lf - fs) >= (lg > lf ? lg : lf))
		return (0);
	g->cost = gs;
	gp_move(e, g, f, p);
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
