/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GetQueryResults answers decoded into events without a JSON tree: a
 * bounded scanner reads the body in place (depth at most
 * INSIGHTS_JSON_DEPTH), finds status, statistics and results, and copies
 * the fields a read uses straight into one buffer per answer. A tree of a
 * 10 000-row answer costs several times the body in memory and most of a
 * read's CPU; this costs the body once, plus the answer's own strings.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "logs/insights.h"

#define INSIGHTS_JSON_DEPTH 64

struct ijs {
	const char *p, *end;
};

/* A string's raw bytes (between the quotes, escapes not undone). */
struct ispan {
	const char *s;
	size_t len;
	int set;
};

static void
ijs_ws(struct ijs *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* The next non-blank byte (not consumed), or -1 at the end. */
static int
ijs_peek(struct ijs *j)
{
	ijs_ws(j);
	return (j->p < j->end ? (unsigned char)*j->p : -1);
}

/* Consume c (after blanks). 0, or -1 when the next byte is not c. */
static int
ijs_eat(struct ijs *j, char c)
{
	if (ijs_peek(j) != (unsigned char)c)
		return (-1);
	j->p++;
	return (0);
}

static int
ijs_hex(const char *s)
{
	int v = 0, i, c;

	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return (-1);
	}
	return (v);
}

/* A string at the cursor: its raw span. 0, or -1 when it is not one. */
static int
ijs_string(struct ijs *j, struct ispan *sp)
{
	const char *p;

	if (ijs_eat(j, '"') != 0)
		return (-1);
	for (p = j->p; p < j->end; p++) {
		if (*p == '"') {
			sp->s = j->p;
			sp->len = (size_t)(p - j->p);
			sp->set = 1;
			j->p = p + 1;
			return (0);
		}
		if ((unsigned char)*p < 0x20)
			return (-1);
		if (*p != '\\')
			continue;
		if (++p == j->end)
			return (-1);
		if (*p == 'u') {
			if (j->end - p < 5 || ijs_hex(p + 1) < 0)
				return (-1);
			p += 4;
		} else if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0')
			return (-1);
	}
	return (-1);
}

/* Write code point c as UTF-8 at out; its length. */
static size_t
ijs_utf8(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return (1);
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return (2);
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return (3);
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return (4);
}

/* Undo the escapes of a span (checked by ijs_string) into out (at least
 * sp->len + 1 bytes: nothing grows); NUL-terminated. Its length. A lone
 * surrogate becomes U+FFFD. */
static size_t
ijs_unescape(const struct ispan *sp, char *out)
{
	const char *p = sp->s, *e;
	size_t n = 0;
	int c, lo;

	if (sp->len == 0) {
		out[0] = '\0';
		return (0);
	}
	e = p + sp->len;
	while (p < e) {
		if (*p != '\\') {
			out[n++] = *p++;
			continue;
		}
		p++;
		switch (*p) {
		case 'b':
			out[n++] = '\b';
			break;
		case 'f':
			out[n++] = '\f';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'u':
			c = ijs_hex(p + 1);
			p += 4;
			if (c >= 0xd800 && c < 0xdc00 && e - p >= 7 &&
			    p[1] == '\\' && p[2] == 'u' &&
			    (lo = ijs_hex(p + 3)) >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (c >= 0xd800 && c < 0xe000)
				c = 0xfffd;
			n += ijs_utf8((unsigned)c, out + n);
			break;
		default:
			out[n++] = *p;
			break;
		}
		p++;
	}
	out[n] = '\0';
	return (n);
}

/* Does span sp (a key or a field name) say s? */
static int
ijs_is(const struct ispan *sp, const char *s)
{
	char tmp[32];
	size_t n = strlen(s);

	if (memchr(sp->s, '\\', sp->len) == NULL)
		return (sp->len == n && memcmp(sp->s, s, n) == 0);
	if (sp->len >= sizeof tmp)
		return (0);
	return (ijs_unescape(sp, tmp) == n && memcmp(tmp, s, n) == 0);
}

/* A number at the cursor. 0, or -1. */
static int
ijs_number(struct ijs *j, double *v)
{
	char tmp[64], *endp;
	const char *p;
	size_t n;

	ijs_ws(j);
	for (p = j->p;
	     p < j->end && strchr("+-.0123456789eE", *p) != NULL && *p != '\0';
	     p++)
		continue;
	n = (size_t)(p - j->p);
	if (n == 0 || n >= sizeof tmp)
		return (-1);
	memcpy(tmp, j->p, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &endp);
	if (endp != tmp + n)
		return (-1);
	j->p = p;
	return (0);
}

static int ijs_skip(struct ijs *, int depth);

/* The members of an object or the elements of an array: each one through
 * ijs_skip. The opening byte is consumed. */
static int
ijs_skip_seq(struct ijs *j, char close, int object, int depth)
{
	struct ispan k;

	if (ijs_eat(j, close) == 0)
		return (0);
	for (;;) {
		if (object && (ijs_string(j, &k) != 0 || ijs_eat(j, ':') != 0))
			return (-1);
		if (ijs_skip(j, depth + 1) != 0)
			return (-1);
		if (ijs_eat(j, close) == 0)
			return (0);
		if (ijs_eat(j, ',') != 0)
			return (-1);
	}
}

/* Skip any value. 0, or -1 when it is not one (or nests too deep). */
static int
ijs_skip(struct ijs *j, int depth)
{
	static const char *words[] = {"true", "false", "null"};
	struct ispan sp;
	double d;
	size_t i, n;
	int c = ijs_peek(j);

	if (depth > INSIGHTS_JSON_DEPTH || c < 0)
		return (-1);
	if (c == '"')
		return (ijs_string(j, &sp));
	if (c == '{' || c == '[') {
		j->p++;
		return (ijs_skip_seq(j, c == '{' ? '}' : ']', c == '{', depth));
	}
	for (i = 0; i < 3; i++) {
		n = strlen(words[i]);
		if ((size_t)(j->end - j->p) >= n &&
		    memcmp(j->p, words[i], n) == 0) {
			j->p += n;
			return (0);
		}
	}
	return (ijs_number(j, &d));
}

/* The fields of one row that a read uses. */
struct irow {
	struct ispan ts, msg, stream, log, ingest, ptr;
};

/* One cell of a row: {"field": F, "value": V}, in any order; anything
 * else in it is skipped. A cell that is no object, or whose field or value
 * is no string, gives nothing. */
static int
ijs_cell(struct ijs *j, struct irow *r)
{
	struct ispan k, field = {0}, val = {0};
	struct ispan *dst = NULL;

	if (ijs_peek(j) != '{')
		return (ijs_skip(j, 3));
	j->p++;
	if (ijs_eat(j, '}') != 0) {
		for (;;) {
			if (ijs_string(j, &k) != 0 || ijs_eat(j, ':') != 0)
				return (-1);
			if ((ijs_is(&k, "field") || ijs_is(&k, "value")) &&
			    ijs_peek(j) == '"') {
				if (ijs_string(j,
					ijs_is(&k, "field") ? &field : &val) !=
				    0)
					return (-1);
			} else {
				if (ijs_is(&k, "field"))
					field.set = 0;
				else if (ijs_is(&k, "value"))
					val.set = 0;
				if (ijs_skip(j, 4) != 0)
					return (-1);
			}
			if (ijs_eat(j, '}') == 0)
				break;
			if (ijs_eat(j, ',') != 0)
				return (-1);
		}
	}
	if (!field.set || !val.set)
		return (0);
	if (ijs_is(&field, "@timestamp"))
		dst = &r->ts;
	else if (ijs_is(&field, "@message"))
		dst = &r->msg;
	else if (ijs_is(&field, "@logStream"))
		dst = &r->stream;
	else if (ijs_is(&field, "@log"))
		dst = &r->log;
	else if (ijs_is(&field, "@ingestionTime"))
		dst = &r->ingest;
	else if (ijs_is(&field, "@ptr"))
		dst = &r->ptr;
	if (dst != NULL)
		*dst = val;
	return (0);
}

/* One row at the cursor (an array of cells). 0, or -1. */
static int
ijs_row(struct ijs *j, struct irow *r)
{
	memset(r, 0, sizeof *r);
	if (ijs_eat(j, '[') != 0)
		return (-1);
	if (ijs_eat(j, ']') == 0)
		return (0);
	for (;;) {
		if (ijs_cell(j, r) != 0)
			return (-1);
		if (ijs_eat(j, ']') == 0)
			return (0);
		if (ijs_eat(j, ',') != 0)
			return (-1);
	}
}

/* Walk the rows of the results array at j (its '[' consumed): count them
 * and the bytes their strings need (fill NULL), or decode them into a
 * (fill set, a->mem sized by the first walk). 0, or -1 with *why. */
static int
ijs_rows(struct ijs j, struct insights_answer *a, size_t *need, int fill,
    const char **why)
{
	struct irow r;
	struct event *ev;
	char *p = a->mem, tmp[72];
	const char *g, *c;
	size_t gl;
	int64_t ts;

	*need = 0;
	if (ijs_eat(&j, ']') == 0)
		return (0);
	for (;;) {
		if (ijs_peek(&j) != '[') {
			*why = "a row is not an array";
			return (-1);
		}
		if (ijs_row(&j, &r) != 0) {
			*why = "bad JSON";
			return (-1);
		}
		if (!fill) {
			a->rows++;
			*need += 5 + r.msg.len + r.stream.len + r.ptr.len +
				 r.log.len;
		} else if (!r.ts.set || r.ts.len >= sizeof tmp ||
			   insights_parse_time(
			       tmp, ijs_unescape(&r.ts, tmp), &ts) != 0)
			a->dropped++;
		else {
			ev = &a->ev[a->n];
			ev->ts = ts;
			if (!r.ingest.set || r.ingest.len >= sizeof tmp ||
			    insights_parse_time(tmp,
				ijs_unescape(&r.ingest, tmp), &ev->ingest) != 0)
				ev->ingest = ts;
			ev->msg = p;
			ev->msg_len = ijs_unescape(&r.msg, p);
			p += ev->msg_len + 1;
			ev->stream = p;
			ev->stream_len = ijs_unescape(&r.stream, p);
			p += ev->stream_len + 1;
			ev->id = r.ptr.set ? p : NULL;
			ev->id_len = ijs_unescape(&r.ptr, p);
			p += ev->id_len + 1;
			if (r.log.set) {
				/* "ACCOUNT:NAME" on AWS, NAME on moto. */
				gl = ijs_unescape(&r.log, p);
				g = p;
				c = memchr(p, ':', gl);
				if (c != NULL) {
					gl -= (size_t)(c + 1 - p);
					g = c + 1;
				}
				a->group[a->n] = g;
				a->group_len[a->n] = gl;
				p += (size_t)(g - p) + gl + 1;
			}
			a->n++;
		}
		if (ijs_eat(&j, ']') == 0)
			return (0);
		if (ijs_eat(&j, ',') != 0) {
			*why = "bad JSON";
			return (-1);
		}
	}
}

/* The statistics object at j. 0, or -1. */
static int
ijs_stats(struct ijs *j, struct insights_answer *a)
{
	struct ispan k;
	double *dst, v;

	if (ijs_eat(j, '{') != 0)
		return (-1);
	a->has_stats = 1;
	if (ijs_eat(j, '}') == 0)
		return (0);
	for (;;) {
		if (ijs_string(j, &k) != 0 || ijs_eat(j, ':') != 0)
			return (-1);
		dst = ijs_is(&k, "recordsMatched")   ? &a->matched
		      : ijs_is(&k, "recordsScanned") ? &a->scanned
		      : ijs_is(&k, "bytesScanned")   ? &a->bytes
						     : NULL;
		if (dst != NULL && ijs_peek(j) != '"' && ijs_peek(j) != '{' &&
		    ijs_peek(j) != '[' && ijs_number(j, &v) == 0)
			*dst = v;
		else if (ijs_skip(j, 2) != 0)
			return (-1);
		if (ijs_eat(j, '}') == 0)
			return (0);
		if (ijs_eat(j, ',') != 0)
			return (-1);
	}
}

/* Decode a GetQueryResults body; see insights.h. */
int
insights_decode_rows(const char *body, size_t len, struct insights_answer *a,
    int complete_only, char **cause)
{
	struct ijs j = {body, body + len}, results = {NULL, NULL};
	struct ispan k, st = {0};
	char tmp[32];
	const char *why = "bad JSON";
	size_t need, probe;

	memset(a, 0, sizeof *a);
	a->status = INSIGHTS_UNKNOWN;
	if (ijs_eat(&j, '{') != 0) {
		why = "not an object";
		goto bad;
	}
	if (ijs_eat(&j, '}') != 0) {
		for (;;) {
			if (ijs_string(&j, &k) != 0 || ijs_eat(&j, ':') != 0)
				goto bad;
			if (ijs_is(&k, "status")) {
				st.set = 0;
				if (ijs_peek(&j) == '"') {
					if (ijs_string(&j, &st) != 0)
						goto bad;
				} else if (ijs_skip(&j, 1) != 0)
					goto bad;
			} else if (ijs_is(&k, "nextToken") &&
				   ijs_peek(&j) == '"') {
				struct ispan tok;

				if (ijs_string(&j, &tok) != 0)
					goto bad;
				free(a->next_token);
				a->next_token = xmalloc(tok.len + 1);
				a->next_token[ijs_unescape(
				    &tok, a->next_token)] = '\0';
			} else if (ijs_is(&k, "statistics") &&
				   ijs_peek(&j) == '{') {
				if (ijs_stats(&j, a) != 0)
					goto bad;
			} else if (ijs_is(&k, "results") &&
				   ijs_peek(&j) == '[') {
				j.p++;
				results = j;
				j.p--;
				if (ijs_skip(&j, 1) != 0)
					goto bad;
			} else if (ijs_is(&k, "results") &&
				   ijs_peek(&j) != 'n') {
				why = "results is not an array";
				goto bad;
			} else {
				if (ijs_is(&k, "results"))
					results.p = NULL;
				if (ijs_skip(&j, 1) != 0)
					goto bad;
			}
			if (ijs_eat(&j, '}') == 0)
				break;
			if (ijs_eat(&j, ',') != 0)
				goto bad;
		}
	}
	if (ijs_peek(&j) >= 0)
		goto bad; /* something after the object */
	if (!st.set) {
		why = "no status";
		goto bad;
	}
	a->status = st.len < sizeof tmp && ijs_unescape(&st, tmp) < sizeof tmp
			? insights_status_of(tmp)
			: INSIGHTS_UNKNOWN;
	if (results.p == NULL)
		return (0);
	/* The shape of every row is checked even when they are not read. */
	if (ijs_rows(results, a, &need, 0, &why) != 0)
		goto bad;
	if (complete_only && a->status != INSIGHTS_COMPLETE) {
		a->rows = 0;
		return (0);
	}
	probe = a->rows;
	a->rows = 0;
	a->ev = xcalloc(probe + 1, sizeof *a->ev);
	a->group = xcalloc(probe + 1, sizeof *a->group);
	a->group_len = xcalloc(probe + 1, sizeof *a->group_len);
	a->mem = xmalloc(need + 1);
	a->mem_len = need + 1;
	a->rows = probe;
	if (ijs_rows(results, a, &need, 1, &why) != 0)
		goto bad; /* not reached: the first walk checked */
	return (0);
bad:
	*cause = xprintf("bad GetQueryResults answer: %s", why);
	insights_answer_free(a);
	return (-1);
}

/* Decode every row of a GetQueryResults body; see insights.h. */
int
insights_decode(
    const char *body, size_t len, struct insights_answer *a, char **cause)
{
	return (insights_decode_rows(body, len, a, 0, cause));
}

/* Free an answer; see insights.h. */
void
insights_answer_free(struct insights_answer *a)
{
	if (a == NULL)
		return;
	free(a->ev);
	free(a->group);
	free(a->group_len);
	free(a->mem);
	free(a->next_token);
	memset(a, 0, sizeof *a);
}
