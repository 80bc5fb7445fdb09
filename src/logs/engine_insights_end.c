/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The end of a Logs Insights read: StopQuery for the queries still
 * running (bounded in time), the tasks freed, and the -v report.
 */

#include <stdio.h>
#include <stdlib.h>

#include "aws/loop.h"
#include "logs/engine_insights_int.h"
#include "logs/engine_int.h"
#include "logs/insights.h"

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
