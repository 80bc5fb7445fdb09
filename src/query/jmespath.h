/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath (https://jmespath.org/specification.html) over jansson values.
 *
 * A self-contained module: it needs only libc and jansson >= 2.14, so the
 * files src/jmespath*.[ch] can be copied into another project as they are.
 *
 *	struct jmespath_error	 err;
 *	struct jmespath		*jp;
 *	json_t			*out;
 *
 *	jp = jmespath_compile("people[?age > `30`].name | sort(@)", &err);
 *	if (jp == NULL)
 *		errx(1, "%s error: %s", jmespath_errkind_name(err.kind),
 *		    err.msg);
 *	out = jmespath_search(jp, doc, &err);
 *	...
 *	json_decref(out);
 *	jmespath_free(jp);
 *
 * A compiled expression is immutable: one can be searched many times, also
 * from several threads at once. Results may share sub-values with the data
 * and with the expression's literals; treat them as read-only, or
 * json_deep_copy() them before changing them.
 */
#ifndef JMESPATH_H
#define JMESPATH_H

#include <stddef.h>

#include <jansson.h>

/*
 * Expressions nested deeper than this (parentheses, projections, function
 * arguments, ...) are refused with a syntax error, so that neither the
 * parser nor the evaluator can exhaust the stack.
 */
#define JMESPATH_MAX_DEPTH 256

/*
 * A search that takes more steps than this fails with invalid-value, so
 * that expressions like [@,@][] | [@,@][] | ... cannot use up memory or
 * time (see jmespath_search_limit() for another limit). A step is a node
 * evaluated, an array element or object member made or walked by a
 * function, a byte of to_string(), join() or reverse() output, or a value
 * compared.
 */
#define JMESPATH_MAX_WORK ((size_t)1 << 24)

/* The error types of the JMESPath compliance suite. */
enum jmespath_errkind {
	JMESPATH_OK,
	JMESPATH_ERR_SYNTAX,
	JMESPATH_ERR_INVALID_TYPE,
	JMESPATH_ERR_INVALID_VALUE,
	JMESPATH_ERR_INVALID_ARITY,
	JMESPATH_ERR_UNKNOWN_FUNCTION
};

struct jmespath_error {
	enum jmespath_errkind kind;
	size_t pos;    /* byte offset in the expression */
	char msg[256]; /* one line, no newline */
};

struct jmespath; /* a compiled expression, immutable */

/*
 * Compile expr. Return NULL and fill err (which may be NULL) on error:
 * syntax errors, unknown functions, wrong argument counts and slices with
 * a zero step are all found here. Caller frees with jmespath_free().
 */
struct jmespath *jmespath_compile(const char *expr, struct jmespath_error *err);

/*
 * Evaluate a compiled expression against data (NULL counts as JSON null).
 * Return a new reference, json_null() for a null result, or NULL with err
 * (which may be NULL) filled on an evaluation error such as invalid-type.
 * Caller frees with json_decref().
 */
json_t *jmespath_search(
    const struct jmespath *, json_t *data, struct jmespath_error *err);

/*
 * jmespath_search() with a work limit other than JMESPATH_MAX_WORK: lower
 * for untrusted expressions, higher for very large documents.
 */
json_t *jmespath_search_limit(const struct jmespath *, json_t *data,
    size_t max_work, struct jmespath_error *err);

/* Free a compiled expression. Accepts NULL. */
void jmespath_free(struct jmespath *);

/* The suite's name of an error kind: "syntax", "invalid-type", ... */
const char *jmespath_errkind_name(enum jmespath_errkind);

#endif
