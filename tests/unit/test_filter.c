/* SPDX-License-Identifier: Apache-2.0 */
/* Local filters: --grep, --exclude, --level. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "cli/filter.h"
#include "cli/opts.h"

static struct filter *
mk(struct opts *o, char **greps, size_t ng, char **ex, size_t nx, int level)
{
	char *cause = NULL;
	struct filter *f;

	opts_init(o);
	o->greps.v = greps;
	o->greps.n = ng;
	o->excludes.v = ex;
	o->excludes.n = nx;
	o->level = level;
	f = filter_new(o, &cause);
	assert_null(cause);
	return (f);
}

static int
ok(struct filter *f, const char *msg)
{
	return (filter_match(f, msg, strlen(msg), LOGLINE_SRC_AUTO));
}

static void
test_none(void **state)
{
	struct opts o;

	(void)state;
	assert_null(mk(&o, NULL, 0, NULL, 0, 0));
	assert_true(ok(NULL, "anything"));
}

static void
test_grep_exclude(void **state)
{
	char *g[] = {"ERROR", "(?i)timed out"}, *x[] = {"health", "^DEBUG"};
	struct filter *f;
	struct opts o;

	(void)state;
	f = mk(&o, g, 2, x, 2, 0);
	assert_true(ok(f, "an ERROR here"));
	assert_true(ok(f, "Task TIMED OUT after 3.00 seconds"));
	assert_false(ok(f, "all fine"));
	assert_false(ok(f, "ERROR in /health"));
	/* Exclude only, anywhere in the message. */
	filter_free(f);
	f = mk(&o, NULL, 0, x, 2, 0);
	assert_true(ok(f, "all fine"));
	assert_false(ok(f, "DEBUG x"));
	assert_true(ok(f, "x DEBUG"));
	/* Invalid UTF-8 in a message is searched, not refused. */
	assert_true(ok(f, "caf\xe9 ok"));
	assert_false(ok(f, "\xff health"));
	filter_free(f);
}

static void
test_bad_regex(void **state)
{
	char *g[] = {"ok", "a(b"};
	char *cause = NULL;
	struct opts o;

	(void)state;
	opts_init(&o);
	o.excludes.v = g;
	o.excludes.n = 2;
	assert_null(filter_new(&o, &cause));
	assert_non_null(cause);
	assert_string_equal(cause, "--exclude 'a(b': missing closing "
				   "parenthesis at offset 3");
	free(cause);
}

static void
test_levels(void **state)
{
	struct filter *f;
	struct opts o;
	enum logline_level l;

	(void)state;
	assert_int_equal(filter_parse_level("WARNING", &l), 0);
	assert_int_equal(l, LOGLINE_LVL_WARN);
	assert_int_equal(filter_parse_level("Critical", &l), 0);
	assert_int_equal(l, LOGLINE_LVL_FATAL);
	assert_int_equal(filter_parse_level("err", &l), -1);
	f = mk(&o, NULL, 0, NULL, 0, LOGLINE_LVL_WARN);
	/* Node, Python, JSON: the levels the readers parse. */
	assert_true(ok(f, "2026-11-25T10:00:00.000Z\t"
			  "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01\tWARN\tslow"));
	assert_true(ok(f, "[ERROR]\t2026-11-25T10:00:00.000Z\t"
			  "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01\tboom"));
	assert_false(ok(f, "2026-11-25T10:00:00.000Z\t"
			   "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01\tINFO\tok"));
	assert_true(ok(f, "{\"level\":\"warn\",\"message\":\"m\"}"));
	assert_false(ok(f, "{\"level\":\"debug\",\"message\":\"m\"}"));
	/* No level: dropped, unless the line reports a failure. */
	assert_false(ok(f, "START RequestId: "
			   "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01 Version: 1"));
	assert_false(ok(f, "a plain print"));
	assert_true(ok(f, "2026-11-25T10:00:03.110Z "
			  "6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01 Task timed "
			  "out after 3.00 seconds"));
	assert_int_equal(
	    filter_level_of("x", 1, LOGLINE_SRC_AUTO), LOGLINE_LVL_NONE);
	filter_free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_none),
    cmocka_unit_test(test_grep_exclude),
    cmocka_unit_test(test_bad_regex),
    cmocka_unit_test(test_levels),
};

TEST_MAIN(tests)
