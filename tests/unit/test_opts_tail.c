/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The drop-in spellings of issue 16: `aws logs tail` options, --color
 * on|off, and STREAM_REGEX with several groups.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "cli/opts.h"

static int
parse(struct opts *o, char **cause, ...)
{
	char *argv[32];
	int argc = 1;
	va_list ap;

	argv[0] = "apilogs";
	va_start(ap, cause);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	opts_init(o);
	*cause = NULL;
	return (opts_parse(o, argc, argv, cause));
}

/* Parse, expect failure with a cause containing want. */
static void
must_fail(const char *want, ...)
{
	struct opts o;
	char *argv[32], *cause = NULL;
	int argc = 1;
	va_list ap;

	argv[0] = "apilogs";
	va_start(ap, want);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	opts_init(&o);
	assert_int_equal(opts_parse(&o, argc, argv, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL) {
		print_error("cause '%s' lacks '%s'\n", cause, want);
		fail();
	}
	free(cause);
	opts_free(&o);
}

static void
test_aliases(void **state)
{
	struct opts o;
	char *cause;

	(void)state;
	assert_int_equal(parse(&o, &cause, "get", "/g", "--follow", "--since",
			     "1h", "--format", "short", NULL),
	    0);
	assert_true(o.watch);
	assert_string_equal(o.start, "1h");
	assert_int_equal(o.format, FORMAT_SHORT);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--format=detailed", NULL), 0);
	assert_int_equal(o.format, FORMAT_DETAILED);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--format", "json", NULL), 0);
	assert_int_equal(o.format, FORMAT_JSON);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "streams", "/g", "--since", "2h", NULL), 0);
	assert_string_equal(o.start, "2h");
	opts_free(&o);
	/* on and off, as the AWS CLI spells them, also as a next word. */
	assert_int_equal(parse(&o, &cause, "--color", "on", "groups", NULL), 0);
	assert_int_equal(o.color, COLOR_ALWAYS);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "groups", "--color=off", NULL), 0);
	assert_int_equal(o.color, COLOR_NEVER);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--color", "auto", NULL), 0);
	assert_int_equal(o.color, COLOR_AUTO);
	opts_free(&o);
	must_fail("--color 'yes': expected 'auto', 'always' or 'never' ('on', "
		  "'off')",
	    "groups", "--color=yes", NULL);
	must_fail("--format 'text': expected 'detailed', 'short' or 'json'",
	    "get", "/g", "--format", "text", NULL);
	must_fail("--format and --output exclude each other", "get", "/g",
	    "--format", "short", "-o", "json", NULL);
	/* --f is now ambiguous: --filter-pattern, --follow, --format. */
	must_fail("ambiguous", "get", "/g", "--f", "x", NULL);
	must_fail("does not apply to 'groups'", "groups", "--follow", NULL);
}

static void
test_stream_names(void **state)
{
	struct opts o;
	char *cause;

	(void)state;
	/* nargs '+': every word up to the next option. */
	assert_int_equal(parse(&o, &cause, "get", "/g", "--log-stream-names",
			     "a", "b", "c", "--follow", NULL),
	    0);
	assert_int_equal(o.stream_names.n, 3);
	assert_string_equal(o.stream_names.v[2], "c");
	assert_true(o.watch);
	assert_null(o.stream_regex);
	opts_free(&o);
	/* The group may come first or last, and names repeat. */
	assert_int_equal(parse(&o, &cause, "get", "--log-stream-names=a",
			     "--log-stream-names", "b", "--", "/g", NULL),
	    0);
	assert_int_equal(o.stream_names.n, 2);
	assert_string_equal(o.group, "/g");
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "get", "/g",
			     "--log-stream-name-prefix", "2024/", NULL),
	    0);
	assert_string_equal(o.stream_prefix, "2024/");
	opts_free(&o);
	must_fail("option '--log-stream-names' needs a value", "get", "/g",
	    "--log-stream-names", NULL);
	must_fail("option '--log-stream-names' needs a value", "get", "/g",
	    "--log-stream-names", "-w", NULL);
	must_fail("--log-stream-names and --log-stream-name-prefix exclude "
		  "each other",
	    "get", "/g", "--log-stream-names", "a", "--log-stream-name-prefix",
	    "b", NULL);
	must_fail("give STREAM_REGEX or --log-stream-names or "
		  "--log-stream-name-prefix, not both",
	    "get", "/g", "ALL", "--log-stream-name-prefix", "b", NULL);
	must_fail("--log-stream-names: empty stream name", "get", "/g",
	    "--log-stream-names", "", NULL);
}

static void
test_too_many_names(void **state)
{
	struct opts o;
	char *argv[110], *cause = NULL, names[101][16];
	int i;

	(void)state;
	argv[0] = "apilogs";
	argv[1] = "get";
	argv[2] = "/g";
	argv[3] = "--log-stream-names";
	for (i = 0; i < 101; i++) {
		snprintf(names[i], sizeof names[i], "s%d", i);
		argv[4 + i] = names[i];
	}
	opts_init(&o);
	assert_int_equal(opts_parse(&o, 105, argv, &cause), -1);
	assert_non_null(strstr(cause, "101 names; the service takes at most "
				      "100"));
	free(cause);
	opts_free(&o);
	opts_init(&o);
	cause = NULL;
	assert_int_equal(opts_parse(&o, 104, argv, &cause), 0);
	assert_int_equal(o.stream_names.n, 100);
	opts_free(&o);
}

/* With -g or --api-id, one positional is the STREAM_REGEX of them all. */
static void
test_stream_regex_with_groups(void **state)
{
	struct opts o;
	char *cause;

	(void)state;
	assert_int_equal(
	    parse(&o, &cause, "get", "-g", "/a", "-g", "/b", "web-.*", NULL),
	    0);
	assert_null(o.group);
	assert_string_equal(o.stream_regex, "web-.*");
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "ERR", "--api-id", "abc", NULL), 0);
	assert_null(o.group);
	assert_string_equal(o.stream_regex, "ERR");
	opts_free(&o);
	/* Two positionals stay GROUP STREAM_REGEX. */
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "s", "-g", "/b", NULL), 0);
	assert_string_equal(o.group, "/g");
	assert_string_equal(o.stream_regex, "s");
	opts_free(&o);
	/* Alone, the positional is the group, as in awslogs. */
	assert_int_equal(parse(&o, &cause, "get", "/g", NULL), 0);
	assert_string_equal(o.group, "/g");
	assert_null(o.stream_regex);
	opts_free(&o);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_aliases),
    cmocka_unit_test(test_stream_names),
    cmocka_unit_test(test_too_many_names),
    cmocka_unit_test(test_stream_regex_with_groups),
};

TEST_MAIN(tests)
