/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the two parts of stats_insights share (not for other modules): the
 * run and its queries (stats_insights.c: the calls, polling, stopping)
 * and the query texts and the folding of answers into the result
 * (stats_insights_rows.c).
 */
#ifndef APILOGS_STATS_INSIGHTS_INT_H
#define APILOGS_STATS_INSIGHTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "logs/insights.h"
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

struct iq_run;

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

/* The query text of kind k at a level (IQ_BIN, IQ_KEY). Caller frees. */
char *iq_text(enum iq_kind k, int level, int64_t bin_ms, enum stats_by by);
/* Fold a complete answer of q into the run's result. Returns 0, or -1
 * when a row lacks the aggregate asked for (no `stats` command). */
int iq_fold(struct iq_run *, struct iq *, const struct insights_table *);

#endif
