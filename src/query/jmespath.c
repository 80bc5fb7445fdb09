/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath: the public API, plus the allocation and error helpers the
 * other jmespath_*.c files share. Allocation failures abort(): the module
 * never returns NULL for lack of memory.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

/* Allocate n bytes or abort. Caller frees with free(). */
void *
jmespath_xmalloc(size_t n)
{
	void *p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		abort();
	return (p);
}

/* Resize p to n * size bytes or abort; checks the product for overflow. */
void *
jmespath_xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		abort();
	p = realloc(p, n * size == 0 ? 1 : n * size);
	if (p == NULL)
		abort();
	return (p);
}

/* Copy len bytes into a new NUL-terminated string. Caller frees. */
char *
jmespath_xmemdup(const void *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		abort();
	p = jmespath_xmalloc(len + 1);
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

/* Fill err (when not NULL) with a kind, a position and a message. */
void
jmespath_seterr(struct jmespath_error *err, enum jmespath_errkind kind,
    size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->kind = kind;
	err->pos = pos;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

/* Append len bytes to a growable string, keeping it NUL-terminated. */
void
jmespath_sbuf_add(struct jmespath_sbuf *b, const void *p, size_t len)
{
	size_t need;

	if (len > SIZE_MAX - b->len - 1)
		abort();
	need = b->len + len + 1;
	if (need > b->cap) {
		b->cap = b->cap < 64 ? 64 : b->cap;
		while (b->cap < need)
			b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
		b->data = jmespath_xreallocarray(b->data, b->cap, 1);
	}
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* Append one byte to a growable string. */
void
jmespath_sbuf_addc(struct jmespath_sbuf *b, char c)
{
	jmespath_sbuf_add(b, &c, 1);
}

/* A new empty array or abort. Caller owns the reference. */
json_t *
jmespath_jarray(void)
{
	json_t *a;

	a = json_array();
	if (a == NULL)
		abort();
	return (a);
}

/* A new empty object or abort. Caller owns the reference. */
json_t *
jmespath_jobject(void)
{
	json_t *o;

	o = json_object();
	if (o == NULL)
		abort();
	return (o);
}

/* Append value to array, stealing the reference; abort on failure. */
void
jmespath_jappend(json_t *array, json_t *value)
{
	if (json_array_append_new(array, value) != 0)
		abort();
}

/* Set key (which may hold NUL bytes) in object, stealing value. */
void
jmespath_jsetn(json_t *object, const char *key, size_t keylen, json_t *value)
{
	if (json_object_setn_new_nocheck(object, key, keylen, value) != 0)
		abort();
}

/* A new integer or abort. Caller owns the reference. */
json_t *
jmespath_jint(json_int_t i)
{
	json_t *v;

	v = json_integer(i);
	if (v == NULL)
		abort();
	return (v);
}

/* A new string from bytes known to be valid UTF-8, or abort. */
json_t *
jmespath_jstringn(const char *s, size_t len)
{
	json_t *v;

	v = json_stringn_nocheck(s, len);
	if (v == NULL)
		abort();
	return (v);
}

/* Free every node of a compiled expression and the expression itself. */
void
jmespath_free(struct jmespath *jp)
{
	struct jmespath_node *n, *next;

	if (jp == NULL)
		return;
	for (n = jp->nodes; n != NULL; n = next) {
		next = n->next;
		free(n->kids);
		free(n->str);
		json_decref(n->value);
		free(n);
	}
	free(jp);
}

/* Compile expr into a tree. Caller frees with jmespath_free(). */
struct jmespath *
jmespath_compile(const char *expr, struct jmespath_error *err)
{
	struct jmespath_error local;
	struct jmespath *jp;

	if (err == NULL)
		err = &local;
	err->kind = JMESPATH_OK;
	err->pos = 0;
	err->msg[0] = '\0';
	if (expr == NULL) {
		jmespath_seterr(err, JMESPATH_ERR_SYNTAX, 0, "no expression");
		return (NULL);
	}
	jp = jmespath_xmalloc(sizeof *jp);
	jp->root = NULL;
	jp->nodes = NULL;
	if (jmespath_parse(expr, jp, err) != 0 || err->kind != JMESPATH_OK) {
		if (err->kind == JMESPATH_OK)
			jmespath_seterr(
			    err, JMESPATH_ERR_SYNTAX, 0, "invalid expression");
		jmespath_free(jp);
		return (NULL);
	}
	return (jp);
}

/* Evaluate jp against data. Caller frees the result with json_decref(). */
json_t *
jmespath_search(
    const struct jmespath *jp, json_t *data, struct jmespath_error *err)
{
	return (jmespath_search_limit(jp, data, JMESPATH_MAX_WORK, err));
}

/* Evaluate jp against data in at most max_work steps. Caller frees. */
json_t *
jmespath_search_limit(const struct jmespath *jp, json_t *data, size_t max_work,
    struct jmespath_error *err)
{
	struct jmespath_error local;
	struct jmespath_ctx cx;
	json_t *out;

	if (err == NULL)
		err = &local;
	err->kind = JMESPATH_OK;
	err->pos = 0;
	err->msg[0] = '\0';
	if (jp == NULL || jp->root == NULL) {
		jmespath_seterr(err, JMESPATH_ERR_INVALID_VALUE, 0,
		    "no compiled expression");
		return (NULL);
	}
	cx.err = err;
	cx.work = max_work;
	cx.limit = max_work;
	out = jmespath_eval(jp->root, data != NULL ? data : json_null(), &cx);
	if (out == NULL && err->kind == JMESPATH_OK)
		jmespath_seterr(
		    err, JMESPATH_ERR_INVALID_VALUE, 0, "evaluation failed");
	return (out);
}

/* The compliance suite's name for an error kind. */
const char *
jmespath_errkind_name(enum jmespath_errkind kind)
{
	switch (kind) {
	case JMESPATH_OK:
		return ("ok");
	case JMESPATH_ERR_SYNTAX:
		return ("syntax");
	case JMESPATH_ERR_INVALID_TYPE:
		return ("invalid-type");
	case JMESPATH_ERR_INVALID_VALUE:
		return ("invalid-value");
	case JMESPATH_ERR_INVALID_ARITY:
		return ("invalid-arity");
	case JMESPATH_ERR_UNKNOWN_FUNCTION:
		return ("unknown-function");
	}
	return ("unknown");
}
