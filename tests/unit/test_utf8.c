/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8: decoding, validation, width and encoding. */

#include <string.h>

#include "testmain.h"

#include "core/utf8.h"

static void
test_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode("\xf0\x9f\x91\x8e", 4, &cp), 4);
	assert_int_equal(cp, 0x1f44e);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	/* Overlong forms, surrogates, past U+10FFFF, stray and cut bytes. */
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xc1\xbf", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xf0\x80\x80\xaf", 4, &cp), 0);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\xf5\x80\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xc3(", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x82\xac", 2, &cp), 0);
}

static void
test_valid_and_width(void **state)
{
	static const char ok[] = "plain ascii that is longer than 16 bytes, "
				 "then \xc3\xa9\xe2\x82\xac\xf0\x9f\x91\x8e";
	static const char bad[] = "0123456789abcdefXYZ\xed\xa0\x80tail";

	(void)state;
	assert_int_equal(utf8_valid(ok, sizeof ok - 1), sizeof ok - 1);
	assert_int_equal(utf8_valid(bad, sizeof bad - 1), 19);
	assert_int_equal(utf8_valid("", 0), 0);
	assert_int_equal(utf8_width("a\xc3\xa9\xf0\x9f\x91\x8e", 7), 3);
	/* Each invalid byte counts one. */
	assert_int_equal(utf8_width("a\xff\xfe"
				    "b",
			     4),
	    4);
	assert_int_equal(utf8_width("\xe2\x82", 2), 2);
	assert_int_equal(utf8_width(ok, sizeof ok - 1),
	    strlen("plain ascii that is longer than 16 bytes, then ") + 3);
}

static void
test_encode_round_trip(void **state)
{
	static const uint32_t cps[] = {0, 0x41, 0x7f, 0x80, 0x7ff, 0x800,
	    0xfffd, 0xffff, 0x10000, 0x1f44e, 0x10ffff};
	char out[4];
	uint32_t cp;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		n = utf8_encode(cps[i], out);
		assert_int_equal(n, cps[i] < 0x80      ? 1
				    : cps[i] < 0x800   ? 2
				    : cps[i] < 0x10000 ? 3
						       : 4);
		assert_int_equal(utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, cps[i]);
		assert_int_equal(utf8_valid(out, n), n);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_decode),
    cmocka_unit_test(test_valid_and_width),
    cmocka_unit_test(test_encode_round_trip),
};

TEST_MAIN(tests)
