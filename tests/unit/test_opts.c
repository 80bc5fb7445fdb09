/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line parsing. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "cli/opts.h"
#include "trace/stats.h"
#include "trace/logline.h"

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

static void
test_forms(void **state)
{
	struct opts o;
	char *cause;

	(void)state;
	assert_int_equal(
	    parse(&o, &cause, "--profile", "p", "get", "/g", "ALL", "-GS",
		"-s1d", "--end=now", "-vvv", "--watch-interval", "0.5", "-g",
		"/a", "--group=/b", "--color", "never", "--time", NULL),
	    0);
	assert_int_equal(o.cmd, CMD_GET);
	assert_string_equal(o.profile, "p");
	assert_string_equal(o.group, "/g");
	assert_string_equal(o.stream_regex, "ALL");
	assert_true(o.no_group && o.no_stream);
	assert_string_equal(o.start, "1d");
	assert_string_equal(o.end, "now");
	assert_int_equal(o.verbose, 3);
	assert_int_equal(o.watch_interval_ms, 500);
	assert_int_equal(o.groups.n, 2);
	assert_int_equal(o.color, COLOR_NEVER);
	assert_true(o.timestamp); /* unique prefix of --timestamp */
	opts_free(&o);

	/* A bare --color means always; the next word is not its value. */
	assert_int_equal(parse(&o, &cause, "get", "--color", "/g", NULL), 0);
	assert_int_equal(o.color, COLOR_ALWAYS);
	assert_string_equal(o.group, "/g");
	opts_free(&o);
	/* Options after "--" are positional. */
	assert_int_equal(parse(&o, &cause, "get", "--", "-weird", NULL), 0);
	assert_string_equal(o.group, "-weird");
	opts_free(&o);
	/* --region alias, -a/-t spelling of apilogs. */
	assert_int_equal(parse(&o, &cause, "get", "-a", "abc", "-t", "prod",
			     "--region", "eu-west-1", NULL),
	    0);
	assert_string_equal(o.api_id, "abc");
	assert_string_equal(o.stage, "prod");
	assert_string_equal(o.region, "eu-west-1");
	opts_free(&o);
}

static void
test_errors(void **state)
{
	struct opts o;
	char *cause;

	(void)state;
	assert_int_equal(parse(&o, &cause, "get", "/g", "--wacth", NULL), -1);
	assert_string_equal(cause, "unknown option '--wacth' (did you mean "
				   "'--watch'? try 'apilogs get --help')");
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "groups", "-w", NULL), -1);
	assert_string_equal(cause, "option '-w' does not apply to 'groups' "
				   "(try 'apilogs groups --help')");
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "get", "/g", "--s", NULL), -1);
	assert_non_null(strstr(cause, "ambiguous"));
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "get", "/g", "-s", NULL), -1);
	assert_string_equal(cause, "option '-s' needs a value");
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "gett", NULL), -1);
	assert_non_null(strstr(cause, "did you mean 'get'"));
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "get", NULL), -1);
	assert_non_null(strstr(cause, "needs a log group"));
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "get", "/g", "-i", "1e3", NULL), -1);
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "get", "/g", "--watch=1", NULL), -1);
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "-w", "groups", NULL), -1);
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, NULL), OPTS_NO_COMMAND);
	assert_string_equal(cause, "no command given (try 'apilogs --help')");
	free(cause);
	opts_free(&o);
}

static void
test_engine(void **state)
{
	static const struct {
		const char *v;
		double bytes;
	} sizes[] = {{"0", 0}, {"1", 1}, {"500M", 5e8}, {"2G", 2e9},
	    {"1.5k", 1500}, {"3KB", 3000}, {"1T", 1e12}, {"7B", 7},
	    {"1e9", 1e9}};
	static const char *bad_sizes[] = {
	    "", "x", "1X", "1GG", "-1", "nan", "inf", "1 G", NULL};
	struct opts o;
	char *cause = NULL;
	size_t i;

	(void)state;
	assert_int_equal(parse(&o, &cause, "get", "/g", NULL), 0);
	assert_int_equal(o.engine, READ_AUTO);
	assert_true(o.insights_threshold == OPTS_INSIGHTS_THRESHOLD);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--engine", "insights", NULL), 0);
	assert_int_equal(o.engine, READ_INSIGHTS);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--engine=filter", NULL), 0);
	assert_int_equal(o.engine, READ_FILTER);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--engine", "sql", NULL), -1);
	assert_string_equal(cause, "--engine 'sql': expected 'auto', "
				   "'filter' or 'insights'");
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "groups", "--engine", "auto", NULL), -1);
	free(cause);
	opts_free(&o);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		assert_int_equal(parse(&o, &cause, "get", "/g",
				     "--insights-threshold", sizes[i].v, NULL),
		    0);
		assert_true(o.insights_threshold == sizes[i].bytes);
		opts_free(&o);
	}
	for (i = 0; bad_sizes[i] != NULL; i++) {
		cause = NULL;
		assert_int_equal(
		    parse(&o, &cause, "get", "/g", "--insights-threshold",
			bad_sizes[i], NULL),
		    -1);
		assert_non_null(strstr(cause, "--insights-threshold"));
		free(cause);
		opts_free(&o);
	}
}

/* The options of issue 16's "what users ask for". */
static void
test_everyday(void **state)
{
	struct opts o;
	char *cause;

	(void)state;
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--last", "20", "--grep", "a",
		"--grep=b", "--exclude", "c", "--level", "Warning", "--expand",
		"--max-length", "80", "--event-id", NULL),
	    0);
	assert_int_equal(o.last, 20);
	assert_int_equal(o.greps.n, 2);
	assert_string_equal(o.greps.v[1], "b");
	assert_int_equal(o.excludes.n, 1);
	assert_int_equal(o.level, LOGLINE_LVL_WARN);
	assert_true(o.expand && o.event_id);
	assert_int_equal(o.max_length, 80);
	opts_free(&o);
	/* The display options apply to trace too, the filters do not. */
	assert_int_equal(parse(&o, &cause, "trace", "x", "-g", "/g", "--expand",
			     "--max-length", "5", "--event-id", NULL),
	    0);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "trace", "x", "-g", "/g", "--last", "1", NULL),
	    -1);
	assert_string_equal(cause, "option '--last' does not apply to "
				   "'trace' (try 'apilogs trace --help')");
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--last", "0", NULL), -1);
	assert_string_equal(cause, "--last '0': too small (1 to 100000)");
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--level", "loud", NULL), -1);
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--max-length", "x", NULL), -1);
	free(cause);
	opts_free(&o);
}

/* stats: --by and --bin, what it needs, and options of other commands. */
static void
test_stats(void **state)
{
	struct opts o;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    parse(&o, &cause, "stats", "-a", "abc", "-t", "prod", "--by",
		"route", "--bin", "5m", "-o", "json", NULL),
	    0);
	assert_int_equal(o.cmd, CMD_STATS);
	assert_int_equal(o.stats_by, STATS_BY_ROUTE);
	assert_int_equal(o.bin_ms, 300000);
	assert_int_equal(o.output, OUTPUT_JSON);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "stats", "-g", "/g", "--bin=30s", NULL), 0);
	assert_int_equal(o.bin_ms, 30000);
	assert_int_equal(o.stats_by, STATS_BY_NONE);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "stats", "-g", "/g", "--by", "path", NULL), -1);
	assert_string_equal(
	    cause, "--by 'path': expected route, status or function");
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "stats", "-g", "/g", "--bin", "90x", NULL), -1);
	assert_non_null(strstr(cause, "--bin '90x'"));
	free(cause);
	opts_free(&o);
	assert_int_equal(parse(&o, &cause, "stats", NULL), -1);
	assert_non_null(strstr(cause, "stats needs"));
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "stats", "-g", "/g", "--watch", NULL), -1);
	free(cause);
	opts_free(&o);
	assert_int_equal(
	    parse(&o, &cause, "get", "/g", "--by", "route", NULL), -1);
	free(cause);
	opts_free(&o);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_stats),
    cmocka_unit_test(test_engine),
    cmocka_unit_test(test_forms),
    cmocka_unit_test(test_errors),
    cmocka_unit_test(test_everyday),
};

TEST_MAIN(tests)
