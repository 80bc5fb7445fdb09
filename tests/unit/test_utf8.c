/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8: decoding, validation, width and encoding. */

#include <string.h>

#include "testmain.h"

#include "core/buf.h"
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

/* The escaped text of s (len bytes) with flags, in a static buffer. */
static const char *
esc(const char *s, size_t len, int flags)
{
	static struct buf b;

	buf_free(&b);
	buf_init(&b, 0);
	utf8_escape(&b, s, len, flags);
	return (buf_str(&b));
}

#define ESC(lit, flags) esc(lit, sizeof lit - 1, flags)

static void
test_escape(void **state)
{
	const char *s;

	(void)state;
	/* Plain text, TAB, and printable UTF-8 stay. */
	assert_string_equal(
	    ESC("a\tb \xc3\xa9 \xc2\xa0", 0), "a\tb \xc3\xa9 \xc2\xa0");
	/* C0 controls, DEL, ESC, BEL, NUL: \xNN. */
	assert_string_equal(
	    ESC("\x1b[31m\x07\x7f\x00z", 0), "\\x1b[31m\\x07\\x7f\\x00z");
	/* LF: escaped in one-line text, kept with UTF8_ESC_KEEP_LF. */
	assert_string_equal(ESC("a\nb\r", 0), "a\\x0ab\\x0d");
	assert_string_equal(ESC("a\nb\r", UTF8_ESC_KEEP_LF), "a\nb\\x0d");
	/* C1 controls (CSI U+009B, NEL U+0085, U+0080, U+009F): \u00NN. */
	assert_string_equal(ESC("\xc2\x9b"
				"2J\xc2\x85\xc2\x80\xc2\x9f",
				0),
	    "\\u009b2J\\u0085\\u0080\\u009f");
	/* Invalid UTF-8: each byte \xNN (a lone C1 byte, an overlong form,
	 * a cut sequence). */
	assert_string_equal(
	    ESC("\x9b\xc0\xaf\xe2\x82", 0), "\\x9b\\xc0\\xaf\\xe2\\x82");
	/* Past a 16-byte run (the vector scan), and nothing raw remains. */
	s = ESC("0123456789abcdefghij\x1bk\xc2\x9b", 0);
	assert_string_equal(s, "0123456789abcdefghij\\x1bk\\u009b");
	assert_string_equal(ESC("", 0), "");
	/* The width is that of the escaped text. */
	assert_int_equal(utf8_escape_width("a\x1b\xc3\xa9", 4, 0), 6);
	assert_int_equal(utf8_escape_width("\xc2\x9b", 2, 0), 6);
	esc(NULL, 0, 0); /* free the static buffer */
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_escape),
    cmocka_unit_test(test_decode),
    cmocka_unit_test(test_valid_and_width),
    cmocka_unit_test(test_encode_round_trip),
};

TEST_MAIN(tests)
