/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A purpose-built decoder for FilterLogEvents responses. jansson builds a
 * tree of every value (about 10 ms and several times the body in memory
 * per 1 MB page); this scans the body once, unescapes the strings of each
 * event into one arena no larger than the body, and skips everything else.
 * It accepts exactly JSON (RFC 8259) and rejects truncated or malformed
 * bodies, so a cut-off response is retried rather than half-read. Lone
 * UTF-16 surrogates in \u escapes become U+FFFD instead of failing the page
 * (never lose a page over one odd character).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/scan.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "logs/logs.h"

#define DEC_MAX_DEPTH 64

struct dec {
	const char *p;
	const char *end;
	char *arena; /* unescaped strings, NUL-terminated */
	size_t alen;
	const char *err;
};

static void
dec_ws(struct dec *d)
{
	while (d->p < d->end && (*d->p == ' ' || *d->p == '\n' ||
				    *d->p == '\r' || *d->p == '\t'))
		d->p++;
}

static int
dec_lit(struct dec *d, const char *lit, size_t n)
{
	if ((size_t)(d->end - d->p) < n || memcmp(d->p, lit, n) != 0) {
		d->err = "invalid literal";
		return (-1);
	}
	d->p += n;
	return (0);
}

static int
dec_hex4(const char *p, uint32_t *out)
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
dec_escape(struct dec *d, const char *s, uint32_t *c)
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
		if (d->end - s < 6 || dec_hex4(s + 2, c) != 0) {
			d->err = "bad \\u escape";
			return (NULL);
		}
		s += 6;
		if (*c >= 0xd800 && *c <= 0xdbff && d->end - s >= 6 &&
		    s[0] == '\\' && s[1] == 'u' && dec_hex4(s + 2, &c2) == 0 &&
		    c2 >= 0xdc00 && c2 <= 0xdfff) {
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
#define DEC_TMP 1024

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
dec_unescape(struct dec *d, size_t off, const char *s, size_t *len)
{
	char tmp[DEC_TMP + 64]; /* room for a block and an escape past it */
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
			s = dec_escape(d, s, &c);
			if (s == NULL)
				return (NULL);
			if (c < 0x80)
				tmp[t++] = (char)c;
			else
				t += utf8_encode(c, tmp + t);
		}
		/* Plain bytes up to the next special one. */
		for (;;) {
			if (t > DEC_TMP) {
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
			 * 15 with SSE2, fewer than DEC_TMP without it. */
			while (s < end && *s != '"' && *s != '\\' &&
			       (unsigned char)*s >= 0x20 && t < DEC_TMP + 32)
				tmp[t++] = *s++;
			if (s < end && t >= DEC_TMP + 32)
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
static const char *
dec_string(struct dec *d, int keep, size_t *len)
{
	const char *s, *end = d->end;
	size_t off;
	uint32_t c;

	d->p++;
	off = (size_t)(d->p - d->arena);
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
		return (dec_unescape(d, off, s, len));
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
		s = dec_escape(d, s, &c);
		if (s == NULL)
			return (NULL);
		s = scan_json_string(s, end);
	}
	d->p = s + 1;
	return ("");
}

/* Read a number; integers go to *out (fractions truncated). */
static int dec_number_slow(struct dec *, int64_t *);

/* How many of the 8 bytes at p are ASCII digits before a non-digit? */
static inline int
dec_count8(const char *p)
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
dec_parse_k(const char *p, int k)
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
 * done here, anything else by dec_number_slow. */
static int
dec_number(struct dec *d, int64_t *out)
{
	static const int64_t pow10[9] = {
	    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
	const char *s = d->p;
	int64_t v = 0;
	int n = 0, k;

	if (s < d->end && *s >= '1' && *s <= '9') {
		/* Epoch milliseconds have 13 digits: up to 8 at a time. */
		while (d->end - s >= 8 && n <= 10) {
			k = dec_count8(s);
			if (k == 0)
				break;
			v = v * pow10[k] + (int64_t)dec_parse_k(s, k);
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
	return (dec_number_slow(d, out));
}

/* Any JSON number; integers go to *out (fractions truncated). */
static int
dec_number_slow(struct dec *d, int64_t *out)
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

static int dec_skip(struct dec *, int);

/* Skip the members of an object or the items of an array. */
static int
dec_skip_container(struct dec *d, char close, int depth)
{
	int first = 1;

	d->p++;
	for (;;) {
		dec_ws(d);
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
			dec_ws(d);
		}
		first = 0;
		if (close == '}') {
			if (d->p >= d->end || *d->p != '"' ||
			    dec_string(d, 0, NULL) == NULL) {
				if (d->err == NULL)
					d->err = "expected a key";
				return (-1);
			}
			dec_ws(d);
			if (d->p >= d->end || *d->p != ':') {
				d->err = "expected ':'";
				return (-1);
			}
			d->p++;
		}
		if (dec_skip(d, depth + 1) != 0)
			return (-1);
	}
}

/* Skip any value. */
static int
dec_skip(struct dec *d, int depth)
{
	dec_ws(d);
	if (d->p >= d->end) {
		d->err = "truncated";
		return (-1);
	}
	if (depth > DEC_MAX_DEPTH) {
		d->err = "nested too deep";
		return (-1);
	}
	switch (*d->p) {
	case '"':
		return (dec_string(d, 0, NULL) == NULL ? -1 : 0);
	case '{':
		return (dec_skip_container(d, '}', depth));
	case '[':
		return (dec_skip_container(d, ']', depth));
	case 't':
		return (dec_lit(d, "true", 4));
	case 'f':
		return (dec_lit(d, "false", 5));
	case 'n':
		return (dec_lit(d, "null", 4));
	default:
		return (dec_number(d, NULL));
	}
}

/* Is the next value null? Consumes it if so. */
static int
dec_null(struct dec *d)
{
	dec_ws(d);
	if (d->p < d->end && *d->p == 'n')
		return (dec_lit(d, "null", 4) == 0 ? 1 : -1);
	return (0);
}

/* Expect a separator or the end of a container; 1 at the end. */
static int
dec_next(struct dec *d, char close)
{
	dec_ws(d);
	if (d->p < d->end && *d->p == ',') {
		d->p++;
		dec_ws(d);
		return (0);
	}
	if (d->p < d->end && *d->p == close) {
		d->p++;
		return (1);
	}
	d->err = d->p >= d->end ? "truncated" : "expected ',' or end";
	return (-1);
}

/* Read a key and its ':'; the key is kept in the arena only when asked. */
static int
dec_key(struct dec *d, const char **key, size_t *klen)
{
	const char *s;
	size_t len = 0;

	dec_ws(d);
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
		s = dec_string(d, 1, &len);
		if (s == NULL)
			return (-1);
	}
	*key = s;
	*klen = len;
	dec_ws(d);
	if (d->p >= d->end || *d->p != ':') {
		d->err = "expected ':'";
		return (-1);
	}
	d->p++;
	dec_ws(d);
	return (0);
}

enum key_id {
	KEY_OTHER,
	KEY_TIMESTAMP,
	KEY_INGESTION,
	KEY_MESSAGE,
	KEY_STREAM,
	KEY_EVENTID
};

/* Which event member a key names. */
static enum key_id
key_id(const char *k, size_t len)
{
	switch (len) {
	case 7:
		if (memcmp(k, "message", 7) == 0)
			return (KEY_MESSAGE);
		if (memcmp(k, "eventId", 7) == 0)
			return (KEY_EVENTID);
		break;
	case 9:
		if (memcmp(k, "timestamp", 9) == 0)
			return (KEY_TIMESTAMP);
		break;
	case 13:
		if (memcmp(k, "logStreamName", 13) == 0)
			return (KEY_STREAM);
		if (memcmp(k, "ingestionTime", 13) == 0)
			return (KEY_INGESTION);
		break;
	}
	return (KEY_OTHER);
}

/*
 * The five keys as CloudWatch Logs writes them (compact: no space before
 * the colon), matched with one comparison each; any other spelling (white
 * space, escapes) goes through dec_key. Returns KEY_OTHER when it does not
 * match, else the key with d->p after the colon and any white space.
 */
static inline enum key_id
key_fast(struct dec *d)
{
	static const struct {
		const char *s;
		size_t n;
		enum key_id k;
	} keys[] = {
	    {"\"logStreamName\":", 16, KEY_STREAM},
	    {"\"timestamp\":", 12, KEY_TIMESTAMP},
	    {"\"message\":", 10, KEY_MESSAGE},
	    {"\"ingestionTime\":", 16, KEY_INGESTION},
	    {"\"eventId\":", 10, KEY_EVENTID},
	};
	size_t i;

	if (d->end - d->p < 16 || d->p[0] != '"')
		return (KEY_OTHER);
	switch (d->p[1]) {
	case 'l':
		i = 0;
		break;
	case 't':
		i = 1;
		break;
	case 'm':
		i = 2;
		break;
	case 'i':
		i = 3;
		break;
	case 'e':
		i = 4;
		break;
	default:
		return (KEY_OTHER);
	}
	/* Two 8-byte compares that overlap (every key is 10 to 16 bytes):
	 * fixed sizes, so no call to memcmp. */
	if (memcmp(d->p, keys[i].s, 8) != 0 ||
	    memcmp(d->p + keys[i].n - 8, keys[i].s + keys[i].n - 8, 8) != 0)
		return (KEY_OTHER);
	d->p += keys[i].n;
	dec_ws(d);
	return (keys[i].k);
}

/* One event object into ev. */
static int
dec_event(struct dec *d, struct event *ev)
{
	const char *key, *s;
	size_t len, klen;
	int rc, have_ingest = 0;
	enum key_id k;

	memset(ev, 0, sizeof *ev);
	ev->stream = ev->id = ev->msg = "";
	if (d->p >= d->end || *d->p != '{') {
		d->err = "an event is not an object";
		return (-1);
	}
	d->p++;
	dec_ws(d);
	if (d->p < d->end && *d->p == '}') {
		d->p++;
		return (0);
	}
	for (;;) {
		k = key_fast(d);
		if (k == KEY_OTHER) {
			if (dec_key(d, &key, &klen) != 0)
				return (-1);
			/* By length first: no strcmp chain per member. */
			k = key_id(key, klen);
		}
		rc = dec_null(d);
		if (rc < 0)
			return (-1);
		if (rc == 1)
			goto next;
		if (k == KEY_TIMESTAMP || k == KEY_INGESTION) {
			if (d->p >= d->end ||
			    (*d->p != '-' && (*d->p < '0' || *d->p > '9'))) {
				d->err = "a time is not a number";
				return (-1);
			}
			if (dec_number(d,
				k == KEY_TIMESTAMP ? &ev->ts : &ev->ingest) !=
			    0)
				return (-1);
			if (k == KEY_INGESTION)
				have_ingest = 1;
		} else if (k != KEY_OTHER && d->p < d->end && *d->p == '"') {
			s = dec_string(d, 1, &len);
			if (s == NULL)
				return (-1);
			if (k == KEY_MESSAGE) {
				ev->msg = s;
				ev->msg_len = len;
			} else if (k == KEY_STREAM) {
				ev->stream = s;
				ev->stream_len = len;
			} else {
				ev->id = s;
				ev->id_len = len;
			}
		} else if (dec_skip(d, 2) != 0)
			return (-1);
	next:
		rc = dec_next(d, '}');
		if (rc < 0)
			return (-1);
		if (rc == 1)
			break;
	}
	if (!have_ingest)
		ev->ingest = ev->ts;
	return (0);
}

static void
dec_arena_free(void *p)
{
	free(p);
}

/*
 * Decode a FilterLogEvents or GetLogEvents response in place: the events,
 * and the token named tokkey (nextToken, nextForwardToken). op names the
 * operation in messages.
 */
static int
logs_page_decode(char *body, size_t len, const char *op, const char *tokkey,
    struct page **out, char **next_token, char **cause)
{
	size_t tokkeylen = strlen(tokkey);
	struct dec d;
	struct page *p;
	const char *tok = NULL, *s, *key;
	size_t toklen = 0, cap = 0, slen, klen;
	int rc, seen_events = 0;

	*out = NULL;
	*next_token = NULL;
	memset(&d, 0, sizeof d);
	d.p = body;
	d.end = body + len;
	/*
	 * Strings are unescaped into the body itself: an escaped string is
	 * never shorter than its unescaped bytes plus a NUL (the quotes pay
	 * for the NUL), so the write position always trails the read one.
	 */
	d.arena = body;
	p = xcalloc(1, sizeof *p);
	dec_ws(&d);
	if (d.p >= d.end || *d.p != '{') {
		d.err = d.p >= d.end ? "empty body" : "not an object";
		goto fail;
	}
	d.p++;
	dec_ws(&d);
	if (d.p < d.end && *d.p == '}') {
		d.p++;
		goto done;
	}
	for (;;) {
		if (dec_key(&d, &key, &klen) != 0)
			goto fail;
		rc = dec_null(&d);
		if (rc < 0)
			goto fail;
		if (rc == 1)
			goto next;
		if (klen == 6 && memcmp(key, "events", 6) == 0 &&
		    !seen_events) {
			seen_events = 1;
			if (d.p >= d.end || *d.p != '[') {
				d.err = "'events' is not a list";
				goto fail;
			}
			d.p++;
			dec_ws(&d);
			if (d.p < d.end && *d.p == ']') {
				d.p++;
				goto next;
			}
			for (;;) {
				if (p->n == cap) {
					/* An event takes at least ~100 bytes of
					 * JSON (its keys alone are 75). */
					cap = cap ? cap * 2 : len / 100 + 16;
					p->ev = xreallocarray(
					    p->ev, cap, sizeof *p->ev);
				}
				if (dec_event(&d, &p->ev[p->n]) != 0)
					goto fail;
				p->n++;
				rc = dec_next(&d, ']');
				if (rc < 0)
					goto fail;
				if (rc == 1)
					break;
			}
		} else if (klen == tokkeylen &&
			   memcmp(key, tokkey, tokkeylen) == 0 && d.p < d.end &&
			   *d.p == '"') {
			s = dec_string(&d, 1, &slen);
			if (s == NULL)
				goto fail;
			tok = s;
			toklen = slen;
		} else if (dec_skip(&d, 1) != 0)
			goto fail;
	next:
		rc = dec_next(&d, '}');
		if (rc < 0)
			goto fail;
		if (rc == 1)
			break;
	}
done:
	dec_ws(&d);
	if (d.p != d.end) {
		d.err = "trailing data";
		goto fail;
	}
	if (tok != NULL && toklen > 0)
		*next_token = xstrndup(tok, toklen);
	if (p->n > 0 && p->n < cap)
		p->ev = xreallocarray(p->ev, p->n, sizeof *p->ev);
	p->mem = d.arena;
	p->mem_free = dec_arena_free;
	p->bytes = len + p->n * sizeof *p->ev;
	page_sort(p);
	*out = p;
	return (0);
fail:
	*cause = xprintf("bad %s response: %s at byte %zu", op,
	    d.err ? d.err : "syntax error", (size_t)(d.p - body));
	free(body);
	free(p->ev);
	free(p);
	return (-1);
}

/* Decode a FilterLogEvents response in place; see logs.h. */
int
logs_filter_decode_owned(
    char *body, size_t len, struct page **out, char **next_token, char **cause)
{
	return (logs_page_decode(
	    body, len, "FilterLogEvents", "nextToken", out, next_token, cause));
}

/* Decode a GetLogEvents response in place; see logs.h. */
int
logs_get_decode_owned(
    char *body, size_t len, struct page **out, char **next_token, char **cause)
{
	return (logs_page_decode(body, len, "GetLogEvents", "nextForwardToken",
	    out, next_token, cause));
}

/* Decode a copy of a GetLogEvents response; see logs.h. */
int
logs_get_decode(const char *body, size_t len, struct page **out,
    char **next_token, char **cause)
{
	char *copy;

	copy = xmalloc(len + 1);
	memcpy(copy, body, len);
	copy[len] = '\0';
	return (logs_get_decode_owned(copy, len, out, next_token, cause));
}

/* Decode a copy of a FilterLogEvents response; see logs.h. */
int
logs_filter_decode(const char *body, size_t len, struct page **out,
    char **next_token, char **cause)
{
	char *copy;

	copy = xmalloc(len + 1);
	memcpy(copy, body, len);
	copy[len] = '\0';
	return (logs_filter_decode_owned(copy, len, out, next_token, cause));
}
