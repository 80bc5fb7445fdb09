/* SPDX-License-Identifier: Apache-2.0 */
/* stats: counts, bins and nearest-rank percentiles from log lines. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "trace/stats.h"

#define T0 1700000040000LL /* a whole minute */

static void
add(struct stats *s, const char *msg, int64_t ts, enum logline_source k,
    const char *fn)
{
	stats_add(s, msg, strlen(msg), ts, k, fn);
}

static void
access_line(struct stats *s, int64_t ts, const char *route, int status, int lat,
    int ilat)
{
	char m[512], method[16], path[256];

	sscanf(route, "%15s %255s", method, path);
	snprintf(m, sizeof m,
	    "{\"requestId\":\"r%lld\",\"httpMethod\":\"%s\",\"resourcePath\":"
	    "\"%s\",\"status\":\"%d\",\"responseLatency\":\"%d\","
	    "\"integrationLatency\":\"%d\"}",
	    (long long)ts, method, path, status, lat, ilat);
	add(s, m, ts, LOGLINE_SRC_ACCESS, NULL);
}

static void
report(struct stats *s, int64_t ts, const char *fn, double dur, double init)
{
	char m[512], in[64] = "";

	if (init >= 0)
		snprintf(in, sizeof in, "\tInit Duration: %.2f ms", init);
	snprintf(m, sizeof m,
	    "REPORT RequestId: 6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01\t"
	    "Duration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 128 "
	    "MB\tMax Memory Used: 70 MB%s",
	    dur, (int)dur + 1, in);
	add(s, m, ts, LOGLINE_SRC_LAMBDA, fn);
}

/* pN is the value at rank ceil(N/100 * n), never interpolated. */
static void
test_rank(void **state)
{
	double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

	(void)state;
	assert_true(stats_rank(v, 10, 50) == 5);
	assert_true(stats_rank(v, 10, 95) == 10);
	assert_true(stats_rank(v, 10, 99) == 10);
	assert_true(stats_rank(v, 10, 10) == 1);
	assert_true(stats_rank(v, 10, 11) == 2);
	assert_true(stats_rank(v, 1, 50) == 1);
	assert_true(stats_rank(v, 3, 50) == 2);
	assert_true(stats_rank(v, 4, 50) == 2);
}

/* Requests, statuses and latencies from access lines, in two bins. */
static void
test_access_bins(void **state)
{
	struct stats *s;
	struct stats_result *r;
	char *cause = NULL;
	int i;

	(void)state;
	s = stats_new(T0, T0 + 119999, 60000, STATS_BY_ROUTE, 1, &cause);
	assert_non_null(s);
	for (i = 1; i <= 20; i++)
		access_line(s, T0 + i * 1000, "GET /orders",
		    i == 20 ? 502 : 200, i * 10, i * 5);
	access_line(s, T0 + 61000, "POST /orders", 404, 7, 3);
	access_line(s, T0 + 62000, "GET /orders", 200, 1000, 900);
	access_line(s, T0 + 120000, "GET /orders", 200, 1, 1); /* after */
	/* Execution status lines do not count when there is an access log. */
	add(s, "(abc) Method completed with status: 200", T0 + 5,
	    LOGLINE_SRC_EXECUTION, NULL);
	r = stats_finish(s);
	stats_free(s);
	assert_int_equal(r->nbins, 2);
	assert_int_equal(r->first_bin, T0);
	assert_int_equal(r->series[0].total.requests, 22);
	assert_int_equal(r->series[0].total.s4xx, 1);
	assert_int_equal(r->series[0].total.s5xx, 1);
	assert_int_equal(r->series[0].bins[0].requests, 20);
	assert_int_equal(r->series[0].bins[1].requests, 2);
	assert_true(r->series[0].bins[0].latency.p50 == 100);
	assert_true(r->series[0].bins[0].latency.p95 == 190);
	assert_true(r->series[0].bins[0].latency.p99 == 200);
	assert_true(r->series[0].bins[0].integration.p50 == 50);
	assert_true(r->series[0].bins[1].latency.p50 == 7);
	/* 22 values: 7, 10..200, 1000; p50 rank 11 = 100, p95 rank 21. */
	assert_true(r->series[0].total.latency.p50 == 100);
	assert_true(r->series[0].total.latency.p95 == 200);
	assert_true(r->series[0].total.latency.p99 == 1000);
	assert_int_equal(r->nseries, 3);
	assert_string_equal(r->series[1].key, "GET /orders");
	assert_int_equal(r->series[1].total.requests, 21);
	assert_int_equal(r->series[1].total.s5xx, 1);
	assert_string_equal(r->series[2].key, "POST /orders");
	assert_int_equal(r->series[2].total.s4xx, 1);
	assert_true(r->series[2].total.latency.p99 == 7);
	assert_int_equal(r->seen.access_latency, 22);
	stats_result_free(r);
}

/* Lambda REPORT lines, cold starts, timeouts and throttles by function;
 * execution status lines count requests when there is no access log. */
static void
test_lambda_by_function(void **state)
{
	struct stats *s;
	struct stats_result *r;
	char *cause = NULL;

	(void)state;
	s = stats_new(T0, T0 + 59999, 60000, STATS_BY_FUNCTION, 0, &cause);
	assert_non_null(s);
	report(s, T0 + 1, "orders", 100.5, 150.25);
	report(s, T0 + 2, "orders", 20.0, -1);
	report(s, T0 + 3, "users", 3000.0, -1);
	add(s,
	    "2026-11-25T10:15:30.123Z 6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01 "
	    "Task timed out after 3.00 seconds",
	    T0 + 3, LOGLINE_SRC_LAMBDA, "users");
	add(s, "(abc) Method completed with status: 504", T0 + 4,
	    LOGLINE_SRC_EXECUTION, "ignored");
	add(s, "(abc) Method completed with status: 200", T0 + 5,
	    LOGLINE_SRC_EXECUTION, NULL);
	add(s,
	    "(abc) Lambda invocation failed with status: 429. Lambda request "
	    "id: 6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01",
	    T0 + 6, LOGLINE_SRC_EXECUTION, NULL);
	add(s,
	    "(abc) Received response. Status: 200, Integration latency: 42 ms",
	    T0 + 7, LOGLINE_SRC_EXECUTION, NULL);
	r = stats_finish(s);
	stats_free(s);
	assert_int_equal(r->series[0].total.requests, 2);
	assert_int_equal(r->series[0].total.s5xx, 1);
	assert_int_equal(r->series[0].total.invocations, 3);
	assert_int_equal(r->series[0].total.cold, 1);
	assert_int_equal(r->series[0].total.timeouts, 1);
	assert_int_equal(r->series[0].total.throttles, 1);
	assert_true(r->series[0].total.duration.p50 == 100.5);
	assert_true(r->series[0].total.duration.p99 == 3000.0);
	assert_true(r->series[0].total.integration.p50 == 42);
	assert_int_equal(r->series[0].total.latency.n, 0);
	assert_int_equal(r->nseries, 3);
	assert_string_equal(r->series[1].key, "orders");
	assert_int_equal(r->series[1].total.invocations, 2);
	assert_int_equal(r->series[1].total.cold, 1);
	assert_string_equal(r->series[2].key, "users");
	assert_int_equal(r->series[2].total.timeouts, 1);
	stats_result_free(r);
}

/* Too many bins is an error, not a huge allocation; --by values. */
static void
test_limits(void **state)
{
	char *cause = NULL;
	enum stats_by by;
	int64_t ms;

	(void)state;
	assert_null(
	    stats_new(0, 86400000LL * 30, 60000, STATS_BY_NONE, 1, &cause));
	assert_non_null(strstr(cause, "--bin"));
	free(cause);
	assert_int_equal(stats_parse_by("route", &by), 0);
	assert_int_equal(by, STATS_BY_ROUTE);
	assert_int_equal(stats_parse_by("status", &by), 0);
	assert_int_equal(stats_parse_by("function", &by), 0);
	assert_int_equal(by, STATS_BY_FUNCTION);
	assert_int_equal(stats_parse_by("Route", &by), -1);
	assert_int_equal(stats_parse_bin("1m", &ms), 0);
	assert_int_equal(ms, 60000);
	assert_int_equal(stats_parse_bin("30s", &ms), 0);
	assert_int_equal(ms, 30000);
	assert_int_equal(stats_parse_bin("90", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(stats_parse_bin("1d", &ms), 0);
	assert_int_equal(ms, 86400000);
	assert_int_equal(stats_parse_bin("2d", &ms), -1);
	assert_int_equal(stats_parse_bin("0m", &ms), -1);
	assert_int_equal(stats_parse_bin("1x", &ms), -1);
	assert_int_equal(stats_parse_bin("1mm", &ms), -1);
	assert_int_equal(stats_parse_bin("", &ms), -1);
	assert_int_equal(stats_parse_bin("-1m", &ms), -1);
}

/* Keys past STATS_MAX_KEYS share "(other)"; keys sort by count. */
static void
test_other_and_order(void **state)
{
	struct stats *s;
	struct stats_result *r;
	char *cause = NULL, route[64];
	int i;

	(void)state;
	s = stats_new(T0, T0 + 59999, 60000, STATS_BY_ROUTE, 1, &cause);
	for (i = 0; i < STATS_MAX_KEYS + 5; i++) {
		snprintf(route, sizeof route, "GET /r%d", i);
		access_line(s, T0 + 1, route, 200, 1, 1);
	}
	access_line(s, T0 + 2, "GET /r7", 200, 1, 1);
	r = stats_finish(s);
	stats_free(s);
	assert_int_equal(r->nseries, STATS_MAX_KEYS + 2);
	assert_string_equal(r->series[STATS_MAX_KEYS + 1].key, "(other)");
	assert_int_equal(r->series[STATS_MAX_KEYS + 1].total.requests, 5);
	assert_int_equal(
	    stats_result_key(r, "GET /new") - r->series, STATS_MAX_KEYS + 1);
	stats_result_sort(r);
	assert_string_equal(r->series[1].key, "(other)");
	assert_string_equal(r->series[2].key, "GET /r7");
	assert_string_equal(r->series[3].key, "GET /r0");
	assert_int_equal(r->series[0].total.requests, STATS_MAX_KEYS + 6);
	stats_result_free(r);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_other_and_order),
    cmocka_unit_test(test_rank),
    cmocka_unit_test(test_access_bins),
    cmocka_unit_test(test_lambda_by_function),
    cmocka_unit_test(test_limits),
};

TEST_MAIN(tests)
