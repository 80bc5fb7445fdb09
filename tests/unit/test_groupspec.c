/* SPDX-License-Identifier: Apache-2.0 */
/* Log groups as the user names them: names, prefixes, regexes, ARNs. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "logs/groupspec.h"
#include "logs/insights.h"
#include "logs/logs.h"

struct spec_case {
	const char *arg;
	enum groupspec_kind kind;
	const char *group;
	const char *stream; /* NULL: none */
	const char *list_prefix;
};

static void
test_kinds(void **state)
{
	static const struct spec_case t[] = {
	    {"/aws/lambda/orders", GROUPSPEC_NAME, "/aws/lambda/orders", NULL,
		NULL},
	    {"/aws/lambda/my.func", GROUPSPEC_NAME, "/aws/lambda/my.func", NULL,
		NULL},
	    {"API-Gateway-Execution-Logs_abc/prod", GROUPSPEC_NAME,
		"API-Gateway-Execution-Logs_abc/prod", NULL, NULL},
	    {"/aws/lambda/orders-*", GROUPSPEC_PREFIX, "/aws/lambda/orders-",
		NULL, NULL},
	    {"/aws/lambda/a.b*", GROUPSPEC_PREFIX, "/aws/lambda/a.b", NULL,
		NULL},
	    {"/aws/lambda/shop-(orders|users)", GROUPSPEC_REGEX,
		"/aws/lambda/shop-(orders|users)", NULL, ""},
	    {"/aws/lambda/shop-(orders)", GROUPSPEC_REGEX,
		"/aws/lambda/shop-(orders)", NULL, "/aws/lambda/shop-"},
	    {"/aws/lambda/.*", GROUPSPEC_REGEX, "/aws/lambda/.*", NULL,
		"/aws/lambda/"},
	    {"/aws/lambda/x-[0-9]+", GROUPSPEC_REGEX, "/aws/lambda/x-[0-9]+",
		NULL, "/aws/lambda/x-"},
	    {"/app/ab?c", GROUPSPEC_REGEX, "/app/ab?c", NULL, "/app/a"},
	    {"/app/ab*c", GROUPSPEC_REGEX, "/app/ab*c", NULL, "/app/a"},
	    {"/app/a{2}", GROUPSPEC_REGEX, "/app/a{2}", NULL, "/app/"},
	    {"^/app$", GROUPSPEC_REGEX, "^/app$", NULL, ""},
	    /* Control or non-ASCII bytes: only an emulator's name. */
	    {"/names/g\x1b[31m\xc2\x9b"
	     "2J\x07\x7f",
		GROUPSPEC_NAME,
		"/names/g\x1b[31m\xc2\x9b"
		"2J\x07\x7f",
		NULL, NULL},
	    {"/g/caf\xc3\xa9(x)", GROUPSPEC_NAME, "/g/caf\xc3\xa9(x)", NULL,
		NULL},
	    /* A stream regex after the first ':' outside ( ) and [ ]. */
	    {"/app/x:ERR", GROUPSPEC_NAME, "/app/x", "ERR", NULL},
	    {"/app/x:2024/05/.*", GROUPSPEC_NAME, "/app/x", "2024/05/.*", NULL},
	    {"/app/x:", GROUPSPEC_NAME, "/app/x", NULL, NULL},
	    {"/app/x*:web", GROUPSPEC_PREFIX, "/app/x", "web", NULL},
	    {"/app/(?:a|b):s1", GROUPSPEC_REGEX, "/app/(?:a|b)", "s1", ""},
	    {"/app/[:]x:s", GROUPSPEC_REGEX, "/app/[:]x", "s", "/app/"},
	    {"/app/\\:x:s", GROUPSPEC_REGEX, "/app/\\:x", "s", "/app/"},
	    /* ARNs, with and without DescribeLogGroups' ":*". */
	    {"arn:aws:logs:us-east-1:123456789012:log-group:/app/demo",
		GROUPSPEC_ARN,
		"arn:aws:logs:us-east-1:123456789012:log-group:/app/demo", NULL,
		NULL},
	    {"arn:aws:logs:us-east-1:123456789012:log-group:/app/demo:*",
		GROUPSPEC_ARN,
		"arn:aws:logs:us-east-1:123456789012:log-group:/app/demo", NULL,
		NULL},
	    {"arn:aws:logs:eu-west-1:210987654321:log-group:/app/demo:*:web-.*",
		GROUPSPEC_ARN,
		"arn:aws:logs:eu-west-1:210987654321:log-group:/app/demo",
		"web-.*", NULL},
	    {"arn:aws-cn:logs:cn-north-1:123456789012:log-group:g:s1",
		GROUPSPEC_ARN,
		"arn:aws-cn:logs:cn-north-1:123456789012:log-group:g", "s1",
		NULL},
	};
	struct groupspec gs;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (groupspec_parse(t[i].arg, &gs, &cause) != 0) {
			print_error("%s: %s\n", t[i].arg, cause);
			fail();
		}
		if (gs.kind != t[i].kind) {
			print_error("%s: kind %d\n", t[i].arg, (int)gs.kind);
			fail();
		}
		assert_string_equal(gs.group, t[i].group);
		if (t[i].stream == NULL)
			assert_null(gs.stream);
		else
			assert_string_equal(gs.stream, t[i].stream);
		if (t[i].list_prefix == NULL)
			assert_null(gs.list_prefix);
		else
			assert_string_equal(gs.list_prefix, t[i].list_prefix);
		groupspec_free(&gs);
	}
	assert_int_equal(groupspec_parse("arn:aws:logs:eu-west-1:210987654321:"
					 "log-group:/x",
			     &gs, &cause),
	    0);
	assert_string_equal(gs.region, "eu-west-1");
	groupspec_free(&gs);
}

static void
test_match_whole_name(void **state)
{
	struct groupspec gs;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    groupspec_parse("/aws/lambda/shop-(orders|users)", &gs, &cause), 0);
	assert_true(groupspec_match(&gs, "/aws/lambda/shop-orders"));
	assert_true(groupspec_match(&gs, "/aws/lambda/shop-users"));
	assert_false(groupspec_match(&gs, "/aws/lambda/shop-orders-v2"));
	assert_false(groupspec_match(&gs, "x/aws/lambda/shop-orders"));
	assert_false(groupspec_match(&gs, "/aws/lambda/shop-carts"));
	groupspec_free(&gs);
	/* A name spec matches nothing as a regex. */
	assert_int_equal(groupspec_parse("/a", &gs, &cause), 0);
	assert_false(groupspec_match(&gs, "/a"));
	groupspec_free(&gs);
}

static void
test_bad(void **state)
{
	static const char *bad[] = {
	    "*",
	    "/app/(",
	    "/app/[a",
	    ":s1",
	    "arn:aws:logs:us-east-1:123456789012:log-group:",
	    "arn:aws:logs:us-east-1:123456789012:log-group",
	    "arn:aws:logs:us-east-1:1234:log-group:/x",
	    "arn:aws:lambda:us-east-1:123456789012:function:/x",
	    "arn:aws:logs::123456789012:log-group:/x",
	    "arn:aws:logs:us-east-1:123456789012:log-stream:/x",
	    "arn:aws:logs:us-east-1:123456789012:log-group:/x y",
	    "arn:aws:logs:us-east-1:12345678901a:log-group:/x",
	    "arn:",
	};
	struct groupspec gs;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (groupspec_parse(bad[i], &gs, &cause) == 0) {
			print_error("'%s' parsed\n", bad[i]);
			fail();
		}
		assert_non_null(cause);
		free(cause);
	}
	cause = NULL;
	assert_int_equal(groupspec_parse("/app/(", &gs, &cause), -1);
	assert_string_equal(cause, "bad log group regex '/app/(': missing "
				   "closing parenthesis at offset 6");
	free(cause);
}

static void
test_literal_prefix(void **state)
{
	static const char *t[][2] = {
	    {"abc", "abc"},
	    {"abc.*", "abc"},
	    {"ab?", "a"},
	    {"ab*", "a"},
	    {"ab+", "ab"},
	    {"a{3}", ""},
	    {"abc|xyz", ""},
	    {"(abc)", ""},
	    {"2024/05/01/\\[", "2024/05/01/"},
	};
	char *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		p = groupspec_literal_prefix(t[i][0]);
		assert_string_equal(p, t[i][1]);
		free(p);
	}
	assert_true(groupspec_is_arn("arn:aws:logs:x"));
	assert_false(groupspec_is_arn("/arn:"));
}

/* An ARN travels as logGroupIdentifier(s), a name as logGroupName(s). */
static void
test_request_members(void **state)
{
	const char *arn =
	    "arn:aws:logs:us-east-1:210987654321:log-group:/src/app";
	const char *groups[] = {"/a", arn};
	struct logs_filter f;
	struct insights_start q = {groups, 2, 1700000000, 1700000060, "x", 0};
	char *b;
	size_t len;

	(void)state;
	memset(&f, 0, sizeof f);
	f.group = arn;
	f.start = f.end = LOGS_TIME_UNSET;
	b = logs_filter_body(&f, &len);
	assert_non_null(strstr(b, "\"logGroupIdentifier\":\""));
	assert_null(strstr(b, "logGroupName"));
	free(b);
	f.group = "/a";
	b = logs_filter_body(&f, &len);
	assert_non_null(strstr(b, "\"logGroupName\":\"/a\""));
	assert_null(strstr(b, "logGroupIdentifier"));
	free(b);
	b = insights_start_body(&q, &len);
	assert_non_null(strstr(b, "\"logGroupIdentifiers\":[\"/a\",\"arn:"));
	free(b);
	q.ngroups = 1;
	b = insights_start_body(&q, &len);
	assert_non_null(strstr(b, "\"logGroupNames\":[\"/a\"]"));
	free(b);
}

/* An ARN's group name and account; a reference against Logs Insights'
 * @log ("ACCOUNT:NAME", or the name alone) and against another
 * reference (issue 14/15 audit: -g ARN gave no Insights rows). */
static void
test_arn_name_and_same(void **state)
{
	const char *arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/p/a";
	const char *n, *acct;
	size_t len, alen;

	(void)state;
	n = groupspec_arn_name(arn, &len, &acct, &alen);
	assert_non_null(n);
	assert_int_equal(len, 4);
	assert_memory_equal(n, "/p/a", 4);
	assert_int_equal(alen, 12);
	assert_memory_equal(acct, "123456789012", 12);
	n = groupspec_arn_name("arn:aws-cn:logs:cn-north-1:123456789012:"
			       "log-group:/p/a:*",
	    &len, NULL, NULL);
	assert_non_null(n);
	assert_int_equal(len, 4);
	assert_null(groupspec_arn_name("/p/a", &len, NULL, NULL));
	assert_null(groupspec_arn_name(
	    "arn:aws:logs:eu-west-1:123456789012:destination:/p/a", &len, NULL,
	    NULL));
	assert_null(groupspec_arn_name("arn:aws:logs", &len, NULL, NULL));

	/* The name part, with or without ":*". */
	assert_true(groupspec_same(arn, "123456789012:/p/a"));
	assert_true(groupspec_same(arn, "/p/a"));
	assert_true(groupspec_same(
	    "arn:aws:logs:eu-west-1:123456789012:log-group:/p/a:*", "/p/a"));
	assert_false(groupspec_same(arn, "/p/ab"));
	assert_false(groupspec_same(arn, "/p/"));
	assert_false(groupspec_same(arn, "123456789012:/p/b"));
	/* Another account's group of the same name. */
	assert_false(groupspec_same(arn, "210987654321:/p/a"));
	/* Names. */
	assert_true(groupspec_same("/p/a", "/p/a"));
	assert_true(groupspec_same("/p/a", "123456789012:/p/a"));
	assert_false(groupspec_same("/p/a", "/p/b"));
	/* Two references. */
	assert_true(groupspec_same(arn, arn));
	assert_true(groupspec_same(
	    arn, "arn:aws:logs:eu-west-1:123456789012:log-group:/p/a:*"));
	assert_false(groupspec_same(
	    arn, "arn:aws:logs:eu-west-1:210987654321:log-group:/p/a"));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_arn_name_and_same),
    cmocka_unit_test(test_request_members),
    cmocka_unit_test(test_kinds),
    cmocka_unit_test(test_match_whole_name),
    cmocka_unit_test(test_bad),
    cmocka_unit_test(test_literal_prefix),
};

TEST_MAIN(tests)
