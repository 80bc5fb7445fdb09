/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Three quota pools at once (get --engine auto over a big window): Logs
 * Insights reads a share of the groups while FilterLogEvents and
 * GetLogEvents (engine_get.c) read the others, in one run of the loop and
 * one merge. The cut is by group: each group is read by exactly one pool,
 * so nothing is read twice and no dedup is needed.
 *
 * The share: each pool's rate in events a second, with each group counted
 * the same (their sizes are not known before the read): Logs Insights
 * gives IR_PAGE rows a GetQueryResults page at IR_RPS pages a second;
 * FilterLogEvents and GetLogEvents give MIX_PAGE_EVENTS events a page (a
 * page is cut at 1 MB, about 3 000 events as the service sends them) at
 * their budgets (--max-rps, --get-rps), GetLogEvents only when it may be
 * used (stream reads, no filter pattern). Insights reads the first k of
 * the n groups, k = round(n * insights / (insights + filter + get)), at
 * least one and, with two groups or more, at most n - 1.
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

#include "core/xmalloc.h"
#include "logs/engine_insights_int.h"
#include "logs/engine_int.h"
#include "logs/source.h"

/* Events in a FilterLogEvents or GetLogEvents page (1 MB a page). */
#define MIX_PAGE_EVENTS 3000.0

/* The number of the n groups Logs Insights reads (see the top). */
static size_t
mix_share(struct engine *e, size_t n)
{
	double ri = IR_RPS * IR_PAGE, rf, rg = 0, k;

	rf = e->rl.max_rate * MIX_PAGE_EVENTS;
	if (e->o.stream_reads > 0 &&
	    (e->o.pattern == NULL || *e->o.pattern == '\0'))
		rg = e->rl_get.max_rate * MIX_PAGE_EVENTS;
	k = floor((double)n * ri / (ri + rf + rg) + 0.5);
	if (k < 1)
		k = 1;
	if (n >= 2 && k > (double)n - 1)
		k = (double)n - 1;
	return ((size_t)k);
}

/* Choose the groups Logs Insights reads and start it; see engine_int.h. */
void
insights_mix_start(struct engine *e)
{
	struct ireader *ir;
	const char **names = NULL;
	size_t i, j, n = 0, k;

	for (i = 0; i < e->nsrc; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(names[j], e->srcs[i]->group) == 0)
				break;
		if (j == n) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = e->srcs[i]->group;
		}
	}
	if (n == 0) {
		free(names);
		return;
	}
	k = mix_share(e, n);
	e->ir_src = xcalloc(e->nsrc, 1);
	for (i = 0; i < e->nsrc; i++) {
		for (j = 0; j < k; j++)
			if (strcmp(names[j], e->srcs[i]->group) == 0)
				e->ir_src[i] = 1;
	}
	free(names);
	e->st.ir_groups = k;
	engine_notice(e, ENGINE_NOTICE_INFO,
	    "reading %zu of %zu groups through Logs Insights, the others "
	    "with FilterLogEvents and GetLogEvents",
	    k, n);
	ir = xcalloc(1, sizeof *ir);
	ir->mixed = 1;
	e->ir = ir;
	if (ir_open(ir, e, n) != 0)
		return;
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
	if (e->ir != NULL)
		insights_mix_close(e);
	free(e->ir_src);
	e->ir_src = NULL;
}
