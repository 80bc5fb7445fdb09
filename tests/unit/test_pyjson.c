/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pyjson: JSON exactly as Python's json.dumps() writes it. Every expected
 * string below was printed by Python 3 (json.dumps(json.loads(IN)) and
 * json.dumps(json.loads(IN), indent=4)).
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/buf.h"
#include "query/pyjson.h"

struct pycase {
	const char *in;
	const char *compact;
	const char *indent4;
};

static const struct pycase cases[] = {
    {"{\"a\": \"error\", \"b\": [\"boom\", 1]}",
	"{\"a\": \"error\", \"b\": [\"boom\", 1]}",
	"{\n    \"a\": \"error\",\n    \"b\": [\n        \"boom\",\n        "
	"1\n    ]\n}"},
    {"0.1", "0.1", "0.1"},
    {"1.0", "1.0", "1.0"},
    {"1e16", "1e+16", "1e+16"},
    {"1e15", "1000000000000000.0", "1000000000000000.0"},
    {"123456789012345678.0", "1.2345678901234568e+17",
	"1.2345678901234568e+17"},
    {"0.0001", "0.0001", "0.0001"},
    {"0.00001", "1e-05", "1e-05"},
    {"-0.0", "-0.0", "-0.0"},
    {"1.5e-7", "1.5e-07", "1.5e-07"},
    {"2.5e+300", "2.5e+300", "2.5e+300"},
    {"3.14159", "3.14159", "3.14159"},
    {"100", "100", "100"},
    {"-7", "-7", "-7"},
    {"12345.678", "12345.678", "12345.678"},
    {"9007199254740993.0", "9007199254740992.0", "9007199254740992.0"},
    {"0.30000000000000004", "0.30000000000000004", "0.30000000000000004"},
    {"5e-324", "5e-324", "5e-324"},
    {"1.7976931348623157e308", "1.7976931348623157e+308",
	"1.7976931348623157e+308"},
    {"\"caf\xc3\xa9 \xf0\x9f\x91\x8e\"", "\"caf\\u00e9 \\ud83d\\udc4e\"",
	"\"caf\\u00e9 \\ud83d\\udc4e\""},
    {"\"a\\u0000b\\u001f\\u007f\\\"\\\\\\n\\t\\r\\b\\f/\"",
	"\"a\\u0000b\\u001f\\u007f\\\"\\\\\\n\\t\\r\\b\\f/\"",
	"\"a\\u0000b\\u001f\\u007f\\\"\\\\\\n\\t\\r\\b\\f/\""},
    {"[]", "[]", "[]"},
    {"{}", "{}", "{}"},
    {"[[], {}, [1, [2]]]", "[[], {}, [1, [2]]]",
	"[\n    [],\n    {},\n    [\n        1,\n        [\n            2\n"
	"        ]\n    ]\n]"},
    {"{\"z\": 1, \"a\": {\"y\": null, \"b\": true, \"c\": false}}",
	"{\"z\": 1, \"a\": {\"y\": null, \"b\": true, \"c\": false}}",
	"{\n    \"z\": 1,\n    \"a\": {\n        \"y\": null,\n        \"b\": "
	"true,\n        \"c\": false\n    }\n}"},
    {"{\"k\\u00e9\\\"\": 1}", "{\"k\\u00e9\\\"\": 1}",
	"{\n    \"k\\u00e9\\\"\": 1\n}"},
};

/* Dump v and compare with want. */
static void
check_dump(const char *in, const json_t *v, int indent, const char *want)
{
	struct buf b;

	buf_init(&b, BUF_NOCAP);
	pyjson_dump(v, indent, &b);
	if (strcmp(buf_str(&b), want) != 0) {
		print_error("%s (indent %d): got '%s', want '%s'\n", in, indent,
		    buf_str(&b), want);
		fail();
	}
	buf_free(&b);
}

static void
test_like_python(void **state)
{
	json_error_t err;
	json_t *v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = json_loads(
		    cases[i].in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		if (v == NULL) {
			print_error("%s: %s\n", cases[i].in, err.text);
			fail();
		}
		check_dump(cases[i].in, v, -1, cases[i].compact);
		check_dump(cases[i].in, v, 4, cases[i].indent4);
		json_decref(v);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_like_python),
};

TEST_MAIN(tests)
