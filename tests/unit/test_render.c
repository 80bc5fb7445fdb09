/* SPDX-License-Identifier: Apache-2.0 */
/* Text and JSON rendering of events. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "cli/render.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "logs/event.h"
#include "trace/logline.h"

static struct event
mkev(const char *stream, const char *msg, int64_t ts)
{
	struct event ev;

	memset(&ev, 0, sizeof ev);
	ev.stream = stream;
	ev.stream_len = strlen(stream);
	ev.msg = msg;
	ev.msg_len = strlen(msg);
	ev.id = "42";
	ev.id_len = 2;
	ev.ts = ts;
	ev.ingest = ts + 5;
	return (ev);
}

static char *
render(
    struct render *r, struct render_src *s, const char *stream, const char *msg)
{
	struct buf b;
	struct event ev = mkev(stream, msg, 5006);

	buf_init(&b, 0);
	render_event(r, &ev, s, NULL, &b);
	render_free(r); /* the tests change settings between events */
	return (buf_take(&b, NULL));
}

static void
test_text_awslogs(void **state)
{
	struct render r;
	struct render_src s;
	char *out;

	(void)state;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	s.group = "AAA";
	s.stream_width = 10;
	r.show_group = r.show_stream = 1;
	out = render(&r, &s, "DDD", "Hello 1 \t\r\n");
	assert_string_equal(out, "AAA DDD        Hello 1\n");
	free(out);
	r.show_ts = r.show_ingest = 1;
	out = render(&r, &s, "DDD", "x");
	assert_string_equal(out, "AAA DDD        1970-01-01T00:00:05.006Z "
				 "1970-01-01T00:00:05.011Z x\n");
	free(out);
	r.show_ts = r.show_ingest = 0;
	r.color = 1;
	s.color = 32;
	s.stream_width = 3;
	out = render(&r, &s, "DDD", "Hello 1");
	assert_string_equal(
	    out, "\033[32mAAA\033[0m \033[36mDDD\033[0m Hello 1\n");
	free(out);
	/* Padding counts characters, not bytes. */
	r.color = 0;
	s.stream_width = 6;
	out = render(&r, &s, "é👎", "m");
	assert_string_equal(out, "AAA é👎     m\n");
	free(out);
}

static void
test_rstrip_and_escape(void **state)
{
	struct render r;
	struct render_src s;
	char *out;

	(void)state;
	assert_int_equal(render_rstrip("ab \t\n\r\x0b\x0c\x1c", 9), 2);
	assert_int_equal(render_rstrip("ab\xc2\xa0", 4), 2); /* NBSP */
	assert_int_equal(render_rstrip("ab\xe3\x80\x80", 5), 2);
	assert_int_equal(render_rstrip("ab\xc3\xa9", 4), 4); /* é */
	assert_int_equal(render_rstrip("   ", 3), 0);
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	s.group = "g";
	out = render(&r, &s, "s", "a\x1b[31mb\x07\rc\td\ne\x7f\xc2\x9b\xff");
	assert_string_equal(out, "a\\x1b[31mb\\x07\\x0dc\td\ne\\x7f\\u009b"
				 "\\xff\n");
	free(out);
	r.raw = 1;
	out = render(&r, &s, "s", "a\x1b[31mb");
	assert_string_equal(out, "a\x1b[31mb\n");
	free(out);
}

static void
test_highlight_and_errors(void **state)
{
	struct render r;
	struct render_src s;
	char *out, *hl[] = {"ab", "b"};

	(void)state;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	s.group = "g";
	r.color = 1;
	r.hl = hl;
	r.nhl = 2;
	/* All occurrences, leftmost first, never inside escape codes. */
	out = render(&r, &s, "s", "xabxbx");
	assert_string_equal(out, "x\033[43m\033[34mab\033[0mx\033[43m\033[34m"
				 "b\033[0mx\n");
	free(out);
	r.nhl = 0;
	out = render(&r, &s, "s", "Task timed out after 3.00 seconds");
	assert_string_equal(out, "\033[31mTask timed out after 3.00 seconds"
				 "\033[0m\n");
	free(out);
	assert_true(logline_is_error("x ERROR y", 9));
	assert_true(logline_is_error("{\"level\": \"Error\"}", 18));
	assert_true(logline_is_error("Process exited before completing "
				     "request",
	    41));
	assert_false(
	    logline_is_error("{\"level\":\"info\",\"e\":\"error\"}", 28));
	assert_false(logline_is_error("all good", 8));
	/* Highlights are off without colour. */
	r.color = 0;
	r.nhl = 2;
	out = render(&r, &s, "s", "xab");
	assert_string_equal(out, "xab\n");
	free(out);
}

static void
test_json(void **state)
{
	struct render r;
	struct render_src s;
	struct buf b;
	struct event ev = mkev("st\"r", "m\x01\xff\n\xe2\x82\xac", 7);
	char *out;

	(void)state;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	r.fmt = RENDER_JSON;
	s.group = "/g";
	s.role = "lambda:orders";
	ev.flags = EVENT_LATE;
	buf_init(&b, 0);
	render_event(&r, &ev, &s, NULL, &b);
	render_free(&r);
	out = buf_take(&b, NULL);
	assert_string_equal(out,
	    "{\"logGroupName\":\"/g\",\"logStreamName\":"
	    "\"st\\\"r\",\"timestamp\":7,\"ingestionTime\":12,\"eventId\":"
	    "\"42\",\"message\":\"m\\u0001\xef\xbf\xbd\\n\xe2\x82\xac\","
	    "\"source\":\"lambda:orders\",\"late\":true}\n");
	free(out);
	/* No eventId (Live Tail gives none): no key, not "". */
	ev.id = NULL;
	ev.id_len = 0;
	ev.flags = 0;
	s.role = NULL;
	buf_init(&b, 0);
	render_event(&r, &ev, &s, NULL, &b);
	render_free(&r);
	out = buf_take(&b, NULL);
	assert_string_equal(out,
	    "{\"logGroupName\":\"/g\",\"logStreamName\":"
	    "\"st\\\"r\",\"timestamp\":7,\"ingestionTime\":12,"
	    "\"message\":\"m\\u0001\xef\xbf\xbd\\n\xe2\x82\xac\"}\n");
	free(out);
}

/* A late line: its message dimmed in colour (highlights and error colour
 * kept), the plain text unchanged (byte-identical to awslogs). */
static void
test_late_dim(void **state)
{
	struct render r;
	struct render_src s;
	struct buf b;
	struct event ev = mkev("s", "xabx ERROR", 7);
	char *out, *hl[] = {"ab"};

	(void)state;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	s.group = "g";
	r.color = 1;
	r.hl = hl;
	r.nhl = 1;
	ev.flags = EVENT_LATE;
	buf_init(&b, 0);
	render_event(&r, &ev, &s, NULL, &b);
	/* On time: no dim. */
	ev.flags = 0;
	render_event(&r, &ev, &s, NULL, &b);
	render_free(&r);
	r.color = 0;
	ev.flags = EVENT_LATE;
	render_event(&r, &ev, &s, NULL, &b);
	render_free(&r);
	out = buf_take(&b, NULL);
	assert_string_equal(out,
	    "\033[2m\033[31mx\033[43m\033[34mab\033[0m\033[2m\033[31mx ERROR"
	    "\033[0m\n"
	    "\033[31mx\033[43m\033[34mab\033[0m\033[31mx ERROR\033[0m\n"
	    "xabx ERROR\n");
	free(out);
}

static void
test_group_colors(void **state)
{
	int c;

	(void)state;
	c = render_group_color("/aws/lambda/orders");
	assert_int_equal(c, render_group_color("/aws/lambda/orders"));
	assert_int_not_equal(c, 31);
	assert_int_not_equal(c, 91);
	assert_int_equal(utf8_width("a\xc3\xa9\xf0\x9f\x91\x8e", 7), 3);
}

#define LAMBDA_ID "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01"

/* --event-id, --max-length and --expand in text output. */
static void
test_event_id_max_length_expand(void **state)
{
	struct render r;
	struct render_src s;
	char *out;

	(void)state;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	s.group = "G";
	r.show_event_id = 1;
	out = render(&r, &s, "S", "hello");
	assert_string_equal(out, "42 hello\n");
	free(out);
	r.show_event_id = 0;
	/* Characters, not bytes; never inside a sequence; JSON unaffected. */
	r.max_length = 3;
	out = render(&r, &s, "S", "h\xc3\xa9\xf0\x9f\x91\x8e\xc3\xa9llo  ");
	assert_string_equal(
	    out, "h\xc3\xa9\xf0\x9f\x91\x8e\xe2\x80\xa6 [+4 chars]\n");
	free(out);
	out = render(&r, &s, "S", "abc");
	assert_string_equal(out, "abc\n");
	free(out);
	r.fmt = RENDER_JSON;
	out = render(&r, &s, "S", "abcdef");
	assert_non_null(strstr(out, "\"message\":\"abcdef\""));
	free(out);
	r.fmt = RENDER_TEXT;
	r.max_length = 0;
	/* --expand: the whole message, or the JSON field of a Node line;
	 * anything else unchanged. */
	r.expand = 1;
	out = render(&r, &s, "S", "{\"a\":1,\"b\":[2]}\n");
	assert_string_equal(out, "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}\n");
	free(out);
	out = render(&r, &s, "S",
	    "2026-11-25T10:00:00.000Z\t" LAMBDA_ID "\tINFO\t{\"k\":\"v\"}");
	assert_string_equal(out, "2026-11-25T10:00:00.000Z\t" LAMBDA_ID
				 "\tINFO\t{\n  \"k\": \"v\"\n}\n");
	free(out);
	out = render(&r, &s, "S", "{not json");
	assert_string_equal(out, "{not json\n");
	free(out);
	/* Keys coloured on a terminal, with highlights and errors. */
	r.color = 1;
	out = render(&r, &s, "S", "{\"level\":\"ERROR\"}");
	assert_string_equal(out, "\033[31m{\n  \033[1;34m\"level\"\033[0m"
				 "\033[31m: \"ERROR\"\n}\033[0m\n");
	free(out);
	/* Cut after expanding, the marker dimmed. */
	r.max_length = 5; /* the cut falls inside the key */
	r.nhl = 0;
	out = render(&r, &s, "S", "{\"k\":1}");
	assert_string_equal(out,
	    "{\n  \033[1;34m\"\033[0m\033[90m\xe2\x80\xa6 [+7 "
	    "chars]\033[0m\n");
	free(out);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_text_awslogs),
    cmocka_unit_test(test_rstrip_and_escape),
    cmocka_unit_test(test_highlight_and_errors),
    cmocka_unit_test(test_json),
    cmocka_unit_test(test_late_dim),
    cmocka_unit_test(test_group_colors),
    cmocka_unit_test(test_event_id_max_length_expand),
};

TEST_MAIN(tests)
