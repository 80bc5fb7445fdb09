/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GetQueryResults bodies decoded as they arrive (insights_rows.c,
 * insights_rowread.c): the same rows whole and cut into every chunking,
 * the top-level members in any order, rows longer than the bound, and
 * through the request layer: a page whose transfer breaks midway is read
 * again from its start, a bad body ends the transfer, an error answer is
 * buffered and classified.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "fakeaws.h"
#include "fakelogs.h"
#include "logs/insights.h"

/* 2026-12-06 20:52:00.200 UTC */
#define T0 1796590320200LL

/* Members of a body, in the order given by a string of their letters:
 * s status, t nextToken, x statistics, r results, o another member. */
static char *
make_body(const char *order, size_t nrows, size_t msg_bytes)
{
	struct buf b;
	size_t i, k, m;
	const char *sep = "";

	buf_init(&b, 0);
	buf_puts(&b, " {");
	for (k = 0; order[k] != '\0'; k++) {
		buf_puts(&b, sep);
		sep = ",\n ";
		switch (order[k]) {
		case 's':
			buf_puts(&b, "\"status\" : \"Complete\"");
			break;
		case 't':
			buf_puts(&b, "\"nextToken\":\"tok\\u0065n/\\\"2\\\"\"");
			break;
		case 'x':
			buf_puts(&b, "\"statistics\":{\"recordsMatched\":1.2E5,"
				     "\"recordsScanned\":10100.0,\"other\":[1,"
				     "{\"a\":null}],\"bytesScanned\":3363300}");
			break;
		case 'o':
			buf_puts(
			    &b, "\"queryLanguage\":{\"x\":[\"]}\\\"\",{}]}");
			break;
		case 'r':
			buf_puts(&b, "\"results\":[");
			for (i = 0; i < nrows; i++) {
				if (i > 0)
					buf_puts(&b, i % 3 ? "," : " ,\n");
				if (i % 97 == 5) {
					/* No timestamp: dropped. */
					buf_puts(&b, "[{\"field\":\"@message\","
						     "\"value\":\"x\"}]");
					continue;
				}
				buf_putf(&b,
				    "[{\"field\":\"@timestamp\",\"value\":"
				    "\"2026-12-06 20:52:%02zu.%03zu\"},"
				    "{\"value\":\"m%zu \\\"q\\\" \\u00e9\\ud83d"
				    "\\ude00 ",
				    i / 1000 % 60, i % 1000, i);
				for (m = 0; m < msg_bytes; m++)
					buf_putc(
					    &b, (char)('a' + (i + m) % 26));
				buf_putf(&b,
				    "\\n\",\"field\":\"@message\"},"
				    "{\"field\":\"@logStream\",\"value\":"
				    "\"2026/12/06/[$LATEST]%04zx\"},"
				    "{\"field\":\"@log\",\"value\":"
				    "\"123456789012:/aws/lambda/f%zu\"},"
				    "{\"field\":\"@ingestionTime\",\"value\":"
				    "\"2026-12-06 20:53:00.000\"},"
				    "{\"fi\\u0065ld\":\"@ptr\",\"value\":\"p%"
				    "zu\"}"
				    "%s]",
				    i % 7, i % 3, i,
				    i % 11 == 0 ? ",5,\"s\",{\"field\":1}"
						: "");
			}
			buf_puts(&b, "]");
			break;
		}
	}
	buf_puts(&b, "} ");
	return (buf_take(&b, &i));
}

/* Feed body to d in chunks: size k, or random sizes up to -k (seeded). */
static int
feed(struct insights_rowdec *d, const char *body, size_t len, long k,
    unsigned seed, struct insights_answer *a, char **cause)
{
	size_t off = 0, n;

	srand(seed);
	while (off < len) {
		n = k > 0 ? (size_t)k : 1 + (size_t)rand() % (size_t)-k;
		if (n > len - off)
			n = len - off;
		(void)insights_rowdec_feed(d, body + off, n);
		off += n;
	}
	return (insights_rowdec_end(d, a, cause));
}

/* Are two answers the same rows and members? */
static void
same_answer(const struct insights_answer *x, const struct insights_answer *y)
{
	size_t i;

	assert_int_equal(x->status, y->status);
	assert_int_equal(x->has_stats, y->has_stats);
	assert_true(x->matched == y->matched && x->scanned == y->scanned &&
		    x->bytes == y->bytes);
	assert_int_equal(x->rows, y->rows);
	assert_int_equal(x->dropped, y->dropped);
	assert_int_equal(x->n, y->n);
	if (x->next_token == NULL || y->next_token == NULL)
		assert_true(x->next_token == y->next_token);
	else
		assert_string_equal(x->next_token, y->next_token);
	for (i = 0; i < x->n; i++) {
		assert_true(x->ev[i].ts == y->ev[i].ts);
		assert_true(x->ev[i].ingest == y->ev[i].ingest);
		assert_int_equal(x->ev[i].msg_len, y->ev[i].msg_len);
		assert_memory_equal(
		    x->ev[i].msg, y->ev[i].msg, x->ev[i].msg_len + 1);
		assert_int_equal(x->ev[i].stream_len, y->ev[i].stream_len);
		assert_string_equal(x->ev[i].stream, y->ev[i].stream);
		if (x->ev[i].id == NULL || y->ev[i].id == NULL)
			assert_true(x->ev[i].id == y->ev[i].id);
		else
			assert_string_equal(x->ev[i].id, y->ev[i].id);
		assert_int_equal(x->group_len[i], y->group_len[i]);
		if (x->group[i] == NULL || y->group[i] == NULL)
			assert_true(x->group[i] == y->group[i]);
		else
			assert_string_equal(x->group[i], y->group[i]);
	}
}

/* Every chunking gives the rows of the whole body. */
static void
test_chunkings(void **state)
{
	static const long sizes[] = {1, 2, 3, 7, 64, 4096, -16, -300, -5000};
	struct insights_rowdec *d;
	struct insights_answer whole, a;
	char *body, *cause = NULL;
	size_t len, i;
	unsigned seed;

	(void)state;
	body = make_body("sxrt", 600, 40);
	len = strlen(body);
	assert_int_equal(insights_decode(body, len, &whole, &cause), 0);
	assert_int_equal(whole.status, INSIGHTS_COMPLETE);
	assert_int_equal(whole.rows, 600);
	assert_int_equal(whole.dropped, 7);
	assert_int_equal(whole.n, 593);
	assert_string_equal(whole.next_token, "token/\"2\"");
	assert_true(whole.matched == 120000 && whole.bytes == 3363300);
	assert_true(whole.ev[0].ts == T0 - 200);
	assert_string_equal(whole.group[0], "/aws/lambda/f0");
	assert_string_equal(whole.ev[0].stream, "2026/12/06/[$LATEST]0000");
	assert_string_equal(whole.ev[1].id, "p1");
	assert_memory_equal(
	    whole.ev[1].msg, "m1 \"q\" \xc3\xa9\xf0\x9f\x98\x80 b", 15);
	/* A name is kept once per answer. */
	assert_ptr_equal(whole.ev[0].stream, whole.ev[6].stream);
	assert_ptr_equal(whole.group[0], whole.group[3]);
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		for (seed = 1; seed <= (sizes[i] < 0 ? 4u : 1u); seed++) {
			d = insights_rowdec_new(0, 0, 4096);
			assert_int_equal(
			    feed(d, body, len, sizes[i], seed, &a, &cause), 0);
			same_answer(&whole, &a);
			insights_answer_free(&a);
			/* The decoder reads another body after an end. */
			assert_int_equal(
			    feed(d, body, len, 1000, seed, &a, &cause), 0);
			same_answer(&whole, &a);
			insights_answer_free(&a);
			insights_rowdec_free(d);
		}
	}
	insights_answer_free(&whole);
	free(body);
}

/* The members of the object in any order: the same answer. */
static void
test_key_orders(void **state)
{
	static const char *orders[] = {
	    "srtx", "rsxt", "xtrs", "trxs", "orsxt", "rtxos", "sotxr"};
	struct insights_rowdec *d;
	struct insights_answer ref, a;
	char *body, *cause = NULL;
	size_t i;

	(void)state;
	body = make_body("sxtr", 40, 5);
	assert_int_equal(insights_decode(body, strlen(body), &ref, &cause), 0);
	free(body);
	for (i = 0; i < sizeof orders / sizeof *orders; i++) {
		body = make_body(orders[i], 40, 5);
		d = insights_rowdec_new(1, 40, 0);
		assert_int_equal(
		    feed(d, body, strlen(body), -9, (unsigned)i, &a, &cause),
		    0);
		same_answer(&ref, &a);
		insights_answer_free(&a);
		insights_rowdec_free(d);
		free(body);
	}
	/* A poll whose status comes after its rows: checked, not kept. */
	body = make_body("rxs", 3, 5);
	memcpy(strstr(body, "Complete\""), "Running\" ", 9);
	d = insights_rowdec_new(1, 1, 0);
	assert_int_equal(feed(d, body, strlen(body), 2, 0, &a, &cause), 0);
	assert_int_equal(a.status, INSIGHTS_RUNNING);
	assert_true(a.n == 0 && a.rows == 0 && a.ev == NULL && a.mem == NULL);
	assert_true(a.has_stats);
	insights_answer_free(&a);
	insights_rowdec_free(d);
	free(body);
	insights_answer_free(&ref);
}

/* Bad bodies are bad in every chunking, with the same cause. */
static void
test_bad_in_chunks(void **state)
{
	static const char *bad[] = {"", " ", "[]", "{}", "{\"status\":1}",
	    "{\"status\":\"Complete\",\"results\":{}}",
	    "{\"status\":\"Complete\",\"results\":[1]}",
	    "{\"status\":\"Complete\",\"results\":[[]",
	    "{\"status\":\"Complete\"} x", "{\"status\":\"Complete\",}",
	    "{\"status\":\"Complete\",\"results\":[[{\"field\":\"a\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[\"\\q\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[\"\\u12\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[\"a\tb\"]]}",
	    "{\"status\":\"Complete\",\"results\":[[tru]]}",
	    "{\"status\":\"Complete\",\"results\":[[1,]]}",
	    "{\"status\":\"Complete\",\"results\":[[]],\"results\":[]}",
	    "{\"status\":\"Complete\",\"statistics\":{\"a\":-}}",
	    "{\"status\":\"Complete\",\"x\":}",
	    "{\"status\":\"Complete\",\"x\":1",
	    "{\"status\":\"Complete\",\"x\":12ab}", "{\"status\":tr",
	    "{\"status\":\"Running\",\"results\":[[],1]}", NULL};
	struct insights_rowdec *d;
	struct insights_answer a;
	char *c1, *c2;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		c1 = c2 = NULL;
		assert_int_equal(
		    insights_decode(bad[i], strlen(bad[i]), &a, &c1), -1);
		d = insights_rowdec_new(1, 0, 0);
		assert_int_equal(
		    feed(d, bad[i], strlen(bad[i]), 1, 0, &a, &c2), -1);
		assert_non_null(c1);
		assert_string_equal(c1, c2);
		assert_null(a.ev);
		insights_rowdec_free(d);
		free(c1);
		free(c2);
	}
}

/* A row (or any value) longer than the bound: an error that says so. */
static void
test_oversized(void **state)
{
	struct insights_rowdec *d;
	struct insights_answer a;
	char *body, *cause = NULL, *row, *expect;
	size_t rowlen;

	(void)state;
	body = make_body("sr", 3, 300);
	row = strstr(body, "[[") + 1;
	rowlen = (size_t)(strstr(row, "],[") - row) + 1;
	/* The bound is the row's length: read; one byte less: refused. */
	d = insights_rowdec_new(0, 0, rowlen + 10);
	assert_int_equal(feed(d, body, strlen(body), 50, 0, &a, &cause), 0);
	assert_int_equal(a.n, 3);
	insights_answer_free(&a);
	insights_rowdec_free(d);
	d = insights_rowdec_new(0, 0, rowlen - 1);
	assert_int_equal(feed(d, body, strlen(body), 50, 0, &a, &cause), -1);
	expect =
	    xprintf("bad GetQueryResults answer: a row of more than %zu bytes",
		rowlen - 1);
	assert_string_equal(cause, expect);
	free(cause);
	cause = NULL;
	/* Fed whole, the same. */
	assert_int_equal(insights_rowdec_feed(d, body, strlen(body)), -1);
	assert_int_equal(insights_rowdec_end(d, &a, &cause), -1);
	assert_string_equal(cause, expect);
	free(expect);
	free(cause);
	cause = NULL;
	insights_rowdec_free(d);
	free(body);
	body = make_body("ts", 0, 0);
	d = insights_rowdec_new(0, 0, 8);
	assert_int_equal(feed(d, body, strlen(body), 3, 0, &a, &cause), -1);
	assert_string_equal(
	    cause, "bad GetQueryResults answer: a value of more than 8 bytes");
	free(cause);
	insights_rowdec_free(d);
	free(body);
}

/* A reset drops what was fed: the body read again gives its rows once. */
static void
test_reset(void **state)
{
	struct insights_rowdec *d;
	struct insights_answer whole, a;
	char *body, *cause = NULL;
	size_t len;

	(void)state;
	body = make_body("xrst", 200, 30);
	len = strlen(body);
	assert_int_equal(insights_decode(body, len, &whole, &cause), 0);
	d = insights_rowdec_new(1, 200, 0);
	assert_int_equal(insights_rowdec_feed(d, body, len / 2 + 3), 0);
	insights_rowdec_reset(d);
	assert_int_equal(feed(d, body, len, -700, 3, &a, &cause), 0);
	same_answer(&whole, &a);
	insights_answer_free(&a);
	insights_rowdec_free(d);
	insights_answer_free(&whole);
	free(body);
}

struct ienv {
	struct fakeclock clk;
	struct loop *loop;
	struct fakeaws fa;
	struct aws_ctx ctx;
	struct aws_client *c;
	struct insights_reply r;
	struct insights_answer ans;
	char *message;
	int done;
};

static void
ienv_init(struct ienv *e)
{
	char *cause = NULL;

	memset(e, 0, sizeof *e);
	fakeclock_init(&e->clk, T0);
	e->loop = loop_new(&e->clk.clock, NULL);
	fakeaws_init(&e->fa, e->loop);
	fakeaws_ctx(&e->fa, &e->ctx, e->loop);
	assert_int_equal(aws_client_new(&e->c, &e->ctx, AWS_LOGS, "us-east-1",
			     "http://fake.invalid", &cause),
	    0);
}

static void
ienv_free(struct ienv *e)
{
	insights_answer_free(&e->ans);
	free(e->message);
	aws_client_free(e->c);
	fakeaws_free(&e->fa);
	loop_free(e->loop);
}

static void
ienv_cb(void *arg, struct insights_reply *r)
{
	struct ienv *e = arg;

	e->done++;
	e->r = *r;
	e->ans = r->answer;
	memset(&r->answer, 0, sizeof r->answer);
	e->message = r->message;
	r->message = NULL;
}

#define GQR "POST /Logs_20140328.GetQueryResults"

/* Read one page through the request layer. */
static void
ienv_read(struct ienv *e)
{
	struct insights_op *op;

	op = insights_results_async(e->c, "q1", "tok", 10000, ienv_cb, e);
	assert_non_null(op);
	loop_run_until(e->loop, &e->done);
	assert_int_equal(e->done, 1);
}

/* A page whose transfer breaks midway is read again from its start: its
 * rows once, not the first half twice. */
static void
test_retry_mid_body(void **state)
{
	struct ienv e;
	struct insights_answer whole;
	char *body, *cause = NULL;

	(void)state;
	ienv_init(&e);
	body = make_body("srxt", 300, 60);
	assert_int_equal(
	    insights_decode(body, strlen(body), &whole, &cause), 0);
	fakeaws_route(&e.fa, GQR, 200, body);
	e.fa.chunk = 1000;
	e.fa.breaks = 1;
	e.fa.break_after = strlen(body) / 2;
	ienv_read(&e);
	assert_int_equal(e.r.err, LOGS_OK);
	assert_int_equal(fakeaws_count(&e.fa, GQR), 2);
	assert_true(e.fa.streamed == strlen(body) + strlen(body) / 2);
	same_answer(&whole, &e.ans);
	insights_answer_free(&whole);
	free(body);
	ienv_free(&e);
}

/* A body that cannot be an answer ends the transfer there: the rest is
 * not read, and the error says why. */
static void
test_bad_body_stops(void **state)
{
	struct ienv e;
	char *body;
	size_t len;

	(void)state;
	ienv_init(&e);
	body = make_body("sr", 300, 60);
	len = strlen(body);
	memcpy(strstr(body, "[{\"field\":\"@timestamp\""), "[}", 2);
	fakeaws_route(&e.fa, GQR, 200, body);
	e.fa.chunk = 100;
	ienv_read(&e);
	assert_int_equal(e.r.err, LOGS_ERR_BAD_PAGE);
	assert_string_equal(e.message, "bad GetQueryResults answer: bad JSON");
	assert_true(e.fa.streamed < 1000 && e.fa.streamed < len);
	assert_int_equal(fakeaws_count(&e.fa, GQR), 1);
	free(body);
	ienv_free(&e);
}

/* An error answer is buffered and classified as before; a transport that
 * does not stream gives the body whole, decoded the same way. */
static void
test_error_and_whole(void **state)
{
	struct ienv e;
	struct insights_answer whole;
	char *body, *cause = NULL;

	(void)state;
	ienv_init(&e);
	fakeaws_error(&e.fa, GQR, 400, "ResourceNotFoundException",
	    "Query does not exist");
	e.fa.chunk = 5;
	ienv_read(&e);
	assert_int_equal(e.r.err, LOGS_ERR_NOT_FOUND);
	assert_non_null(strstr(e.message, "Query does not exist"));
	assert_int_equal(e.fa.streamed, 0);
	ienv_free(&e);

	ienv_init(&e);
	body = make_body("rts", 50, 10);
	assert_int_equal(
	    insights_decode(body, strlen(body), &whole, &cause), 0);
	fakeaws_route(&e.fa, GQR, 200, body);
	ienv_read(&e);
	assert_int_equal(e.r.err, LOGS_OK);
	same_answer(&whole, &e.ans);
	insights_answer_free(&whole);
	free(body);
	ienv_free(&e);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_chunkings),
    cmocka_unit_test(test_key_orders),
    cmocka_unit_test(test_bad_in_chunks),
    cmocka_unit_test(test_oversized),
    cmocka_unit_test(test_reset),
    cmocka_unit_test(test_retry_mid_body),
    cmocka_unit_test(test_bad_body_stops),
    cmocka_unit_test(test_error_and_whole),
};

TEST_MAIN(tests)
