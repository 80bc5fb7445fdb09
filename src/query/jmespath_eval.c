/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath evaluator: walks the tree of a compiled expression. Every
 * function returns a new reference or NULL after filling err; intermediate
 * values are released on every path. Recursion is bounded by the tree
 * height, which the parser caps at JMESPATH_MAX_DEPTH.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

/* Take units from the search's work budget; fail once it is spent. */
int
jmespath_spend(struct jmespath_ctx *cx, size_t units, size_t pos)
{
	if (units <= cx->work) {
		cx->work -= units;
		return (0);
	}
	cx->work = 0;
	jmespath_seterr(cx->err, JMESPATH_ERR_INVALID_VALUE, pos,
	    "expression too expensive at position %zu: more than %zu steps",
	    pos, cx->limit);
	return (-1);
}

/* Field lookup: a key of an object, else null. */
static json_t *
eval_field(const struct jmespath_node *n, json_t *cur)
{
	json_t *v;

	if (!json_is_object(cur))
		return (json_null());
	v = json_object_getn(cur, n->str, n->len);
	return (v != NULL ? json_incref(v) : json_null());
}

/* [i] on an array, negative i counting from the end; else null. */
static json_t *
eval_index(const struct jmespath_node *n, json_t *cur)
{
	int64_t len, i = n->num[0];
	json_t *v;

	if (!json_is_array(cur))
		return (json_null());
	len = (int64_t)json_array_size(cur);
	if (i < 0)
		i += len;
	if (i < 0 || i >= len)
		return (json_null());
	v = json_array_get(cur, (size_t)i);
	return (json_incref(v));
}

/* Clamp a slice start or stop into range, as the specification says. */
static int64_t
slice_bound(int64_t v, int64_t len, int64_t step)
{
	if (v < 0) {
		v += len;
		if (v < 0)
			v = step < 0 ? -1 : 0;
	} else if (v >= len)
		v = step < 0 ? len - 1 : len;
	return (v);
}

/* [start:stop:step] on an array; else null. The parser rejects step 0. */
static json_t *
eval_slice(const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	int64_t len, start, stop, step, i, count;
	json_t *out;

	if (!json_is_array(cur))
		return (json_null());
	len = (int64_t)json_array_size(cur);
	step = (n->has & 4) ? n->num[2] : 1;
	if (step == 0)
		step = 1;
	if (n->has & 1)
		start = slice_bound(n->num[0], len, step);
	else
		start = step < 0 ? len - 1 : 0;
	if (n->has & 2)
		stop = slice_bound(n->num[1], len, step);
	else
		stop = step < 0 ? -1 : len;
	if (step > 0)
		count = stop > start ? (stop - start + step - 1) / step : 0;
	else
		count = start > stop ? (start - stop - step - 1) / -step : 0;
	if (jmespath_spend(cx, (size_t)count, n->pos) != 0)
		return (NULL);
	out = jmespath_jarray();
	for (i = start; step > 0 ? i < stop : i > stop; i += step)
		jmespath_jappend(out, json_incref(json_array_get(cur, i)));
	return (out);
}

/* Apply the kids in turn; a sub-expression stops at null, a pipe not. */
static json_t *
eval_chain(const struct jmespath_node *n, json_t *cur, int stop_at_null,
    struct jmespath_ctx *cx)
{
	json_t *v, *next;
	size_t i;

	v = json_incref(cur);
	for (i = 0; i < n->nkids; i++) {
		if (stop_at_null && i > 0 && json_is_null(v))
			break;
		next = jmespath_eval(n->kids[i], v, cx);
		json_decref(v);
		if (next == NULL)
			return (NULL);
		v = next;
	}
	return (v);
}

/*
 * Projections: evaluate the base, then the right side on each element of
 * the array (or each value of the object), dropping null results. A
 * filter keeps only the elements whose condition is truthy.
 */
static json_t *
eval_projection(
    const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	json_t *base, *out = NULL, *el, *r, *c;
	void *it;
	size_t i = 0;
	int values = n->type == JN_VALUE_PROJECTION, keep;

	base = jmespath_eval(n->kids[0], cur, cx);
	if (base == NULL)
		return (NULL);
	if (values ? !json_is_object(base) : !json_is_array(base)) {
		json_decref(base);
		return (json_null());
	}
	out = jmespath_jarray();
	it = values ? json_object_iter(base) : NULL;
	for (;;) {
		if (values) {
			if (it == NULL)
				break;
			el = json_object_iter_value(it);
			it = json_object_iter_next(base, it);
		} else {
			if (i >= json_array_size(base))
				break;
			el = json_array_get(base, i++);
		}
		if (n->type == JN_FILTER) {
			c = jmespath_eval(n->kids[2], el, cx);
			if (c == NULL)
				goto fail;
			keep = jmespath_truthy(c);
			json_decref(c);
			if (!keep)
				continue;
		}
		r = jmespath_eval(n->kids[1], el, cx);
		if (r == NULL)
			goto fail;
		if (json_is_null(r))
			json_decref(r);
		else
			jmespath_jappend(out, r);
	}
	json_decref(base);
	return (out);
fail:
	json_decref(out);
	json_decref(base);
	return (NULL);
}

/* base[]: merge nested arrays one level; null unless base is an array. */
static json_t *
eval_flatten(
    const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	json_t *base, *out, *el;
	size_t i;

	base = jmespath_eval(n->kids[0], cur, cx);
	if (base == NULL)
		return (NULL);
	if (!json_is_array(base)) {
		json_decref(base);
		return (json_null());
	}
	out = jmespath_jarray();
	for (i = 0; i < json_array_size(base); i++) {
		el = json_array_get(base, i);
		if (jmespath_spend(cx, 1 + json_array_size(el), n->pos) != 0) {
			json_decref(out);
			json_decref(base);
			return (NULL);
		}
		if (json_is_array(el)) {
			if (json_array_extend(out, el) != 0)
				abort();
		} else
			jmespath_jappend(out, json_incref(el));
	}
	json_decref(base);
	return (out);
}

/* ==, != on any values; <, <=, >, >= on numbers only (else null). */
static json_t *
eval_comparator(
    const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	json_t *l, *r, *out;
	int c;

	l = jmespath_eval(n->kids[0], cur, cx);
	if (l == NULL)
		return (NULL);
	r = jmespath_eval(n->kids[1], cur, cx);
	if (r == NULL) {
		json_decref(l);
		return (NULL);
	}
	if (n->op == TOK_EQ || n->op == TOK_NE) {
		c = jmespath_equal(l, r, &cx->work);
		if (c < 0)
			out = NULL;
		else
			out = json_boolean(n->op == TOK_EQ ? c : !c);
	} else if (json_is_number(l) && json_is_number(r)) {
		c = jmespath_numcmp(l, r);
		out = json_boolean(
		    (n->op == TOK_LT && c < 0) || (n->op == TOK_LE && c <= 0) ||
		    (n->op == TOK_GT && c > 0) || (n->op == TOK_GE && c >= 0));
	} else
		out = json_null();
	json_decref(l);
	json_decref(r);
	if (out == NULL)
		jmespath_spend(cx, 1, n->pos);
	return (out);
}

/* a || b || ...: the first truthy value, else the last one; && alike. */
static json_t *
eval_logic(const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	json_t *v = NULL;
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		json_decref(v);
		v = jmespath_eval(n->kids[i], cur, cx);
		if (v == NULL)
			return (NULL);
		if (jmespath_truthy(v) == (n->type == JN_OR))
			break;
	}
	return (v);
}

/* [a, b] and {k: a}: null on null, else collect each kid's value. */
static json_t *
eval_multi(const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	const struct jmespath_node *kid;
	json_t *out, *v;
	size_t i;

	if (json_is_null(cur))
		return (json_null());
	out = n->type == JN_MULTI_LIST ? jmespath_jarray() : jmespath_jobject();
	for (i = 0; i < n->nkids; i++) {
		kid = n->kids[i];
		if (n->type == JN_MULTI_HASH)
			kid = kid->kids[0];
		v = jmespath_eval(kid, cur, cx);
		if (v == NULL) {
			json_decref(out);
			return (NULL);
		}
		if (n->type == JN_MULTI_LIST)
			jmespath_jappend(out, v);
		else
			jmespath_jsetn(
			    out, n->kids[i]->str, n->kids[i]->len, v);
	}
	return (out);
}

/* Evaluate node n with cur as the current value. Caller frees result. */
json_t *
jmespath_eval(
    const struct jmespath_node *n, json_t *cur, struct jmespath_ctx *cx)
{
	json_t *v;
	int t;

	if (jmespath_spend(cx, 1, n->pos) != 0)
		return (NULL);
	switch (n->type) {
	case JN_CURRENT:
		return (json_incref(cur));
	case JN_FIELD:
		return (eval_field(n, cur));
	case JN_LITERAL:
		return (json_incref(n->value));
	case JN_INDEX:
		return (eval_index(n, cur));
	case JN_SLICE:
		return (eval_slice(n, cur, cx));
	case JN_SUBEXPR:
		return (eval_chain(n, cur, 1, cx));
	case JN_PIPE:
		return (eval_chain(n, cur, 0, cx));
	case JN_PROJECTION:
	case JN_VALUE_PROJECTION:
	case JN_FILTER:
		return (eval_projection(n, cur, cx));
	case JN_FLATTEN:
		return (eval_flatten(n, cur, cx));
	case JN_COMPARATOR:
		return (eval_comparator(n, cur, cx));
	case JN_OR:
	case JN_AND:
		return (eval_logic(n, cur, cx));
	case JN_NOT:
		v = jmespath_eval(n->kids[0], cur, cx);
		if (v == NULL)
			return (NULL);
		t = jmespath_truthy(v);
		json_decref(v);
		return (json_boolean(!t));
	case JN_MULTI_LIST:
	case JN_MULTI_HASH:
		return (eval_multi(n, cur, cx));
	case JN_FUNCTION:
		return (jmespath_fn_call(n, cur, cx));
	case JN_KEYVAL:
	case JN_EXPREF:
		break;
	}
	jmespath_seterr(cx->err, JMESPATH_ERR_INVALID_TYPE, n->pos,
	    "expression reference used as a value at position %zu", n->pos);
	return (NULL);
}
