/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath function calls: evaluate the arguments, check them against the
 * function's signature (invalid-type errors name the argument, what was
 * expected and what was given), charge the work budget, run the function.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

/* Describe a type mask for an error message: "number or string". */
static void
mask_describe(unsigned mask, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
	    {JT_NUMBER, "number"},
	    {JT_STRING, "string"},
	    {JT_BOOL, "boolean"},
	    {JT_NULL, "null"},
	    {JT_ARRAY, "array"},
	    {JT_OBJECT, "object"},
	    {JT_EXPREF, "expression (&expr)"},
	    {JT_ARRAY_NUMBER, "array of numbers"},
	    {JT_ARRAY_STRING, "array of strings"},
	};
	size_t i, n = 0;

	buf[0] = '\0';
	if ((mask & JT_ANY) == JT_ANY) {
		snprintf(buf, size, "any value");
		return;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((mask & names[i].bit) == 0)
			continue;
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", n > 0 ? " or " : "",
		    names[i].name);
	}
}

/* Check argument i against mask; fill an invalid-type error if wrong. */
static int
check_arg(struct jmespath_call *c, size_t i, unsigned mask)
{
	json_t *v = c->args[i], *el;
	char want[96], got[64];
	unsigned bit;
	size_t j;
	int numbers;

	if (v == NULL) {
		if (mask & JT_EXPREF)
			return (0);
		snprintf(got, sizeof got, "an expression");
		goto bad;
	}
	bit = json_is_number(v)    ? JT_NUMBER
	      : json_is_string(v)  ? JT_STRING
	      : json_is_boolean(v) ? JT_BOOL
	      : json_is_null(v)    ? JT_NULL
	      : json_is_array(v)   ? JT_ARRAY
				   : JT_OBJECT;
	snprintf(got, sizeof got, "%s", jmespath_typename(v));
	if (mask & bit)
		return (0);
	if (bit != JT_ARRAY ||
	    (mask & (JT_ARRAY_NUMBER | JT_ARRAY_STRING)) == 0)
		goto bad;
	if (json_array_size(v) == 0)
		return (0);
	el = json_array_get(v, 0);
	numbers = json_is_number(el);
	for (j = 0; j < json_array_size(v); j++) {
		el = json_array_get(v, j);
		if ((numbers && (mask & JT_ARRAY_NUMBER) &&
			json_is_number(el)) ||
		    (!numbers && (mask & JT_ARRAY_STRING) &&
			json_is_string(el)))
			continue;
		snprintf(got, sizeof got, "an array with an element of type %s",
		    jmespath_typename(el));
		goto bad;
	}
	return (0);
bad:
	mask_describe(mask, want, sizeof want);
	jmespath_seterr(c->cx->err, JMESPATH_ERR_INVALID_TYPE, c->node->pos,
	    "invalid type for argument %zu of %s() at position %zu: expected "
	    "%s, got %s",
	    i + 1, c->node->fn->name, c->node->pos, want, got);
	return (-1);
}

/* Elements of an array, members of an object, else 0 (NULL too). */
static size_t
members(const json_t *v)
{
	if (json_is_array(v))
		return (json_array_size(v));
	if (json_is_object(v))
		return (json_object_size(v));
	return (0);
}

/*
 * Call the function of node n: evaluate its arguments against cur (an
 * &expr argument is passed unevaluated), check their types, run it.
 * Caller frees the result.
 */
json_t *
jmespath_fn_call(
    const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	const struct jmespath_fn *fn = n->fn;
	struct jmespath_call c;
	json_t *out = NULL;
	size_t i;
	unsigned mask;

	c.node = n;
	c.nargs = n->nkids;
	c.cx = cx;
	c.args = jmespath_xreallocarray(NULL, n->nkids + 1, sizeof *c.args);
	c.exprefs =
	    jmespath_xreallocarray(NULL, n->nkids + 1, sizeof *c.exprefs);
	memset(c.args, 0, (n->nkids + 1) * sizeof *c.args);
	memset(c.exprefs, 0, (n->nkids + 1) * sizeof *c.exprefs);
	for (i = 0; i < n->nkids; i++) {
		if (n->kids[i]->type == JN_EXPREF) {
			c.exprefs[i] = n->kids[i]->kids[0];
			continue;
		}
		c.args[i] = jmespath_eval(n->kids[i], cur, cx);
		if (c.args[i] == NULL)
			goto out;
	}
	for (i = 0; i < n->nkids; i++) {
		mask = fn->types[i < fn->nparams ? i : fn->nparams - 1];
		if (check_arg(&c, i, mask) != 0)
			goto out;
		/* Functions walk their arrays and objects once. */
		if (jmespath_spend(cx, members(c.args[i]), n->pos) != 0)
			goto out;
	}
	out = fn->impl(&c);
out:
	for (i = 0; i < n->nkids; i++)
		json_decref(c.args[i]);
	free(c.args);
	free(c.exprefs);
	return (out);
}
