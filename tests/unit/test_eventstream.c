/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event-stream decoder (src/aws/eventstream.c) on the AWS SDK for Go's
 * framing vectors (tests/data/eventstream): every positive vector decodes
 * to its fields and every negative one is rejected, each fed whole, one
 * byte at a time and in random splits; then the malformed cases the
 * vectors do not cover, built here with real CRCs.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "aws/eventstream.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "testmain.h"

#define DATA "tests/data/eventstream"

static const char *positive[] = {"all_headers", "empty_message", "int32_header",
    "payload_no_headers", "payload_one_str_header"};
/* Negative vector -> the start of our cause (the SDK's text differs). */
static const struct {
	const char *name, *sdk, *cause;
} negative[] = {
    {"corrupted_header_len", "Prelude checksum mismatch",
	"event stream: prelude CRC mismatch"},
    {"corrupted_headers", "Message checksum mismatch",
	"event stream: message CRC mismatch"},
    {"corrupted_length", "Prelude checksum mismatch",
	"event stream: prelude CRC mismatch"},
    {"corrupted_payload", "Message checksum mismatch",
	"event stream: message CRC mismatch"},
};

/* Split modes: whole, one byte at a time, random chunks from a seed. */
enum split { WHOLE, BYTEWISE, RANDOM };

/* Read a whole file. Caller frees with free(). */
static unsigned char *
slurp(const char *dir, const char *name, size_t *len)
{
	FILE *fp;
	char *path;
	unsigned char *data = NULL;
	size_t n;
	unsigned char chunk[4096];

	path = xprintf("%s/%s/%s", DATA, dir, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	free(path);
	*len = 0;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		data = xrealloc(data, *len + n + 1);
		memcpy(data + *len, chunk, n);
		*len += n;
	}
	fclose(fp);
	if (data == NULL)
		data = xmalloc(1);
	return (data);
}

/* Decode base64 text. Caller frees with free(). */
static unsigned char *
unbase64(const char *s, size_t *len)
{
	size_t sl = strlen(s);
	unsigned char *out = xmalloc(sl + 1);
	int n;

	n = EVP_DecodeBlock(out, (const unsigned char *)s, (int)sl);
	assert_true(n >= 0);
	while (sl > 0 && s[sl - 1] == '=') {
		n--;
		sl--;
	}
	*len = (size_t)n;
	return (out);
}

/*
 * A copy of each message decoded from a stream, since the decoder's own
 * is only valid until the next feed.
 */
struct got {
	struct evstream_message m;
	unsigned char *payload;
	struct evstream_header *h;
	unsigned char **hdata;
};

static void
got_free(struct got *g)
{
	size_t i;

	for (i = 0; i < g->m.nheaders; i++) {
		free((char *)g->h[i].name);
		free(g->hdata[i]);
	}
	free(g->hdata);
	free(g->h);
	free(g->payload);
}

static void
got_copy(struct got *g, const struct evstream_message *m)
{
	size_t i;

	g->m = *m;
	g->payload = xmemdup(m->payload, m->payload_len + 1);
	g->h = xcalloc(m->nheaders + 1, sizeof *g->h);
	g->hdata = xcalloc(m->nheaders + 1, sizeof *g->hdata);
	for (i = 0; i < m->nheaders; i++) {
		g->h[i] = m->headers[i];
		g->h[i].name = xstrdup(m->headers[i].name);
		if (m->headers[i].data != NULL) {
			g->hdata[i] =
			    xmemdup(m->headers[i].data, m->headers[i].len + 1);
			g->h[i].data = g->hdata[i];
		}
	}
}

/*
 * Feed data to a fresh decoder in the given split; copy up to maxgot
 * messages to got. Returns the number of messages, or -1 with *cause
 * set, after which no byte may be fed.
 */
static int
run(const unsigned char *data, size_t len, enum split how, unsigned seed,
    struct got *got, int maxgot, char **cause, int *pending)
{
	struct evstream es;
	const struct evstream_message *m;
	size_t off = 0, chunk, used, end;
	int n = 0, rc;

	*cause = NULL;
	srand(seed);
	evstream_init(&es, 0);
	while (off < len) {
		if (how == WHOLE)
			chunk = len - off;
		else if (how == BYTEWISE)
			chunk = 1;
		else
			chunk = 1 + (size_t)rand() % 40;
		if (chunk > len - off)
			chunk = len - off;
		/* Copy the chunk so ASan sees a read past it. */
		unsigned char *piece = xmemdup(data + off, chunk);
		end = 0;
		while (end < chunk) {
			rc = evstream_feed(
			    &es, piece + end, chunk - end, &used, &m, cause);
			assert_true(used <= chunk - end);
			end += used;
			if (rc < 0) {
				assert_non_null(*cause);
				assert_null(m);
				free(piece);
				evstream_free(&es);
				return (-1);
			}
			if (rc == 0) {
				assert_int_equal(end, chunk);
				break;
			}
			assert_non_null(m);
			assert_true(n < maxgot);
			got_copy(&got[n++], m);
		}
		free(piece);
		off += chunk;
	}
	*pending = evstream_pending(&es);
	evstream_free(&es);
	return (n);
}

/* Compare a decoded message with its decoded/positive JSON. */
static void
check_positive(const struct got *g, const char *name)
{
	json_t *j, *hs, *h;
	json_error_t err;
	char *path;
	unsigned char *want;
	size_t wl, i;
	const char *s;

	path = xprintf("%s/decoded/positive/%s", DATA, name);
	j = json_load_file(path, 0, &err);
	if (j == NULL)
		fail_msg("%s: %s", path, err.text);
	free(path);
	assert_int_equal(g->m.total_len,
	    json_integer_value(json_object_get(j, "total_length")));
	assert_int_equal(g->m.headers_len,
	    json_integer_value(json_object_get(j, "headers_length")));
	assert_int_equal(g->m.prelude_crc,
	    (uint32_t)json_integer_value(json_object_get(j, "prelude_crc")));
	assert_int_equal(g->m.message_crc,
	    (uint32_t)json_integer_value(json_object_get(j, "message_crc")));
	want = unbase64(json_string_value(json_object_get(j, "payload")), &wl);
	assert_int_equal(g->m.payload_len, wl);
	assert_memory_equal(g->payload, want, wl);
	free(want);
	hs = json_object_get(j, "headers");
	assert_int_equal(g->m.nheaders, json_array_size(hs));
	json_array_foreach(hs, i, h)
	{
		const struct evstream_header *gh = &g->h[i];

		s = json_string_value(json_object_get(h, "name"));
		assert_string_equal(gh->name, s);
		assert_int_equal(gh->name_len, strlen(s));
		assert_int_equal(
		    gh->type, json_integer_value(json_object_get(h, "type")));
		json_t *v = json_object_get(h, "value");
		switch (gh->type) {
		case EVSTREAM_BOOL_TRUE:
		case EVSTREAM_BOOL_FALSE:
			assert_true(json_is_boolean(v));
			assert_int_equal(gh->num, json_is_true(v));
			assert_null(gh->data);
			break;
		case EVSTREAM_BYTES:
		case EVSTREAM_STRING:
		case EVSTREAM_UUID:
			want = unbase64(json_string_value(v), &wl);
			assert_int_equal(gh->len, wl);
			assert_memory_equal(gh->data, want, wl);
			if (gh->type == EVSTREAM_STRING)
				assert_int_equal(gh->data[wl], '\0');
			free(want);
			break;
		default:
			assert_int_equal(gh->num, json_integer_value(v));
			assert_null(gh->data);
			break;
		}
	}
	json_decref(j);
}

/* Every positive vector, in every split. */
static void
test_positive(void **state)
{
	size_t i, len;
	unsigned char *data;
	struct got g[2];
	char *cause;
	int n, pending;
	unsigned seed;
	enum split how;

	(void)state;
	for (i = 0; i < sizeof positive / sizeof positive[0]; i++) {
		data = slurp("encoded/positive", positive[i], &len);
		for (how = WHOLE; how <= RANDOM; how++) {
			for (seed = 1; seed <= (how == RANDOM ? 20u : 1u);
			     seed++) {
				memset(g, 0, sizeof g);
				n = run(data, len, how, seed, g, 2, &cause,
				    &pending);
				if (n != 1)
					fail_msg("%s split %d: %s", positive[i],
					    how, cause ? cause : "no message");
				assert_false(pending);
				check_positive(&g[0], positive[i]);
				got_free(&g[0]);
			}
		}
		free(data);
	}
}

/* Every negative vector is rejected with a cause, in every split. */
static void
test_negative(void **state)
{
	size_t i, len;
	unsigned char *data, *sdk;
	struct got g[2];
	char *cause;
	int n, pending;
	unsigned seed;
	enum split how;

	(void)state;
	for (i = 0; i < sizeof negative / sizeof negative[0]; i++) {
		sdk = slurp("decoded/negative", negative[i].name, &len);
		sdk[len] = '\0';
		assert_string_equal((char *)sdk, negative[i].sdk);
		free(sdk);
		data = slurp("encoded/negative", negative[i].name, &len);
		for (how = WHOLE; how <= RANDOM; how++) {
			for (seed = 1; seed <= (how == RANDOM ? 20u : 1u);
			     seed++) {
				n = run(data, len, how, seed, g, 2, &cause,
				    &pending);
				if (n != -1)
					fail_msg("%s split %d accepted",
					    negative[i].name, how);
				assert_non_null(
				    strstr(cause, negative[i].cause));
				free(cause);
			}
		}
		free(data);
	}
}

/* All positive vectors back to back: one stream, every split. */
static void
test_stream(void **state)
{
	struct buf all;
	unsigned char *data;
	size_t i, len, npos = sizeof positive / sizeof positive[0];
	struct got g[8];
	char *cause;
	int n, pending, k;
	unsigned seed;

	(void)state;
	buf_init(&all, BUF_NOCAP);
	for (i = 0; i < npos; i++) {
		data = slurp("encoded/positive", positive[i], &len);
		buf_put(&all, data, len);
		free(data);
	}
	for (seed = 0; seed < 30; seed++) {
		memset(g, 0, sizeof g);
		n = run((unsigned char *)all.data, all.len,
		    seed == 0 ? WHOLE : (seed == 1 ? BYTEWISE : RANDOM), seed,
		    g, 8, &cause, &pending);
		assert_int_equal(n, (int)npos);
		assert_false(pending);
		for (k = 0; k < n; k++) {
			check_positive(&g[k], positive[k]);
			got_free(&g[k]);
		}
	}
	/* Cut short: every message before the cut, and a partial one. */
	memset(g, 0, sizeof g);
	n = run((unsigned char *)all.data, all.len - 3, RANDOM, 7, g, 8, &cause,
	    &pending);
	assert_int_equal(n, (int)npos - 1);
	assert_true(pending);
	for (k = 0; k < n; k++)
		got_free(&g[k]);
	buf_free(&all);
}

static void
put32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {v >> 24, v >> 16, v >> 8, v};

	buf_put(b, p, 4);
}

/*
 * Frame headers and payload into b with correct CRCs; total_len and
 * headers_len override the true lengths when non-zero.
 */
static void
frame(struct buf *b, const void *h, size_t hl, const void *pl, size_t pll,
    uint32_t total_len, uint32_t headers_len)
{
	size_t start = b->len;
	uint32_t c;

	put32(b, total_len ? total_len : (uint32_t)(16 + hl + pll));
	put32(b, headers_len ? headers_len : (uint32_t)hl);
	c = (uint32_t)crc32(0, (const unsigned char *)b->data + start, 8);
	put32(b, c);
	buf_put(b, h, hl);
	buf_put(b, pl, pll);
	c = (uint32_t)crc32(
	    0, (const unsigned char *)b->data + start, (uInt)(b->len - start));
	put32(b, c);
}

/* Expect data to be rejected with a cause containing want. */
static void
expect_reject(const struct buf *b, const char *want)
{
	struct got g[2];
	char *cause;
	int pending;
	enum split how;

	for (how = WHOLE; how <= RANDOM; how++) {
		if (run((unsigned char *)b->data, b->len, how, 3, g, 2, &cause,
			&pending) != -1)
			fail_msg("accepted; wanted \"%s\"", want);
		if (strstr(cause, want) == NULL)
			fail_msg("cause \"%s\"; wanted \"%s\"", cause, want);
		free(cause);
	}
}

/* Lengths that do not fit, checked from the prelude alone. */
static void
test_lengths(void **state)
{
	struct buf b;
	struct evstream es;
	const struct evstream_message *m;
	size_t used;
	char *cause = NULL;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	frame(&b, NULL, 0, NULL, 0, 15, 0);
	expect_reject(&b, "message length 15 shorter than 16");
	buf_reset(&b);
	frame(&b, "ab", 2, NULL, 0, 0, 3);
	expect_reject(&b, "headers length 3 does not fit a 18-byte message");
	buf_reset(&b);
	frame(&b, NULL, 0, NULL, 0, EVSTREAM_MAX_MESSAGE + 1, 0);
	expect_reject(&b, "over the 16777216-byte limit");

	/* A smaller limit; the prelude alone is taken before refusing. */
	evstream_init(&es, 100);
	buf_reset(&b);
	frame(&b, NULL, 0, "x", 1, 101, 0);
	assert_int_equal(
	    evstream_feed(&es, b.data, b.len, &used, &m, &cause), -1);
	assert_int_equal(used, EVSTREAM_PRELUDE_LEN);
	assert_string_equal(
	    cause, "event stream: message length 101 over the 100-byte limit");
	free(cause);
	/* The error sticks until a reset. */
	assert_int_equal(
	    evstream_feed(&es, b.data + 12, 1, &used, &m, &cause), -1);
	assert_int_equal(used, 0);
	free(cause);
	evstream_reset(&es);
	buf_reset(&b);
	frame(&b, NULL, 0, "x", 1, 0, 0);
	assert_int_equal(
	    evstream_feed(&es, b.data, b.len, &used, &m, &cause), 1);
	assert_int_equal(m->payload_len, 1);
	evstream_free(&es);
	buf_free(&b);
}

/* Malformed headers inside a message whose CRCs are right. */
static void
test_headers(void **state)
{
	struct buf b;
	static const unsigned char trunc_name[] = {5, 'a', 'b'};
	static const unsigned char no_type[] = {2, 'a', 'b'};
	static const unsigned char unknown[] = {1, 'a', 10, 0};
	static const unsigned char short_int[] = {1, 'a', 4, 0, 0, 1};
	static const unsigned char str_len[] = {1, 'a', 7, 0};
	static const unsigned char str_val[] = {1, 'a', 7, 0, 5, 'x', 'y'};
	static const unsigned char uuid[] = {1, 'u', 9, 1, 2, 3};

	(void)state;
	buf_init(&b, BUF_NOCAP);
	frame(&b, trunc_name, sizeof trunc_name, "{}", 2, 0, 0);
	expect_reject(&b, "header 1 truncated in its name");
	buf_reset(&b);
	frame(&b, no_type, sizeof no_type, NULL, 0, 0, 0);
	expect_reject(&b, "header 1 truncated in its name");
	buf_reset(&b);
	frame(&b, unknown, sizeof unknown, NULL, 0, 0, 0);
	expect_reject(&b, "header \"a\" has unknown type 10");
	buf_reset(&b);
	frame(&b, short_int, sizeof short_int, NULL, 0, 0, 0);
	expect_reject(&b, "header \"a\" (int) truncated in its value");
	buf_reset(&b);
	frame(&b, str_len, sizeof str_len, NULL, 0, 0, 0);
	expect_reject(&b, "header \"a\" truncated in its length");
	buf_reset(&b);
	frame(&b, str_val, sizeof str_val, NULL, 0, 0, 0);
	expect_reject(&b, "header \"a\" (string) truncated in its value");
	buf_reset(&b);
	frame(&b, uuid, sizeof uuid, NULL, 0, 0, 0);
	expect_reject(&b, "header \"u\" (uuid) truncated in its value");
	buf_free(&b);
}

/* Signed values, empty names and values, and the byte after a message. */
static void
test_values(void **state)
{
	struct buf b;
	struct evstream es;
	const struct evstream_message *m;
	size_t used;
	char *cause = NULL;
	static const unsigned char h[] = {
	    1, 'b', 2, 0x80,          /* byte -128 */
	    1, 's', 3, 0xff, 0xfe,    /* short -2 */
	    1, 'i', 4, 0x80, 0, 0, 0, /* int INT32_MIN */
	    1, 'l', 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 't',
	    8, 0, 0, 0x01, 0x8c, 0, 0, 0, 0, /* timestamp */
	    0, 7, 0, 0,                      /* "" = "" */
	    1, 'n', 6, 0, 0,                 /* empty bytes */
	};

	(void)state;
	buf_init(&b, BUF_NOCAP);
	frame(&b, h, sizeof h, "p", 1, 0, 0);
	buf_put(&b, "TRAILING", 8);
	evstream_init(&es, 0);
	assert_int_equal(
	    evstream_feed(&es, b.data, b.len, &used, &m, &cause), 1);
	assert_int_equal(used, b.len - 8);
	assert_int_equal(m->nheaders, 7);
	assert_int_equal(evstream_header(m, "b")->num, -128);
	assert_int_equal(evstream_header(m, "s")->num, -2);
	assert_int_equal(evstream_header(m, "i")->num, INT32_MIN);
	assert_int_equal(evstream_header(m, "l")->num, -1);
	assert_int_equal(evstream_header(m, "t")->num, 0x18c00000000LL);
	assert_string_equal((const char *)evstream_header(m, "")->data, "");
	assert_int_equal(evstream_header(m, "n")->len, 0);
	assert_null(evstream_header(m, "missing"));
	assert_memory_equal(m->payload, "p", 1);
	/* The next feed drops the message; the trailing bytes are a new,
	 * partial prelude. */
	assert_int_equal(
	    evstream_feed(&es, b.data + used, 8, &used, &m, &cause), 0);
	assert_int_equal(used, 8);
	assert_null(m);
	assert_true(evstream_pending(&es));
	evstream_free(&es);
	buf_free(&b);
}

/* A large message is accepted, and its memory given back after it. */
static void
test_large(void **state)
{
	struct buf b;
	struct evstream es;
	const struct evstream_message *m;
	size_t used, off = 0, big = 3 * 1024 * 1024;
	char *cause = NULL, *payload;
	int rc = 0;

	(void)state;
	payload = xmalloc(big);
	memset(payload, 'z', big);
	buf_init(&b, BUF_NOCAP);
	frame(&b, NULL, 0, payload, big, 0, 0);
	frame(&b, NULL, 0, "q", 1, 0, 0);
	evstream_init(&es, 0);
	while (rc == 0) {
		size_t n = b.len - off < 16384 ? b.len - off : 16384;
		rc = evstream_feed(&es, b.data + off, n, &used, &m, &cause);
		off += used;
	}
	assert_int_equal(rc, 1);
	assert_int_equal(m->payload_len, big);
	assert_memory_equal(m->payload, payload, big);
	rc = evstream_feed(&es, b.data + off, b.len - off, &used, &m, &cause);
	assert_int_equal(rc, 1);
	assert_int_equal(m->payload_len, 1);
	assert_true(es.frame.size < 1024 * 1024);
	evstream_free(&es);
	buf_free(&b);
	free(payload);
}

/* Add a string header to b. */
static void
add_str(struct buf *b, const char *name, const char *value)
{
	size_t vl = strlen(value);

	buf_putc(b, (char)strlen(name));
	buf_puts(b, name);
	buf_putc(b, EVSTREAM_STRING);
	buf_putc(b, (char)(vl >> 8));
	buf_putc(b, (char)vl);
	buf_put(b, value, vl);
}

/*
 * Frame the headers h, decode the message and read its common headers;
 * on success, check its :exception-type against exc (NULL: absent).
 */
static int
meta_of(const struct buf *h, struct evstream_meta *meta, const char *exc,
    char **cause)
{
	struct buf b;
	struct evstream es;
	const struct evstream_message *m;
	size_t used;
	int rc;

	buf_init(&b, BUF_NOCAP);
	frame(&b, h->data, h->len, "{}", 2, 0, 0);
	evstream_init(&es, 0);
	assert_int_equal(
	    evstream_feed(&es, b.data, b.len, &used, &m, cause), 1);
	rc = evstream_meta(m, meta, cause);
	if (rc == 0 && exc != NULL)
		assert_string_equal(meta->exception_type, exc);
	else if (rc == 0)
		assert_null(meta->exception_type);
	evstream_free(&es);
	buf_free(&b);
	return (rc);
}

/* The common headers: present, absent, of the wrong type. */
static void
test_meta(void **state)
{
	struct buf h, b;
	struct evstream es;
	struct evstream_meta meta;
	const struct evstream_message *m;
	size_t used;
	char *cause = NULL;

	(void)state;
	buf_init(&h, BUF_NOCAP);
	add_str(&h, ":message-type", "event");
	add_str(&h, ":event-type", "sessionUpdate");
	add_str(&h, ":content-type", "application/json");
	buf_init(&b, BUF_NOCAP);
	frame(&b, h.data, h.len, "{}", 2, 0, 0);
	evstream_init(&es, 0);
	assert_int_equal(
	    evstream_feed(&es, b.data, b.len, &used, &m, &cause), 1);
	assert_int_equal(evstream_meta(m, &meta, &cause), 0);
	assert_string_equal(meta.message_type, "event");
	assert_string_equal(meta.event_type, "sessionUpdate");
	assert_string_equal(meta.content_type, "application/json");
	assert_null(meta.exception_type);
	assert_null(meta.error_code);
	evstream_free(&es);
	buf_free(&b);

	buf_reset(&h);
	add_str(&h, ":message-type", "exception");
	add_str(&h, ":exception-type", "SessionTimeoutException");
	assert_int_equal(
	    meta_of(&h, &meta, "SessionTimeoutException", &cause), 0);

	buf_reset(&h);
	add_str(&h, ":message-type", "exception");
	assert_int_equal(meta_of(&h, &meta, NULL, &cause), -1);
	assert_string_equal(
	    cause, "event stream: exception without :exception-type");
	free(cause);

	buf_reset(&h);
	add_str(&h, ":message-type", "event");
	assert_int_equal(meta_of(&h, &meta, NULL, &cause), -1);
	assert_string_equal(cause, "event stream: event without :event-type");
	free(cause);

	buf_reset(&h);
	add_str(&h, ":message-type", "error");
	assert_int_equal(meta_of(&h, &meta, NULL, &cause), -1);
	assert_string_equal(cause, "event stream: error without :error-code");
	free(cause);

	buf_reset(&h);
	add_str(&h, ":event-type", "sessionStart");
	assert_int_equal(meta_of(&h, &meta, NULL, &cause), -1);
	assert_string_equal(
	    cause, "event stream: message without :message-type");
	free(cause);

	buf_reset(&h);
	add_str(&h, ":message-type", "event");
	buf_putc(&h, 11);
	buf_puts(&h, ":event-type");
	buf_putc(&h, EVSTREAM_INT);
	buf_put(&h, "\0\0\0\1", 4);
	assert_int_equal(meta_of(&h, &meta, NULL, &cause), -1);
	assert_string_equal(
	    cause, "event stream: header :event-type is a int, not a string");
	assert_null(meta.message_type);
	free(cause);
	buf_free(&h);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_positive),
    cmocka_unit_test(test_negative),
    cmocka_unit_test(test_stream),
    cmocka_unit_test(test_lengths),
    cmocka_unit_test(test_headers),
    cmocka_unit_test(test_values),
    cmocka_unit_test(test_large),
    cmocka_unit_test(test_meta),
};

TEST_MAIN(tests)
