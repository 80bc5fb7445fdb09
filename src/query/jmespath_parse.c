/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath parser: a Pratt (top-down operator precedence) parser over the
 * token array, with the binding powers and projection rules of the
 * reference implementation (jmespath.py). Nodes come from jmespath_node.c,
 * which links each into the expression's node list, so error paths free
 * nothing by hand. Parser recursion is capped at JMESPATH_MAX_DEPTH here,
 * tree height there.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

struct parser {
	const char *expr;
	struct jmespath_token *toks;
	size_t ntoks;
	size_t i;
	unsigned depth;
	struct jmespath_build b;
};

/* Binding powers; tokens below BP_STOP end a projection's right side. */
static const int bp[] = {
    [TOK_EOF] = 0,
    [TOK_UNQUOTED] = 0,
    [TOK_QUOTED] = 0,
    [TOK_LITERAL] = 0,
    [TOK_NUMBER] = 0,
    [TOK_DOT] = 40,
    [TOK_STAR] = 20,
    [TOK_RBRACKET] = 0,
    [TOK_COMMA] = 0,
    [TOK_COLON] = 0,
    [TOK_CURRENT] = 0,
    [TOK_LPAREN] = 60,
    [TOK_RPAREN] = 0,
    [TOK_LBRACE] = 50,
    [TOK_RBRACE] = 0,
    [TOK_LBRACKET] = 55,
    [TOK_FLATTEN] = 9,
    [TOK_FILTER] = 21,
    [TOK_PIPE] = 1,
    [TOK_OR] = 2,
    [TOK_AND] = 3,
    [TOK_EXPREF] = 0,
    [TOK_NOT] = 45,
    [TOK_EQ] = 5,
    [TOK_NE] = 5,
    [TOK_LT] = 5,
    [TOK_LE] = 5,
    [TOK_GT] = 5,
    [TOK_GE] = 5,
};
#define BP_STOP 10

static struct jmespath_node *parse_expr(struct parser *, int);
static struct jmespath_node *parse_list(struct parser *, size_t);
static struct jmespath_node *parse_hash(struct parser *, size_t);

/* The token being looked at. */
static struct jmespath_token *
cur(struct parser *p)
{
	return (&p->toks[p->i]);
}

/* The type of the token k places ahead (TOK_EOF past the end). */
static enum jmespath_tok
peek(struct parser *p, size_t k)
{
	if (p->i + k >= p->ntoks)
		return (TOK_EOF);
	return (p->toks[p->i + k].type);
}

/* Move past the current token, never past TOK_EOF. */
static void
advance(struct parser *p)
{
	if (p->toks[p->i].type != TOK_EOF)
		p->i++;
}

/* Report an unexpected token t; expected (may be NULL) says what fits. */
static struct jmespath_node *
unexpected(
    struct parser *p, const struct jmespath_token *t, const char *expected)
{
	char what[64];
	size_t len = t->len;

	if (t->type == TOK_EOF)
		snprintf(what, sizeof what, "end of expression");
	else {
		if (len > 24) {
			len = 24;
			while (
			    len > 0 && (p->expr[t->pos + len] & 0xc0) == 0x80)
				len--;
		}
		snprintf(what, sizeof what, "token '%.*s%s'", (int)len,
		    p->expr + t->pos, len < t->len ? "..." : "");
	}
	if (expected != NULL)
		jmespath_seterr(p->b.err, JMESPATH_ERR_SYNTAX, t->pos,
		    "unexpected %s at position %zu, expected %s", what, t->pos,
		    expected);
	else
		jmespath_seterr(p->b.err, JMESPATH_ERR_SYNTAX, t->pos,
		    "unexpected %s at position %zu", what, t->pos);
	return (NULL);
}

/* Consume a token of the given type or report what was expected. */
static int
match(struct parser *p, enum jmespath_tok type, const char *expected)
{
	if (cur(p)->type != type) {
		unexpected(p, cur(p), expected);
		return (-1);
	}
	advance(p);
	return (0);
}

/* A field node taking the identifier of token t. */
static struct jmespath_node *
node_field(struct parser *p, struct jmespath_token *t)
{
	struct jmespath_node *n;

	n = jmespath_node_new(&p->b, JN_FIELD, t->pos);
	n->str = t->str;
	n->len = t->slen;
	t->str = NULL;
	return (n);
}

/* After a '.': an identifier, '*', a multi-select list or hash. */
static struct jmespath_node *
parse_dot_rhs(struct parser *p, int rbp)
{
	struct jmespath_token *t = cur(p);

	switch (t->type) {
	case TOK_UNQUOTED:
	case TOK_QUOTED:
	case TOK_STAR:
		return (parse_expr(p, rbp));
	case TOK_LBRACKET:
		advance(p);
		return (parse_list(p, t->pos));
	case TOK_LBRACE:
		advance(p);
		return (parse_hash(p, t->pos));
	default:
		return (unexpected(p, t, "an identifier, '*', '[' or '{'"));
	}
}

/* What follows a projection, at binding power rbp. */
static struct jmespath_node *
parse_projection_rhs(struct parser *p, int rbp)
{
	struct jmespath_token *t = cur(p);

	if (bp[t->type] < BP_STOP)
		return (jmespath_node_new(&p->b, JN_CURRENT, t->pos));
	switch (t->type) {
	case TOK_LBRACKET:
	case TOK_FILTER:
		return (parse_expr(p, rbp));
	case TOK_DOT:
		advance(p);
		return (parse_dot_rhs(p, rbp));
	default:
		return (unexpected(p, t, NULL));
	}
}

/* A projection of kind type over base, parsing its right side at rbp. */
static struct jmespath_node *
node_projection(struct parser *p, enum jmespath_ntype type,
    struct jmespath_node *base, int rbp)
{
	struct jmespath_node *rhs;

	if (base == NULL)
		return (NULL);
	rhs = parse_projection_rhs(p, rbp);
	return (jmespath_node2(&p->b, type, base->pos, base, rhs, NULL));
}

/* [start:stop:step] after the '[' at pos; every part is optional. */
static struct jmespath_node *
parse_slice(struct parser *p, size_t pos)
{
	struct jmespath_node *n;
	unsigned part = 0;

	n = jmespath_node_new(&p->b, JN_SLICE, pos);
	while (cur(p)->type != TOK_RBRACKET) {
		if (cur(p)->type == TOK_COLON && part < 2)
			part++;
		else if (cur(p)->type == TOK_NUMBER &&
			 (n->has & (1U << part)) == 0) {
			n->num[part] = cur(p)->num;
			n->has |= 1U << part;
		} else
			return (unexpected(p, cur(p),
			    part < 2 ? "a number, ':' or ']'"
				     : "a number or ']'"));
		advance(p);
	}
	advance(p);
	return (n);
}

/* [number] or a slice, after the '[' at pos. */
static struct jmespath_node *
parse_index(struct parser *p, size_t pos)
{
	struct jmespath_node *n;

	if (cur(p)->type == TOK_COLON || peek(p, 1) == TOK_COLON)
		return (parse_slice(p, pos));
	n = jmespath_node_new(&p->b, JN_INDEX, pos);
	n->num[0] = cur(p)->num;
	advance(p);
	if (match(p, TOK_RBRACKET, "']'") != 0)
		return (NULL);
	return (n);
}

/* [a, b, ...] after the '[' at pos. */
static struct jmespath_node *
parse_list(struct parser *p, size_t pos)
{
	struct jmespath_node *n, *e;

	n = jmespath_node_new(&p->b, JN_MULTI_LIST, pos);
	for (;;) {
		e = parse_expr(p, 0);
		if (e == NULL || jmespath_node_add(&p->b, n, e) != 0)
			return (NULL);
		if (cur(p)->type == TOK_RBRACKET)
			break;
		if (match(p, TOK_COMMA, "',' or ']'") != 0)
			return (NULL);
	}
	advance(p);
	return (n);
}

/* {key: expr, ...} after the '{' at pos. */
static struct jmespath_node *
parse_hash(struct parser *p, size_t pos)
{
	struct jmespath_node *n, *kv, *e;
	struct jmespath_token *k;

	n = jmespath_node_new(&p->b, JN_MULTI_HASH, pos);
	for (;;) {
		k = cur(p);
		if (k->type != TOK_UNQUOTED && k->type != TOK_QUOTED)
			return (unexpected(p, k, "an identifier"));
		advance(p);
		if (match(p, TOK_COLON, "':'") != 0)
			return (NULL);
		e = parse_expr(p, 0);
		if (e == NULL)
			return (NULL);
		kv = jmespath_node_new(&p->b, JN_KEYVAL, k->pos);
		kv->str = k->str;
		kv->len = k->slen;
		k->str = NULL;
		if (jmespath_node_add(&p->b, kv, e) != 0 ||
		    jmespath_node_add(&p->b, n, kv) != 0)
			return (NULL);
		if (cur(p)->type == TOK_RBRACE)
			break;
		if (match(p, TOK_COMMA, "',' or '}'") != 0)
			return (NULL);
	}
	advance(p);
	return (n);
}

/* A filter [?cond] applied to left; t is the '[?' token. */
static struct jmespath_node *
parse_filter(struct parser *p, struct jmespath_node *left)
{
	struct jmespath_node *cond, *rhs;

	cond = parse_expr(p, 0);
	if (cond == NULL || match(p, TOK_RBRACKET, "']'") != 0)
		return (NULL);
	if (cur(p)->type == TOK_FLATTEN)
		rhs = jmespath_node_new(&p->b, JN_CURRENT, cur(p)->pos);
	else
		rhs = parse_projection_rhs(p, bp[TOK_FILTER]);
	return (jmespath_node2(&p->b, JN_FILTER, left->pos, left, rhs, cond));
}

/* name(args): turn the field node left into a function call. */
static struct jmespath_node *
parse_call(
    struct parser *p, struct jmespath_token *t, struct jmespath_node *left)
{
	struct jmespath_node *e, *x;
	struct jmespath_token *a;

	if (left->type != JN_FIELD || p->i < 2 ||
	    p->toks[p->i - 2].type != TOK_UNQUOTED ||
	    p->toks[p->i - 2].pos != left->pos)
		return (unexpected(p, t, NULL));
	left->type = JN_FUNCTION;
	while (cur(p)->type != TOK_RPAREN) {
		a = cur(p);
		if (a->type == TOK_EXPREF) {
			advance(p);
			x = jmespath_node_new(&p->b, JN_EXPREF, a->pos);
			e = parse_expr(p, 0);
			if (e == NULL || jmespath_node_add(&p->b, x, e) != 0)
				return (NULL);
			e = x;
		} else
			e = parse_expr(p, 0);
		if (e == NULL || jmespath_node_add(&p->b, left, e) != 0)
			return (NULL);
		if (cur(p)->type != TOK_COMMA)
			break;
		advance(p);
		if (cur(p)->type == TOK_RPAREN)
			return (unexpected(p, cur(p), "an argument"));
	}
	if (match(p, TOK_RPAREN, "',' or ')'") != 0)
		return (NULL);
	return (left);
}

/* '[' at the start of an expression: index, slice, [*] or a list. */
static struct jmespath_node *
parse_nud_bracket(struct parser *p, struct jmespath_token *t)
{
	struct jmespath_node *n;

	if (cur(p)->type == TOK_NUMBER || cur(p)->type == TOK_COLON) {
		n = parse_index(p, t->pos);
		if (n == NULL || n->type != JN_SLICE)
			return (n);
		return (node_projection(p, JN_PROJECTION, n, bp[TOK_STAR]));
	}
	if (cur(p)->type == TOK_STAR && peek(p, 1) == TOK_RBRACKET) {
		advance(p);
		advance(p);
		n = jmespath_node_new(&p->b, JN_CURRENT, t->pos);
		return (node_projection(p, JN_PROJECTION, n, bp[TOK_STAR]));
	}
	return (parse_list(p, t->pos));
}

/* The null denotation: token t starts an expression. */
static struct jmespath_node *
parse_nud(struct parser *p, struct jmespath_token *t)
{
	struct jmespath_node *n;

	switch (t->type) {
	case TOK_UNQUOTED:
		return (node_field(p, t));
	case TOK_QUOTED:
		if (cur(p)->type == TOK_LPAREN) {
			jmespath_seterr(p->b.err, JMESPATH_ERR_SYNTAX, t->pos,
			    "quoted identifier used as a function name at "
			    "position %zu",
			    t->pos);
			return (NULL);
		}
		return (node_field(p, t));
	case TOK_LITERAL:
		n = jmespath_node_new(&p->b, JN_LITERAL, t->pos);
		n->value = t->value;
		t->value = NULL;
		return (n);
	case TOK_CURRENT:
		return (jmespath_node_new(&p->b, JN_CURRENT, t->pos));
	case TOK_STAR:
		n = jmespath_node_new(&p->b, JN_CURRENT, t->pos);
		if (cur(p)->type != TOK_RBRACKET)
			return (node_projection(
			    p, JN_VALUE_PROJECTION, n, bp[TOK_STAR]));
		return (jmespath_node2(&p->b, JN_VALUE_PROJECTION, t->pos, n,
		    jmespath_node_new(&p->b, JN_CURRENT, t->pos), NULL));
	case TOK_FILTER:
		return (parse_filter(
		    p, jmespath_node_new(&p->b, JN_CURRENT, t->pos)));
	case TOK_LBRACE:
		return (parse_hash(p, t->pos));
	case TOK_LPAREN:
		n = parse_expr(p, 0);
		if (n == NULL || match(p, TOK_RPAREN, "')'") != 0)
			return (NULL);
		return (n);
	case TOK_FLATTEN:
		n = jmespath_node_new(&p->b, JN_CURRENT, t->pos);
		n = jmespath_node1(&p->b, JN_FLATTEN, t->pos, n);
		return (node_projection(p, JN_PROJECTION, n, bp[TOK_FLATTEN]));
	case TOK_NOT:
		return (jmespath_node1(
		    &p->b, JN_NOT, t->pos, parse_expr(p, bp[TOK_NOT])));
	case TOK_LBRACKET:
		return (parse_nud_bracket(p, t));
	case TOK_EXPREF:
		jmespath_seterr(p->b.err, JMESPATH_ERR_SYNTAX, t->pos,
		    "'&' outside a function argument at position %zu", t->pos);
		return (NULL);
	default:
		return (unexpected(p, t, NULL));
	}
}

/* '[' after left: index, slice or [*]. */
static struct jmespath_node *
parse_led_bracket(
    struct parser *p, struct jmespath_token *t, struct jmespath_node *left)
{
	struct jmespath_node *n;

	if (cur(p)->type == TOK_NUMBER || cur(p)->type == TOK_COLON) {
		n = parse_index(p, t->pos);
		if (n == NULL)
			return (NULL);
		n = jmespath_node_join(&p->b, JN_SUBEXPR, left, n);
		if (n == NULL || n->kids[n->nkids - 1]->type != JN_SLICE)
			return (n);
		return (node_projection(p, JN_PROJECTION, n, bp[TOK_STAR]));
	}
	if (match(p, TOK_STAR, "a number, ':' or '*'") != 0 ||
	    match(p, TOK_RBRACKET, "']'") != 0)
		return (NULL);
	return (node_projection(p, JN_PROJECTION, left, bp[TOK_STAR]));
}

/* The left denotation: token t continues the expression left. */
static struct jmespath_node *
parse_led(
    struct parser *p, struct jmespath_token *t, struct jmespath_node *left)
{
	struct jmespath_node *n;

	switch (t->type) {
	case TOK_DOT:
		if (cur(p)->type == TOK_STAR) {
			advance(p);
			return (node_projection(
			    p, JN_VALUE_PROJECTION, left, bp[TOK_DOT]));
		}
		return (jmespath_node_join(
		    &p->b, JN_SUBEXPR, left, parse_dot_rhs(p, bp[TOK_DOT])));
	case TOK_PIPE:
		return (jmespath_node_join(
		    &p->b, JN_PIPE, left, parse_expr(p, bp[TOK_PIPE])));
	case TOK_OR:
		return (jmespath_node_join(
		    &p->b, JN_OR, left, parse_expr(p, bp[TOK_OR])));
	case TOK_AND:
		return (jmespath_node_join(
		    &p->b, JN_AND, left, parse_expr(p, bp[TOK_AND])));
	case TOK_EQ:
	case TOK_NE:
	case TOK_LT:
	case TOK_LE:
	case TOK_GT:
	case TOK_GE:
		n = jmespath_node2(&p->b, JN_COMPARATOR, left->pos, left,
		    parse_expr(p, bp[t->type]), NULL);
		if (n != NULL)
			n->op = t->type;
		return (n);
	case TOK_FLATTEN:
		n = jmespath_node1(&p->b, JN_FLATTEN, left->pos, left);
		return (node_projection(p, JN_PROJECTION, n, bp[TOK_FLATTEN]));
	case TOK_FILTER:
		return (parse_filter(p, left));
	case TOK_LBRACKET:
		return (parse_led_bracket(p, t, left));
	case TOK_LPAREN:
		return (parse_call(p, t, left));
	default:
		return (unexpected(p, t, NULL));
	}
}

/* Parse an expression whose operators bind tighter than rbp. */
static struct jmespath_node *
parse_expr(struct parser *p, int rbp)
{
	struct jmespath_token *t;
	struct jmespath_node *left;

	if (p->depth >= JMESPATH_MAX_DEPTH)
		return (jmespath_too_deep(p->b.err, cur(p)->pos));
	p->depth++;
	t = cur(p);
	advance(p);
	left = parse_nud(p, t);
	while (left != NULL && rbp < bp[cur(p)->type]) {
		t = cur(p);
		advance(p);
		left = parse_led(p, t, left);
	}
	p->depth--;
	return (left);
}

/*
 * Parse expr into jp's tree. Return 0, or -1 with err filled; the nodes
 * made so far stay on jp's list for jmespath_free().
 */
int
jmespath_parse(
    const char *expr, struct jmespath *jp, struct jmespath_error *err)
{
	struct parser p;
	struct jmespath_node *root;
	int rc = -1;

	memset(&p, 0, sizeof p);
	p.expr = expr;
	p.b.jp = jp;
	p.b.err = err;
	if (jmespath_lex(expr, &p.toks, &p.ntoks, err) != 0)
		return (-1);
	root = parse_expr(&p, 0);
	if (root == NULL)
		goto out;
	if (cur(&p)->type != TOK_EOF) {
		unexpected(&p, cur(&p), NULL);
		goto out;
	}
	if (jmespath_node_check(&p.b) != 0)
		goto out;
	jp->root = root;
	rc = 0;
out:
	jmespath_tokens_free(p.toks, p.ntoks);
	return (rc);
}
