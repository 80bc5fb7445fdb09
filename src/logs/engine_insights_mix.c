/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Three quota pools at once (get --engine auto over a big window): Logs
 * Insights reads a share of the groups while FilterLogEvents and
 * GetLogEvents (engine_get.c) read the others, in one run of the loop and
 * one merge. The cut is by group: each group is read by exactly one pool,
 * so nothing is read twice and no dedup is needed.
 *
 * The split, once every group's streams are listed (one DescribeLogStreams
 * page each, under its budget, at the start; the run waits meanwhile): each
 * pool's rate in events a second, each group counted the same (their sizes
 * are not known): Logs Insights about MIX_PAGES_PER_S GetQueryResults pages
 * of MIX_PAGE_ROWS rows a second; FilterLogEvents and GetLogEvents
 * MIX_PAGE_EVENTS events a page (1 MB, about 3 000 events as the service
 * sends them) at their budgets (--max-rps, --max-get-rps), GetLogEvents
 * only for the groups with at most stream_reads streams in the window
 * (counted as engine_get.c counts them), without a filter pattern, that
 * it reads sooner than FilterLogEvents (getplan_cost, each group's size
 * at most the groups' average storedBytes, MIX_GET_GAIN). Whether a group
 * counted for GetLogEvents moves is decided by engine_get.c on its first
 * page, as without Logs Insights; a group not counted does not move.
 * Logs Insights reads k of the n groups, k = n * I / (I + F + G) rounded,
 * at least one and, with two groups or more, at most n - 1; first the
 * groups GetLogEvents cannot read, then in source order.
 *
 * The reader is one source of the history merge: hist_drain takes the
 * smaller of the feeds' head and the reader's next row (ir_peek) while
 * neither side could still give an older one (the feeds' bound and the
 * reader's: the start of its unfinished tasks, the last timestamp of a
 * page with more to come). Its rows go out through engine_emit_event like
 * every event, so ties across pools are ordered as the filter path orders
 * them (timestamp, ingestion time, source).
 *
 * Refused before any output (auto: access denied, a failed query, a
 * second over the row limit), the reader gives way: insights_mix_wake,
 * called by engine_run between runs of the loop, stops its queries and
 * hands its groups to FilterLogEvents. No event can have gone out before
 * its first rows came in: the merge waits for the reader's earliest task.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/engine_insights_int.h"
#include "logs/engine_int.h"
#include "logs/groupspec.h"
#include "logs/logs.h"
#include "logs/source.h"

/* Events in a FilterLogEvents or GetLogEvents page (1 MB a page). */
#define MIX_PAGE_EVENTS 3000.0
/* GetLogEvents pages for every FilterLogEvents page before any page is
 * seen (getplan_gain of fakecwl's 120-byte messages: 1.69 measured). */
#define MIX_GET_GAIN 1.69
/* The reader's GetQueryResults pages: the size it reads alone (bodies are
 * decoded as they stream in, so a page costs its decoded rows, ~3.6 MiB
 * at 10 000), no task ahead but the merge's next page, and the history's
 * memory budget two pages smaller: measured 18.6 s at 22.8 MiB (4
 * streams) and 24.1 s at 21.7 MiB (10), against 18.3 s at 18.4 MiB and
 * 32.8 s at 17.5 MiB with 5 000 rows (bench/results.md (a4)). */
#define MIX_PAGE_ROWS IR_PAGE
#define MIX_BUDGET_PAGES 2
#define MIX_MEM_BUDGET (3u << 20)
/* Pages a second it reads: the GetQueryResults budget (5/s) less the
 * polls of the queries running (measured: about 4). */
#define MIX_PAGES_PER_S 4.0

/* The listing of the groups' streams before the split. */
struct mixslot {
	struct mixplan *mp;
	size_t i;                   /* the source */
	struct logs_streams_op *op; /* in flight, or NULL */
	int sent;                   /* asked (and not throttled) */
};

struct mixplan {
	struct engine *e;
	struct mixslot *slot; /* per source */
	unsigned char *get;   /* per source: GetLogEvents may read it */
	size_t pending;       /* listings not answered */
	size_t next;          /* the next source to list */
	uint64_t timer;       /* the DescribeLogStreams budget */
	int said_listing;     /* a failed listing was said (once) */
};

/*
 * How many of n groups Logs Insights reads, when ng of them may be read
 * with GetLogEvents (see the top): each pool's share of the groups in
 * proportion to its rate, GetLogEvents' at most its ng groups (what it
 * cannot take goes to the other two in proportion).
 */
static size_t
mix_share(struct engine *e, size_t n, size_t ng)
{
	double ri = MIX_PAGES_PER_S * (MIX_PAGE_ROWS), rf, rg = 0, k, sg;

	rf = e->rl.max_rate * MIX_PAGE_EVENTS;
	if (e->o.stream_reads > 0 &&
	    (e->o.pattern == NULL || *e->o.pattern == '\0'))
		rg = e->rl_get.max_rate * MIX_PAGE_EVENTS;
	sg = (double)n * rg / (ri + rf + rg);
	if (sg > (double)ng) /* GetLogEvents reads ng groups at most */
		k = ((double)n - (double)ng) * ri / (ri + rf);
	else
		k = (double)n * ri / (ri + rf + rg);
	k = floor(k + 0.5);
	if (k < 1)
		k = 1;
	if (n >= 2 && k > (double)n - 1)
		k = (double)n - 1;
	return ((size_t)k);
}

/* Every listing is in: choose the groups and start every pool. Logs
 * Insights takes the groups GetLogEvents cannot read first. */
static void
mix_split(struct engine *e)
{
	struct mixplan *mp = e->mix;
	struct ireader *ir;
	const char **names = NULL;
	unsigned char *get = NULL;
	size_t i, j, n = 0, ng = 0, k, pass, taken = 0;

	for (i = 0; i < e->nsrc; i++) {
		for (j = 0; j < n; j++)
			if (groupspec_same(names[j], e->srcs[i]->group))
				break;
		if (j == n) {
			names = xreallocarray(names, n + 1, sizeof *names);
			get = xreallocarray(get, n + 1, 1);
			names[n] = e->srcs[i]->group;
			get[n++] = 1;
		}
		get[j] &= mp->get[i];
	}
	for (j = 0; j < n; j++)
		ng += get[j];
	/* What the split does not count for GetLogEvents, getplan does
	 * not move: with many streams, a move stalls the merge (and so
	 * every pool) until each stream's first page is in. */
	for (i = 0; i < e->nsrc; i++)
		for (j = 0; j < n; j++)
			if (!get[j] &&
			    groupspec_same(names[j], e->srcs[i]->group))
				getplan_exclude(e, i);
	k = mix_share(e, n, ng);
	e->ir_src = xcalloc(e->nsrc, 1);
	for (pass = 0; pass < 2; pass++) {
		for (j = 0; j < n && taken < k; j++) {
			if (get[j] != pass)
				continue;
			taken++;
			for (i = 0; i < e->nsrc; i++)
				if (groupspec_same(names[j], e->srcs[i]->group))
					e->ir_src[i] = 1;
		}
	}
	free(names);
	free(get);
	free(mp->slot);
	free(mp->get);
	free(mp);
	e->mix = NULL;
	e->st.ir_groups = k;
	engine_notice(e, ENGINE_NOTICE_INFO,
	    "reading %zu of %zu groups through Logs Insights (%zu may be read "
	    "with GetLogEvents), the others with FilterLogEvents and "
	    "GetLogEvents",
	    k, n, ng);
	ir = xcalloc(1, sizeof *ir);
	ir->mixed = 1;
	ir->page_rows = MIX_PAGE_ROWS;
	ir->ahead = 0;
	ir->mem_budget = MIX_MEM_BUDGET;
	/* Its page and the one read ahead: two pages of the history's
	 * budget. */
	if (e->o.max_mem_pages > MIX_BUDGET_PAGES + 2)
		e->o.max_mem_pages -= MIX_BUDGET_PAGES;
	else
		e->o.max_mem_pages = 2;
	e->ir = ir;
	if (ir_open(ir, e, n) != 0)
		return;
	engine_start_feeds(e, e->ir_src);
	hist_drain(e);
}

static void mix_pump(void *);

/* A group's first page of streams: may GetLogEvents read it (at most
 * stream_reads streams in the window, as engine_get.c counts them, on
 * this page, and no page after it)? Any failure: no (FilterLogEvents or
 * Logs Insights reads it, and says what is wrong). */
static void
mix_listed(void *arg, struct logs_streams_result *r)
{
	struct mixslot *sl = arg;
	struct mixplan *mp = sl->mp;
	struct engine *e = mp->e;
	double fpages, fs, gs;
	size_t j, n = 0;

	sl->op = NULL;
	e->st.describe_requests++;
	if (r->err == LOGS_ERR_THROTTLED) {
		/* Ask again, slower. */
		e->st.throttles++;
		ratelimit_throttled(&e->rl_desc, loop_mono(e->loop));
		sl->sent = 0;
		if (mp->next > sl->i)
			mp->next = sl->i;
		if (mp->timer == 0)
			mp->timer = loop_timer_in(e->loop, 0, mix_pump, mp);
		return;
	}
	if (r->err != LOGS_OK && !mp->said_listing++)
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "DescribeLogStreams on '%s': %s; not reading it (nor "
		    "any other group whose listing fails) with GetLogEvents",
		    e->srcs[sl->i]->group,
		    r->message != NULL ? r->message : "failed");
	if (r->err == LOGS_OK && r->next_token == NULL) {
		for (j = 0; j < r->n; j++)
			n += getplan_counts(&r->streams[j], e->o.start) != 0;
		mp->get[sl->i] = n <= e->o.stream_reads;
		/* The most it may hold, in 1 MB pages: its storedBytes,
		 * the groups' average (the window's share of it assumes
		 * events spread over the group's life, which may be far
		 * off; getplan decides on the first page). Unknown: by
		 * count alone. */
		fpages = e->o.group_stored / 1048576.0;
		if (mp->get[sl->i] && fpages > 0)
			mp->get[sl->i] = getplan_cost(fpages, n, MIX_GET_GAIN,
			    e->rl.max_rate, e->rl_get.max_rate, &fs, &gs);
	}
	if (--mp->pending == 0)
		mix_split(e);
}

/* Send the listings the DescribeLogStreams budget allows. */
static void
mix_pump(void *arg)
{
	struct mixplan *mp = arg;
	struct engine *e = mp->e;
	int64_t wait;

	mp->timer = 0;
	for (; mp->next < e->nsrc && !e->done; mp->next++) {
		if (mp->slot[mp->next].mp == NULL || mp->slot[mp->next].sent)
			continue;
		wait = ratelimit_take(&e->rl_desc, loop_mono(e->loop));
		if (wait > 0) {
			mp->timer = loop_timer_in(e->loop, wait, mix_pump, mp);
			return;
		}
		mp->slot[mp->next].sent = 1;
		mp->slot[mp->next].op =
		    logs_streams_async(e->logs, e->srcs[mp->next]->group, NULL,
			mix_listed, &mp->slot[mp->next]);
	}
}

/* Start: list the groups' streams at once, then split; see
 * engine_int.h. Without GetLogEvents, split now. */
void
insights_mix_start(struct engine *e)
{
	struct mixplan *mp;
	size_t i;

	if (e->nsrc == 0)
		return;
	mp = xcalloc(1, sizeof *mp);
	mp->e = e;
	mp->slot = xcalloc(e->nsrc, sizeof *mp->slot);
	mp->get = xcalloc(e->nsrc, 1);
	e->mix = mp;
	if (e->o.stream_reads == 0 ||
	    (e->o.pattern != NULL && *e->o.pattern != '\0')) {
		mix_split(e);
		return;
	}
	for (i = 0; i < e->nsrc; i++) {
		if (!getplan_eligible(e->srcs[i]))
			continue;
		mp->slot[i].mp = mp;
		mp->slot[i].i = i;
		mp->pending++;
	}
	if (mp->pending == 0) {
		mix_split(e);
		return;
	}
	mix_pump(mp);
}

/* The reader's next row for the history merge; see engine_int.h. */
int
insights_mix_peek(struct engine *e, struct event **ev, int64_t *bound)
{
	struct ireader *ir = e->ir;
	struct itask *t;

	*ev = NULL;
	*bound = INT64_MAX;
	if (ir == NULL)
		return (0);
	if (ir->fallback || ir->closing) {
		/* Given way: nothing goes out until the feeds of its groups
		 * are made (insights_mix_wake). */
		*bound = INT64_MIN;
		return (0);
	}
	t = ir_peek(ir, bound);
	ir->peeked = t;
	if (t != NULL)
		*ev = &t->ev[t->pos];
	return (t != NULL);
}

/* Emit the row insights_mix_peek gave; see engine_int.h. */
int
insights_mix_take(struct engine *e)
{
	struct itask *t = e->ir->peeked;
	struct event ev = t->ev[t->pos++];

	e->ir->peeked = NULL;
	e->st.ir_events++;
	return (engine_emit_event(e, &ev, e->srcs[ev.src]));
}

/* Rows went out: the reader reads and starts more. */
void
insights_mix_after(struct engine *e)
{
	if (e->ir != NULL && !ir_off(e->ir))
		ir_after_merge(e->ir);
}

/* Has the reader merged out every row (or is there none)? */
int
insights_mix_finished(struct engine *e)
{
	if (e->mix != NULL)
		return (0); /* still listing */
	return (e->ir == NULL || ir_finished(e->ir));
}

/* Stop the reader, say what it did, free it; see engine_int.h. */
void
insights_mix_close(struct engine *e)
{
	struct ireader *ir = e->ir;

	e->ir = NULL; /* out of the merge from here */
	ir_close(ir);
	ir_report(ir);
	ir_free(ir);
	free(ir);
}

/* Between runs of the loop: has the reader given way? see engine_int.h */
int
insights_mix_wake(struct engine *e)
{
	if (e->ir == NULL || !e->ir->fallback || e->status != ENGINE_OK)
		return (0);
	e->st.ir_groups = 0;
	return (1);
}

/* The end of the read: stop what still runs; see engine_int.h. */
void
insights_mix_end(struct engine *e)
{
	struct mixplan *mp = e->mix;
	size_t i;

	if (mp != NULL) {
		loop_timer_cancel(e->loop, mp->timer);
		for (i = 0; i < e->nsrc; i++)
			logs_streams_cancel(mp->slot[i].op);
		free(mp->slot);
		free(mp->get);
		free(mp);
		e->mix = NULL;
	}
	if (e->ir != NULL)
		insights_mix_close(e);
	free(e->ir_src);
	e->ir_src = NULL;
}

/* -v: what each pool read, when Logs Insights was one of them; see
 * engine_int.h. */
void
insights_mix_report(struct engine *e)
{
	uint64_t f;

	if (!e->o.insights_mix || e->st.ir_groups == 0)
		return;
	f = e->st.events - e->st.ir_events - e->st.get_events;
	engine_notice(e, ENGINE_NOTICE_INFO,
	    "pools: %llu events of %zu groups through Logs Insights, %llu "
	    "with GetLogEvents (%zu groups), %llu with FilterLogEvents",
	    (unsigned long long)e->st.ir_events, e->st.ir_groups,
	    (unsigned long long)e->st.get_events,
	    e->st.get_events > 0 ? e->st.get_groups : 0, /* denied: none */
	    (unsigned long long)f);
}
