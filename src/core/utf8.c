/* SPDX-License-Identifier: Apache-2.0 */
/* UTF-8 decoding, validation, width and encoding. */

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
