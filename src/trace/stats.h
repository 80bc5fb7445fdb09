/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `stats`: an API's health from its logs, counted locally. Each event is
 * read with the log-line readers (logline.h) and counted in fixed time
 * bins and in total, overall and per key of --by:
 *
 * - requests, 4xx, 5xx: one per access-log line with a status; when the
 *   API has no access log, one per execution-log "Method completed with
 *   status: N" line. Latency (responseLatency / latency) and integration
 *   latency (integrationLatency) come from the access log; without one,
 *   integration latency comes from the execution log's "Received
 *   response. ... Integration latency: N ms".
 * - invocations, duration, cold starts: one per Lambda REPORT line
 *   (text or platform.report), cold when it has an Init Duration.
 * - timeouts: "Task timed out" lines, and JSON platform.report records
 *   with status timeout (the JSON format has no such line).
 * - throttles: execution-log lines of API Gateway's throttle ("throttle
 *   limit exceeded") and of Lambda's ("Lambda invocation failed with
 *   status: 429").
 *
 * Percentiles are nearest-rank, the definition the Insights path asks
 * for too: pN of n sorted values v[1..n] is v[ceil(N/100 * n)] (a value
 * that was seen, never an interpolation).
 *
 * Bins start at multiples of the bin width since the epoch, as Insights
 * bin() does; an event at t is in bin floor(t / width).
 */
#ifndef APILOGS_STATS_H
#define APILOGS_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "trace/logline.h"

enum stats_by {
	STATS_BY_NONE,
	STATS_BY_ROUTE,
	STATS_BY_STATUS,
	STATS_BY_FUNCTION
};

#define STATS_MAX_BINS 10000 /* bins in a window at most */
#define STATS_MAX_KEYS 1000  /* --by keys at most; the rest are "(other)" */

/* Percentiles of one metric; n == 0: no value. */
struct stats_pct {
	uint64_t n;
	double p50, p95, p99;
};

struct stats_cell {
	uint64_t requests, s4xx, s5xx;
	uint64_t invocations, cold, timeouts, throttles;
	struct stats_pct latency, integration, duration;
};

/* One series: the whole API (key NULL) or one key of --by. */
struct stats_series {
	char *key;
	struct stats_cell total;
	struct stats_cell *bins; /* nbins of them */
};

/* What the sources held: which fields were seen (for the "missing"
 * notes) and how many lines of each kind were counted. */
struct stats_seen {
	uint64_t access, access_status, access_latency, access_integration,
	    access_route;
	uint64_t exec, exec_status, exec_integration;
	uint64_t reports;
};

struct stats_result {
	int64_t first_bin; /* start of bins[0], epoch ms */
	int64_t bin_ms;
	size_t nbins;
	struct stats_series *series; /* [0] overall, then keys in order */
	size_t nseries;
	struct stats_seen seen;
	int have_access; /* requests were counted from an access log */
	enum stats_by by;
};

struct stats;

/*
 * A counter over [start, end] (epoch ms) in bins of bin_ms; have_access
 * says the sources include an access log (requests are then counted
 * there, not in the execution log). Returns NULL with *cause (caller
 * frees) when the window holds more than STATS_MAX_BINS bins. Caller
 * frees with stats_free().
 */
struct stats *stats_new(int64_t start, int64_t end, int64_t bin_ms,
    enum stats_by by, int have_access, char **cause);
void stats_free(struct stats *);
/*
 * Count one event: its message, time, the log it comes from and the
 * Lambda function of its source (NULL when none). Events outside the
 * window are ignored.
 */
void stats_add(struct stats *, const char *msg, size_t len, int64_t ts,
    enum logline_source kind, const char *function);
/*
 * Compute the percentiles and hand the result over (caller frees with
 * stats_result_free). The counter is left empty.
 */
struct stats_result *stats_finish(struct stats *);
void stats_result_free(struct stats_result *);
/* Order the keys of r: most requests first, then most invocations, then
 * by key (both engines give the same order). */
void stats_result_sort(struct stats_result *);
/* The series of key in r, added (empty) when new; keys past
 * STATS_MAX_KEYS share "(other)". */
struct stats_series *stats_result_key(struct stats_result *, const char *key);
/* Nearest-rank percentile p (0 < p <= 100) of n sorted values. */
double stats_rank(const double *sorted, size_t n, double p);
/* --bin: N with a unit s, m, h or d (N alone: seconds), whole seconds
 * from 1 s to 1 d, into *ms; 0, or -1. */
int stats_parse_bin(const char *, int64_t *ms);
/* "route", "status", "function" -> *by; 0, or -1. */
int stats_parse_by(const char *, enum stats_by *);

#endif
