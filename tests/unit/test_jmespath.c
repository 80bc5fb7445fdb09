/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for the JMESPath module beyond the compliance suite: error kinds,
 * positions and messages, the depth limit, null results, integers versus
 * reals, ownership of results and leaks on error paths.
 */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "query/jmespath.h"

/* Compile expr and search doc (a JSON text); NULL on any error. */
static json_t *
run(const char *expr, const char *doc, struct jmespath_error *err)
{
	struct jmespath *jp;
	json_t *data, *out = NULL;

	data = json_loads(doc, JSON_DECODE_ANY, NULL);
	assert_non_null(data);
	jp = jmespath_compile(expr, err);
	if (jp != NULL)
		out = jmespath_search(jp, data, err);
	jmespath_free(jp);
	json_decref(data);
	return (out);
}

/* Assert that expr on doc gives the JSON text want, compared exactly. */
static void
expect(const char *expr, const char *doc, const char *want)
{
	struct jmespath_error err;
	json_t *out;
	char *s;

	out = run(expr, doc, &err);
	if (out == NULL)
		fail_msg("%s: error %s: %s", expr,
		    jmespath_errkind_name(err.kind), err.msg);
	s = json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT);
	if (strcmp(s, want) != 0)
		fail_msg("%s: got %s, want %s", expr, s, want);
	free(s);
	json_decref(out);
}

/* Assert that expr on doc fails with kind, at pos, with message msg. */
static void
expect_err(const char *expr, const char *doc, enum jmespath_errkind kind,
    size_t pos, const char *msg)
{
	struct jmespath_error err;
	json_t *out;

	out = run(expr, doc, &err);
	if (out != NULL) {
		json_decref(out);
		fail_msg("%s: no error", expr);
	}
	if (err.kind != kind || err.pos != pos ||
	    (msg != NULL && strcmp(err.msg, msg) != 0))
		fail_msg("%s: got %s at %zu \"%s\"", expr,
		    jmespath_errkind_name(err.kind), err.pos, err.msg);
}

/* The suite's names for every error kind. */
static void
test_errkind_names(void **state)
{
	(void)state;
	assert_string_equal(jmespath_errkind_name(JMESPATH_OK), "ok");
	assert_string_equal(
	    jmespath_errkind_name(JMESPATH_ERR_SYNTAX), "syntax");
	assert_string_equal(
	    jmespath_errkind_name(JMESPATH_ERR_INVALID_TYPE), "invalid-type");
	assert_string_equal(
	    jmespath_errkind_name(JMESPATH_ERR_INVALID_VALUE), "invalid-value");
	assert_string_equal(
	    jmespath_errkind_name(JMESPATH_ERR_INVALID_ARITY), "invalid-arity");
	assert_string_equal(
	    jmespath_errkind_name(JMESPATH_ERR_UNKNOWN_FUNCTION),
	    "unknown-function");
}

/* Syntax errors: kind, byte position and the exact message. */
static void
test_syntax_errors(void **state)
{
	(void)state;
	expect_err("foo[0, ]", "{}", JMESPATH_ERR_SYNTAX, 5,
	    "unexpected token ',' at position 5, expected ']'");
	expect_err("foo[abc, ]", "{}", JMESPATH_ERR_SYNTAX, 4,
	    "unexpected token 'abc' at position 4, expected a number, ':' "
	    "or '*'");
	expect_err("[a, ]", "{}", JMESPATH_ERR_SYNTAX, 4,
	    "unexpected token ']' at position 4");
	expect_err("a==", "{}", JMESPATH_ERR_SYNTAX, 3,
	    "unexpected end of expression at position 3");
	expect_err("", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "unexpected end of expression at position 0");
	expect_err("foo.]", "{}", JMESPATH_ERR_SYNTAX, 4,
	    "unexpected token ']' at position 4, expected an identifier, "
	    "'*', '[' or '{'");
	expect_err("a b", "{}", JMESPATH_ERR_SYNTAX, 2,
	    "unexpected token 'b' at position 2");
	expect_err("abc#", "{}", JMESPATH_ERR_SYNTAX, 3,
	    "unexpected character '#' at position 3");
	expect_err("ab\xc3\xa9", "{}", JMESPATH_ERR_SYNTAX, 2,
	    "unexpected character '\xc3\xa9' at position 2");
	expect_err("foo[?a = `1`]", "{}", JMESPATH_ERR_SYNTAX, 7,
	    "unexpected character '=' (did you mean '=='?) at position 7");
	expect_err("a || 'abc", "{}", JMESPATH_ERR_SYNTAX, 5,
	    "unterminated raw string at position 5");
	expect_err("\"fo", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "unterminated quoted identifier at position 0");
	expect_err("`[1]", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "unterminated literal at position 0");
	expect_err("x.\"\\u\"", "{}", JMESPATH_ERR_SYNTAX, 2,
	    "invalid quoted identifier at position 2: invalid escape");
	expect_err("`\"a\" \"b`", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "invalid JSON literal at position 0");
	expect_err("&foo", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "'&' outside a function argument at position 0");
	expect_err("\"abs\"(@)", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "quoted identifier used as a function name at position 0");
	expect_err("(a)(b)", "{}", JMESPATH_ERR_SYNTAX, 3,
	    "unexpected token '(' at position 3");
	expect_err("abs(@,)", "{}", JMESPATH_ERR_SYNTAX, 6,
	    "unexpected token ')' at position 6, expected an argument");
	expect_err("a[1:2:3:4]", "{}", JMESPATH_ERR_SYNTAX, 7,
	    "unexpected token ':' at position 7, expected a number or ']'");
	expect_err("a[1 2]", "{}", JMESPATH_ERR_SYNTAX, 4,
	    "unexpected token '2' at position 4, expected ']'");
	/* Long tokens are cut, not at a UTF-8 continuation byte. */
	expect_err("a `\"012345678901234567890\xc3\xa9\"`", "{}",
	    JMESPATH_ERR_SYNTAX, 2,
	    "unexpected token '`\"012345678901234567890...' at position 2");
	expect_err("a[-]", "{}", JMESPATH_ERR_SYNTAX, 2,
	    "unexpected character '-' at position 2");
	expect_err("\x01", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "unexpected byte 0x01 at position 0");
	expect_err("a\xe2\x9c\x93", "{}", JMESPATH_ERR_SYNTAX, 1,
	    "unexpected character '\xe2\x9c\x93' at position 1");
	expect_err("\xf0\x9f\x98\x80", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "unexpected character '\xf0\x9f\x98\x80' at position 0");
	expect_err("\xe2\x9c", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "unexpected byte 0xe2 at position 0");
	expect_err("'\xff'", "{}", JMESPATH_ERR_SYNTAX, 0,
	    "invalid UTF-8 in raw string at position 0");
	/* Syntax errors win over unknown functions found earlier. */
	expect_err("nope(@) ]", "{}", JMESPATH_ERR_SYNTAX, 8, NULL);
}

/* Errors found at compile time, whatever the data. */
static void
test_compile_time_errors(void **state)
{
	struct jmespath_error err;

	(void)state;
	/* Found at compile time, whatever the data and even if unreached. */
	assert_null(jmespath_compile("`1` || nope(@)", &err));
	assert_int_equal(err.kind, JMESPATH_ERR_UNKNOWN_FUNCTION);
	assert_int_equal(err.pos, 7);
	assert_string_equal(err.msg, "unknown function nope() at position 7");
	expect_err("a.abs(@, @)", "{}", JMESPATH_ERR_INVALID_ARITY, 2,
	    "abs() takes 1 argument but 2 were given at position 2");
	expect_err("not_null()", "{}", JMESPATH_ERR_INVALID_ARITY, 0,
	    "not_null() takes at least 1 argument but 0 were given at "
	    "position 0");
	expect_err("foo[8:2:0]", "null", JMESPATH_ERR_INVALID_VALUE, 3,
	    "slice step cannot be 0 at position 3");
	/* The leftmost of several is reported. */
	expect_err(
	    "[x(), abs()]", "{}", JMESPATH_ERR_UNKNOWN_FUNCTION, 1, NULL);
}

/* Errors found while searching: types, key types, overflow. */
static void
test_runtime_errors(void **state)
{
	(void)state;
	expect_err("a[*].abs(@)", "{\"a\": [1, \"x\"]}",
	    JMESPATH_ERR_INVALID_TYPE, 5,
	    "invalid type for argument 1 of abs() at position 5: expected "
	    "number, got string");
	expect_err("sum(@)", "[1, true]", JMESPATH_ERR_INVALID_TYPE, 0,
	    "invalid type for argument 1 of sum() at position 0: expected "
	    "array of numbers, got an array with an element of type boolean");
	expect_err("sort(@)", "[\"a\", 1]", JMESPATH_ERR_INVALID_TYPE, 0, NULL);
	expect_err("sort_by(@, &a)", "[{\"a\": 1}, {\"a\": \"x\"}]",
	    JMESPATH_ERR_INVALID_TYPE, 0,
	    "sort_by() expression at position 0 must give all numbers or all "
	    "strings, got number and string");
	expect_err("max_by(@, &a)", "[{\"a\": true}]",
	    JMESPATH_ERR_INVALID_TYPE, 0, NULL);
	expect_err("map(@, @)", "[]", JMESPATH_ERR_INVALID_TYPE, 0,
	    "invalid type for argument 1 of map() at position 0: expected "
	    "expression (&expr), got array");
	expect_err("length(&a)", "[]", JMESPATH_ERR_INVALID_TYPE, 0, NULL);
	expect_err("sum(@)", "[1e308, 1e308]", JMESPATH_ERR_INVALID_VALUE, 0,
	    "sum() result out of range at position 0");
}

/* Nest n copies of open around middle, closed by n copies of close. */
static char *
nest(const char *open, const char *middle, const char *close, int n)
{
	size_t lo = strlen(open), lc = strlen(close), lm = strlen(middle);
	char *s, *p;
	int i;

	s = malloc((lo + lc) * (size_t)n + lm + 1);
	assert_non_null(s);
	p = s;
	for (i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, middle, lm);
	p += lm;
	for (i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return (s);
}

/* Assert whether expr compiles; when it does not, it is "too deep". */
static void
expect_depth(char *expr, int ok)
{
	struct jmespath_error err;
	struct jmespath *jp;

	jp = jmespath_compile(expr, &err);
	if (ok && jp == NULL)
		fail_msg("%.40s...: %s", expr, err.msg);
	if (!ok) {
		assert_null(jp);
		assert_int_equal(err.kind, JMESPATH_ERR_SYNTAX);
		assert_non_null(strstr(err.msg, "nested too deeply"));
	}
	jmespath_free(jp);
	free(expr);
}

/* Deep nesting is refused; long flat chains are not. */
static void
test_depth_limit(void **state)
{
	struct jmespath *jp;
	json_t *out;
	char *s;
	int i;

	(void)state;
	expect_depth(nest("(", "a", ")", 200), 1);
	expect_depth(nest("(", "a", ")", JMESPATH_MAX_DEPTH + 1), 0);
	expect_depth(nest("(", "a", ")", 100000), 0);
	expect_depth(nest("[", "a", "]", 100000), 0);
	expect_depth(nest("!", "a", "", 300), 0);
	expect_depth(nest("abs(", "@", ")", 300), 0);
	expect_depth(nest("{a:", "b", "}", 300), 0);
	expect_depth(nest("", "a", "[]", 100), 1);
	/* Left-deep chains are caught by the tree height. */
	expect_depth(nest("", "a", "[]", 300), 0);
	expect_depth(nest("", "a", "==a", 300), 0);
	/* a.a.a... and a|a|a... stay flat, however long. */
	s = nest("a.", "a", "", 20000);
	jp = jmespath_compile(s, NULL);
	free(s);
	assert_non_null(jp);
	out = jmespath_search(jp, NULL, NULL);
	assert_true(json_is_null(out));
	jmespath_free(jp);
	s = nest("a|", "a", "", 20000);
	expect_depth(s, 1);
	/* 104 nested projections, as in the suite's benchmarks. */
	s = malloc(104 * 5 + 1);
	assert_non_null(s);
	s[0] = '\0';
	for (i = 0; i < 104; i++)
		strcat(s, i == 0 ? "a[*]" : ".a[*]");
	expect_depth(s, 1);
}

/* Join n copies of part with sep around them, between head and tail. */
static char *
repeat(const char *head, const char *part, const char *sep, int n,
    const char *tail)
{
	size_t len;
	char *s;
	int i;

	len = strlen(head) + (strlen(part) + strlen(sep)) * (size_t)n +
	      strlen(tail) + 1;
	s = malloc(len);
	assert_non_null(s);
	strcpy(s, head);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, sep);
		strcat(s, part);
	}
	strcat(s, tail);
	return (s);
}

/* Assert that expr on doc runs out of work with a limit of max steps. */
static void
expect_too_expensive(char *expr, const char *doc, size_t max)
{
	struct jmespath_error err;
	struct jmespath *jp;
	json_t *data, *out;

	data = json_loads(doc, JSON_DECODE_ANY, NULL);
	assert_non_null(data);
	jp = jmespath_compile(expr, &err);
	if (jp == NULL)
		fail_msg("%.60s: %s", expr, err.msg);
	out = jmespath_search_limit(jp, data, max, &err);
	if (out != NULL)
		fail_msg("%.60s: no error", expr);
	if (err.kind != JMESPATH_ERR_INVALID_VALUE ||
	    strstr(err.msg, "too expensive") == NULL)
		fail_msg("%.60s: %s", expr, err.msg);
	jmespath_free(jp);
	json_decref(data);
	free(expr);
}

/* Searches that would explode stop at the work limit. */
static void
test_work_limit(void **state)
{
	struct jmespath_error err;
	struct jmespath *jp;
	json_t *data, *out;
	size_t i;
	char *s, *t;

	(void)state;
	/* The default limit stops an array that doubles at every step. */
	expect_too_expensive(
	    repeat("", "[@,@][]", "|", 30, ""), "[1]", JMESPATH_MAX_WORK);
	/* So does a smaller one, for the text, a comparison, contains(). */
	expect_too_expensive(
	    repeat("", "[@,@]", "|", 40, " | to_string(@)"), "[1]", 10000);
	t = repeat("(", "[@,@]", "|", 40, ")");
	expect_too_expensive(repeat("", t, " == ", 2, ""), "[1]", 10000);
	s = repeat("contains([", t, "", 1, "], ");
	expect_too_expensive(repeat(s, t, "", 1, ")"), "[1]", 10000);
	free(s);
	free(t);
	expect_too_expensive(
	    repeat("join('', [", "@", ",", 100, "])"), "\"0123456789\"", 500);
	expect_too_expensive(
	    repeat("", "@", "|", 1, "[*].a"), "[{\"a\": 1}, {}, {}]", 4);
	expect_too_expensive(
	    repeat("", "reverse(@)", "", 1, ""), "\"0123456789\"", 5);
	/* Exactly enough: 2 nodes (the call, @) and 3 elements walked. */
	data = json_loads("[1, 2, 3]", 0, NULL);
	jp = jmespath_compile("length(@)", NULL);
	out = jmespath_search_limit(jp, data, 5, &err);
	assert_int_equal(json_integer_value(out), 3);
	json_decref(out);
	assert_null(jmespath_search_limit(jp, data, 4, &err));
	assert_string_equal(err.msg, "expression too expensive at position 0: "
				     "more than 4 steps");
	jmespath_free(jp);
	json_decref(data);
	/* Plenty of room for real work: 200000 elements, projected twice. */
	data = json_array();
	for (i = 0; i < 200000; i++)
		json_array_append_new(data, json_pack("{s:i}", "a", (int)i));
	jp = jmespath_compile("[*].a | sum([?@ >= `0`])", NULL);
	out = jmespath_search(jp, data, NULL);
	assert_non_null(out);
	assert_int_equal(json_integer_value(out), 19999900000LL);
	json_decref(out);
	jmespath_free(jp);
	json_decref(data);
}

/* Null results are json_null(), not errors; NULL arguments. */
static void
test_null_results(void **state)
{
	struct jmespath_error err;
	struct jmespath *jp;
	json_t *out;

	(void)state;
	jp = jmespath_compile("foo.bar", &err);
	assert_non_null(jp);
	out = jmespath_search(jp, NULL, &err);
	assert_ptr_equal(out, json_null());
	assert_int_equal(err.kind, JMESPATH_OK);
	assert_string_equal(err.msg, "");
	jmespath_free(jp);
	expect("missing", "{}", "null");
	expect("a[5]", "{\"a\": [1]}", "null");
	expect("a.length(@)", "{}", "null");
	expect("a[*].b", "{\"a\": [{\"c\": 1}]}", "[]");
	expect("{x: a}", "null", "null");
	expect("`null`", "{}", "null");
	/* NULL err and NULL expressions are allowed. */
	assert_null(jmespath_compile("a[", NULL));
	assert_null(jmespath_compile(NULL, &err));
	assert_int_equal(err.kind, JMESPATH_ERR_SYNTAX);
	assert_null(jmespath_search(NULL, NULL, &err));
	jmespath_free(NULL);
}

/* Integers and reals compare by value and keep Python's types. */
static void
test_numbers(void **state)
{
	struct jmespath_error err;
	json_t *out;

	(void)state;
	expect("a == `1.0`", "{\"a\": 1}", "true");
	expect("[a] == `[1.0]`", "{\"a\": 1}", "true");
	expect("{x: a} == `{\"x\": 1.0}`", "{\"a\": 1}", "true");
	expect("contains(@, `2.0`)", "[1, 2]", "true");
	expect("a < `1.5`", "{\"a\": 1}", "true");
	expect("a >= `1.0`", "{\"a\": 1}", "true");
	expect("`9007199254740993` > `9007199254740992.0`", "{}", "true");
	expect("`9007199254740993` == `9007199254740992.0`", "{}", "false");
	expect("sort(@)", "[2, 1.5, 1, -0.5]", "[-0.5,1,1.5,2]");
	expect("[`1e300` > `5`, `-1e300` < `5`, `5` < `5.5`, `5` > `4.5`]",
	    "{}", "[true,true,true,true]");
	expect("[`5.5` > `5`, `4.5` < `5`, `5.0` <= `5`, `5` >= `5.0`]", "{}",
	    "[true,true,true,true]");
	expect("a[99999999999999999999]", "{\"a\": [1]}", "null");
	expect("a[-99999999999999999999:99999999999999999999]",
	    "{\"a\": [1, 2]}", "[1,2]");
	expect("abs(`-1.5`)", "{}", "1.5");
	expect("to_string(abs(`-9223372036854775808`))", "{}",
	    "\"9.223372036854776e+18\"");
	expect("ceil(`3`)", "{}", "3");
	expect("to_number('-0.5e1')", "{}", "-5.0");
	expect("to_number('1e999')", "{}", "null");
	expect("[to_number('01'), to_number('1.e1'), to_number('-')]", "{}",
	    "[null,null,null]");
	expect("max(@)", "[1, 2.5, 2]", "2.5");
	expect("floor(`1.5`)", "{}", "1");
	expect("ceil(`-0.5`)", "{}", "0");
	expect("to_string(ceil(`1e300`))", "{}", "\"1e+300\"");
	expect("sum(@)", "[1, 2]", "3");
	expect("sum(@)", "[1, 2.5]", "3.5");
	expect("avg(@)", "[1, 2]", "1.5");
	expect("abs(`-9223372036854775807`)", "{}", "9223372036854775807");
	expect("to_number('12')", "{}", "12");
	expect("to_number('1e2')", "{}", "100.0");
	expect(
	    "to_string(to_number('99999999999999999999'))", "{}", "\"1e+20\"");
	expect("to_number(' 1')", "{}", "null");
	expect("to_number('1.')", "{}", "null");
	/* Exact types, not just values. */
	out = run("floor(`2.5`)", "{}", &err);
	assert_true(json_is_integer(out));
	json_decref(out);
	out = run("sum(@)", "[1, 2]", &err);
	assert_true(json_is_integer(out));
	json_decref(out);
	out = run("avg(@)", "[2, 2]", &err);
	assert_true(json_is_real(out));
	json_decref(out);
	/* to_string: compact JSON, reals as the reference prints them. */
	expect("to_string(`1.0`)", "{}", "\"1.0\"");
	expect("to_string(`0.1`)", "{}", "\"0.1\"");
	expect("to_string(`100.0`)", "{}", "\"100.0\"");
	expect("to_string(`1e16`)", "{}", "\"1e+16\"");
	expect("to_string(`1.5e-7`)", "{}", "\"1.5e-07\"");
	expect("to_string(`0.0001`)", "{}", "\"0.0001\"");
	expect("to_string(`-0.0`)", "{}", "\"-0.0\"");
	expect("to_string(`123456789.125`)", "{}", "\"123456789.125\"");
	expect("to_string(@)", "{\"a\": [1, 2.5, \"x\\n\"], \"b\": null}",
	    "\"{\\\"a\\\":[1,2.5,\\\"x\\\\n\\\"],\\\"b\\\":null}\"");
}

/* Code points, escapes, elided literals and NUL bytes in keys. */
static void
test_strings(void **state)
{
	struct jmespath *jp;
	json_t *data, *out;

	(void)state;
	expect("length('\xe2\x9c\x93"
	       "foo')",
	    "{}", "4");
	expect("reverse('a\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80')", "{}",
	    "\"\xf0\x9f\x98\x80\xe2\x9c\x93\xc3\xa9"
	    "a\"");
	expect("to_string(`\"\xc3\xa9\"`)", "{}", "\"\xc3\xa9\"");
	expect("to_string([`\"q\\\"b\\\\r\\r\\t\\b\\f\\u0001/\"`, `true`, "
	       "`false`])",
	    "{}",
	    "\"[\\\"q\\\\\\\"b\\\\\\\\r\\\\r\\\\t\\\\b\\\\f\\\\u0001/"
	    "\\\",true,false]\"");
	expect("contains('abc', `1`)", "{}", "false");
	expect("'it\\'s \\\\ \\u00e9'", "{}", "\"it's \\\\\\\\ \\\\u00e9\"");
	expect("`foo`", "{}", "\"foo\"");
	expect("`  foo bar`", "{}", "\"foo bar\"");
	expect("\"\\ud83d\\ude00\"", "{\"\xf0\x9f\x98\x80\": 1}", "1");
	expect("sort(@)", "[\"b\", \"\xc3\xa9\", \"a\"]",
	    "[\"a\",\"b\",\"\xc3\xa9\"]");
	expect("`99999999999999999999` == `1e20`", "{}", "true");
	/* Keys holding NUL bytes. */
	data = json_object();
	assert_int_equal(
	    json_object_setn_new(data, "a\0b", 3, json_integer(7)), 0);
	jp = jmespath_compile("[\"a\\u0000b\", keys(@)[0] == 'a']", NULL);
	assert_non_null(jp);
	out = jmespath_search(jp, data, NULL);
	assert_non_null(out);
	assert_int_equal(json_integer_value(json_array_get(out, 0)), 7);
	assert_true(json_is_false(json_array_get(out, 1)));
	json_decref(out);
	jmespath_free(jp);
	json_decref(data);
}

/* Results are references into the data; reuse of jp. */
static void
test_results_share_data(void **state)
{
	struct jmespath *jp;
	json_t *data, *out;

	(void)state;
	data = json_loads("{\"a\": [1, 2]}", 0, NULL);
	jp = jmespath_compile("a", NULL);
	out = jmespath_search(jp, data, NULL);
	assert_ptr_equal(out, json_object_get(data, "a"));
	assert_int_equal(out->refcount, 2);
	json_decref(out);
	jmespath_free(jp);
	/* One compiled expression, many searches. */
	jp = jmespath_compile("a[?@ > `1`] | [0]", NULL);
	out = jmespath_search(jp, data, NULL);
	assert_int_equal(json_integer_value(out), 2);
	json_decref(out);
	json_array_append_new(json_object_get(data, "a"), json_integer(3));
	json_array_remove(json_object_get(data, "a"), 1);
	out = jmespath_search(jp, data, NULL);
	assert_int_equal(json_integer_value(out), 3);
	json_decref(out);
	jmespath_free(jp);
	assert_int_equal(data->refcount, 1);
	json_decref(data);
}

static size_t live;

/* Counting allocator for jansson, to see every json_t come back. */
static void *
count_malloc(size_t n)
{
	size_t *p;

	p = malloc(n + sizeof *p);
	if (p == NULL)
		return (NULL);
	*p = n;
	live++;
	return (p + 1);
}

/* Counting free() to match count_malloc(). */
static void
count_free(void *p)
{
	if (p == NULL)
		return;
	live--;
	free((size_t *)p - 1);
}

/* Every jansson allocation comes back on error paths. */
static void
test_no_leaks_on_errors(void **state)
{
	static const char *exprs[] = {
	    "a[?abs(c) > `1`]",
	    "a[*].[b, abs(c)]",
	    "a[*].{x: b, y: abs(c)}",
	    "map(&abs(c), a)",
	    "sort_by(a, &c)",
	    "max_by(a, &c)",
	    "a[*].x || abs(a)",
	    "a[?c] | [0].merge(@, `1`)",
	    "not_null(a, b, abs('x'))",
	    "`{\"x\": [1, 2]}` ]",
	    "{a: `[1]`, b: 'x', c: nope(`{}`)}",
	    "[`[1, {\"a\": 2}]`, abs()]",
	    "a[::0].`{\"x\": 1}`",
	    "a[*].sum([b, `1e308`, `1e308`])",
	    "'x' == `\"y\"` == (",
	};
	json_malloc_t omalloc;
	json_free_t ofree;
	struct jmespath_error err;
	struct jmespath *jp;
	json_t *data, *out;
	size_t before, i;

	(void)state;
	json_get_alloc_funcs(&omalloc, &ofree);
	json_set_alloc_funcs(count_malloc, count_free);
	data = json_loads("{\"a\": [{\"b\": 1, \"c\": 2}, {\"b\": [], \"c\": "
			  "\"s\"}, {\"c\": null}]}",
	    0, NULL);
	assert_non_null(data);
	before = live;
	for (i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		out = NULL;
		jp = jmespath_compile(exprs[i], &err);
		if (jp != NULL)
			out = jmespath_search(jp, data, &err);
		jmespath_free(jp);
		if (out != NULL)
			fail_msg("%s: expected an error", exprs[i]);
		if (live != before)
			fail_msg("%s: %zu jansson blocks leaked", exprs[i],
			    live - before);
	}
	json_decref(data);
	json_set_alloc_funcs(omalloc, ofree);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_errkind_names),
    cmocka_unit_test(test_syntax_errors),
    cmocka_unit_test(test_compile_time_errors),
    cmocka_unit_test(test_runtime_errors),
    cmocka_unit_test(test_depth_limit),
    cmocka_unit_test(test_work_limit),
    cmocka_unit_test(test_null_results),
    cmocka_unit_test(test_numbers),
    cmocka_unit_test(test_strings),
    cmocka_unit_test(test_results_share_data),
    cmocka_unit_test(test_no_leaks_on_errors),
};

TEST_MAIN(tests)
