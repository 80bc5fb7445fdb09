/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run every case of the JMESPath compliance suite (tests/data/jmespath/,
 * from jmespath/jmespath.test, MIT licence). Results are compared
 * structurally with numbers compared by value, errors by their type.
 * Benchmark cases without a result only have to evaluate without error.
 * Prints each failure and a final "RESULT passed failed" line counting
 * cases. Run from the repository root.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "query/jmespath.h"

#define DATA_DIR "tests/data/jmespath/"

/* The suite's files; every one must be present. */
static const char *files[] = {
    "basic.json",
    "benchmarks.json",
    "boolean.json",
    "current.json",
    "escape.json",
    "filters.json",
    "functions.json",
    "identifiers.json",
    "indices.json",
    "literal.json",
    "multiselect.json",
    "pipe.json",
    "slice.json",
    "syntax.json",
    "unicode.json",
    "wildcard.json",
};

/* The number of cases in the files above, so that none can go missing. */
#define EXPECTED_CASES 908

static int passed, failed;

/* Structural equality, numbers by value, independent of the library. */
static int
same(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *va;
	size_t i;

	if (json_is_number(a) && json_is_number(b))
		return (json_number_value(a) == json_number_value(b));
	if (json_typeof(a) != json_typeof(b))
		return (0);
	switch (json_typeof(a)) {
	case JSON_STRING:
		return (json_string_length(a) == json_string_length(b) &&
			memcmp(json_string_value(a), json_string_value(b),
			    json_string_length(a)) == 0);
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return (0);
		for (i = 0; i < json_array_size(a); i++)
			if (!same(json_array_get(a, i), json_array_get(b, i)))
				return (0);
		return (1);
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return (0);
		json_object_foreach((json_t *)a, key,
		    va) if (json_object_get(b, key) == NULL ||
			    !same(va, json_object_get(b, key))) return (0);
		return (1);
	default:
		return (1);
	}
}

/* Print a value compactly on stdout. */
static void
show(const char *label, const json_t *v)
{
	char *s;

	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	printf("  %s %s\n", label, s != NULL ? s : "(unprintable)");
	free(s);
}

/* Run one case against given; count it and report a failure. */
static void
run_case(const char *file, json_t *given, json_t *tcase)
{
	struct jmespath_error err;
	struct jmespath *jp;
	json_t *want, *got = NULL, *bench;
	const char *expr, *want_err;
	int ok;

	expr = json_string_value(json_object_get(tcase, "expression"));
	want = json_object_get(tcase, "result");
	want_err = json_string_value(json_object_get(tcase, "error"));
	bench = json_object_get(tcase, "bench");
	if (expr == NULL) {
		printf("FAIL %s: case without an expression\n", file);
		failed++;
		return;
	}
	jp = jmespath_compile(expr, &err);
	if (jp != NULL)
		got = jmespath_search(jp, given, &err);
	if (want_err != NULL)
		ok = got == NULL &&
		     strcmp(jmespath_errkind_name(err.kind), want_err) == 0;
	else if (want != NULL)
		ok = got != NULL && same(want, got);
	else
		ok = got != NULL && bench != NULL;
	if (ok)
		passed++;
	else {
		failed++;
		printf("FAIL %s: %s\n", file, expr);
		if (want_err != NULL)
			printf("  expected error %s\n", want_err);
		else if (want != NULL)
			show("expected", want);
		else
			printf("  expected no error\n");
		if (got != NULL)
			show("got", got);
		else
			printf("  got error %s: %s\n",
			    jmespath_errkind_name(err.kind), err.msg);
	}
	json_decref(got);
	jmespath_free(jp);
}

/* Run every case of one file; a file that does not load is a failure. */
static size_t
run_file(const char *name)
{
	char path[256];
	json_error_t jerr;
	json_t *suite, *group, *tcase, *cases;
	size_t i, j, n = 0;

	snprintf(path, sizeof path, "%s%s", DATA_DIR, name);
	suite = json_load_file(path, 0, &jerr);
	if (suite == NULL || !json_is_array(suite)) {
		printf("FAIL %s: cannot load: %s\n", path, jerr.text);
		failed++;
		json_decref(suite);
		return (0);
	}
	json_array_foreach(suite, i, group)
	{
		cases = json_object_get(group, "cases");
		json_array_foreach(cases, j, tcase)
		{
			run_case(name, json_object_get(group, "given"), tcase);
			n++;
		}
	}
	json_decref(suite);
	return (n);
}

/* Run every file, check the case count, print the RESULT line. */
int
main(void)
{
	size_t i, total = 0;

	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		total += run_file(files[i]);
	if (total != EXPECTED_CASES) {
		printf("FAIL: ran %zu cases, the suite has %d\n", total,
		    EXPECTED_CASES);
		failed++;
	}
	printf("RESULT %d %d\n", passed, failed);
	return (failed != 0);
}
