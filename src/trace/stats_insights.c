/* SPDX-License-Identifier: Apache-2.0 */
/* `stats` computed by Logs Insights `stats` queries; see stats_insights.h. */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/insights.h"
#include "logs/logs.h"
#include "trace/stats_insights.h"
#include "trace/stats_insights_int.h"

/* Add a query over the groups of one kind of log. */
static void
iq_add(struct iq_run *ir, enum iq_kind k, int level, enum logline_source src)
{
	struct iq *q;
	size_t i;

	ir->q = xreallocarray(ir->q, ir->nq + 1, sizeof *ir->q);
	q = &ir->q[ir->nq++];
	memset(q, 0, sizeof *q);
	q->ir = ir;
	q->kind = k;
	q->level = level;
	q->query = iq_text(k, level, ir->r->bin_ms, ir->r->by);
	q->groups = xcalloc(ir->ng + 1, sizeof *q->groups);
	for (i = 0; i < ir->ng; i++)
		if (ir->g[i].kind == src)
			q->groups[q->ngroups++] = ir->g[i].group;
}

static void iq_next(struct iq_run *);
static void iq_poll(void *arg);

/* End the run with a status and a cause (taken). */
static void
iq_fail(struct iq_run *ir, enum stats_iq_status st, char *cause)
{
	if (ir->status == STATS_IQ_OK) {
		ir->status = st;
		ir->cause = cause;
	} else
		free(cause);
	ir->done = 1;
}

/* A throttled call: try again later, or give up. */
static int
iq_retry(struct iq_run *ir, struct iq *q, const struct insights_reply *rep)
{
	if (rep->err != LOGS_ERR_THROTTLED &&
	    (rep->code == NULL ||
		strcmp(rep->code, "LimitExceededException") != 0))
		return (0);
	if (++q->retries > IQ_MAX_RETRIES)
		return (0);
	q->timer = loop_timer_in(
	    ir->loop, IQ_RETRY_MS << (q->retries - 1), iq_poll, q);
	return (1);
}

/* The answer of a failed call. */
static void
iq_error(struct iq_run *ir, const struct insights_reply *rep)
{
	enum stats_iq_status st = STATS_IQ_ERR_AWS;

	/* A missing group (a function never invoked): the local count
	 * reads around it as get does. */
	if (rep->malformed || rep->err == LOGS_ERR_NOT_FOUND)
		st = STATS_IQ_UNSUPPORTED;
	else if (rep->err == LOGS_ERR_ACCESS)
		st = STATS_IQ_ERR_ACCESS;
	iq_fail(ir, st,
	    xprintf("Logs Insights: %s",
		rep->message != NULL ? rep->message : "call failed"));
}

/* A GetQueryResults answer. */
static void
iq_results_done(void *arg, struct insights_reply *rep)
{
	struct iq *q = arg;
	struct iq_run *ir = q->ir;
	struct insights_table *t = &rep->table;

	q->op = NULL;
	if (rep->err != LOGS_OK) {
		if (!iq_retry(ir, q, rep))
			iq_error(ir, rep);
		return;
	}
	switch (t->status) {
	case INSIGHTS_SCHEDULED:
	case INSIGHTS_RUNNING:
		q->poll_ms = q->poll_ms * 3 / 2;
		if (q->poll_ms > IQ_POLL_MAX_MS)
			q->poll_ms = IQ_POLL_MAX_MS;
		q->timer = loop_timer_in(ir->loop, q->poll_ms, iq_poll, q);
		return;
	case INSIGHTS_COMPLETE:
		break;
	default:
		iq_fail(ir, STATS_IQ_ERR_AWS,
		    xprintf("Logs Insights: a stats query ended without "
			    "completing"));
		return;
	}
	q->done = 1;
	ir->running--;
	ir->finished++;
	ir->info->bytes_scanned += t->bytes;
	ir->info->records_scanned += t->scanned;
	if (iq_fold(ir, q, t) != 0) {
		iq_fail(ir, STATS_IQ_UNSUPPORTED,
		    xstrdup("Logs Insights answered a stats query with events "
			    "(no stats command)"));
		return;
	}
	if (ir->finished == ir->nq)
		ir->done = 1;
	else
		iq_next(ir);
}

/* A StartQuery answer. */
static void
iq_start_done(void *arg, struct insights_reply *rep)
{
	struct iq *q = arg;
	struct iq_run *ir = q->ir;

	q->op = NULL;
	if (rep->err != LOGS_OK) {
		if (!iq_retry(ir, q, rep))
			iq_error(ir, rep);
		return;
	}
	q->qid = rep->query_id;
	rep->query_id = NULL;
	q->poll_ms = IQ_POLL_FIRST_MS;
	q->timer = loop_timer_in(ir->loop, q->poll_ms, iq_poll, q);
}

/* Timer: start the query, or ask for its results. */
static void
iq_poll(void *arg)
{
	struct iq *q = arg;
	struct iq_run *ir = q->ir;
	struct insights_start st;

	q->timer = 0;
	if (ir->done)
		return;
	if (q->qid != NULL) {
		q->op = insights_table_async(ir->c, q->qid, iq_results_done, q);
		return;
	}
	memset(&st, 0, sizeof st);
	st.groups = q->groups;
	st.ngroups = q->ngroups;
	st.start_s = ir->start / 1000;
	st.end_s = ir->end / 1000;
	st.query = q->query;
	q->op = insights_start_async(ir->c, &st, iq_start_done, q);
}

/* Start queries while there is room. */
static void
iq_next(struct iq_run *ir)
{
	struct iq *q;

	while (ir->running < IQ_INFLIGHT && ir->next < ir->nq) {
		q = &ir->q[ir->next++];
		q->started = 1;
		ir->running++;
		ir->info->queries++;
		q->timer = loop_timer_in(ir->loop, 0, iq_poll, q);
	}
}

/* A StopQuery answer. */
static void
iq_stop_done(void *arg, struct insights_reply *rep)
{
	struct iq *q = arg;

	(void)rep;
	q->op = NULL;
	if (--q->ir->stops == 0)
		q->ir->stops_done = 1;
}

/* Timer of the grace run: StopQuery for every query still running. */
static void
iq_send_stops(void *arg)
{
	struct iq_run *ir = arg;
	struct iq *q;
	size_t i;

	for (i = 0; i < ir->nq; i++) {
		q = &ir->q[i];
		if (q->qid != NULL && !q->done)
			q->op =
			    insights_stop_async(ir->c, q->qid, iq_stop_done, q);
	}
}

/* Cancel what is pending; stop the queries still running (Ctrl-C, an
 * error) within a grace run of the loop. */
static void
iq_close(struct iq_run *ir, int interrupted)
{
	struct iq *q;
	size_t i;

	for (i = 0; i < ir->nq; i++) {
		q = &ir->q[i];
		if (q->op != NULL)
			insights_op_cancel(q->op);
		q->op = NULL;
		if (q->timer != 0)
			loop_timer_cancel(ir->loop, q->timer);
		q->timer = 0;
	}
	for (i = 0; interrupted && i < ir->nq; i++)
		ir->stops += ir->q[i].qid != NULL && !ir->q[i].done;
	/* A call started on a stopped loop fails at once: the StopQuery
	 * calls are sent from a timer of the grace run. */
	if (ir->stops > 0) {
		loop_timer_in(ir->loop, 0, iq_send_stops, ir);
		loop_run_grace(ir->loop, &ir->stops_done, IQ_STOP_GRACE_MS);
	}
	for (i = 0; i < ir->nq; i++) {
		insights_op_cancel(ir->q[i].op);
		free(ir->q[i].query);
		free(ir->q[i].groups);
		free(ir->q[i].qid);
	}
	free(ir->q);
}

/* Run the queries; see stats_insights.h. */
enum stats_iq_status
stats_insights_run(struct loop *loop, struct aws_client *c,
    const struct stats_iq_group *g, size_t ng, int64_t start, int64_t end,
    struct stats_result *r, struct stats_iq_info *info, char **cause)
{
	struct iq_run ir;
	size_t i, n[4] = {0, 0, 0, 0};
	int stopped;

	memset(&ir, 0, sizeof ir);
	memset(info, 0, sizeof *info);
	ir.loop = loop;
	ir.c = c;
	ir.g = g;
	ir.ng = ng;
	ir.start = start;
	ir.end = end;
	ir.r = r;
	ir.info = info;
	for (i = 0; i < ng; i++)
		n[g[i].kind]++;
	if (n[LOGLINE_SRC_ACCESS] == 0) {
		*cause = xstrdup("no access log (the execution log is counted "
				 "locally)");
		return (STATS_IQ_UNSUPPORTED);
	}
	for (i = 0; i < 4; i++)
		if (n[i] > INSIGHTS_MAX_GROUPS) {
			*cause = xprintf("more than %d log groups of a kind",
			    INSIGHTS_MAX_GROUPS);
			return (STATS_IQ_UNSUPPORTED);
		}
	iq_add(&ir, Q_COUNT, IQ_BIN, LOGLINE_SRC_ACCESS);
	iq_add(&ir, Q_APCT, IQ_BIN, LOGLINE_SRC_ACCESS);
	iq_add(&ir, Q_APCT, 0, LOGLINE_SRC_ACCESS);
	if (r->by == STATS_BY_ROUTE || r->by == STATS_BY_STATUS) {
		iq_add(&ir, Q_APCT, IQ_BIN | IQ_KEY, LOGLINE_SRC_ACCESS);
		iq_add(&ir, Q_APCT, IQ_KEY, LOGLINE_SRC_ACCESS);
	}
	if (n[LOGLINE_SRC_LAMBDA] > 0) {
		iq_add(&ir, Q_LAM, IQ_BIN, LOGLINE_SRC_LAMBDA);
		iq_add(&ir, Q_LAM, 0, LOGLINE_SRC_LAMBDA);
		iq_add(&ir, Q_TIMEOUT, IQ_BIN, LOGLINE_SRC_LAMBDA);
		if (r->by == STATS_BY_FUNCTION) {
			iq_add(&ir, Q_LAM, IQ_BIN | IQ_KEY, LOGLINE_SRC_LAMBDA);
			iq_add(&ir, Q_LAM, IQ_KEY, LOGLINE_SRC_LAMBDA);
		}
	}
	if (n[LOGLINE_SRC_EXECUTION] > 0)
		iq_add(&ir, Q_THROTTLE, IQ_BIN, LOGLINE_SRC_EXECUTION);
	r->have_access = 1;
	iq_next(&ir);
	stopped = loop_run_until(loop, &ir.done) != 0;
	if (stopped && ir.status == STATS_IQ_OK) {
		ir.status = STATS_IQ_STOPPED;
		ir.cause = xstrdup("interrupted");
	}
	iq_close(&ir, ir.status != STATS_IQ_OK);
	*cause = ir.cause;
	return (ir.status);
}
