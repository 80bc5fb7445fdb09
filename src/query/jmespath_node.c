/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath syntax tree nodes: constructors that link every node into the
 * expression's list (jmespath_free() walks it, so a parse that fails half
 * way leaks nothing), keep the tree height within JMESPATH_MAX_DEPTH, and
 * merge associative chains (a.b.c, a | b | c, a || b || c, a && b && c)
 * into one node so that long chains stay shallow. Also the checks made
 * once the whole expression has parsed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

/* Report an expression nested deeper than JMESPATH_MAX_DEPTH. */
struct jmespath_node *
jmespath_too_deep(struct jmespath_error *err, size_t pos)
{
	jmespath_seterr(err, JMESPATH_ERR_SYNTAX, pos,
	    "expression nested too deeply at position %zu (limit %d)", pos,
	    JMESPATH_MAX_DEPTH);
	return (NULL);
}

/* A new node owned by the expression's node list. */
struct jmespath_node *
jmespath_node_new(
    struct jmespath_build *b, enum jmespath_ntype type, size_t pos)
{
	struct jmespath_node *n;

	n = jmespath_xmalloc(sizeof *n);
	memset(n, 0, sizeof *n);
	n->type = type;
	n->pos = pos;
	n->height = 1;
	n->next = b->jp->nodes;
	b->jp->nodes = n;
	return (n);
}

/* Append kid to n; fail when the tree becomes too tall. */
int
jmespath_node_add(struct jmespath_build *b, struct jmespath_node *n,
    struct jmespath_node *kid)
{
	if (n->nkids == n->kidcap) {
		n->kidcap = n->kidcap == 0 ? 2 : n->kidcap * 2;
		n->kids =
		    jmespath_xreallocarray(n->kids, n->kidcap, sizeof *n->kids);
	}
	n->kids[n->nkids++] = kid;
	if (kid->height + 1 > n->height)
		n->height = kid->height + 1;
	if (n->height > JMESPATH_MAX_DEPTH) {
		jmespath_too_deep(b->err, n->pos);
		return (-1);
	}
	return (0);
}

/* A node with kid a; a NULL kid means a failed parse. */
struct jmespath_node *
jmespath_node1(struct jmespath_build *b, enum jmespath_ntype type, size_t pos,
    struct jmespath_node *a)
{
	struct jmespath_node *n;

	if (a == NULL)
		return (NULL);
	n = jmespath_node_new(b, type, pos);
	if (jmespath_node_add(b, n, a) != 0)
		return (NULL);
	return (n);
}

/* A node with kids k1, k2 and, when k3 is not NULL, k3. */
struct jmespath_node *
jmespath_node2(struct jmespath_build *b, enum jmespath_ntype type, size_t pos,
    struct jmespath_node *k1, struct jmespath_node *k2,
    struct jmespath_node *k3)
{
	struct jmespath_node *n;

	if (k2 == NULL)
		return (NULL);
	n = jmespath_node1(b, type, pos, k1);
	if (n == NULL || jmespath_node_add(b, n, k2) != 0 ||
	    (k3 != NULL && jmespath_node_add(b, n, k3) != 0))
		return (NULL);
	return (n);
}

/* left TYPE right for an associative chain: merge into one node. */
struct jmespath_node *
jmespath_node_join(struct jmespath_build *b, enum jmespath_ntype type,
    struct jmespath_node *left, struct jmespath_node *right)
{
	struct jmespath_node *n;
	size_t i;

	if (right == NULL)
		return (NULL);
	if (left->type == type)
		n = left;
	else {
		n = jmespath_node_new(b, type, left->pos);
		if (jmespath_node_add(b, n, left) != 0)
			return (NULL);
	}
	if (right->type != type)
		return (jmespath_node_add(b, n, right) == 0 ? n : NULL);
	for (i = 0; i < right->nkids; i++)
		if (jmespath_node_add(b, n, right->kids[i]) != 0)
			return (NULL);
	return (n);
}

/*
 * Errors the suite expects whatever the data: unknown functions, wrong
 * argument counts and a zero slice step. Report the leftmost one.
 */
int
jmespath_node_check(struct jmespath_build *b)
{
	struct jmespath_node *n, *bad = NULL;
	const struct jmespath_fn *fn;

	for (n = b->jp->nodes; n != NULL; n = n->next) {
		if (bad != NULL && n->pos > bad->pos)
			continue;
		if (n->type == JN_SLICE && (n->has & 4) && n->num[2] == 0)
			bad = n;
		if (n->type != JN_FUNCTION)
			continue;
		fn = jmespath_fn_lookup(n->str, n->len);
		n->fn = fn;
		if (fn == NULL || n->nkids < fn->nparams ||
		    (!fn->variadic && n->nkids > fn->nparams))
			bad = n;
	}
	if (bad == NULL)
		return (0);
	if (bad->type == JN_SLICE)
		jmespath_seterr(b->err, JMESPATH_ERR_INVALID_VALUE, bad->pos,
		    "slice step cannot be 0 at position %zu", bad->pos);
	else if (bad->fn == NULL)
		jmespath_seterr(b->err, JMESPATH_ERR_UNKNOWN_FUNCTION, bad->pos,
		    "unknown function %.64s() at position %zu", bad->str,
		    bad->pos);
	else
		jmespath_seterr(b->err, JMESPATH_ERR_INVALID_ARITY, bad->pos,
		    "%s() takes %s%u argument%s but %zu %s given at position "
		    "%zu",
		    bad->fn->name, bad->fn->variadic ? "at least " : "",
		    bad->fn->nparams, bad->fn->nparams == 1 ? "" : "s",
		    bad->nkids, bad->nkids == 1 ? "was" : "were", bad->pos);
	return (-1);
}
