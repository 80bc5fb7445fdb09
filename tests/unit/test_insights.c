/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logs Insights, the parts without a network: GetQueryResults decoding
 * (AWS and moto shapes), @timestamp parsing, the translation of filter
 * patterns into the query string, the cutting of a range at whole
 * seconds, and the window's share of a group's storedBytes.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "logs/engine_insights_int.h"
#include "logs/insights.h"
#include "logs/insights_est.h"

/* 2026-12-06 20:52:00.200 UTC */
#define T0 1796590320200LL

static void
test_parse_time(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(
	    insights_parse_time("2026-12-06 20:52:00.200", 23, &ms), 0);
	assert_true(ms == T0);
	assert_int_equal(
	    insights_parse_time("1970-01-01 00:00:00.000", 23, &ms), 0);
	assert_true(ms == 0);
	/* Leap day, 'T' and 'Z', one digit of fraction, none. */
	assert_int_equal(
	    insights_parse_time("2024-02-29T23:59:59.5Z", 22, &ms), 0);
	assert_true(ms == 1709251199500LL);
	assert_int_equal(
	    insights_parse_time("2024-02-29 23:59:59", 19, &ms), 0);
	assert_true(ms == 1709251199000LL);
	/* moto: epoch milliseconds. */
	assert_int_equal(insights_parse_time("1795609979004", 13, &ms), 0);
	assert_true(ms == 1795609979004LL);
	assert_int_equal(
	    insights_parse_time("2026-13-06 20:52:00.200", 23, &ms), -1);
	assert_int_equal(
	    insights_parse_time("2026-12-06 20:52:00.", 20, &ms), -1);
	assert_int_equal(insights_parse_time("2026-12-06", 10, &ms), -1);
	assert_int_equal(insights_parse_time("", 0, &ms), -1);
	assert_int_equal(insights_parse_time("12a4", 4, &ms), -1);
}

static const char aws_answer[] =
    "{\"results\":[[{\"field\":\"@timestamp\",\"value\":\"2026-12-06 "
    "20:52:00.200\"},{\"field\":\"@message\",\"value\":\"hello "
    "\\\"x\\\"\\n\"},{\"field\":\"@logStream\",\"value\":\"s1\"},"
    "{\"field\":\"@log\",\"value\":\"123456789012:/aws/lambda/a\"},"
    "{\"field\":\"@ingestionTime\",\"value\":\"2026-12-06 "
    "20:52:00.668\"},{\"field\":\"@ptr\",\"value\":\"CmQKJQ==\"}],"
    "[{\"field\":\"@message\",\"value\":\"no timestamp\"}],"
    "[{\"field\":\"@timestamp\",\"value\":\"1796590320300\"},"
    "{\"field\":\"@log\",\"value\":\"/b\"},{\"field\":\"other\","
    "\"value\":\"x\"},{\"field\":7}]],"
    "\"statistics\":{\"recordsMatched\":986.0,\"recordsScanned\":10100.0,"
    "\"bytesScanned\":3363300.0},\"status\":\"Complete\"}";

static void
test_decode_rows(void **state)
{
	struct insights_answer a;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    insights_decode(aws_answer, strlen(aws_answer), &a, &cause), 0);
	assert_int_equal(a.status, INSIGHTS_COMPLETE);
	assert_true(a.has_stats);
	assert_true(a.matched == 986 && a.bytes == 3363300);
	assert_int_equal(a.rows, 3);
	assert_int_equal(a.dropped, 1);
	assert_int_equal(a.n, 2);
	assert_true(a.ev[0].ts == T0);
	assert_true(a.ev[0].ingest == T0 + 468);
	assert_string_equal(a.ev[0].msg, "hello \"x\"\n");
	assert_int_equal(a.ev[0].msg_len, 10);
	assert_string_equal(a.ev[0].stream, "s1");
	assert_string_equal(a.ev[0].id, "CmQKJQ==");
	assert_string_equal(a.group[0], "/aws/lambda/a");
	assert_int_equal(a.group_len[0], 13);
	/* moto's shape: epoch ms, @log without the account, no
	 * @ingestionTime (the timestamp stands in), no @ptr. */
	assert_true(a.ev[1].ts == T0 + 100 && a.ev[1].ingest == T0 + 100);
	assert_null(a.ev[1].id);
	assert_string_equal(a.ev[1].msg, "");
	assert_string_equal(a.group[1], "/b");
	insights_answer_free(&a);
	insights_answer_free(NULL);
}

static void
test_decode_status(void **state)
{
	static const struct {
		const char *body;
		enum insights_status st;
	} ok[] = {
	    {"{\"status\":\"Scheduled\"}", INSIGHTS_SCHEDULED},
	    {"{\"status\":\"Running\",\"results\":[]}", INSIGHTS_RUNNING},
	    {"{\"status\":\"Failed\",\"results\":null}", INSIGHTS_FAILED},
	    {"{\"status\":\"Cancelled\"}", INSIGHTS_CANCELLED},
	    {"{\"status\":\"Timeout\"}", INSIGHTS_TIMEOUT},
	    {"{\"status\":\"Whatever\"}", INSIGHTS_UNKNOWN},
	};
	static const char *bad[] = {"", "[]", "{}", "{\"status\":1}",
	    "{\"status\":\"Complete\",\"results\":{}}",
	    "{\"status\":\"Complete\",\"results\":[1]}",
	    "{\"status\":\"Complete\",\"results\":[[]", NULL};
	struct insights_answer a;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cause = NULL;
		assert_int_equal(
		    insights_decode(ok[i].body, strlen(ok[i].body), &a, &cause),
		    0);
		assert_int_equal(a.status, ok[i].st);
		assert_int_equal(a.n, 0);
		assert_false(a.has_stats);
		insights_answer_free(&a);
	}
	for (i = 0; bad[i] != NULL; i++) {
		cause = NULL;
		assert_int_equal(
		    insights_decode(bad[i], strlen(bad[i]), &a, &cause), -1);
		assert_non_null(cause);
		assert_null(a.ev);
		free(cause);
	}
}

#define Q_HEAD INSIGHTS_FIELDS
#define Q_TAIL " | sort @timestamp asc"

static void
test_query_translation(void **state)
{
	static const struct {
		const char *pattern;
		const char *query;
	} ok[] = {
	    {NULL, Q_HEAD Q_TAIL},
	    {"", Q_HEAD Q_TAIL},
	    {"  ", Q_HEAD Q_TAIL},
	    {"ERROR", Q_HEAD " | filter @message like \"ERROR\"" Q_TAIL},
	    {"ERROR timed_out 42",
		Q_HEAD " | filter @message like \"ERROR\" and @message like "
		       "\"timed_out\" and @message like \"42\"" Q_TAIL},
	    {"\"Task timed out\" ERROR",
		Q_HEAD " | filter @message like \"Task timed out\" and "
		       "@message like \"ERROR\"" Q_TAIL},
	    {"\"a: {b} [c]\"",
		Q_HEAD " | filter @message like \"a: {b} [c]\"" Q_TAIL},
	};
	static const char *untranslatable[] = {"{ $.level = \"ERROR\" }",
	    "[ip, user, ...]", "?ERROR WARN", "-DEBUG", "%ERR.R%", "\"unclosed",
	    "\"\"", "\"a\\\"b\"", "\"a\"b", "ERROR:", "a.b", NULL};
	struct fpattern *fp;
	char *q, *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		q = insights_query(ok[i].pattern, &fp, &why);
		assert_non_null(q);
		assert_null(why);
		assert_string_equal(q, ok[i].query);
		free(q);
		fpattern_free(fp);
		free(fp);
	}
	q = insights_query("\"Task timed out\" ERROR", &fp, &why);
	assert_int_equal(fp->n, 2);
	assert_string_equal(fp->t[0].text, "Task timed out");
	assert_string_equal(fp->t[1].text, "ERROR");
	free(q);
	fpattern_free(fp);
	free(fp);
	for (i = 0; untranslatable[i] != NULL; i++) {
		fp = (struct fpattern *)1;
		q = insights_query(untranslatable[i], &fp, &why);
		assert_null(q);
		assert_null(fp);
		assert_non_null(why);
		free(why);
	}
}

static void
test_cuts(void **state)
{
	int64_t cuts[16];
	size_t m;

	(void)state;
	/* An hour in four: at whole seconds, increasing. */
	m = insights_cuts(1000500, 1000500 + 3600000 - 1, 4, cuts);
	assert_int_equal(m, 3);
	assert_true(
	    cuts[0] == 1900000 && cuts[1] == 2800000 && cuts[2] == 3700000);
	/* Within one second there is nowhere to cut. */
	assert_int_equal(insights_cuts(5100, 5900, 8, cuts), 0);
	/* Two seconds, asked for eight parts: one cut, at the second. */
	m = insights_cuts(5100, 6900, 8, cuts);
	assert_int_equal(m, 1);
	assert_true(cuts[0] == 6000);
	assert_int_equal(insights_cuts(0, 9999, 1, cuts), 0);
	/* Before 1970 the cut is still on a whole second. */
	m = insights_cuts(-10000, -1, 2, cuts);
	assert_int_equal(m, 1);
	assert_true(cuts[0] == -5000);
}

#define DAY 86400000LL

static void
test_share(void **state)
{
	double s;

	(void)state;
	/* Created 10 days ago, window of one day: a tenth. */
	s = insights_share(1000, 0, 0, 9 * DAY, 10 * DAY, 10 * DAY);
	assert_true(s > 99.99 && s < 100.01);
	/* Retention 2 days: the life that counts is 2 days. */
	s = insights_share(1000, 0, 2, 9 * DAY, 10 * DAY, 10 * DAY);
	assert_true(s > 499.99 && s < 500.01);
	/* A window before the group or empty stores: nothing. */
	assert_true(insights_share(1000, 5 * DAY, 0, 0, DAY, 10 * DAY) == 0);
	assert_true(insights_share(0, 0, 0, 0, DAY, 10 * DAY) == 0);
	/* The whole life, or a group created just now: all of it. */
	assert_true(insights_share(1000, 0, 0, 0, 10 * DAY, 10 * DAY) == 1000);
	assert_true(
	    insights_share(1000, 10 * DAY, 0, 0, 10 * DAY, 10 * DAY) == 1000);
}

static void
test_bodies(void **state)
{
	const char *groups[] = {"/a", "/b\"c"};
	struct insights_start q = {groups, 2, 1700000000, 1700000060, "x", 0};
	char *b;
	size_t len;

	(void)state;
	b = insights_start_body(&q, &len);
	assert_string_equal(b, "{\"logGroupNames\":[\"/a\",\"/b\\\"c\"],"
			       "\"startTime\":1700000000,\"endTime\":"
			       "1700000060,\"queryString\":\"x\"}");
	assert_int_equal(len, strlen(b));
	free(b);
	b = insights_id_body("q-1", &len);
	assert_string_equal(b, "{\"queryId\":\"q-1\"}");
	free(b);
}

/* GetQueryResults pages: the request's nextToken and maxItems (the
 * botocore model's members), the answer's nextToken (escapes read). */
static void
test_pages(void **state)
{
	static const char body[] =
	    "{\"status\":\"Complete\",\"nextToken\":\"ab\\/c\\u003d\","
	    "\"results\":[[{\"field\":\"@timestamp\",\"value\":"
	    "\"2026-12-06 23:01:00.000\"},{\"field\":\"@message\","
	    "\"value\":\"m\"}]]}";
	static const char last[] =
	    "{\"status\":\"Complete\",\"nextToken\":null,\"results\":[]}";
	struct insights_answer a;
	char *b, *cause = NULL;
	size_t len;

	(void)state;
	b = insights_results_body("q-1", NULL, 0, &len);
	assert_string_equal(b, "{\"queryId\":\"q-1\"}");
	free(b);
	b = insights_results_body("q-1", "t/1", 5000, &len);
	assert_string_equal(b, "{\"queryId\":\"q-1\",\"nextToken\":\"t/1\","
			       "\"maxItems\":5000}");
	free(b);
	assert_int_equal(
	    insights_decode_rows(body, strlen(body), &a, 1, &cause), 0);
	assert_non_null(a.next_token);
	assert_string_equal(a.next_token, "ab/c=");
	assert_int_equal(a.n, 1);
	insights_answer_free(&a);
	assert_int_equal(
	    insights_decode_rows(last, strlen(last), &a, 1, &cause), 0);
	assert_null(a.next_token);
	insights_answer_free(&a);
}

/* A stats answer as a table: every string pair of every row, in order;
 * other values skipped; bad shapes refused. */
static void
test_table(void **state)
{
	static const char body[] =
	    "{\"status\":\"Complete\",\"statistics\":{\"bytesScanned\":"
	    "1234.0,\"recordsScanned\":10.0},\"results\":[[{\"field\":"
	    "\"bin(60s)\",\"value\":\"2026-12-06 23:01:00.000\"},{\"field\":"
	    "\"status\",\"value\":\"200\"},{\"field\":\"requests\","
	    "\"value\":\"5\"}],[],[{\"field\":\"requests\",\"value\":7},"
	    "{\"field\":\"status\",\"value\":\"502\"}]]}";
	struct insights_table t;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    insights_table_decode(body, strlen(body), &t, &cause), 0);
	assert_int_equal(t.status, INSIGHTS_COMPLETE);
	assert_true(t.bytes == 1234.0 && t.scanned == 10.0);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(insights_table_get(&t, 0, "requests"), "5");
	assert_string_equal(
	    insights_table_get(&t, 0, "bin(60s)"), "2026-12-06 23:01:00.000");
	assert_null(insights_table_get(&t, 1, "requests"));
	assert_null(insights_table_get(&t, 2, "requests")); /* a number */
	assert_string_equal(insights_table_get(&t, 2, "status"), "502");
	assert_null(insights_table_get(&t, 3, "status"));
	insights_table_free(&t);
	insights_table_free(&t);
	assert_int_equal(
	    insights_table_decode("{\"status\":\"Running\"}", 20, &t, &cause),
	    0);
	assert_int_equal(t.status, INSIGHTS_RUNNING);
	assert_int_equal(t.nrows, 0);
	insights_table_free(&t);
	assert_int_equal(insights_table_decode("{\"status\":\"Complete\","
					       "\"results\":[1]}",
			     35, &t, &cause),
	    -1);
	assert_non_null(strstr(cause, "not an array"));
	free(cause);
	cause = NULL;
	assert_int_equal(insights_table_decode("[]", 2, &t, &cause), -1);
	free(cause);
}

/* The scanner reads what a JSON parser reads: escapes in values and keys,
 * cells with value before field and extra members, statistics among other
 * keys, blanks anywhere. A running query's rows are checked, not kept. */
static void
test_decode_scanner(void **state)
{
	static const char body[] =
	    " { \"queryLanguage\" : \"CWLI\", \"results\" : [ [ {\"value\":"
	    "\"a\\u00e9\\ud83d\\ude00\\ud800x\\/\\t\", \"x\": [1, {\"y\": "
	    "null}], \"field\":\"@message\"}, {\"fi\\u0065ld\":\"@timestamp\","
	    "\"value\":\"1796590320200\"}, {\"field\":\"@ptr\",\"value\":\"p\"}"
	    ", 5, \"s\", {\"field\":\"@log\",\"value\":null}] ] ,\n"
	    "\"statistics\":{\"bytesScanned\":1.5e3,\"other\":\"x\","
	    "\"recordsMatched\":2}, \"status\":\"Complete\" } ";
	static const char running[] =
	    "{\"status\":\"Running\",\"results\":[[{\"field\":\"@timestamp\","
	    "\"value\":\"1796590320200\"}],[]],\"statistics\":{}}";
	static const char *bad[] = {"{\"status\":\"Complete\"} x",
	    "{\"status\":\"Complete\",\"results\":[[{\"field\":\"a\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[\"\\q\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[\"\\u12\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[\"a\tb\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[tru]]}",
	    "{\"status\":\"Complete\",\"results\":[[1,]]}",
	    "{\"status\":\"Complete\",\"statistics\":{\"a\":-}}",
	    "{\"status\":\"Running\",\"results\":[[],1]}", NULL};
	struct insights_answer a;
	char *cause = NULL;
	size_t i;

	(void)state;
	assert_int_equal(
	    insights_decode_rows(body, strlen(body), &a, 1, &cause), 0);
	assert_int_equal(a.status, INSIGHTS_COMPLETE);
	assert_true(a.has_stats && a.bytes == 1500 && a.matched == 2);
	assert_int_equal(a.rows, 1);
	assert_int_equal(a.n, 1);
	assert_true(a.ev[0].ts == T0);
	assert_string_equal(
	    a.ev[0].msg, "a\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx/\t");
	assert_int_equal(a.ev[0].msg_len, 13);
	assert_string_equal(a.ev[0].id, "p");
	assert_null(a.group[0]);
	assert_true(a.mem_len > 0);
	insights_answer_free(&a);

	assert_int_equal(
	    insights_decode_rows(running, strlen(running), &a, 1, &cause), 0);
	assert_int_equal(a.status, INSIGHTS_RUNNING);
	assert_true(a.has_stats);
	assert_int_equal(a.rows, 0);
	assert_int_equal(a.n, 0);
	assert_null(a.ev);
	assert_null(a.mem);
	insights_answer_free(&a);
	/* Without complete_only they are read. */
	assert_int_equal(
	    insights_decode_rows(running, strlen(running), &a, 0, &cause), 0);
	assert_int_equal(a.rows, 2);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.dropped, 1);
	insights_answer_free(&a);

	for (i = 0; bad[i] != NULL; i++) {
		cause = NULL;
		assert_int_equal(
		    insights_decode_rows(bad[i], strlen(bad[i]), &a, 1, &cause),
		    -1);
		assert_non_null(cause);
		assert_null(a.ev);
		free(cause);
	}
}

/* Queries in flight and answers held are separate bounds: a slice that
 * finishes far ahead of the merge waits on the service and is read again
 * when the merge gets near it; the one the merge waits for always. */
static void
test_hold_and_fetch_policy(void **state)
{
	struct ireader ir;
	struct ibatch b;
	struct itask t[6];
	size_t i;

	(void)state;
	memset(&ir, 0, sizeof ir);
	memset(&b, 0, sizeof b);
	memset(t, 0, sizeof t);
	ir.b = &b;
	ir.nb = 1;
	ir.ahead = IR_AHEAD; /* as ir_open sets them when alone */
	ir.mem_budget = IR_MEM_BUDGET;
	b.head = &t[0];
	for (i = 0; i < 6; i++) {
		t[i].ir = &ir;
		t[i].next = i + 1 < 6 ? &t[i + 1] : NULL;
		t[i].state = IT_POLL; /* six queries in flight */
		t[i].bytes = IR_MEM_BUDGET / 2;
	}
	/* The merge waits for t[0]: held whatever the budget. */
	ir.held = 10 * IR_MEM_BUDGET;
	assert_int_equal(ir_rank(&ir, &t[0]), 0);
	assert_true(ir_hold_ok(&ir, &t[0]));
	/* One after it within the budget; not beyond it. */
	assert_false(ir_hold_ok(&ir, &t[1]));
	ir.held = IR_MEM_BUDGET / 2;
	assert_true(ir_hold_ok(&ir, &t[1]));
	/* Further ahead: dropped, however little is held. */
	ir.held = 0;
	assert_int_equal(ir_rank(&ir, &t[2]), 2);
	assert_false(ir_hold_ok(&ir, &t[2]));
	assert_false(ir_hold_ok(&ir, &t[5]));
	/* t[2..5] finished and were dropped: nothing to read while the
	 * merge is two tasks away from them. */
	for (i = 2; i < 6; i++)
		t[i].state = IT_COMPLETE;
	assert_null(ir_fetch_next(&ir));
	/* t[0] merged out, t[1] done: t[2] is next, read again at once even
	 * over the budget, and t[3] after it only within the budget. */
	b.head = &t[1];
	t[1].state = IT_DONE;
	ir.held = 10 * IR_MEM_BUDGET;
	assert_ptr_equal(ir_fetch_next(&ir), &t[2]);
	t[2].state = IT_FETCH;
	assert_null(ir_fetch_next(&ir));
	ir.held = IR_MEM_BUDGET / 2;
	assert_ptr_equal(ir_fetch_next(&ir), &t[3]);
	t[3].state = IT_FETCH;
	assert_null(ir_fetch_next(&ir)); /* t[4]: too far ahead */
	/* Done tasks ahead of the merge do not count as distance. */
	t[2].state = IT_DONE;
	t[3].state = IT_DONE;
	ir.held = 0;
	assert_ptr_equal(ir_fetch_next(&ir), &t[4]);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_table),
    cmocka_unit_test(test_parse_time),
    cmocka_unit_test(test_decode_rows),
    cmocka_unit_test(test_decode_status),
    cmocka_unit_test(test_decode_scanner),
    cmocka_unit_test(test_hold_and_fetch_policy),
    cmocka_unit_test(test_query_translation),
    cmocka_unit_test(test_cuts),
    cmocka_unit_test(test_share),
    cmocka_unit_test(test_bodies),
    cmocka_unit_test(test_pages),
};

TEST_MAIN(tests)
