/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fast FilterLogEvents decoder, checked against jansson on generated
 * pages (escapes, \u, surrogate pairs, nulls, unknown members), and made
 * to reject every truncation of a valid page.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testmain.h"

#include "core/xmalloc.h"
#include "logs/event.h"
#include "logs/logs.h"

static uint64_t rng = 0x12345678;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)(rng % n));
}

/* Let rnd_string() make strings past the decoder's 1 KiB buffer. */
static int rnd_long;

/* A random UTF-8 string with characters that need escaping. */
static char *
rnd_string(void)
{
	static const char *pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n",
	    "\t", "\r", "\x01", "\x1f", "\xc3\xa9", "\xe2\x82\xac",
	    "\xf0\x9f\x91\x8e", "{\"k\":1}", "ERROR", "\x7f",
	    "a plain run longer than one block of sixteen bytes"};
	size_t n = rnd_long && rnd(3) == 0 ? rnd(1200) : rnd(40), i, k;
	char *s = xcalloc(1, n * 64 + 1), *o = s;

	for (i = 0; i < n; i++) {
		k = rnd(sizeof pieces / sizeof pieces[0]);
		memcpy(o, pieces[k], strlen(pieces[k]));
		o += strlen(pieces[k]);
	}
	return (s);
}

/* A time of any length from 1 to 18 digits, sometimes negative. */
static int64_t
rnd_time(void)
{
	int64_t v = 1 + rnd(9);
	uint32_t n = rnd(18), i;

	if (rnd(3) == 0)
		return (1700000000000LL + rnd(1000));
	for (i = 0; i < n; i++)
		v = v * 10 + rnd(10);
	return (rnd(8) == 0 ? -v : v);
}

/* A random page as jansson would serialise it. */
static char *
rnd_page(json_t **model)
{
	json_t *root = json_object(), *evs = json_array(), *e;
	size_t n = rnd(30), i;
	char *s, *m, *st;

	for (i = 0; i < n; i++) {
		m = rnd_string();
		st = rnd_string();
		e = json_pack("{s:s,s:I,s:s,s:I,s:s}", "logStreamName", st,
		    "timestamp", (json_int_t)rnd_time(), "message", m,
		    "ingestionTime", (json_int_t)rnd_time(), "eventId", "1");
		if (rnd(4) == 0)
			json_object_set_new(e, "extra",
			    json_pack(
				"{s:[i,{s:n}],s:b}", "x", 1, "y", "z", 0));
		json_array_append_new(evs, e);
		free(m);
		free(st);
	}
	json_object_set_new(root, "events", evs);
	json_object_set_new(root, "searchedLogStreams",
	    json_pack(
		"[{s:s,s:b}]", "logStreamName", "x", "searchedCompletely", 1));
	if (rnd(2))
		json_object_set_new(root, "nextToken", json_string("tok/en=="));
	else
		json_object_set_new(root, "nextToken", json_null());
	s = json_dumps(root, (rnd(2) ? JSON_ENSURE_ASCII : 0) |
				 (rnd(2) ? JSON_INDENT(2) : JSON_COMPACT));
	*model = root;
	return (s);
}

static void
check_same(json_t *model, struct page *p, const char *tok)
{
	json_t *evs = json_object_get(model, "events"), *e;
	const char *mt = json_string_value(json_object_get(model, "nextToken"));
	size_t i;

	assert_int_equal(p->n, json_array_size(evs));
	if (mt == NULL)
		assert_null(tok);
	else
		assert_string_equal(tok, mt);
	/* The page is sorted; the model order is the insertion order. */
	for (i = 0; i < p->n; i++) {
		size_t j;
		int found = 0;

		for (j = 0; j < json_array_size(evs) && !found; j++) {
			e = json_array_get(evs, j);
			found = json_integer_value(json_object_get(
				    e, "timestamp")) == p->ev[i].ts &&
				json_integer_value(json_object_get(
				    e, "ingestionTime")) == p->ev[i].ingest &&
				json_string_length(json_object_get(
				    e, "message")) == p->ev[i].msg_len &&
				memcmp(json_string_value(
					   json_object_get(e, "message")),
				    p->ev[i].msg, p->ev[i].msg_len) == 0 &&
				strcmp(json_string_value(
					   json_object_get(e, "logStreamName")),
				    p->ev[i].stream) == 0;
		}
		assert_true(found);
		if (i > 0)
			assert_true(
			    p->ev[i - 1].ts < p->ev[i].ts ||
			    (p->ev[i - 1].ts == p->ev[i].ts &&
				p->ev[i - 1].ingest <= p->ev[i].ingest));
	}
}

static void
test_against_jansson(void **state)
{
	json_t *model;
	struct page *p;
	char *body, *tok, *cause;
	int round;

	(void)state;
	for (round = 0; round < 500; round++) {
		rnd_long = round % 2;
		body = rnd_page(&model);
		tok = cause = NULL;
		assert_int_equal(
		    logs_filter_decode(body, strlen(body), &p, &tok, &cause),
		    0);
		check_same(model, p, tok);
		page_free(p);
		free(tok);
		free(body);
		json_decref(model);
	}
	rnd_long = 0;
}

static void
test_truncations_rejected(void **state)
{
	json_t *model;
	struct page *p;
	char *body, *tok, *cause;
	size_t len, k;
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		body = rnd_page(&model);
		len = strlen(body);
		for (k = 0; k < len; k++) {
			tok = cause = NULL;
			p = NULL;
			assert_int_equal(
			    logs_filter_decode(body, k, &p, &tok, &cause), -1);
			assert_non_null(strstr(cause, "bad FilterLogEvents"));
			free(cause);
		}
		free(body);
		json_decref(model);
	}
}

static void
test_escapes(void **state)
{
	static const char body[] =
	    "{\"events\":[{\"message\":\"\\u00e9\\u20ac"
	    "\\ud83d\\udc4e\\ud800x\\udc00\\/\\b\\f\",\"timestamp\":5,"
	    "\"logStreamName\":null,\"eventId\":\"7\"}],\"nextToken\":\"\"}";
	struct page *p;
	char *tok = NULL, *cause = NULL;

	(void)state;
	assert_int_equal(
	    logs_filter_decode(body, sizeof body - 1, &p, &tok, &cause), 0);
	assert_int_equal(p->n, 1);
	/* é € 👎, lone surrogates become U+FFFD. */
	assert_string_equal(p->ev[0].msg, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x91\x8e"
					  "\xef\xbf\xbdx\xef\xbf\xbd/\b\f");
	assert_int_equal(p->ev[0].ingest, 5); /* absent: = timestamp */
	assert_string_equal(p->ev[0].stream, "");
	assert_null(tok); /* empty token = the end */
	page_free(p);
}

static void
test_rejects(void **state)
{
	static const char *bad[] = {"", "[]", "{\"events\":{}}",
	    "{\"events\":[1]}", "{\"events\":[{\"timestamp\":\"x\"}]}",
	    "{\"a\":1,}", "{\"a\":01}", "{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}",
	    "{\"a\":tru}", "{\"a\":1} x", "{\"a\" 1}", "{\"a\":\"\\u12\"}",
	    "{\"a\":1.}", "{\"a\":-}", "{\"events\":[{\"message\":\"x\"}],}",
	    NULL};
	struct page *p;
	char *tok, *cause;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		tok = cause = NULL;
		assert_int_equal(logs_filter_decode(
				     bad[i], strlen(bad[i]), &p, &tok, &cause),
		    -1);
		free(cause);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_against_jansson),
    cmocka_unit_test(test_truncations_rejected),
    cmocka_unit_test(test_escapes),
    cmocka_unit_test(test_rejects),
};

TEST_MAIN(tests)
