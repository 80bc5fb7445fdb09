/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON scanner under the FilterLogEvents/GetLogEvents decoder
 * (logs_decode.c): reads values at a cursor over a body, unescapes the
 * strings it keeps into an arena (the body itself, in place), and skips
 * everything else. It accepts exactly JSON (RFC 8259); lone UTF-16
 * surrogates in \u escapes become U+FFFD.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/scan.h"
#include "core/utf8.h"
#include "logs/jsondec.h"

#define JSONDEC_MAX_DEPTH 64

static int
jsondec_lit(struct jsondec *d, const char *lit, size_t n)
{
	if ((size_t)(d->end - d->p) < n || memcmp(d->p, lit, n) != 0) {
		d->err = "invalid literal";
		return (-1);
	}
	d->p += n;
	return (0);
}

static int
jsondec_hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return (-1);
	}
	*out = v;
	return (0);
}

/*
 * Decode the escape at s (s[0] is the backslash) into the code point *c.
 * Returns the byte after it, or NULL with d->err set.
 */
static inline const char *
jsondec_escape(struct jsondec *d, const char *s, uint32_t *c)
{
	uint32_t c2;

	if (d->end - s < 2) {
		d->err = "unterminated string";
		return (NULL);
	}
	switch (s[1]) {
	case '"':
	case '\\':
	case '/':
		*c = (unsigned char)s[1];
		return (s + 2);
	case 'b':
		*c = '\b';
		return (s + 2);
	case 'f':
		*c = '\f';
		return (s + 2);
	case 'n':
		*c = '\n';
		return (s + 2);
	case 'r':
		*c = '\r';
		return (s + 2);
	case 't':
		*c = '\t';
		return (s + 2);
	case 'u':
		if (d->end - s < 6 || jsondec_hex4(s + 2, c) != 0) {
			d->err = "bad \\u escape";
			return (NULL);
		}
		s += 6;
		if (*c >= 0xd800 && *c <= 0xdbff && d->end - s >= 6 &&
		    s[0] == '\\' && s[1] == 'u' &&
		    jsondec_hex4(s + 2, &c2) == 0 && c2 >= 0xdc00 &&
		    c2 <= 0xdfff) {
			*c = 0x10000 + ((*c - 0xd800) << 10) + (c2 - 0xdc00);
			s += 6;
		} else if (*c >= 0xd800 && *c <= 0xdfff)
			*c = 0xfffd; /* a lone surrogate */
		return (s);
	default:
		d->err = "bad escape";
		return (NULL);
	}
}

/* Bytes unescaped into a stack buffer before they are moved in place. */
#define JSONDEC_TMP 1024

/*
 * Unescape the rest of a string whose first special byte is at s (the
 * bytes before it are already in place, from the arena at off). The
 * output goes to a stack buffer first, 16 bytes at a time whatever the
 * block holds (the next escape overwrites what is past the plain run), and
 * moves in place when the buffer fills and at the end. In place is safe:
 * no escape is shorter than what it decodes to, so the output written so
 * far never passes s.
 */
static const char *
jsondec_unescape(struct jsondec *d, size_t off, const char *s, size_t *len)
{
	char tmp[JSONDEC_TMP + 64]; /* room for a block and an escape past it */
	const char *end = d->end;
	char *start = d->arena + off, *o = d->arena + (s - d->arena);
	size_t t = 0;
	uint32_t c;
#ifdef SCAN_SSE2
	__m128i v;
	int mask;
#endif

	for (;;) {
		if (*s == '"')
			break;
		if ((unsigned char)*s < 0x20) {
			d->err = "control character in string";
			return (NULL);
		}
		/* \" and \\ are most escapes (JSON inside a message). */
		if (end - s >= 2 && (s[1] == '"' || s[1] == '\\')) {
			tmp[t++] = s[1];
			s += 2;
		} else {
			s = jsondec_escape(d, s, &c);
			if (s == NULL)
				return (NULL);
			if (c < 0x80)
				tmp[t++] = (char)c;
			else
				t += utf8_encode(c, tmp + t);
		}
		/* Plain bytes up to the next special one. */
		for (;;) {
			if (t > JSONDEC_TMP) {
				memcpy(o, tmp, t);
				o += t;
				t = 0;
			}
#ifdef SCAN_SSE2
			if (end - s >= 16) {
				v = _mm_loadu_si128(
				    (const __m128i *)(const void *)s);
				_mm_storeu_si128(
				    (__m128i *)(void *)(tmp + t), v);
				mask = scan_json_special16(v);
				if (mask == 0) {
					s += 16;
					t += 16;
					continue;
				}
				mask = __builtin_ctz((unsigned)mask);
				s += mask;
				t += (size_t)mask;
				break;
			}
#endif
			/* The last bytes of the body (or no SSE2): at most
			 * 15 with SSE2, fewer than JSONDEC_TMP without it. */
			while (s < end && *s != '"' && *s != '\\' &&
			       (unsigned char)*s >= 0x20 &&
			       t < JSONDEC_TMP + 32)
				tmp[t++] = *s++;
			if (s < end && t >= JSONDEC_TMP + 32)
				continue;
			break;
		}
		if (s >= end) {
			d->err = "unterminated string";
			return (NULL);
		}
	}
	memcpy(o, tmp, t);
	o += t;
	d->p = s + 1;
	*len = (size_t)(o - start);
	*o++ = '\0';
	d->alen = (size_t)(o - d->arena);
	return (start);
}

/*
 * Read a string at d->p (which points at the opening quote). With keep,
 * unescape it into the arena and return it (length in *len); else skip it
 * and return a non-NULL dummy. NULL on error. An escaped string is never
 * shorter than its unescaped bytes (\uXXXX is 6 bytes for at most 3; a
 * surrogate pair is 12 for 4), so the arena, sized like the body, fits.
 */
const char *
jsondec_string(struct jsondec *d, int keep, size_t *len)
{
	const char *s, *end = d->end;
	size_t off;
	uint32_t c;

	d->p++;
	/* Only a kept string touches the arena (a read-only body has none). */
	off = keep ? (size_t)(d->p - d->arena) : 0;
	s = scan_json_string(d->p, end);
	if (s < end && *s == '"') {
		/* No escapes (most strings): nothing moves; the closing
		 * quote becomes the NUL. */
		d->p = s + 1;
		if (!keep)
			return ("");
		*len = (size_t)(s - (d->arena + off));
		d->arena[off + *len] = '\0';
		d->alen = off + *len + 1;
		return (d->arena + off);
	}
	if (keep && s < end)
		return (jsondec_unescape(d, off, s, len));
	/* Skipped: only checked. */
	for (;;) {
		if (s >= end) {
			d->err = "unterminated string";
			return (NULL);
		}
		if (*s == '"')
			break;
		if ((unsigned char)*s < 0x20) {
			d->err = "control character in string";
			return (NULL);
		}
		s = jsondec_escape(d, s, &c);
		if (s == NULL)
			return (NULL);
		s = scan_json_string(s, end);
	}
	d->p = s + 1;
	return ("");
}

/* Read a number; integers go to *out (fractions truncated). */
static int jsondec_number_slow(struct jsondec *, int64_t *);

/* How many of the 8 bytes at p are ASCII digits before a non-digit? */
static inline int
jsondec_count8(const char *p)
{
	uint64_t v, t;

	memcpy(&v, p, 8);
	/* A digit byte becomes 0x33; a carry out of a non-digit byte only
	 * reaches later bytes, which do not count. */
	t = ((v & 0xF0F0F0F0F0F0F0F0ULL) |
		(((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ^
	    0x3333333333333333ULL;
	return (t == 0 ? 8 : __builtin_ctzll(t) / 8);
}

/*
 * The value of the k (1..8) ASCII digits at p (8 bytes readable), SWAR:
 * the digits are shifted to the top so that the bytes after them drop out
 * and zeros lead (little-endian).
 */
static inline uint64_t
jsondec_parse_k(const char *p, int k)
{
	uint64_t v;

	memcpy(&v, p, 8);
	/* A borrow out of a non-digit byte only reaches later bytes. */
	v = (v - 0x3030303030303030ULL) << (8 * (8 - k));
	v = (v * 10) + (v >> 8);
	v = (((v & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
		(((v >> 16) & 0x000000FF000000FFULL) *
		    (1 + (10000ULL << 32)))) >>
	    32;
	return (v);
}

/* Read a number; the common case (a plain integer of up to 18 digits) is
 * done here, anything else by jsondec_number_slow. */
int
jsondec_number(struct jsondec *d, int64_t *out)
{
	static const int64_t pow10[9] = {
	    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
	const char *s = d->p;
	int64_t v = 0;
	int n = 0, k;

	if (s < d->end && *s >= '1' && *s <= '9') {
		/* Epoch milliseconds have 13 digits: up to 8 at a time. */
		while (d->end - s >= 8 && n <= 10) {
			k = jsondec_count8(s);
			if (k == 0)
				break;
			v = v * pow10[k] + (int64_t)jsondec_parse_k(s, k);
			s += k;
			n += k;
			if (k < 8)
				break;
		}
		while (s < d->end && *s >= '0' && *s <= '9' && n < 18) {
			v = v * 10 + (*s - '0');
			s++;
			n++;
		}
		if (s < d->end && !(*s >= '0' && *s <= '9') && *s != '.' &&
		    *s != 'e' && *s != 'E') {
			d->p = s;
			if (out != NULL)
				*out = v;
			return (0);
		}
	}
	return (jsondec_number_slow(d, out));
}

/* Any JSON number; integers go to *out (fractions truncated). */
static int
jsondec_number_slow(struct jsondec *d, int64_t *out)
{
	const char *s = d->p;
	int64_t v = 0;
	int neg = 0, digits = 0, overflow = 0;

	if (s < d->end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s < d->end && *s == '0') {
		s++;
		digits = 1;
	} else {
		while (s < d->end && *s >= '0' && *s <= '9') {
			if (v > (INT64_MAX - 9) / 10)
				overflow = 1;
			else
				v = v * 10 + (*s - '0');
			s++;
			digits++;
		}
	}
	if (digits == 0) {
		d->err = "bad number";
		return (-1);
	}
	if (s < d->end && *s == '.') {
		s++;
		if (s >= d->end || *s < '0' || *s > '9') {
			d->err = "bad number";
			return (-1);
		}
		while (s < d->end && *s >= '0' && *s <= '9')
			s++;
	}
	if (s < d->end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < d->end && (*s == '+' || *s == '-'))
			s++;
		if (s >= d->end || *s < '0' || *s > '9') {
			d->err = "bad number";
			return (-1);
		}
		while (s < d->end && *s >= '0' && *s <= '9')
			s++;
		overflow = 1; /* not an epoch in milliseconds */
	}
	d->p = s;
	if (out != NULL)
		*out = overflow ? 0 : (neg ? -v : v);
	return (0);
}

/* Skip the members of an object or the items of an array. */
static int
jsondec_skip_container(struct jsondec *d, char close, int depth)
{
	int first = 1;

	d->p++;
	for (;;) {
		jsondec_ws(d);
		if (d->p >= d->end) {
			d->err = "truncated";
			return (-1);
		}
		if (*d->p == close) {
			d->p++;
			return (0);
		}
		if (!first) {
			if (*d->p != ',') {
				d->err = "expected ','";
				return (-1);
			}
			d->p++;
			jsondec_ws(d);
		}
		first = 0;
		if (close == '}') {
			if (d->p >= d->end || *d->p != '"' ||
			    jsondec_string(d, 0, NULL) == NULL) {
				if (d->err == NULL)
					d->err = "expected a key";
				return (-1);
			}
			jsondec_ws(d);
			if (d->p >= d->end || *d->p != ':') {
				d->err = "expected ':'";
				return (-1);
			}
			d->p++;
		}
		if (jsondec_skip(d, depth + 1) != 0)
			return (-1);
	}
}

/* Skip any value. */
int
jsondec_skip(struct jsondec *d, int depth)
{
	jsondec_ws(d);
	if (d->p >= d->end) {
		d->err = "truncated";
		return (-1);
	}
	if (depth > JSONDEC_MAX_DEPTH) {
		d->err = "nested too deep";
		return (-1);
	}
	switch (*d->p) {
	case '"':
		return (jsondec_string(d, 0, NULL) == NULL ? -1 : 0);
	case '{':
		return (jsondec_skip_container(d, '}', depth));
	case '[':
		return (jsondec_skip_container(d, ']', depth));
	case 't':
		return (jsondec_lit(d, "true", 4));
	case 'f':
		return (jsondec_lit(d, "false", 5));
	case 'n':
		return (jsondec_lit(d, "null", 4));
	default:
		return (jsondec_number(d, NULL));
	}
}

/* Is the next value null? Consumes it if so. */
int
jsondec_null(struct jsondec *d)
{
	jsondec_ws(d);
	if (d->p < d->end && *d->p == 'n')
		return (jsondec_lit(d, "null", 4) == 0 ? 1 : -1);
	return (0);
}

/* Expect a separator or the end of a container; 1 at the end. */
int
jsondec_next(struct jsondec *d, char close)
{
	jsondec_ws(d);
	if (d->p < d->end && *d->p == ',') {
		d->p++;
		jsondec_ws(d);
		return (0);
	}
	if (d->p < d->end && *d->p == close) {
		d->p++;
		return (1);
	}
	d->err = d->p >= d->end ? "truncated" : "expected ',' or end";
	return (-1);
}

/* The ':' after a key, with the blanks around it; see jsondec.h. */
int
jsondec_colon(struct jsondec *d)
{
	jsondec_ws(d);
	if (d->p >= d->end || *d->p != ':') {
		d->err = "expected ':'";
		return (-1);
	}
	d->p++;
	jsondec_ws(d);
	return (0);
}

/* Read a key and its ':'; the key is kept in the arena only when asked. */
int
jsondec_key(struct jsondec *d, const char **key, size_t *klen)
{
	const char *s;
	size_t len = 0;

	jsondec_ws(d);
	if (d->p >= d->end || *d->p != '"') {
		d->err = d->p >= d->end ? "truncated" : "expected a key";
		return (-1);
	}
	/* A key without escapes is used where it is; one with escapes is
	 * unescaped in place. Either way: a span of the body. */
	s = scan_json_string(d->p + 1, d->end);
	if (s < d->end && *s == '"') {
		len = (size_t)(s - d->p - 1);
		s = d->p + 1;
		d->p += len + 2;
	} else {
		s = jsondec_string(d, 1, &len);
		if (s == NULL)
			return (-1);
	}
	*key = s;
	*klen = len;
	return (jsondec_colon(d));
}

/* Undo the escapes of a checked span into out; see jsondec.h. */
size_t
jsondec_unescape_span(const char *s, size_t len, char *out)
{
	struct jsondec d;
	const char *e, *run;
	size_t n = 0;
	uint32_t c;

	if (len == 0) {
		out[0] = '\0'; /* s may be NULL: an absent field */
		return (0);
	}
	e = s + len;
	memset(&d, 0, sizeof d);
	d.end = e;
	while (s < e) {
		run = s;
		while (s < e && *s != '\\')
			s++;
		memcpy(out + n, run, (size_t)(s - run));
		n += (size_t)(s - run);
		if (s >= e)
			break;
		s = jsondec_escape(&d, s, &c);
		if (s == NULL)
			break; /* not reached: the span was checked */
		if (c < 0x80)
			out[n++] = (char)c;
		else
			n += utf8_encode(c, out + n);
	}
	out[n] = '\0';
	return (n);
}
