/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JMESPath value rules: truthiness, equality and ordering (integers and
 * reals compare by value, so 1 == 1.0), type names, and the compact JSON
 * text of to_string(), whose reals are written like Python's repr().
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "query/jmespath_int.h"

/* False for null, false, "", [] and {}; true otherwise (0 included). */
int
jmespath_truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return (0);
	case JSON_STRING:
		return (json_string_length(v) > 0);
	case JSON_ARRAY:
		return (json_array_size(v) > 0);
	case JSON_OBJECT:
		return (json_object_size(v) > 0);
	default:
		return (1);
	}
}

/* Compare an integer with a finite real exactly: <0, 0 or >0. */
static int
cmp_int_real(json_int_t i, double d)
{
	double t;
	json_int_t ti;

	if (d >= 9223372036854775808.0)
		return (-1);
	if (d < -9223372036854775808.0)
		return (1);
	t = trunc(d);
	ti = (json_int_t)t;
	if (i != ti)
		return (i < ti ? -1 : 1);
	if (d > t)
		return (-1);
	return (d < t ? 1 : 0);
}

/* Order two numbers by value: <0, 0 or >0. */
int
jmespath_numcmp(const json_t *a, const json_t *b)
{
	json_int_t ia, ib;
	double da, db;

	if (json_is_integer(a) && json_is_integer(b)) {
		ia = json_integer_value(a);
		ib = json_integer_value(b);
		return (ia < ib ? -1 : ia > ib);
	}
	if (json_is_integer(a))
		return (
		    cmp_int_real(json_integer_value(a), json_real_value(b)));
	if (json_is_integer(b))
		return (
		    -cmp_int_real(json_integer_value(b), json_real_value(a)));
	da = json_real_value(a);
	db = json_real_value(b);
	return (da < db ? -1 : da > db);
}

/* Order two strings by bytes, which is code point order for UTF-8. */
int
jmespath_strcmp(const json_t *a, const json_t *b)
{
	size_t la = json_string_length(a), lb = json_string_length(b);
	int c;

	c = memcmp(
	    json_string_value(a), json_string_value(b), la < lb ? la : lb);
	if (c != 0)
		return (c);
	return (la < lb ? -1 : la > lb);
}

/*
 * Deep equality with numbers compared by value: 1 when equal, 0 when not,
 * -1 when *work (decremented per value visited) runs out.
 */
int
jmespath_equal(const json_t *a, const json_t *b, size_t *work)
{
	void *it;
	json_t *vb;
	size_t i;
	int r;

	if (*work == 0)
		return (-1);
	(*work)--;
	if (a == b)
		return (1);
	if (json_is_number(a) && json_is_number(b))
		return (jmespath_numcmp(a, b) == 0);
	if (json_typeof(a) != json_typeof(b))
		return (0);
	switch (json_typeof(a)) {
	case JSON_STRING:
		return (jmespath_strcmp(a, b) == 0);
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return (0);
		for (i = 0; i < json_array_size(a); i++) {
			r = jmespath_equal(
			    json_array_get(a, i), json_array_get(b, i), work);
			if (r != 1)
				return (r);
		}
		return (1);
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return (0);
		for (it = json_object_iter((json_t *)a); it != NULL;
		     it = json_object_iter_next((json_t *)a, it)) {
			vb = json_object_getn(b, json_object_iter_key(it),
			    json_object_iter_key_len(it));
			if (vb == NULL)
				return (0);
			r = jmespath_equal(
			    json_object_iter_value(it), vb, work);
			if (r != 1)
				return (r);
		}
		return (1);
	default:
		return (1);
	}
}

/* The JMESPath type name of a value. */
const char *
jmespath_typename(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL:
		return ("null");
	case JSON_TRUE:
	case JSON_FALSE:
		return ("boolean");
	case JSON_INTEGER:
	case JSON_REAL:
		return ("number");
	case JSON_STRING:
		return ("string");
	case JSON_ARRAY:
		return ("array");
	case JSON_OBJECT:
		return ("object");
	}
	return ("unknown");
}

/*
 * Write a finite real the way Python's repr() does: the shortest digits
 * that read back as the same double, positional notation for exponents
 * -4..15 and "1e+16" style otherwise, with ".0" on integral values.
 * Digits come from printf's %e, so the locale's decimal point is skipped
 * rather than trusted.
 */
static void
dump_real(struct jmespath_sbuf *b, double d)
{
	char tmp[64], digits[32];
	int prec, nd = 0, exp = 0, i;
	char *p, *e;

	for (prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	p = tmp;
	if (*p == '-') {
		jmespath_sbuf_addc(b, '-');
		p++;
	}
	e = strchr(p, 'e');
	if (e == NULL)
		return;
	for (; p < e && nd < (int)sizeof digits - 1; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	exp = (int)strtol(e + 1, NULL, 10);
	if (exp < -4 || exp >= 16) {
		jmespath_sbuf_addc(b, digits[0]);
		if (nd > 1) {
			jmespath_sbuf_addc(b, '.');
			jmespath_sbuf_add(b, digits + 1, nd - 1);
		}
		snprintf(
		    tmp, sizeof tmp, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
		jmespath_sbuf_add(b, tmp, strlen(tmp));
	} else if (exp < 0) {
		jmespath_sbuf_add(b, "0.", 2);
		for (i = -1; i > exp; i--)
			jmespath_sbuf_addc(b, '0');
		jmespath_sbuf_add(b, digits, nd);
	} else {
		for (i = 0; i <= exp; i++)
			jmespath_sbuf_addc(b, i < nd ? digits[i] : '0');
		jmespath_sbuf_addc(b, '.');
		if (nd > exp + 1)
			jmespath_sbuf_add(b, digits + exp + 1, nd - exp - 1);
		else
			jmespath_sbuf_addc(b, '0');
	}
}

/* A JSON string literal, escaped by the one JSON writer. */
static void
dump_string(struct jmespath_sbuf *b, const char *s, size_t len)
{
	struct buf t;

	buf_init(&t, BUF_NOCAP);
	jsonw_put_string(&t, s, len);
	jmespath_sbuf_add(b, t.data, t.len);
	buf_free(&t);
}

/*
 * Append v as compact JSON ("," and ":" without spaces) to b. Return -1,
 * leaving b partly written, once b holds more than max bytes.
 */
int
jmespath_dump(struct jmespath_sbuf *b, const json_t *v, size_t max)
{
	char tmp[32];
	void *it;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_NULL:
		jmespath_sbuf_add(b, "null", 4);
		break;
	case JSON_TRUE:
		jmespath_sbuf_add(b, "true", 4);
		break;
	case JSON_FALSE:
		jmespath_sbuf_add(b, "false", 5);
		break;
	case JSON_INTEGER:
		snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		jmespath_sbuf_add(b, tmp, strlen(tmp));
		break;
	case JSON_REAL:
		dump_real(b, json_real_value(v));
		break;
	case JSON_STRING:
		dump_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_ARRAY:
		jmespath_sbuf_addc(b, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i > 0)
				jmespath_sbuf_addc(b, ',');
			if (jmespath_dump(b, json_array_get(v, i), max) != 0)
				return (-1);
		}
		jmespath_sbuf_addc(b, ']');
		break;
	case JSON_OBJECT:
		jmespath_sbuf_addc(b, '{');
		i = 0;
		for (it = json_object_iter((json_t *)v); it != NULL;
		     it = json_object_iter_next((json_t *)v, it)) {
			if (i++ > 0)
				jmespath_sbuf_addc(b, ',');
			dump_string(b, json_object_iter_key(it),
			    json_object_iter_key_len(it));
			jmespath_sbuf_addc(b, ':');
			if (jmespath_dump(b, json_object_iter_value(it), max) !=
			    0)
				return (-1);
		}
		jmespath_sbuf_addc(b, '}');
		break;
	}
	return (b->len > max ? -1 : 0);
}

/* Length of the JSON number grammar match at the start of s[0..len). */
static size_t
number_span(const char *s, size_t len)
{
	size_t i = 0, digits;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (i < len && s[i] >= '1' && s[i] <= '9')
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return (0);
	if (i < len && s[i] == '.') {
		for (digits = 0, i++; i < len && s[i] >= '0' && s[i] <= '9';
		     i++)
			digits++;
		if (digits == 0)
			return (0);
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (digits = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (digits == 0)
			return (0);
	}
	return (i);
}

/*
 * Parse s, which must be exactly a JSON number, with jansson (whose real
 * parsing does not depend on the locale). Integers too big for json_int_t
 * become reals; reals out of range give NULL. Caller frees the result.
 */
json_t *
jmespath_parse_number(const char *s, size_t len)
{
	json_error_t jerr;
	json_t *v;

	if (len == 0 || number_span(s, len) != len)
		return (NULL);
	v = json_loadb(s, len, JSON_DECODE_ANY, &jerr);
	if (v == NULL && json_error_code(&jerr) == json_error_numeric_overflow)
		v = json_loadb(
		    s, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);
	if (v != NULL && !json_is_number(v)) {
		json_decref(v);
		v = NULL;
	}
	return (v);
}
