/* SPDX-License-Identifier: Apache-2.0 */
/* The --expand pretty-printer, and utf8_prefix() used by --max-length. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/buf.h"
#include "core/jsonfmt.h"
#include "core/utf8.h"

/* Pretty-print s; NULL when it is refused. Caller frees. */
static char *
pretty(const char *s, size_t *nkeys)
{
	struct jsonfmt_span *keys = NULL;
	struct buf b;
	size_t n = 0;

	buf_init(&b, 0);
	if (jsonfmt_pretty(s, strlen(s), 2, &b, &keys, &n) != 0) {
		assert_null(keys);
		assert_int_equal(b.len, 0);
		buf_free(&b);
		return (NULL);
	}
	free(keys);
	if (nkeys != NULL)
		*nkeys = n;
	return (buf_take(&b, NULL));
}

static void
test_layout(void **state)
{
	char *o;
	size_t n;

	(void)state;
	/* Python's json.dumps(indent=2) layout; tokens as written. */
	o = pretty(
	    " {\"a\":1.50,\"b\":[true,null,{}],\"c\":{\"d\":\"x\\u00e9\\n\"},"
	    "\"e\":[],\"f\":-0.0e+10} ",
	    &n);
	assert_string_equal(o, "{\n"
			       "  \"a\": 1.50,\n"
			       "  \"b\": [\n"
			       "    true,\n"
			       "    null,\n"
			       "    {}\n"
			       "  ],\n"
			       "  \"c\": {\n"
			       "    \"d\": \"x\\u00e9\\n\"\n"
			       "  },\n"
			       "  \"e\": [],\n"
			       "  \"f\": -0.0e+10\n"
			       "}");
	assert_int_equal(n, 6);
	free(o);
	/* Numbers past 64 bits stay as written. */
	o = pretty("[123456789012345678901234567890]", NULL);
	assert_string_equal(o, "[\n  123456789012345678901234567890\n]");
	free(o);
	o = pretty("\"just a string\"", NULL);
	assert_string_equal(o, "\"just a string\"");
	free(o);
}

static void
test_key_spans(void **state)
{
	struct jsonfmt_span *keys = NULL;
	struct buf b;
	size_t n = 0;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "pre ");
	assert_int_equal(
	    jsonfmt_pretty("{\"ab\":{\"c\":1}}", 14, 2, &b, &keys, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(keys[0].off, 4 + 4);
	assert_int_equal(keys[0].len, 4);
	assert_memory_equal(b.data + keys[1].off, "\"c\"", 3);
	free(keys);
	buf_free(&b);
}

static void
test_refused(void **state)
{
	static const char *bad[] = {"", "{", "{\"a\"}", "{\"a\":}", "[1,]",
	    "[1 2]", "{a:1}", "01", "1.", "-", "1e", "tru", "nul", "\"a",
	    "\"\\x\"", "\"\\u12g4\"", "\"tab\there\"", "{} {}", "[1]x",
	    "{\"a\":1,}"};
	char deep[JSONFMT_MAXDEPTH * 2 + 3];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(pretty(bad[i], NULL));
	/* Too deep: left as it is, never a crash. */
	memset(deep, '[', JSONFMT_MAXDEPTH + 1);
	memset(deep + JSONFMT_MAXDEPTH + 1, ']', JSONFMT_MAXDEPTH + 1);
	deep[2 * JSONFMT_MAXDEPTH + 2] = '\0';
	assert_null(pretty(deep, NULL));
}

static void
test_utf8_prefix(void **state)
{
	(void)state;
	assert_int_equal(utf8_prefix("abcdef", 6, 3), 3);
	assert_int_equal(utf8_prefix("ab", 2, 3), 2);
	/* é is 2 bytes, 👎 4: never cut inside. */
	assert_int_equal(utf8_prefix("\xc3\xa9\xf0\x9f\x91\x8ex", 7, 1), 2);
	assert_int_equal(utf8_prefix("\xc3\xa9\xf0\x9f\x91\x8ex", 7, 2), 6);
	/* An invalid byte counts as one character. */
	assert_int_equal(utf8_prefix("\xff\xc3x", 3, 2), 2);
	assert_int_equal(utf8_prefix("abc", 3, 0), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_layout),
    cmocka_unit_test(test_key_spans),
    cmocka_unit_test(test_refused),
    cmocka_unit_test(test_utf8_prefix),
};

TEST_MAIN(tests)
