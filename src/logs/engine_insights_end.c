/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The beginning and the end of a Logs Insights read: the reader set up
 * over its groups with its first queries started, then StopQuery for the
 * queries still running (bounded in time), the tasks freed, and the -v
 * report.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "logs/engine_insights_int.h"
#include "logs/engine_int.h"
#include "logs/fpattern.h"
#include "logs/insights.h"

/* Is the engine's run over (for ir_off)? */
int
ir_engine_done(const struct engine *e)
{
	return (e->done);
}

/* Has every row been merged out? */
int
ir_finished(const struct ireader *ir)
{
	size_t b;

	for (b = 0; b < ir->nb; b++)
		if (ir->b[b].head != NULL)
			return (0);
	return (1);
}

/* Set ir up over the sources e->ir_src selects (every source when NULL)
 * and start the first queries; ngroups: the groups of the whole read (the
 * estimate is theirs). Returns 0, or -1 when the read failed. */
int
ir_open(struct ireader *ir, struct engine *e, size_t ngroups)
{
	char *why = NULL;
	int64_t lo, hi;
	size_t b, n = 0;

	ir->e = e;
	if (ir->conc == 0)
		ir->conc = IR_CONCURRENCY;
	ir->max_running = ir->conc;
	if (ir->mem_budget == 0)
		ir->mem_budget = IR_MEM_BUDGET;
	if (ir->page_rows == 0)
		ir->page_rows = IR_PAGE;
	if (!ir->mixed)
		ir->ahead = IR_AHEAD;
	ratelimit_init(&ir->rl_start, IR_RPS, loop_mono(e->loop));
	ratelimit_init(&ir->rl_get, IR_RPS, loop_mono(e->loop));
	ir->query = insights_query(e->o.pattern, &ir->fp, &why);
	if (ir->query == NULL) {
		/* The command layer checked; a safety net. */
		engine_fail(e, ENGINE_ERR_AWS,
		    "the filter pattern cannot be read with Logs Insights: %s",
		    why);
		free(why);
		return (-1);
	}
	ir_batches(ir);
	lo = e->o.start != LOGS_TIME_UNSET ? e->o.start : 0;
	hi = e->hist_end;
	for (b = 0; b < ir->nb; b++)
		n += ir->b[b].n;
	if (ngroups < n)
		ngroups = n;
	if (ir->nb > 0 && lo <= hi && !e->done)
		ir_first_tasks(ir, lo, hi, ngroups);
	engine_notice(
	    e, ENGINE_NOTICE_DEBUG, "Logs Insights query: %s", ir->query);
	ir_pump(ir);
	return (0);
}

/* Free what ir_open made (after ir_close). */
void
ir_free(struct ireader *ir)
{
	free(ir->query);
	fpattern_free(ir->fp);
	free(ir->fp);
	ir->query = NULL;
	ir->fp = NULL;
}

/* A StopQuery answer (the run is ending). */
void
ir_on_stop(void *arg, struct insights_reply *r)
{
	struct itask *t = arg;
	struct ireader *ir = t->ir;

	(void)r;
	t->op = NULL;
	if (--ir->stops <= 0)
		ir->stops_done = 1;
}

/* Send StopQuery for the running queries: from the loop, once the grace
 * run has begun (a call started while the loop is stopped fails). */
static void
ir_send_stops(void *arg)
{
	struct ireader *ir = arg;
	struct engine *e = ir->e;
	struct itask *t;
	size_t b;

	ir->start_timer = 0;
	for (b = 0; b < ir->nb; b++) {
		for (t = ir->b[b].head; t != NULL; t = t->next) {
			if (t->state != IT_POLL || t->qid == NULL)
				continue;
			e->st.requests++;
			t->op =
			    insights_stop_async(e->logs, t->qid, ir_on_stop, t);
		}
	}
}

/* Stop the queries still running (bounded in time) and free the tasks. */
void
ir_close(struct ireader *ir)
{
	struct engine *e = ir->e;
	struct itask *t;
	size_t b;

	ir->closing = 1;
	loop_timer_cancel(e->loop, ir->start_timer);
	loop_timer_cancel(e->loop, ir->get_timer);
	ir->start_timer = ir->get_timer = 0;
	for (b = 0; b < ir->nb; b++) {
		for (t = ir->b[b].head; t != NULL; t = t->next) {
			if (t->state == IT_START) {
				ir->stops++; /* stopped when it answers */
				continue;
			}
			if (t->state != IT_POLL || t->qid == NULL)
				continue;
			loop_timer_cancel(e->loop, t->timer);
			t->timer = 0;
			insights_op_cancel(t->op);
			t->op = NULL;
			t->queued = 0;
			t->qnext = NULL;
			ir->stops++;
		}
	}
	ir->gq_head = ir->gq_tail = NULL;
	if (ir->stops > 0) {
		engine_notice(e, ENGINE_NOTICE_INFO,
		    "stopping %d Logs Insights %s", ir->stops,
		    ir->stops == 1 ? "query" : "queries");
		ir->start_timer = loop_timer_in(e->loop, 0, ir_send_stops, ir);
		loop_run_grace(e->loop, &ir->stops_done, IR_STOP_GRACE_MS);
		loop_timer_cancel(e->loop, ir->start_timer);
	}
	for (b = 0; b < ir->nb; b++) {
		while (ir->b[b].head != NULL) {
			t = ir->b[b].head;
			ir->b[b].head = t->next;
			ir_task_free(ir, t);
		}
		free(ir->b[b].groups);
	}
	free(ir->b);
}

/* Say what the read did (-v): queries, splits, pages, bytes scanned,
 * what was held. */
void
ir_report(struct ireader *ir)
{
	struct engine *e = ir->e;
	char scanned[48];

	if (ir->has_stats || ir->queries == 0)
		snprintf(scanned, sizeof scanned, "%.1f MB scanned",
		    ir->bytes / 1e6);
	else
		snprintf(scanned, sizeof scanned,
		    "bytes scanned not reported by the service");
	engine_notice(e, ENGINE_NOTICE_INFO,
	    "Logs Insights: %llu %s (%llu split at the %d-row limit), %llu "
	    "more %s read, %s; at most %d %s (%.1f MiB) held, %d running, "
	    "%llu read again",
	    (unsigned long long)ir->queries,
	    ir->queries == 1 ? "query" : "queries",
	    (unsigned long long)ir->splits, IR_QUERY_LIMIT,
	    (unsigned long long)ir->pages, ir->pages == 1 ? "page" : "pages",
	    scanned, ir->peak_ready, ir->peak_ready == 1 ? "answer" : "answers",
	    (double)ir->peak_held / (1 << 20), ir->peak_running,
	    (unsigned long long)ir->refetches);
}
