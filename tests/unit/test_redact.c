/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the redaction of secrets in messages. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/redact.h"
#include "core/xmalloc.h"

/* Redact a copy of in; check the result and the count. */
static void
check(const char *in, const char *const *secrets, size_t n, const char *want,
    int count)
{
	char *s = xstrdup(in);

	assert_int_equal(redact_text(&s, secrets, n), count);
	assert_string_equal(s, want);
	free(s);
}

static void
test_redact_whole(void **state)
{
	const char *sec[] = {"SECRETKEY123", NULL, "tokentoken"};

	(void)state;
	check("a SECRETKEY123 b SECRETKEY123", sec, 3,
	    "a <redacted> b <redacted>", 2);
	check("tokentoken and SECRETKEY123", sec, 3,
	    "<redacted> and <redacted>", 2);
	check("nothing here", sec, 3, "nothing here", 0);
	check("", sec, 3, "", 0);
}

/* A message cut inside a secret keeps none of it. */
static void
test_redact_cut(void **state)
{
	const char *sec[] = {"ABCDEFGHIJKLMNOP"};

	(void)state;
	check("denied: ABCDEFGH", sec, 1, "denied: <redacted>", 1);
	check("denied: ABCDEF", sec, 1, "denied: <redacted>", 1);
	/* Five characters could be anything: kept. */
	check("denied: ABCDE", sec, 1, "denied: ABCDE", 0);
	/* Whole, then cut: both go. */
	check(
	    "ABCDEFGHIJKLMNOP ABCDEFGHIJ", sec, 1, "<redacted> <redacted>", 2);
}

/* Secrets shorter than 8 bytes would hit ordinary words: skipped. */
static void
test_redact_short(void **state)
{
	const char *sec[] = {"abc", "", "1234567"};

	(void)state;
	check("abc 1234567", sec, 3, "abc 1234567", 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_redact_whole),
    cmocka_unit_test(test_redact_cut),
    cmocka_unit_test(test_redact_short),
};

TEST_MAIN(tests)
