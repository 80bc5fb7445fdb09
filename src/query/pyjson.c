/* SPDX-License-Identifier: Apache-2.0 */
/* Python's json.dumps() layout; see pyjson.h. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jsonw.h"
#include "query/pyjson.h"

/*
 * A string with ensure_ascii=True (json.encoder.py_encode_basestring_ascii)
 * is jsonw's ASCII string: the same escapes, \uXXXX in lower case,
 * surrogate pairs past the BMP.
 */
static void
pyjson_string(const char *s, size_t len, struct buf *b)
{
	jsonw_put_string_flags(b, s, len, JSONW_ASCII);
}

/*
 * A float as Python's repr(): the shortest digits that read back the same,
 * in fixed notation when the decimal exponent is from -4 to 15 (with ".0"
 * when integral), otherwise as d[.ddd]e+XX.
 */
static void
pyjson_real(double d, struct buf *b)
{
	char sci[40], digits[20];
	int prec, exp, nd, i, point;
	char *e, *p;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(sci, sizeof sci, "%.*e", prec - 1, d);
		if (strtod(sci, NULL) == d)
			break;
	}
	/* sci is [-]d[.ddd]e[+-]XX */
	p = sci;
	if (*p == '-') {
		buf_putc(b, '-');
		p++;
	}
	e = strchr(p, 'e');
	exp = atoi(e + 1);
	nd = 0;
	for (; p < e; p++) {
		if (*p != '.')
			digits[nd++] = *p;
	}
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (exp < -4 || exp >= 16) {
		buf_putc(b, digits[0]);
		if (nd > 1) {
			buf_putc(b, '.');
			buf_put(b, digits + 1, (size_t)nd - 1);
		}
		buf_putf(
		    b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return;
	}
	point = exp + 1; /* digits before the decimal point */
	if (point <= 0) {
		buf_puts(b, "0.");
		for (i = point; i < 0; i++)
			buf_putc(b, '0');
		buf_put(b, digits, (size_t)nd);
		return;
	}
	for (i = 0; i < point; i++)
		buf_putc(b, i < nd ? digits[i] : '0');
	buf_putc(b, '.');
	if (nd > point)
		buf_put(b, digits + point, (size_t)(nd - point));
	else
		buf_putc(b, '0');
}

/* A newline and depth levels of indent spaces. */
static void
pyjson_newline(int indent, int depth, struct buf *b)
{
	int i;

	buf_putc(b, '\n');
	for (i = 0; i < indent * depth; i++)
		buf_putc(b, ' ');
}

static void
pyjson_value(const json_t *v, int indent, int depth, struct buf *b)
{
	const char *key;
	json_t *item;
	size_t i, n, klen;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (json_object_size(v) == 0) {
			buf_puts(b, "{}");
			break;
		}
		buf_putc(b, '{');
		n = 0;
		json_object_keylen_foreach((json_t *)v, key, klen, item)
		{
			if (n++ > 0)
				buf_puts(b, indent < 0 ? ", " : ",");
			if (indent >= 0)
				pyjson_newline(indent, depth + 1, b);
			pyjson_string(key, klen, b);
			buf_puts(b, ": ");
			pyjson_value(item, indent, depth + 1, b);
		}
		if (indent >= 0)
			pyjson_newline(indent, depth, b);
		buf_putc(b, '}');
		break;
	case JSON_ARRAY:
		if (json_array_size(v) == 0) {
			buf_puts(b, "[]");
			break;
		}
		buf_putc(b, '[');
		json_array_foreach((json_t *)v, i, item)
		{
			if (i > 0)
				buf_puts(b, indent < 0 ? ", " : ",");
			if (indent >= 0)
				pyjson_newline(indent, depth + 1, b);
			pyjson_value(item, indent, depth + 1, b);
		}
		if (indent >= 0)
			pyjson_newline(indent, depth, b);
		buf_putc(b, ']');
		break;
	case JSON_STRING:
		pyjson_string(json_string_value(v), json_string_length(v), b);
		break;
	case JSON_INTEGER:
		buf_putf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		pyjson_real(json_real_value(v), b);
		break;
	case JSON_TRUE:
		buf_puts(b, "true");
		break;
	case JSON_FALSE:
		buf_puts(b, "false");
		break;
	case JSON_NULL:
		buf_puts(b, "null");
		break;
	}
}

/* Write v as json.dumps() does; see pyjson.h. */
void
pyjson_dump(const json_t *v, int indent, struct buf *b)
{
	pyjson_value(v, indent, 0, b);
}
