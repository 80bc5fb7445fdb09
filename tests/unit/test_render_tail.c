/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --format detailed|short|json: the layouts of `aws logs tail`. The
 * expected lines were printed by Python with tail.py's formatters:
 * datetime.fromtimestamp(ms / 1000.0, tzutc()) with isoformat(timespec=
 * 'microseconds'), strftime('%Y-%m-%dT%H:%M:%S') and isoformat(), and
 * json.dumps(json.loads(msg), indent=4), each line rstrip() + '\n'.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "cli/render.h"
#include "core/buf.h"
#include "core/timeexpr.h"
#include "logs/event.h"

static char *
tail(struct render *r, struct render_src *s, int64_t ts, const char *msg)
{
	struct buf b;
	struct event ev;

	memset(&ev, 0, sizeof ev);
	ev.stream = "s1";
	ev.stream_len = 2;
	ev.msg = msg;
	ev.msg_len = strlen(msg);
	ev.id = "1";
	ev.id_len = 1;
	ev.ts = ts;
	ev.ingest = ts;
	buf_init(&b, 0);
	render_event(r, &ev, s, NULL, &b);
	render_free(r);
	return (buf_take(&b, NULL));
}

static void
check(struct render *r, struct render_src *s, int64_t ts, const char *msg,
    const char *want)
{
	char *out = tail(r, s, ts, msg);

	if (strcmp(out, want) != 0) {
		print_error("'%s': got '%s', want '%s'\n", msg, out, want);
		fail();
	}
	free(out);
}

static void
setup(struct render *r, struct render_src *s, enum render_fmt fmt)
{
	memset(r, 0, sizeof *r);
	memset(s, 0, sizeof *s);
	r->fmt = fmt;
	r->show_group = r->show_stream = 1;
	s->group = "/g";
	s->color = 92;
	s->stream_width = 10;
}

static void
test_detailed(void **state)
{
	struct render r;
	struct render_src s;

	(void)state;
	setup(&r, &s, RENDER_TAIL_DETAILED);
	check(&r, &s, 5006, "hello  \n",
	    "1970-01-01T00:00:05.006000+00:00 s1 hello\n");
	check(&r, &s, INT64_C(1714557600000), "x",
	    "2024-05-01T10:00:00.000000+00:00 s1 x\n");
	/* An empty message: Python strips the space before it too. */
	check(&r, &s, 5006, "  ", "1970-01-01T00:00:05.006000+00:00 s1\n");
	/* JSON is not expanded in this layout. */
	check(&r, &s, 5006, "{\"a\": 1}",
	    "1970-01-01T00:00:05.006000+00:00 s1 {\"a\": 1}\n");
	r.color = 1;
	check(&r, &s, 5006, "hi",
	    "\033[32m1970-01-01T00:00:05.006000+00:00\033[0m "
	    "\033[36ms1\033[0m hi\n");
	/* Several groups: the group column first, padded; -G hides it. */
	r.color = 0;
	r.group_width = 4;
	check(&r, &s, 5006, "hi",
	    "/g   1970-01-01T00:00:05.006000+00:00 s1 hi\n");
	r.show_group = 0;
	check(&r, &s, 5006, "hi", "1970-01-01T00:00:05.006000+00:00 s1 hi\n");
}

static void
test_short(void **state)
{
	struct render r;
	struct render_src s;

	(void)state;
	setup(&r, &s, RENDER_TAIL_SHORT);
	check(&r, &s, INT64_C(1714557600123), "hello",
	    "2024-05-01T10:00:00 hello\n");
	check(&r, &s, INT64_C(1714557600123), "", "2024-05-01T10:00:00\n");
	r.color = 1;
	check(&r, &s, INT64_C(1714557600123), "hello",
	    "\033[32m2024-05-01T10:00:00\033[0m hello\n");
}

static void
test_json(void **state)
{
	struct render r;
	struct render_src s;

	(void)state;
	setup(&r, &s, RENDER_TAIL_JSON);
	check(&r, &s, INT64_C(1714557600000),
	    "{\"a\": [1, {\"b\": null}], \"c\": \"\xc3\xa9\"}",
	    "2024-05-01T10:00:00+00:00 s1 \n{\n    \"a\": [\n        1,\n"
	    "        {\n            \"b\": null\n        }\n    ],\n"
	    "    \"c\": \"\\u00e9\"\n}\n");
	/* isoformat() shows the fraction only when there is one. */
	check(&r, &s, INT64_C(1714557600123), "not json",
	    "2024-05-01T10:00:00.123000+00:00 s1 not json\n");
	/* Any JSON value, surrounding white space allowed (json.loads). */
	check(&r, &s, INT64_C(1714557600000), " 42 ",
	    "2024-05-01T10:00:00+00:00 s1 \n42\n");
	check(&r, &s, INT64_C(1714557600000), "{\"a\": 1} x",
	    "2024-05-01T10:00:00+00:00 s1 {\"a\": 1} x\n");
}

/* --local: local time with its offset, as an aware datetime prints. */
static void
test_local(void **state)
{
	struct render r;
	struct render_src s;

	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	setup(&r, &s, RENDER_TAIL_DETAILED);
	r.time_flags = TIMEEXPR_LOCAL;
	check(&r, &s, INT64_C(1714557600123), "x",
	    "2024-05-01T12:00:00.123000+02:00 s1 x\n");
	r.fmt = RENDER_TAIL_SHORT;
	check(&r, &s, INT64_C(1714557600123), "x", "2024-05-01T12:00:00 x\n");
	setenv("TZ", "UTC", 1);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_detailed),
    cmocka_unit_test(test_short),
    cmocka_unit_test(test_json),
    cmocka_unit_test(test_local),
};

TEST_MAIN(tests)
