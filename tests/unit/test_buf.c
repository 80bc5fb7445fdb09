/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the bounded buffer and bounded number parsing. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/buf.h"
#include "core/num.h"

static void
test_buf_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "abcd"), 0);
	assert_int_equal(buf_printf(&b, "%d", 1234), 0);
	assert_string_equal(buf_str(&b), "abcd1234");
	assert_int_equal(buf_addc(&b, 'x'), -1);
	assert_int_equal(buf_printf(&b, "%s", "y"), -1);
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void
test_buf_take(void **state)
{
	struct buf b;
	char *s;
	size_t len;

	(void)state;
	buf_init(&b, BUF_NOCAP);
	s = buf_take(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	buf_puts(&b, "hello");
	buf_putf(&b, " %s", "world");
	s = buf_take(&b, &len);
	assert_string_equal(s, "hello world");
	assert_int_equal(len, 11);
	assert_null(b.data);
	free(s);
}

static void
test_num_parse(void **state)
{
	const char *e;

	(void)state;
	assert_int_equal(num_parse("42", 0, 100, &e), 42);
	assert_null(e);
	num_parse("101", 0, 100, &e);
	assert_string_equal(e, "too large");
	num_parse("-1", 0, 100, &e);
	assert_string_equal(e, "too small");
	num_parse("4x", 0, 100, &e);
	assert_string_equal(e, "invalid");
	num_parse("", 0, 100, &e);
	assert_string_equal(e, "invalid");
	num_parse(" 4", 0, 100, &e);
	assert_string_equal(e, "invalid");
}

static void
test_num_seconds(void **state)
{
	const char *e;

	(void)state;
	assert_int_equal(num_parse_seconds_ms("1", 0, 3600000, &e), 1000);
	assert_null(e);
	assert_int_equal(num_parse_seconds_ms("0.25", 0, 3600000, &e), 250);
	assert_int_equal(num_parse_seconds_ms("2.5", 0, 3600000, &e), 2500);
	assert_int_equal(num_parse_seconds_ms(".5", 0, 3600000, &e), 500);
	num_parse_seconds_ms("0", 100, 3600000, &e);
	assert_string_equal(e, "too small");
	num_parse_seconds_ms("1e3", 0, 3600000, &e);
	assert_string_equal(e, "invalid");
	num_parse_seconds_ms("1.", 0, 3600000, &e);
	assert_string_equal(e, "invalid");
	num_parse_seconds_ms("-1", 0, 3600000, &e);
	assert_string_equal(e, "invalid");
	num_parse_seconds_ms("99999999999999999999", 0, 3600000, &e);
	assert_string_equal(e, "too large");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_buf_cap),
    cmocka_unit_test(test_buf_take),
    cmocka_unit_test(test_num_parse),
    cmocka_unit_test(test_num_seconds),
};

TEST_MAIN(tests)
