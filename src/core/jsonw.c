/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON writer. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/scan.h"
#include "core/utf8.h"

/* Write to b; see jsonw.h. */
void
jsonw_init(struct jsonw *w, struct buf *b)
{
	jsonw_init_flags(w, b, 0);
}

/* Write to b with flags; see jsonw.h. */
void
jsonw_init_flags(struct jsonw *w, struct buf *b, int flags)
{
	memset(w, 0, sizeof *w);
	w->b = b;
	w->flags = flags;
}

/* Before a value or a key: the comma that separates it from the last. */
static void
jsonw_sep(struct jsonw *w)
{
	uint64_t bit;

	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	bit = (uint64_t)1 << (w->depth - 1);
	if (w->items & bit)
		buf_puts(w->b, w->flags & JSONW_SPACED ? ", " : ",");
	w->items |= bit;
}

static void
jsonw_open(struct jsonw *w, int object)
{
	uint64_t bit;

	jsonw_sep(w);
	if (w->depth >= JSONW_MAX_DEPTH)
		abort();
	bit = (uint64_t)1 << w->depth;
	w->items &= ~bit;
	if (object)
		w->objects |= bit;
	else
		w->objects &= ~bit;
	w->depth++;
	buf_putc(w->b, object ? '{' : '[');
}

/* Open an object. */
void
jsonw_object(struct jsonw *w)
{
	jsonw_open(w, 1);
}

/* Open an array. */
void
jsonw_array(struct jsonw *w)
{
	jsonw_open(w, 0);
}

/* Close the innermost container. */
void
jsonw_end(struct jsonw *w)
{
	if (w->depth == 0 || w->after_key)
		abort(); /* unbalanced: a programming error */
	w->depth--;
	buf_putc(w->b, (w->objects >> w->depth) & 1 ? '}' : ']');
}

/* A member's key. */
void
jsonw_key(struct jsonw *w, const char *key)
{
	if (w->depth == 0 || !((w->objects >> (w->depth - 1)) & 1) ||
	    w->after_key)
		abort(); /* a key outside an object */
	jsonw_sep(w);
	jsonw_put_string_flags(w->b, key, strlen(key), w->flags);
	buf_puts(w->b, w->flags & JSONW_SPACED ? ": " : ":");
	w->after_key = 1;
}

/* A string value. */
void
jsonw_string(struct jsonw *w, const char *s, size_t len)
{
	jsonw_sep(w);
	jsonw_put_string_flags(w->b, s, len, w->flags);
}

/* A string value, or null for NULL. */
void
jsonw_stringz(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_string(w, s, strlen(s));
}

/* An integer value. */
void
jsonw_int(struct jsonw *w, long long v)
{
	jsonw_sep(w);
	buf_putf(w->b, "%lld", v);
}

/* A number: whole, or with decimals. */
void
jsonw_real(struct jsonw *w, double v, int decimals)
{
	jsonw_sep(w);
	if (v == (double)(long long)v)
		buf_putf(w->b, "%lld", (long long)v);
	else
		buf_putf(w->b, "%.*f", decimals, v);
}

/* true or false. */
void
jsonw_bool(struct jsonw *w, int v)
{
	jsonw_sep(w);
	buf_puts(w->b, v ? "true" : "false");
}

/* null. */
void
jsonw_null(struct jsonw *w)
{
	jsonw_sep(w);
	buf_puts(w->b, "null");
}

/* Append a JSON string; see jsonw.h. */
void
jsonw_put_string(struct buf *b, const char *s, size_t len)
{
	jsonw_put_string_flags(b, s, len, 0);
}

/* A code point as \uXXXX, past the BMP as a surrogate pair. */
static void
jsonw_put_u(struct buf *b, uint32_t cp)
{
	if (cp >= 0x10000) {
		cp -= 0x10000;
		buf_putf(b, "\\u%04x\\u%04x", (unsigned)(0xd800 | (cp >> 10)),
		    (unsigned)(0xdc00 | (cp & 0x3ff)));
	} else
		buf_putf(b, "\\u%04x", (unsigned)cp);
}

/* Append a JSON string with flags; see jsonw.h. */
void
jsonw_put_string_flags(struct buf *b, const char *s, size_t len, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *end = s + len;
	size_t i = 0, run = 0, n;
	uint32_t cp;

	buf_putc(b, '"');
	while (i < len) {
		i = (size_t)(scan_json_plain(s + i, end) - s);
		if (i >= len)
			break;
		if (u[i] >= 0x7f) {
			/* DEL and valid UTF-8 stay (or \uXXXX with ASCII); a
			 * bad byte is U+FFFD. */
			n = u[i] == 0x7f ? 1 : utf8_decode(s + i, len - i, &cp);
			if (n != 0 && !(flags & JSONW_ASCII)) {
				i += n;
				continue;
			}
			buf_put(b, s + run, i - run);
			if (n == 0) {
				if (flags & JSONW_ASCII)
					buf_puts(b, "\\ufffd");
				else
					buf_puts(b, UTF8_REPLACEMENT);
				n = 1;
			} else
				jsonw_put_u(b, u[i] == 0x7f ? 0x7f : cp);
			i += n;
			run = i;
			continue;
		}
		buf_put(b, s + run, i - run);
		switch (u[i]) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\b':
			buf_puts(b, "\\b");
			break;
		case '\f':
			buf_puts(b, "\\f");
			break;
		default:
			buf_putf(b, "\\u%04x", u[i]);
			break;
		}
		run = ++i;
	}
	buf_put(b, s + run, i - run);
	buf_putc(b, '"');
}
