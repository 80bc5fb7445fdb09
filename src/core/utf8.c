/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 decoding, validation, width, encoding and escaping. */

#include "core/buf.h"
#include "core/scan.h"
#include "core/utf8.h"

/* Decode one sequence; see utf8.h. */
size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return (0);
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return (0);
	*cp = c;
	return (n);
}

/* The first invalid byte; see utf8.h. */
size_t
utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		i = (size_t)(scan_non_ascii(s + i, s + len) - s);
		if (i >= len)
			break;
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return (i);
		i += n;
	}
	return (len);
}

/* Count characters; see utf8.h. */
size_t
utf8_width(const char *s, size_t len)
{
	size_t i = 0, w = 0, n, j;
	uint32_t cp;

	while (i < len) {
		j = (size_t)(scan_non_ascii(s + i, s + len) - s);
		w += j - i;
		i = j;
		if (i >= len)
			break;
		n = utf8_decode(s + i, len - i, &cp);
		i += n ? n : 1;
		w++;
	}
	return (w);
}

/* The first n characters; see utf8.h. */
size_t
utf8_prefix(const char *s, size_t len, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < len && n > 0) {
		k = (unsigned char)s[i] < 0x80
			? 1
			: utf8_decode(s + i, len - i, &cp);
		i += k ? k : 1;
		n--;
	}
	return (i);
}

/* Encode a code point; see utf8.h. */
size_t
utf8_encode(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

/*
 * The length of the run at s + i that utf8_escape() keeps (0 when the
 * byte there is escaped), or, with i == len, 0.
 */
static size_t
utf8_kept(const char *s, size_t len, size_t i, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t j, n;
	uint32_t cp;

	j = (size_t)(scan_not_printable(s + i, s + len) - s);
	if (j > i)
		return (j - i);
	if (i >= len)
		return (0);
	if (u[i] == '\t' || (u[i] == '\n' && (flags & UTF8_ESC_KEEP_LF)))
		return (1);
	if (u[i] < 0x80)
		return (0); /* C0 or DEL */
	n = utf8_decode(s + i, len - i, &cp);
	return (n != 0 && cp >= 0xa0 ? n : 0);
}

/* Escape for a terminal; see utf8.h. */
void
utf8_escape(struct buf *b, const char *s, size_t len, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_kept(s, len, i, flags);
		if (n > 0) {
			i += n;
			continue;
		}
		buf_put(b, s + run, i - run);
		n = u[i] >= 0x80 ? utf8_decode(s + i, len - i, &cp) : 0;
		if (n != 0) {
			buf_putf(b, "\\u%04x", cp); /* C1 control */
			i += n;
		} else
			buf_putf(b, "\\x%02x", u[i++]);
		run = i;
	}
	buf_put(b, s + run, i - run);
}

/* The width of the escaped text; see utf8.h. */
size_t
utf8_escape_width(const char *s, size_t len, int flags)
{
	struct buf b;
	size_t w;

	buf_init(&b, 0);
	utf8_escape(&b, s, len, flags);
	w = utf8_width(b.data, b.len);
	buf_free(&b);
	return (w);
}
