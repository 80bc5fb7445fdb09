/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON writer: separators, nesting, numbers and string escapes. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testmain.h"

#include "core/buf.h"
#include "core/jsonw.h"

static char *
str(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b, 0);
	jsonw_put_string(&b, s, len);
	return (buf_take(&b, NULL));
}

static void
test_escapes(void **state)
{
	char *s;

	(void)state;
	s = str("a\"b\\c\n\r\t\b\f\x01\x1f\x7f", 13);
	assert_string_equal(
	    s, "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"");
	free(s);
	/* UTF-8 is kept; each invalid byte becomes U+FFFD. */
	s = str("\xc3\xa9\xff\xe2\x82\xac\xed\xa0\x80", 9);
	assert_string_equal(s, "\"\xc3\xa9\xef\xbf\xbd\xe2\x82\xac"
			       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	free(s);
	/* A NUL inside the bytes is escaped, not an end. */
	s = str("a\0b", 3);
	assert_string_equal(s, "\"a\\u0000b\"");
	free(s);
	/* Long plain runs go through the fast scanner intact. */
	s = str("0123456789abcdef0123456789abcdef\"x", 34);
	assert_string_equal(s, "\"0123456789abcdef0123456789abcdef\\\"x\"");
	free(s);
}

static void
test_document(void **state)
{
	struct buf b;
	struct jsonw w;
	json_t *v;

	(void)state;
	buf_init(&b, 0);
	buf_puts(&b, "prefix ");
	jsonw_init(&w, &b);
	jsonw_object(&w);
	jsonw_key(&w, "s");
	jsonw_stringz(&w, "x");
	jsonw_key(&w, "n");
	jsonw_stringz(&w, NULL);
	jsonw_key(&w, "a");
	jsonw_array(&w);
	jsonw_int(&w, -3);
	jsonw_real(&w, 2.0, 2);
	jsonw_real(&w, 2.5, 2);
	jsonw_object(&w);
	jsonw_end(&w);
	jsonw_array(&w);
	jsonw_end(&w);
	jsonw_bool(&w, 1);
	jsonw_bool(&w, 0);
	jsonw_null(&w);
	jsonw_end(&w);
	jsonw_key(&w, "o");
	jsonw_object(&w);
	jsonw_key(&w, "k");
	jsonw_int(&w, 1);
	jsonw_end(&w);
	jsonw_end(&w);
	assert_string_equal(b.data,
	    "prefix {\"s\":\"x\",\"n\":null,\"a\":[-3,2,2.50,{},[],true,false,"
	    "null],\"o\":{\"k\":1}}");
	/* And a JSON parser agrees. */
	v = json_loads(b.data + 7, 0, NULL);
	assert_non_null(v);
	assert_int_equal(json_array_size(json_object_get(v, "a")), 8);
	json_decref(v);
	buf_free(&b);
}

static void
test_depth(void **state)
{
	struct buf b;
	struct jsonw w;
	int i;

	(void)state;
	buf_init(&b, 0);
	jsonw_init(&w, &b);
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_array(&w);
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_end(&w);
	assert_int_equal(b.len, 2 * JSONW_MAX_DEPTH);
	assert_int_equal(b.data[JSONW_MAX_DEPTH - 1], '[');
	assert_int_equal(b.data[JSONW_MAX_DEPTH], ']');
	buf_free(&b);
}

/* Python's json.dumps defaults (botocore's cache keys): ensure_ascii and
 * ", " ": " separators. The expected text is what Python 3 writes for
 * json.dumps({"k\u00e9y": "a\"b\\c\x01\x1f\x7f\u0080\u009b\uffff"
 * "\U0010ffff/<>", "n": [5, True]}). */
static void
test_python_defaults(void **state)
{
	static const char v[] = "a\"b\\c\x01\x1f\x7f\xc2\x80\xc2\x9b"
				"\xef\xbf\xbf\xf4\x8f\xbf\xbf/<>";
	struct buf b;
	struct jsonw w;

	(void)state;
	buf_init(&b, 0);
	jsonw_init_flags(&w, &b, JSONW_ASCII | JSONW_SPACED);
	jsonw_object(&w);
	jsonw_key(&w, "k\xc3\xa9y");
	jsonw_string(&w, v, sizeof v - 1);
	jsonw_key(&w, "n");
	jsonw_array(&w);
	jsonw_int(&w, 5);
	jsonw_bool(&w, 1);
	jsonw_end(&w);
	jsonw_end(&w);
	assert_string_equal(buf_str(&b),
	    "{\"k\\u00e9y\": \"a\\\"b\\\\c\\u0001\\u001f\\u007f\\u0080"
	    "\\u009b\\uffff\\udbff\\udfff/<>\", \"n\": [5, true]}");
	/* Invalid UTF-8 stays ASCII: U+FFFD escaped. */
	buf_reset(&b);
	jsonw_put_string_flags(&b, "x\xff", 2, JSONW_ASCII);
	assert_string_equal(buf_str(&b), "\"x\\ufffd\"");
	buf_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_python_defaults),
    cmocka_unit_test(test_escapes),
    cmocka_unit_test(test_document),
    cmocka_unit_test(test_depth),
};

TEST_MAIN(tests)
