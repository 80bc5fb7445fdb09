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

#include "logs.h"
#include "scan.h"
#include "xmalloc.h"

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

/* Write c as UTF-8 at o; returns the byte after it. */
static char *
dec_put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xc0 | (c >> 6));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (char)(0xe0 | (c >> 12));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (c >> 18));
		*o++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	}
	return (o);
}

/*
 * Move n bytes from s down to o (o < s, the ranges may overlap): for the
 * short runs between escapes, fixed-size copies that overlap each other,
 * each pair loaded before it is stored, so no byte past o + n is written.
 */
static inline void
dec_move_short(char *o, const char *s, size_t n)
{
	uint64_t a8, b8;
	uint32_t a4, b4;
	uint16_t a2, b2;

	if (n >= 16)
		memmove(o, s, n);
	else if (n >= 8) {
		memcpy(&a8, s, 8);
		memcpy(&b8, s + n - 8, 8);
		memcpy(o, &a8, 8);
		memcpy(o + n - 8, &b8, 8);
	} else if (n >= 4) {
		memcpy(&a4, s, 4);
		memcpy(&b4, s + n - 4, 4);
		memcpy(o, &a4, 4);
		memcpy(o + n - 4, &b4, 4);
	} else if (n >= 2) {
		memcpy(&a2, s, 2);
		memcpy(&b2, s + n - 2, 2);
		memcpy(o, &a2, 2);
		memcpy(o + n - 2, &b2, 2);
	} else if (n == 1)
		o[0] = s[0];
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
	const char *s, *run, *end = d->end;
	char *start, *o;
	uint32_t c, c2;

	d->p++;
	/* Each string is unescaped where it stands (arena is the body): one
	 * without escapes is not moved at all, only NUL-terminated. The
	 * output pointer is a local: stores through a char pointer would
	 * otherwise make the compiler reload d's fields after each one. */
	if (keep)
		d->alen = (size_t)(d->p - d->arena);
	start = o = d->arena + d->alen;
	run = s = d->p;
	for (;;) {
		/* Fast path: plain bytes, 16 at a time. */
		s = scan_json_string(s, end);
		if (s >= end) {
			d->err = "unterminated string";
			return (NULL);
		}
		if (keep && s > run) {
			/* In place: the output never passes the input. */
			if (o != run)
				dec_move_short(o, run, (size_t)(s - run));
			o += s - run;
		}
		if (*s == '"')
			break;
		if ((unsigned char)*s < 0x20) {
			d->err = "control character in string";
			return (NULL);
		}
		/* An escape. */
		if (end - s < 2) {
			d->err = "unterminated string";
			return (NULL);
		}
		switch (s[1]) {
		case '"':
		case '\\':
		case '/':
			c = (unsigned char)s[1];
			s += 2;
			break;
		case 'b':
			c = '\b';
			s += 2;
			break;
		case 'f':
			c = '\f';
			s += 2;
			break;
		case 'n':
			c = '\n';
			s += 2;
			break;
		case 'r':
			c = '\r';
			s += 2;
			break;
		case 't':
			c = '\t';
			s += 2;
			break;
		case 'u':
			if (end - s < 6 || dec_hex4(s + 2, &c) != 0) {
				d->err = "bad \\u escape";
				return (NULL);
			}
			s += 6;
			if (c >= 0xd800 && c <= 0xdbff && end - s >= 6 &&
			    s[0] == '\\' && s[1] == 'u' &&
			    dec_hex4(s + 2, &c2) == 0 && c2 >= 0xdc00 &&
			    c2 <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (c2 - 0xdc00);
				s += 6;
			} else if (c >= 0xd800 && c <= 0xdfff)
				c = 0xfffd; /* a lone surrogate */
			break;
		default:
			d->err = "bad escape";
			return (NULL);
		}
		if (keep) {
			if (c < 0x80)
				*o++ = (char)c;
			else
				o = dec_put_utf8(o, c);
		}
		run = s;
	}
	d->p = s + 1;
	if (!keep)
		return ("");
	*len = (size_t)(o - start);
	*o++ = '\0';
	d->alen = (size_t)(o - d->arena);
	return (start);
}

/* Read a number; integers go to *out (fractions truncated). */
static int dec_number_slow(struct dec *, int64_t *);

/* Are the 8 bytes at p all ASCII digits? (SWAR) */
static inline int
dec_is8digits(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return (((v & 0xF0F0F0F0F0F0F0F0ULL) |
		    (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >>
			4)) == 0x3333333333333333ULL);
}

/* The value of 8 ASCII digits (little-endian SWAR). */
static inline uint64_t
dec_parse8(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	v -= 0x3030303030303030ULL;
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
	const char *s = d->p;
	int64_t v = 0;
	int n = 0;

	if (s < d->end && *s >= '1' && *s <= '9') {
		/* Epoch milliseconds have 13 digits: 8 at a time first. */
		while (d->end - s >= 8 && n <= 10 && dec_is8digits(s)) {
			v = v * 100000000 + dec_parse8(s);
			s += 8;
			n += 8;
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
		if (dec_key(d, &key, &klen) != 0)
			return (-1);
		rc = dec_null(d);
		if (rc < 0)
			return (-1);
		if (rc == 1)
			goto next;
		/* Compare by length first: no strcmp chain per member. */
		k = key_id(key, klen);
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

/* Decode a FilterLogEvents response in place; see logs.h. */
int
logs_filter_decode_owned(
    char *body, size_t len, struct page **out, char **next_token, char **cause)
{
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
		} else if (klen == 9 && memcmp(key, "nextToken", 9) == 0 &&
			   d.p < d.end && *d.p == '"') {
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
	*cause = xprintf("bad FilterLogEvents response: %s at byte %zu",
	    d.err ? d.err : "syntax error", (size_t)(d.p - body));
	free(body);
	free(p->ev);
	free(p);
	return (-1);
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
