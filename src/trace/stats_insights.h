/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `stats` on Logs Insights: the same figures as stats.h, computed by the
 * service with `stats` queries, so that only aggregates cross the wire.
 * One query per kind of figure and level (B is the bin in seconds, K the
 * --by key: `httpMethod, resourcePath`, `status` or `@log`):
 *
 *   access groups   filter ispresent(status)
 *                   | stats count(*) as requests by bin(Bs), status[, K]
 *                   filter ispresent(status)
 *                   | stats count(responseLatency) as latN,
 *                     pct(responseLatency, 50) as lat50, ...95, ...99,
 *                     count(integrationLatency) as intN, pct(...) ...
 *                     by bin(Bs)[, K]      (and again by K alone, or
 *                                           with no by: the totals)
 *   Lambda groups   filter @type = "REPORT"
 *                   | stats count(*) as invocations,
 *                     count(@initDuration) as cold, pct(@duration, 50)
 *                     as d50, ...95, ...99 by bin(Bs)[, @log] (and the
 *                     totals)
 *                   filter @message like /Task timed out|.../
 *                   | stats count(*) as timeouts by bin(Bs)[, @log]
 *   execution       filter @message like / throttle limit exceeded|
 *                   Lambda invocation failed with status: 429/
 *                   | stats count(*) as throttles by bin(Bs)
 *
 * Counts add up across keys; percentiles do not, hence a query per level.
 * The service answers `pct` as its documentation says; the local path
 * (stats.c) computes nearest-rank percentiles, which is what a `pct` over
 * exact values gives.
 */
#ifndef APILOGS_STATS_INSIGHTS_H
#define APILOGS_STATS_INSIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "trace/logline.h"
#include "trace/stats.h"

struct aws_client;
struct loop;

/* A log group to read, with its kind and Lambda function (or NULL). */
struct stats_iq_group {
	const char *group;
	enum logline_source kind;
	const char *function;
};

enum stats_iq_status {
	STATS_IQ_OK,
	STATS_IQ_UNSUPPORTED, /* the service has no `stats` (moto), a group
				 does not exist, or the groups do not fit
				 one query: count locally */
	STATS_IQ_ERR_AWS,
	STATS_IQ_ERR_ACCESS,
	STATS_IQ_STOPPED /* Ctrl-C: the queries were stopped */
};

/* Per-run figures, for -v. */
struct stats_iq_info {
	size_t queries;
	double bytes_scanned;
	double records_scanned;
};

/*
 * Fill r (from stats_finish() of an empty counter over the same window,
 * bin and --by: its bins and overall series exist) with the answers of
 * the queries over groups, in [start, end] (epoch ms, whole seconds).
 * have_access: requests come from the access groups (otherwise the run
 * is UNSUPPORTED: the execution log needs the local readers).
 * It runs the loop until every query is complete: the command layer
 * calls it, never a callback. On failure *cause holds one line (caller
 * frees); on UNSUPPORTED, the reason.
 */
enum stats_iq_status stats_insights_run(struct loop *, struct aws_client *,
    const struct stats_iq_group *, size_t ngroups, int64_t start, int64_t end,
    struct stats_result *r, struct stats_iq_info *, char **cause);

#endif
