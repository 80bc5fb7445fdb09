/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath built-in functions: the table with each signature and every
 * function but the ordering ones (those are in jmespath_fn_sort.c; calls
 * and type checks are in jmespath_fn_call.c). Number results follow the
 * reference (Python): floor() and ceil() give integers, avg() a real, sums of
 * integers stay integers.
 */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/jmespath_int.h"

/* A real result, or NULL with an invalid-value error when not finite. */
static json_t *
fn_real(struct jmespath_call *c, double d)
{
	json_t *v;

	if (!isfinite(d)) {
		jmespath_seterr(c->cx->err, JMESPATH_ERR_INVALID_VALUE,
		    c->node->pos, "%s() result out of range at position %zu",
		    c->node->fn->name, c->node->pos);
		return (NULL);
	}
	v = json_real(d);
	if (v == NULL)
		abort();
	return (v);
}

/* An integral double as an integer when it fits, else as a real. */
static json_t *
fn_integral(struct jmespath_call *c, double d)
{
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		return (jmespath_jint((json_int_t)d));
	return (fn_real(c, d));
}

/* abs(number) */
static json_t *
fn_abs(struct jmespath_call *c)
{
	json_int_t i;

	if (json_is_real(c->args[0]))
		return (fn_real(c, fabs(json_real_value(c->args[0]))));
	i = json_integer_value(c->args[0]);
	if (i == INT64_MIN)
		return (fn_real(c, -(double)i));
	return (jmespath_jint(i < 0 ? -i : i));
}

/* Sum an array of numbers: exact while integers fit, else in doubles. */
static json_t *
fn_total(struct jmespath_call *c, json_t *arr, double *dsum, int *isreal)
{
	json_int_t isum = 0, x, t;
	double d = 0;
	size_t i;
	json_t *el;

	*isreal = 0;
	for (i = 0; i < json_array_size(arr); i++) {
		el = json_array_get(arr, i);
		if (!*isreal && json_is_integer(el)) {
			x = json_integer_value(el);
			if (!__builtin_add_overflow(isum, x, &t)) {
				isum = t;
				continue;
			}
		}
		if (!*isreal) {
			*isreal = 1;
			d = (double)isum;
		}
		d += json_number_value(el);
	}
	*dsum = *isreal ? d : (double)isum;
	if (*isreal)
		return (fn_real(c, d));
	return (jmespath_jint(isum));
}

/* avg(array[number]): a real, or null for an empty array. */
static json_t *
fn_avg(struct jmespath_call *c)
{
	json_t *sum;
	double d;
	int isreal;

	if (json_array_size(c->args[0]) == 0)
		return (json_null());
	sum = fn_total(c, c->args[0], &d, &isreal);
	if (sum == NULL)
		return (NULL);
	json_decref(sum);
	return (fn_real(c, d / (double)json_array_size(c->args[0])));
}

/* sum(array[number]) */
static json_t *
fn_sum(struct jmespath_call *c)
{
	double d;
	int isreal;

	return (fn_total(c, c->args[0], &d, &isreal));
}

/* ceil(number) */
static json_t *
fn_ceil(struct jmespath_call *c)
{
	if (json_is_integer(c->args[0]))
		return (json_incref(c->args[0]));
	return (fn_integral(c, ceil(json_real_value(c->args[0]))));
}

/* floor(number) */
static json_t *
fn_floor(struct jmespath_call *c)
{
	if (json_is_integer(c->args[0]))
		return (json_incref(c->args[0]));
	return (fn_integral(c, floor(json_real_value(c->args[0]))));
}

/* Whether needle occurs in hay (byte strings). */
static int
contains_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	if (nlen == 0)
		return (1);
	for (i = 0; i + nlen <= hlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return (1);
	return (0);
}

/* contains(array|string, any) */
static json_t *
fn_contains(struct jmespath_call *c)
{
	json_t *subject = c->args[0], *search = c->args[1];
	size_t i;
	int r;

	if (json_is_string(subject)) {
		if (!json_is_string(search))
			return (json_false());
		return (json_boolean(contains_bytes(json_string_value(subject),
		    json_string_length(subject), json_string_value(search),
		    json_string_length(search))));
	}
	for (i = 0; i < json_array_size(subject); i++) {
		r = jmespath_equal(
		    json_array_get(subject, i), search, &c->cx->work);
		if (r < 0) {
			jmespath_spend(c->cx, 1, c->node->pos);
			return (NULL);
		}
		if (r)
			return (json_true());
	}
	return (json_false());
}

/* starts_with(string, string) and ends_with(string, string) */
static json_t *
fn_affix(struct jmespath_call *c, int at_end)
{
	size_t ls = json_string_length(c->args[0]);
	size_t la = json_string_length(c->args[1]);
	const char *s = json_string_value(c->args[0]);

	if (la > ls)
		return (json_false());
	return (json_boolean(memcmp(s + (at_end ? ls - la : 0),
				 json_string_value(c->args[1]), la) == 0));
}

/* starts_with(string, string) */
static json_t *
fn_starts_with(struct jmespath_call *c)
{
	return (fn_affix(c, 0));
}

/* ends_with(string, string) */
static json_t *
fn_ends_with(struct jmespath_call *c)
{
	return (fn_affix(c, 1));
}

/* join(string, array[string]) */
static json_t *
fn_join(struct jmespath_call *c)
{
	struct jmespath_sbuf b = {NULL, 0, 0};
	json_t *el, *out;
	size_t i, need;

	for (i = 0; i < json_array_size(c->args[1]); i++) {
		need = json_string_length(json_array_get(c->args[1], i));
		if (i > 0)
			need += json_string_length(c->args[0]);
		if (jmespath_spend(c->cx, need, c->node->pos) != 0)
			return (NULL);
	}
	jmespath_sbuf_add(&b, "", 0);
	for (i = 0; i < json_array_size(c->args[1]); i++) {
		if (i > 0)
			jmespath_sbuf_add(&b, json_string_value(c->args[0]),
			    json_string_length(c->args[0]));
		el = json_array_get(c->args[1], i);
		jmespath_sbuf_add(
		    &b, json_string_value(el), json_string_length(el));
	}
	out = jmespath_jstringn(b.data, b.len);
	free(b.data);
	return (out);
}

/* keys(object) and values(object), in the object's order. */
static json_t *
fn_keys_values(struct jmespath_call *c, int want_values)
{
	json_t *out, *obj = c->args[0];
	void *it;

	out = jmespath_jarray();
	for (it = json_object_iter(obj); it != NULL;
	     it = json_object_iter_next(obj, it)) {
		if (want_values)
			jmespath_jappend(
			    out, json_incref(json_object_iter_value(it)));
		else
			jmespath_jappend(
			    out, jmespath_jstringn(json_object_iter_key(it),
				     json_object_iter_key_len(it)));
	}
	return (out);
}

/* keys(object) */
static json_t *
fn_keys(struct jmespath_call *c)
{
	return (fn_keys_values(c, 0));
}

/* values(object) */
static json_t *
fn_values(struct jmespath_call *c)
{
	return (fn_keys_values(c, 1));
}

/* length(string|array|object); strings count code points. */
static json_t *
fn_length(struct jmespath_call *c)
{
	json_t *v = c->args[0];
	const char *s;
	size_t i, n = 0;

	if (json_is_array(v))
		return (jmespath_jint((json_int_t)json_array_size(v)));
	if (json_is_object(v))
		return (jmespath_jint((json_int_t)json_object_size(v)));
	s = json_string_value(v);
	for (i = 0; i < json_string_length(v); i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return (jmespath_jint((json_int_t)n));
}

/* map(&expr, array): expr on each element, nulls kept. */
static json_t *
fn_map(struct jmespath_call *c)
{
	json_t *out, *v;
	size_t i;

	out = jmespath_jarray();
	for (i = 0; i < json_array_size(c->args[1]); i++) {
		v = jmespath_eval(
		    c->exprefs[0], json_array_get(c->args[1], i), c->cx);
		if (v == NULL) {
			json_decref(out);
			return (NULL);
		}
		jmespath_jappend(out, v);
	}
	return (out);
}

/* merge(object, ...): later keys win. */
static json_t *
fn_merge(struct jmespath_call *c)
{
	json_t *out, *obj;
	void *it;
	size_t i;

	out = jmespath_jobject();
	for (i = 0; i < c->nargs; i++) {
		obj = c->args[i];
		for (it = json_object_iter(obj); it != NULL;
		     it = json_object_iter_next(obj, it))
			jmespath_jsetn(out, json_object_iter_key(it),
			    json_object_iter_key_len(it),
			    json_incref(json_object_iter_value(it)));
	}
	return (out);
}

/* not_null(any, ...): the first argument that is not null. */
static json_t *
fn_not_null(struct jmespath_call *c)
{
	size_t i;

	for (i = 0; i < c->nargs; i++)
		if (!json_is_null(c->args[i]))
			return (json_incref(c->args[i]));
	return (json_null());
}

/* reverse(array|string); strings are reversed by code point. */
static json_t *
fn_reverse(struct jmespath_call *c)
{
	json_t *v = c->args[0], *out;
	const char *s;
	char *r;
	size_t i, len, end, start;

	if (json_is_array(v)) {
		out = jmespath_jarray();
		for (i = json_array_size(v); i > 0; i--)
			jmespath_jappend(
			    out, json_incref(json_array_get(v, i - 1)));
		return (out);
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (jmespath_spend(c->cx, len, c->node->pos) != 0)
		return (NULL);
	r = jmespath_xmalloc(len + 1);
	for (end = len, i = 0; end > 0; end = start) {
		start = end - 1;
		while (start > 0 && ((unsigned char)s[start] & 0xc0) == 0x80)
			start--;
		memcpy(r + i, s + start, end - start);
		i += end - start;
	}
	out = jmespath_jstringn(r, len);
	free(r);
	return (out);
}

/* to_array(any) */
static json_t *
fn_to_array(struct jmespath_call *c)
{
	json_t *out;

	if (json_is_array(c->args[0]))
		return (json_incref(c->args[0]));
	out = jmespath_jarray();
	jmespath_jappend(out, json_incref(c->args[0]));
	return (out);
}

/* to_string(any): strings as they are, else compact JSON. */
static json_t *
fn_to_string(struct jmespath_call *c)
{
	struct jmespath_sbuf b = {NULL, 0, 0};
	json_t *out;

	if (json_is_string(c->args[0]))
		return (json_incref(c->args[0]));
	/* The dump stops once it outgrows what is left of the budget. */
	if (jmespath_dump(&b, c->args[0], c->cx->work) != 0) {
		free(b.data);
		jmespath_spend(c->cx, SIZE_MAX, c->node->pos);
		return (NULL);
	}
	if (jmespath_spend(c->cx, b.len, c->node->pos) != 0)
		abort();
	out = jmespath_jstringn(b.data, b.len);
	free(b.data);
	return (out);
}

/* to_number(any): numbers, JSON number strings, else null. */
static json_t *
fn_to_number(struct jmespath_call *c)
{
	json_t *v = c->args[0], *n;

	if (json_is_number(v))
		return (json_incref(v));
	if (!json_is_string(v))
		return (json_null());
	n = jmespath_parse_number(json_string_value(v), json_string_length(v));
	return (n != NULL ? n : json_null());
}

/* type(any) */
static json_t *
fn_type(struct jmespath_call *c)
{
	const char *t = jmespath_typename(c->args[0]);

	return (jmespath_jstringn(t, strlen(t)));
}

static const struct jmespath_fn fns[] = {
    {"abs", fn_abs, 1, 0, {JT_NUMBER}},
    {"avg", fn_avg, 1, 0, {JT_ARRAY_NUMBER}},
    {"ceil", fn_ceil, 1, 0, {JT_NUMBER}},
    {"contains", fn_contains, 2, 0, {JT_ARRAY | JT_STRING, JT_ANY}},
    {"ends_with", fn_ends_with, 2, 0, {JT_STRING, JT_STRING}},
    {"floor", fn_floor, 1, 0, {JT_NUMBER}},
    {"join", fn_join, 2, 0, {JT_STRING, JT_ARRAY_STRING}},
    {"keys", fn_keys, 1, 0, {JT_OBJECT}},
    {"length", fn_length, 1, 0, {JT_STRING | JT_ARRAY | JT_OBJECT}},
    {"map", fn_map, 2, 0, {JT_EXPREF, JT_ARRAY}},
    {"max", jmespath_fn_max, 1, 0, {JT_ARRAY_NUMBER | JT_ARRAY_STRING}},
    {"max_by", jmespath_fn_max_by, 2, 0, {JT_ARRAY, JT_EXPREF}},
    {"merge", fn_merge, 1, 1, {JT_OBJECT}},
    {"min", jmespath_fn_min, 1, 0, {JT_ARRAY_NUMBER | JT_ARRAY_STRING}},
    {"min_by", jmespath_fn_min_by, 2, 0, {JT_ARRAY, JT_EXPREF}},
    {"not_null", fn_not_null, 1, 1, {JT_ANY}},
    {"reverse", fn_reverse, 1, 0, {JT_ARRAY | JT_STRING}},
    {"sort", jmespath_fn_sort, 1, 0, {JT_ARRAY_NUMBER | JT_ARRAY_STRING}},
    {"sort_by", jmespath_fn_sort_by, 2, 0, {JT_ARRAY, JT_EXPREF}},
    {"starts_with", fn_starts_with, 2, 0, {JT_STRING, JT_STRING}},
    {"sum", fn_sum, 1, 0, {JT_ARRAY_NUMBER}},
    {"to_array", fn_to_array, 1, 0, {JT_ANY}},
    {"to_number", fn_to_number, 1, 0, {JT_ANY}},
    {"to_string", fn_to_string, 1, 0, {JT_ANY}},
    {"type", fn_type, 1, 0, {JT_ANY}},
    {"values", fn_values, 1, 0, {JT_OBJECT}},
};

/* The built-in function called name, or NULL. */
const struct jmespath_fn *
jmespath_fn_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (strlen(fns[i].name) == len &&
		    memcmp(fns[i].name, name, len) == 0)
			return (&fns[i]);
	return (NULL);
}
