/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Filter patterns read by Logs Insights (logs/fpattern.c): the Insights
 * command of each form that translates, the reason of each that does not,
 * and how messages match (the FilterLogEvents meaning the reader checks
 * every Insights row against).
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/buf.h"
#include "logs/fpattern.h"

/* The Insights command of pattern, or NULL when it does not parse. */
static char *
command_of(const char *pattern, char **why)
{
	struct fpattern p;
	struct buf b;
	size_t len;

	if (fpattern_parse(pattern, &p, why) != 0)
		return (NULL);
	buf_init(&b, 0);
	buf_puts(&b, "");
	fpattern_insights(&p, &b);
	fpattern_free(&p);
	return (buf_take(&b, &len));
}

static void
test_translations(void **state)
{
	static const struct {
		const char *pattern;
		const char *command;
	} ok[] = {
	    {NULL, ""},
	    {"", ""},
	    {" \t ", ""},
	    {"ERROR", " | filter @message like \"ERROR\""},
	    {"ERROR  timed_out\t42",
		" | filter @message like \"ERROR\" and @message like "
		"\"timed_out\" and @message like \"42\""},
	    {"?ERROR ?WARN",
		" | filter @message like \"ERROR\" or @message like \"WARN\""},
	    {"?\"Task timed out\" ?Exception",
		" | filter @message like \"Task timed out\" or @message "
		"like \"Exception\""},
	    {"ERROR -DEBUG -\"health check\"",
		" | filter @message like \"ERROR\" and @message not like "
		"\"DEBUG\" and @message not like \"health check\""},
	    {"-DEBUG ERROR",
		" | filter @message not like \"DEBUG\" and @message like "
		"\"ERROR\""},
	    /* Characters an Insights literal or regex could misread. */
	    {"\"GET /pets/{id} | `x` 50% it's\"",
		" | filter @message like \"GET /pets/{id} | `x` 50% it's\""},
	    {"\"caf\xc3\xa9 \xe2\x9c\x93\"",
		" | filter @message like \"caf\xc3\xa9 \xe2\x9c\x93\""},
	    {"\"a\" \"b\"", " | filter @message like \"a\" and @message like "
			    "\"b\""},
	};
	static const struct {
		const char *pattern;
		const char *why; /* a part of the reason */
	} bad[] = {
	    {"{ $.level = \"ERROR\" }", "JSON"},
	    {"  {$.n > 5 && $.x IS NULL}", "JSON"},
	    {"[ip, user, ..., status=4*, size>100]", "space-delimited"},
	    {"%ERR.R%", "regex"},
	    {"?ERROR WARN", "mixed"},
	    {"ERROR ?WARN", "mixed"},
	    {"-DEBUG", "-terms only"},
	    {"-DEBUG -INFO", "-terms only"},
	    {"?-DEBUG", "'-' outside quotes"},
	    {"-?DEBUG", "'?' outside quotes"},
	    {"?", "outside quotes"},
	    {"ERROR -", "outside quotes"},
	    {"\"unclosed", "closed"},
	    {"\"\"", "closed"},
	    {"\"a\"b", "followed by a space"},
	    {"\"a\\\"b\"", "followed by a space"},
	    {"\"C:\\temp\"", "backslash"},
	    {"\"tab\there\"", "control"},
	    {"\"line\nbreak\"", "control"},
	    {"\"bad \xff utf8\"", "UTF-8"},
	    {"ERROR:", "':' outside quotes"},
	    {"a.b", "'.' outside quotes"},
	    {"caf\xc3\xa9", "outside quotes"},
	    {"a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F "
	     "G",
		"more than 32 terms"},
	};
	char *c, *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		why = NULL;
		c = command_of(ok[i].pattern, &why);
		if (c == NULL)
			fail_msg("%s: %s", ok[i].pattern, why);
		assert_null(why);
		assert_string_equal(c, ok[i].command);
		free(c);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		c = command_of(bad[i].pattern, &why);
		if (c != NULL)
			fail_msg("%s translated: %s", bad[i].pattern, c);
		assert_non_null(why);
		if (strstr(why, bad[i].why) == NULL)
			fail_msg("%s: '%s' lacks '%s'", bad[i].pattern, why,
			    bad[i].why);
		assert_null(strchr(why, '\n'));
		free(why);
	}
}

static void
test_matching(void **state)
{
	static const struct {
		const char *pattern;
		const char *msg;
		int match;
	} cases[] = {
	    {"", "anything", 1},
	    {"ERROR", "[ERROR 400] BAD REQUEST", 1},
	    {"ERROR", "[error 400] bad request", 0}, /* case-sensitive */
	    {"ERROR", "ERRORS", 1},                  /* a substring */
	    {"ERROR ARGUMENTS", "[ERROR 400] ARGUMENTS missing", 1},
	    {"ERROR ARGUMENTS", "[ERROR 400] BAD REQUEST", 0},
	    {"?ERROR ?WARN", "WARN disk", 1},
	    {"?ERROR ?WARN", "INFO disk", 0},
	    {"ERROR -Exiting", "ERROR failed", 1},
	    {"ERROR -Exiting", "ERROR Exiting now", 0},
	    {"ERROR -Exiting", "Exiting", 0},
	    {"\"INTERNAL SERVER ERROR\"", "500 INTERNAL SERVER ERROR", 1},
	    {"\"INTERNAL SERVER ERROR\"", "INTERNAL  SERVER ERROR", 0},
	    {"\"GET /pets\" -\"/pets/1\"", "GET /pets 200", 1},
	    {"\"GET /pets\" -\"/pets/1\"", "GET /pets/1 200", 0},
	};
	struct fpattern p;
	char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(fpattern_parse(cases[i].pattern, &p, &why), 0);
		if (fpattern_match(&p, cases[i].msg, strlen(cases[i].msg)) !=
		    cases[i].match)
			fail_msg("%s on '%s': not %d", cases[i].pattern,
			    cases[i].msg, cases[i].match);
		fpattern_free(&p);
	}
	fpattern_free(NULL);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_translations),
    cmocka_unit_test(test_matching),
};

TEST_MAIN(tests)
