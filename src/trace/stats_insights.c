/* SPDX-License-Identifier: Apache-2.0 */
/* `stats` computed by Logs Insights `stats` queries; see stats_insights.h. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "logs/insights.h"
#include "logs/logs.h"
#include "trace/stats_insights.h"

#define IQ_INFLIGHT 4        /* queries running at once */
#define IQ_POLL_FIRST_MS 300 /* then growing by half, up to */
#define IQ_POLL_MAX_MS 2000
#define IQ_RETRY_MS 1000 /* after a throttled call, doubling */
#define IQ_MAX_RETRIES 8
#define IQ_STOP_GRACE_MS 3000

/* What a query computes. */
enum iq_kind {
	Q_COUNT,    /* access: requests by bin, status (and route) */
	Q_APCT,     /* access: latency percentiles */
	Q_LAM,      /* Lambda: invocations, cold starts, duration */
	Q_TIMEOUT,  /* Lambda: timeouts by bin */
	Q_THROTTLE, /* execution: throttles by bin */
	Q_NKINDS
};

/* The level of a query: by bin or in total, overall or by key. */
#define IQ_BIN 0x1
#define IQ_KEY 0x2

struct iq {
	struct iq_run *ir;
	enum iq_kind kind;
	int level;
	char *query;
	const char **groups;
	size_t ngroups;
	char *qid;
	struct insights_op *op;
	uint64_t timer;
	int64_t poll_ms;
	int retries;
	int started, done;
};

struct iq_run {
	struct loop *loop;
	struct aws_client *c;
	const struct stats_iq_group *g;
	size_t ng;
	int64_t start, end;
	struct stats_result *r;
	struct stats_iq_info *info;
	struct iq *q;
	size_t nq, next, running, finished, stops;
	int done, stops_done;
	enum stats_iq_status status;
	char *cause;
};

/* The key fields of --by for a kind, or NULL. */
static const char *
iq_key_fields(enum iq_kind k, enum stats_by by)
{
	if ((k == Q_COUNT || k == Q_APCT) && by == STATS_BY_ROUTE)
		return ("httpMethod, resourcePath");
	if ((k == Q_COUNT || k == Q_APCT) && by == STATS_BY_STATUS)
		return ("status");
	if ((k == Q_LAM || k == Q_TIMEOUT) && by == STATS_BY_FUNCTION)
		return ("@log");
	return (NULL);
}

/* The query text of kind k at a level. Caller frees. */
static char *
iq_text(enum iq_kind k, int level, int64_t bin_ms, enum stats_by by)
{
	const char *key = iq_key_fields(k, by);
	struct buf b;
	int binned = (level & IQ_BIN) != 0, keyed = (level & IQ_KEY) != 0;

	buf_init(&b, 0);
	switch (k) {
	case Q_COUNT:
		buf_puts(&b, "filter ispresent(status) | stats count(*) as "
			     "requests");
		binned = 1;
		keyed = key != NULL && strcmp(key, "status") != 0;
		break;
	case Q_APCT:
		buf_puts(&b,
		    "filter ispresent(status) | stats count(responseLatency) "
		    "as latN, pct(responseLatency, 50) as lat50, "
		    "pct(responseLatency, 95) as lat95, pct(responseLatency, "
		    "99) as lat99, count(integrationLatency) as intN, "
		    "pct(integrationLatency, 50) as int50, "
		    "pct(integrationLatency, 95) as int95, "
		    "pct(integrationLatency, 99) as int99");
		break;
	case Q_LAM:
		buf_puts(&b, "filter @type = \"REPORT\" | stats count(*) as "
			     "invocations, count(@initDuration) as cold, "
			     "pct(@duration, 50) as d50, pct(@duration, 95) "
			     "as d95, pct(@duration, 99) as d99");
		break;
	case Q_TIMEOUT:
		buf_puts(&b, "filter @message like /Task timed out|"
			     "\"type\":\"platform.report\".*\"status\":"
			     "\"timeout\"/ | stats count(*) as timeouts");
		binned = 1;
		keyed = key != NULL;
		break;
	default:
		buf_puts(&b, "filter @message like / throttle limit exceeded|"
			     "Lambda invocation failed with status: 429/ | "
			     "stats count(*) as throttles");
		binned = 1;
		keyed = 0;
		break;
	}
	if (binned)
		buf_putf(&b, " by bin(%llds)", (long long)(bin_ms / 1000));
	if (k == Q_COUNT)
		buf_puts(&b, ", status");
	if (keyed && key != NULL)
		buf_putf(
		    &b, "%s%s", binned || k == Q_COUNT ? ", " : " by ", key);
	return (buf_take(&b, NULL));
}

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

/* The bin index of a row (its "bin(...)" field), or -1. */
static long
iq_bin(const struct iq_run *ir, const struct insights_table *t, size_t i)
{
	const char *v = NULL;
	int64_t ms, b;
	size_t k;

	for (k = t->row[i]; k < t->row[i + 1]; k++)
		if (strncmp(t->cells[k].field, "bin(", 4) == 0)
			v = t->cells[k].value;
	if (v == NULL || insights_parse_time(v, strlen(v), &ms) != 0)
		return (-1);
	b = (ms - ir->r->first_bin) / ir->r->bin_ms;
	if (ms < ir->r->first_bin || b >= (int64_t)ir->r->nbins)
		return (-1);
	return ((long)b);
}

/* A number field of a row (0 when absent or not a number). */
static double
iq_num(const struct insights_table *t, size_t i, const char *f)
{
	const char *v = insights_table_get(t, i, f);
	char *end;
	double d;

	if (v == NULL)
		return (0);
	d = strtod(v, &end);
	return (end == v ? 0 : d);
}

/* The --by key of a row into buf, or NULL when the query has none. */
static const char *
iq_row_key(const struct iq_run *ir, const struct iq *q,
    const struct insights_table *t, size_t i, char *buf, size_t sz)
{
	const char *m, *p, *g;
	size_t k;

	switch (ir->r->by) {
	case STATS_BY_ROUTE:
		if (q->kind != Q_COUNT && q->kind != Q_APCT)
			return (NULL);
		m = insights_table_get(t, i, "httpMethod");
		p = insights_table_get(t, i, "resourcePath");
		if (m == NULL && p == NULL)
			return ("(unknown)");
		snprintf(buf, sz, "%s%s%s", m ? m : "", m && p ? " " : "",
		    p ? p : "");
		return (buf);
	case STATS_BY_STATUS:
		if (q->kind != Q_COUNT && q->kind != Q_APCT)
			return (NULL);
		return (insights_table_get(t, i, "status"));
	case STATS_BY_FUNCTION:
		if (q->kind != Q_LAM && q->kind != Q_TIMEOUT)
			return (NULL);
		g = insights_table_get(t, i, "@log");
		if (g == NULL)
			return (NULL);
		if (strchr(g, ':') != NULL)
			g = strchr(g, ':') + 1;
		for (k = 0; k < ir->ng; k++)
			if (strcmp(ir->g[k].group, g) == 0 &&
			    ir->g[k].function != NULL)
				return (ir->g[k].function);
		return (NULL);
	default:
		return (NULL);
	}
}

/* Percentiles from three fields and a count. */
static void
iq_pct(struct stats_pct *p, const struct insights_table *t, size_t i,
    const char *n, const char *p50, const char *p95, const char *p99)
{
	p->n = (uint64_t)iq_num(t, i, n);
	if (p->n == 0)
		return;
	p->p50 = iq_num(t, i, p50);
	p->p95 = iq_num(t, i, p95);
	p->p99 = iq_num(t, i, p99);
}

/* Add one row to a cell. */
static void
iq_cell(const struct iq *q, struct stats_cell *c,
    const struct insights_table *t, size_t i)
{
	const char *st;
	double n;
	int status;

	switch (q->kind) {
	case Q_COUNT:
		n = iq_num(t, i, "requests");
		st = insights_table_get(t, i, "status");
		status = st != NULL ? atoi(st) : 0;
		c->requests += (uint64_t)n;
		if (status >= 400 && status < 500)
			c->s4xx += (uint64_t)n;
		else if (status >= 500 && status < 600)
			c->s5xx += (uint64_t)n;
		break;
	case Q_APCT:
		iq_pct(&c->latency, t, i, "latN", "lat50", "lat95", "lat99");
		iq_pct(
		    &c->integration, t, i, "intN", "int50", "int95", "int99");
		break;
	case Q_LAM:
		c->invocations += (uint64_t)iq_num(t, i, "invocations");
		c->cold += (uint64_t)iq_num(t, i, "cold");
		iq_pct(&c->duration, t, i, "invocations", "d50", "d95", "d99");
		break;
	case Q_TIMEOUT:
		c->timeouts += (uint64_t)iq_num(t, i, "timeouts");
		break;
	default:
		c->throttles += (uint64_t)iq_num(t, i, "throttles");
		break;
	}
}

/* The field every row of a kind has: a row without it means the service
 * did not run the `stats` command (moto answers with the events). */
static const char *
iq_first_field(enum iq_kind k)
{
	static const char *f[Q_NKINDS] = {
	    "requests", "latN", "invocations", "timeouts", "throttles"};

	return (f[k]);
}

/* Fold a complete answer into the result. Returns 0, or -1 when it has
 * no aggregates (unsupported). */
static int
iq_fold(struct iq_run *ir, struct iq *q, const struct insights_table *t)
{
	struct stats_series *se;
	struct stats_cell *c;
	const char *key;
	char buf[LOGLINE_METHODLEN + LOGLINE_PATHLEN + 2];
	size_t i;
	long b;
	int counts =
	    q->kind == Q_COUNT || q->kind == Q_TIMEOUT || q->kind == Q_THROTTLE;

	for (i = 0; i < t->nrows; i++) {
		if (insights_table_get(t, i, iq_first_field(q->kind)) == NULL)
			return (-1);
		b = -1;
		if (counts || (q->level & IQ_BIN)) {
			b = iq_bin(ir, t, i);
			if (b < 0)
				continue;
		}
		key = iq_row_key(ir, q, t, i, buf, sizeof buf);
		/* Counts: one query gives the overall cell and the key's.
		 * Percentiles: the query's own level only. */
		if (counts || !(q->level & IQ_KEY)) {
			c = b >= 0 ? &ir->r->series[0].bins[b]
				   : &ir->r->series[0].total;
			iq_cell(q, c, t, i);
			if (counts && b >= 0)
				iq_cell(q, &ir->r->series[0].total, t, i);
		}
		if (key == NULL || (!counts && !(q->level & IQ_KEY)))
			continue;
		se = stats_result_key(ir->r, key);
		iq_cell(q, b >= 0 ? &se->bins[b] : &se->total, t, i);
		if (counts && b >= 0)
			iq_cell(q, &se->total, t, i);
	}
	return (0);
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
	for (i = 0; interrupted && i < ir->nq; i++) {
		q = &ir->q[i];
		if (q->qid == NULL || q->done)
			continue;
		ir->stops++;
		q->op = insights_stop_async(ir->c, q->qid, iq_stop_done, q);
	}
	if (ir->stops > 0)
		loop_run_grace(ir->loop, &ir->stops_done, IQ_STOP_GRACE_MS);
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
