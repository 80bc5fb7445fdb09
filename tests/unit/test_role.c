/* SPDX-License-Identifier: Apache-2.0 */
/* Roles of discovered log groups: names, text and the way back. */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "discover/role.h"

/* Every role's text reads back as the same role and function. */
static void
test_round_trip(void **state)
{
	static const struct {
		enum discover_role role;
		const char *function;
		const char *text;
	} c[] = {
	    {DISCOVER_ROLE_EXECUTION, NULL, "execution"},
	    {DISCOVER_ROLE_ACCESS, NULL, "access"},
	    {DISCOVER_ROLE_LAMBDA, "orders", "lambda:orders"},
	    {DISCOVER_ROLE_AUTHORIZER, "auth-token", "authorizer:auth-token"},
	    {DISCOVER_ROLE_STATES, "checkout", "states:checkout"},
	    {DISCOVER_ROLE_LOGGROUP, NULL, "loggroup"},
	    /* A qualified name keeps its colons after the first. */
	    {DISCOVER_ROLE_LAMBDA, "f:live", "lambda:f:live"},
	};
	enum discover_role role;
	char *text, *function;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		text = discover_role_format(c[i].role, c[i].function);
		assert_string_equal(text, c[i].text);
		assert_int_equal(
		    discover_role_parse(text, &role, &function), 0);
		assert_int_equal(role, c[i].role);
		if (c[i].function == NULL)
			assert_null(function);
		else
			assert_string_equal(function, c[i].function);
		free(function);
		free(text);
	}
	assert_null(discover_role_format(DISCOVER_ROLE_NONE, "x"));
	assert_null(discover_role_name(DISCOVER_ROLE_NONE));
}

/* Text that is not a role is refused, and leaves NONE behind. */
static void
test_parse_rejects(void **state)
{
	static const char *bad[] = {"", "lambda", "authorizer", "execution:x",
	    "access:", "Lambda:f", "lambdas:f", "exec", ":f", "states",
	    "loggroup:x"};
	enum discover_role role;
	char *function;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		role = DISCOVER_ROLE_LAMBDA;
		function = (char *)"unchanged";
		assert_int_equal(
		    discover_role_parse(bad[i], &role, &function), -1);
		assert_int_equal(role, DISCOVER_ROLE_NONE);
		assert_null(function);
	}
}

/* The enum's order is the order discovery lists sources in. */
static void
test_order(void **state)
{
	(void)state;
	assert_true(DISCOVER_ROLE_EXECUTION < DISCOVER_ROLE_ACCESS);
	assert_true(DISCOVER_ROLE_ACCESS < DISCOVER_ROLE_LAMBDA);
	assert_true(DISCOVER_ROLE_LAMBDA < DISCOVER_ROLE_AUTHORIZER);
	assert_string_equal(
	    discover_role_name(DISCOVER_ROLE_AUTHORIZER), "authorizer");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_parse_rejects),
    cmocka_unit_test(test_order),
};

TEST_MAIN(tests)
