/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath ordering functions: sort, sort_by, max, min, max_by, min_by.
 * Sorting is stable (ties keep their input order), numbers compare by
 * value and strings by code point.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

struct sortent {
	json_t *key; /* what is compared */
	json_t *val; /* what is returned */
	size_t idx;  /* input position, for stability */
};

/* Order two numbers or two strings. */
static int
key_cmp(const json_t *a, const json_t *b)
{
	if (json_is_number(a))
		return (jmespath_numcmp(a, b));
	return (jmespath_strcmp(a, b));
}

/* qsort comparator: by key, then by input position. */
static int
sortent_cmp(const void *pa, const void *pb)
{
	const struct sortent *a = pa, *b = pb;
	int c;

	c = key_cmp(a->key, b->key);
	if (c != 0)
		return (c);
	return (a->idx < b->idx ? -1 : a->idx > b->idx);
}

/* Release the keys of n entries and the entries. */
static void
sortents_free(struct sortent *ents, size_t n, int own_keys)
{
	size_t i;

	if (ents == NULL)
		return;
	if (own_keys)
		for (i = 0; i < n; i++)
			json_decref(ents[i].key);
	free(ents);
}

/*
 * Pair each element of arr with its key: the element itself, or the
 * result of the &expr argument on it, which must be numbers throughout or
 * strings throughout. Return the entries (free with sortents_free()) or
 * NULL with err filled; *np is the count.
 */
static struct sortent *
sortents_make(struct jmespath_call *c, json_t *arr,
    const struct jmespath_node *expr, size_t *np)
{
	struct sortent *ents;
	size_t i, n = json_array_size(arr);

	*np = n;
	ents = jmespath_xreallocarray(NULL, n + 1, sizeof *ents);
	for (i = 0; i < n; i++) {
		ents[i].val = json_array_get(arr, i);
		ents[i].idx = i;
		if (expr == NULL) {
			ents[i].key = ents[i].val;
			continue;
		}
		ents[i].key = jmespath_eval(expr, ents[i].val, c->cx);
		if (ents[i].key == NULL)
			goto fail;
		if ((json_is_number(ents[i].key) &&
			json_is_number(ents[0].key)) ||
		    (json_is_string(ents[i].key) &&
			json_is_string(ents[0].key)))
			continue;
		jmespath_seterr(c->cx->err, JMESPATH_ERR_INVALID_TYPE,
		    c->node->pos,
		    "%s() expression at position %zu must give "
		    "all numbers or all strings, got %s%s%s",
		    c->node->fn->name, c->node->pos,
		    i > 0 ? jmespath_typename(ents[0].key) : "",
		    i > 0 ? " and " : "", jmespath_typename(ents[i].key));
		i++;
		goto fail;
	}
	return (ents);
fail:
	sortents_free(ents, i, 1);
	return (NULL);
}

/* Sort arr by its elements (expr NULL) or by expr; a new array. */
static json_t *
sort_common(
    struct jmespath_call *c, json_t *arr, const struct jmespath_node *expr)
{
	struct sortent *ents;
	json_t *out;
	size_t i, n;

	ents = sortents_make(c, arr, expr, &n);
	if (ents == NULL)
		return (NULL);
	qsort(ents, n, sizeof *ents, sortent_cmp);
	out = jmespath_jarray();
	for (i = 0; i < n; i++)
		jmespath_jappend(out, json_incref(ents[i].val));
	sortents_free(ents, n, expr != NULL);
	return (out);
}

/* The first greatest (sign > 0) or least (sign < 0) element, or null. */
static json_t *
extreme_common(struct jmespath_call *c, json_t *arr,
    const struct jmespath_node *expr, int sign)
{
	struct sortent *ents;
	json_t *out;
	size_t i, best = 0, n;

	ents = sortents_make(c, arr, expr, &n);
	if (ents == NULL)
		return (NULL);
	for (i = 1; i < n; i++)
		if (key_cmp(ents[i].key, ents[best].key) * sign > 0)
			best = i;
	out = n > 0 ? json_incref(ents[best].val) : json_null();
	sortents_free(ents, n, expr != NULL);
	return (out);
}

/* sort(array[number]|array[string]) */
json_t *
jmespath_fn_sort(struct jmespath_call *c)
{
	return (sort_common(c, c->args[0], NULL));
}

/* sort_by(array, &expr) */
json_t *
jmespath_fn_sort_by(struct jmespath_call *c)
{
	return (sort_common(c, c->args[0], c->exprefs[1]));
}

/* max(array[number]|array[string]) */
json_t *
jmespath_fn_max(struct jmespath_call *c)
{
	return (extreme_common(c, c->args[0], NULL, 1));
}

/* min(array[number]|array[string]) */
json_t *
jmespath_fn_min(struct jmespath_call *c)
{
	return (extreme_common(c, c->args[0], NULL, -1));
}

/* max_by(array, &expr) */
json_t *
jmespath_fn_max_by(struct jmespath_call *c)
{
	return (extreme_common(c, c->args[0], c->exprefs[1], 1));
}

/* min_by(array, &expr) */
json_t *
jmespath_fn_min_by(struct jmespath_call *c)
{
	return (extreme_common(c, c->args[0], c->exprefs[1], -1));
}
