/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for shlex_split against answers from Python's shlex.split(). */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/shlex.h"

struct shlex_case {
	const char *in;
	const char *out[4]; /* NULL-terminated expected words */
};

/* Expected values computed once with Python 3.11 shlex.split(). */
static const struct shlex_case shlex_cases[] = {
    {"a b  c", {"a", "b", "c", NULL}},
    {"\"a b\" c", {"a b", "c", NULL}},
    {"a\\ b", {"a b", NULL}},
    {"'a\\b'", {"a\\b", NULL}},
    {"\"a\\\\b\\\"c\\d\"", {"a\\b\"c\\d", NULL}},
    {"a\"b c\"d", {"ab cd", NULL}},
    {"\"\" x", {"", "x", NULL}},
    {"x ''", {"x", "", NULL}},
    {"  ", {NULL}},
    {"", {NULL}},
    {"/bin/echo --json \"{\\\"a\\\": 1}\"",
	{"/bin/echo", "--json", "{\"a\": 1}", NULL}},
    {"a#b", {"a#b", NULL}},
    {"tab\there\nnl", {"tab", "here", "nl", NULL}},
    {"a\\\\", {"a\\", NULL}},
};

static void
test_shlex_cases(void **state)
{
	char **argv, *cause = NULL;
	size_t argc, i, j;

	(void)state;
	for (i = 0; i < sizeof shlex_cases / sizeof shlex_cases[0]; i++) {
		assert_int_equal(
		    shlex_split(shlex_cases[i].in, &argv, &argc, &cause), 0);
		for (j = 0; shlex_cases[i].out[j] != NULL; j++) {
			assert_true(j < argc);
			assert_string_equal(argv[j], shlex_cases[i].out[j]);
		}
		assert_int_equal(argc, j);
		assert_null(argv[argc]);
		shlex_free(argv);
	}
}

static void
test_shlex_errors(void **state)
{
	char **argv, *cause = NULL;
	size_t argc;

	(void)state;
	assert_int_equal(shlex_split("\"abc", &argv, &argc, &cause), -1);
	assert_string_equal(cause, "no closing quotation");
	assert_null(argv);
	free(cause);
	cause = NULL;
	assert_int_equal(shlex_split("a\\", &argv, &argc, &cause), -1);
	assert_string_equal(cause, "no escaped character");
	free(cause);
	cause = NULL;
	assert_int_equal(shlex_split("'x", &argv, &argc, &cause), -1);
	free(cause);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shlex_cases),
    cmocka_unit_test(test_shlex_errors),
};

TEST_MAIN(tests)
