/* SPDX-License-Identifier: Apache-2.0 */
/* `stats` on Logs Insights: the query texts, and the answers' rows folded
 * into the result; see stats_insights.h. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "logs/groupspec.h"
#include "logs/insights.h"
#include "trace/stats_insights_int.h"

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
char *
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
		for (k = 0; k < ir->ng; k++)
			if (groupspec_same(ir->g[k].group, g) &&
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
int
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
