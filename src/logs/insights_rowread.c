/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The units of a GetQueryResults body, each whole (cut by insights_rows.c),
 * read into the answer with the logs layer's JSON cursor (jsondec.c): a
 * member's key, its value (status, nextToken, statistics, anything else
 * checked and skipped) and one row of results. The fields a read uses are
 * unescaped straight into blocks of strings that grow with the answer (no
 * string moves, so rows point at them while more arrive); the names of log
 * groups and streams, repeated on every row, are kept once per answer.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "logs/insights.h"
#include "logs/insights_int.h"
#include "logs/jsondec.h"

#define RD_BLOCK_MIN 1024u
#define RD_BLOCK_MAX (64u << 10)

/* n bytes of string room (n: the raw length + 1, which nothing outgrows);
 * a block is added when the current one has no room, sized like what the
 * answer holds so far (a poll of one row stays small). */
static char *
rd_room(struct insights_rowdec *d, size_t n)
{
	struct rd_block *b = d->last;
	size_t size;

	if (b != NULL && b->size - b->used >= n)
		return (b->data + b->used);
	size = d->a.mem_len < RD_BLOCK_MIN   ? RD_BLOCK_MIN
	       : d->a.mem_len > RD_BLOCK_MAX ? RD_BLOCK_MAX
					     : d->a.mem_len;
	if (size < n)
		size = n;
	b = xmalloc(sizeof *b + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	if (d->last != NULL)
		d->last->next = b;
	else
		d->blk = b;
	d->last = b;
	d->a.mem = d->blk;
	d->a.mem_len += sizeof *b + size;
	return (b->data);
}

/* Unescape a raw span into the strings; the string (NUL-terminated). */
static const char *
rd_keep(struct insights_rowdec *d, const char *raw, size_t len, size_t *out)
{
	char *p = rd_room(d, len + 1);

	*out = jsondec_unescape_span(raw, len, p);
	d->last->used += *out + 1;
	return (p);
}

static uint32_t
rd_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (h);
}

/* The name s (n bytes, just kept at the end of the current block): the
 * copy kept before when there is one (s is given back), else s. */
static const char *
rd_intern(struct insights_rowdec *d, const char *s, size_t n)
{
	uint32_t h = rd_hash(s, n);
	size_t i = h & (RD_INTERN_SLOTS - 1);
	struct rd_name *e;

	for (;; i = (i + 1) & (RD_INTERN_SLOTS - 1)) {
		e = &d->names[i];
		if (e->s == NULL)
			break;
		if (e->hash == h && e->len == n && memcmp(e->s, s, n) == 0) {
			d->last->used -= n + 1;
			return (e->s);
		}
	}
	if (d->nnames < RD_INTERN_MAX && n <= UINT32_MAX) {
		e->hash = h;
		e->len = (uint32_t)n;
		e->s = s;
		d->nnames++;
	}
	return (s);
}

/* The fields of one row that a read uses: raw spans of the unit. */
struct rd_span {
	const char *s;
	size_t len;
	int set;
};
struct rd_row {
	struct rd_span ts, msg, stream, log, ingest, ptr;
};

/* One cell of a row: {"field": F, "value": V}, in any order; anything
 * else in it is skipped. A cell that is no object, or whose field or value
 * is no string, gives nothing. */
static int
rd_cell(struct jsondec *j, struct rd_row *r)
{
	struct rd_span field = {0}, val = {0}, *dst = NULL, *kv;
	const char *k;
	size_t klen;
	int isf, isv, rc;

	jsondec_ws(j);
	if (j->p >= j->end || *j->p != '{')
		return (jsondec_skip(j, 3));
	j->p++;
	jsondec_ws(j);
	if (j->p < j->end && *j->p == '}')
		j->p++;
	else {
		for (;;) {
			if (jsondec_span_key(j, &k, &klen) != 0)
				return (-1);
			isf = jsondec_span_is(k, klen, "field");
			isv = !isf && jsondec_span_is(k, klen, "value");
			kv = isf ? &field : isv ? &val : NULL;
			if (kv != NULL && j->p < j->end && *j->p == '"') {
				if (jsondec_span(j, &kv->s, &kv->len) != 0)
					return (-1);
				kv->set = 1;
			} else {
				if (kv != NULL)
					kv->set = 0;
				if (jsondec_skip(j, 4) != 0)
					return (-1);
			}
			rc = jsondec_next(j, '}');
			if (rc == 1)
				break;
			if (rc < 0)
				return (-1);
		}
	}
	if (!field.set || !val.set)
		return (0);
	if (jsondec_span_is(field.s, field.len, "@timestamp"))
		dst = &r->ts;
	else if (jsondec_span_is(field.s, field.len, "@message"))
		dst = &r->msg;
	else if (jsondec_span_is(field.s, field.len, "@logStream"))
		dst = &r->stream;
	else if (jsondec_span_is(field.s, field.len, "@log"))
		dst = &r->log;
	else if (jsondec_span_is(field.s, field.len, "@ingestionTime"))
		dst = &r->ingest;
	else if (jsondec_span_is(field.s, field.len, "@ptr"))
		dst = &r->ptr;
	if (dst != NULL)
		*dst = val;
	return (0);
}

/* A time field: 0 with *ms, or -1 when absent or unreadable. */
static int
rd_time(const struct rd_span *sp, int64_t *ms)
{
	char tmp[72];

	if (!sp->set || sp->len >= sizeof tmp)
		return (-1);
	return (insights_parse_time(
	    tmp, jsondec_unescape_span(sp->s, sp->len, tmp), ms));
}

/* One row (a whole unit: an array of cells) into the answer; see
 * insights_int.h. */
int
rowread_row(struct insights_rowdec *d, const char *u, size_t len)
{
	struct jsondec j;
	struct rd_row r;
	struct insights_answer *a = &d->a;
	struct event *ev;
	const char *g, *c;
	size_t gl;
	int64_t ts;
	int rc;

	memset(&j, 0, sizeof j);
	memset(&r, 0, sizeof r);
	j.p = u + 1; /* the '[' */
	j.end = u + len;
	jsondec_ws(&j);
	if (j.p < j.end && *j.p == ']')
		j.p++;
	else {
		for (;;) {
			if (rd_cell(&j, &r) != 0)
				return (-1);
			rc = jsondec_next(&j, ']');
			if (rc == 1)
				break;
			if (rc < 0)
				return (-1);
		}
	}
	if (j.p != j.end)
		return (-1);
	a->rows++;
	if (rd_time(&r.ts, &ts) != 0) {
		a->dropped++;
		return (0);
	}
	if (a->n == d->cap) {
		d->cap =
		    d->cap == 0 ? (d->hint > 0 ? d->hint : 64) : d->cap * 2;
		a->ev = xreallocarray(a->ev, d->cap, sizeof *a->ev);
		a->group = xreallocarray(a->group, d->cap, sizeof *a->group);
		a->group_len =
		    xreallocarray(a->group_len, d->cap, sizeof *a->group_len);
	}
	ev = &a->ev[a->n];
	memset(ev, 0, sizeof *ev);
	ev->ts = ts;
	if (rd_time(&r.ingest, &ev->ingest) != 0)
		ev->ingest = ts;
	ev->msg = rd_keep(d, r.msg.s, r.msg.len, &ev->msg_len);
	ev->stream = rd_keep(d, r.stream.s, r.stream.len, &ev->stream_len);
	ev->stream = rd_intern(d, ev->stream, ev->stream_len);
	if (r.ptr.set)
		ev->id = rd_keep(d, r.ptr.s, r.ptr.len, &ev->id_len);
	a->group[a->n] = NULL;
	a->group_len[a->n] = 0;
	if (r.log.set) {
		/* "ACCOUNT:NAME" on AWS, NAME on moto: NAME is kept. */
		c = memchr(r.log.s, ':', r.log.len);
		if (c != NULL)
			c++;
		else
			c = r.log.s;
		g = rd_keep(d, c, r.log.len - (size_t)(c - r.log.s), &gl);
		a->group[a->n] = rd_intern(d, g, gl);
		a->group_len[a->n] = gl;
	}
	a->n++;
	return (0);
}

/* The statistics object (a whole unit). 0, or -1. */
static int
rd_stats(struct insights_rowdec *d, struct jsondec *j)
{
	char tmp[64], *endp;
	const char *k, *start;
	double *dst;
	size_t klen, n;
	int rc;

	j->p++;
	d->a.has_stats = 1;
	jsondec_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return (0);
	}
	for (;;) {
		if (jsondec_span_key(j, &k, &klen) != 0)
			return (-1);
		dst = jsondec_span_is(k, klen, "recordsMatched") ? &d->a.matched
		      : jsondec_span_is(k, klen, "recordsScanned")
			  ? &d->a.scanned
		      : jsondec_span_is(k, klen, "bytesScanned") ? &d->a.bytes
								 : NULL;
		start = j->p;
		if (dst != NULL && j->p < j->end &&
		    (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))) {
			if (jsondec_number(j, NULL) != 0)
				return (-1);
			n = (size_t)(j->p - start);
			if (n < sizeof tmp) {
				memcpy(tmp, start, n);
				tmp[n] = '\0';
				*dst = strtod(tmp, &endp);
			}
		} else if (jsondec_skip(j, 2) != 0)
			return (-1);
		rc = jsondec_next(j, '}');
		if (rc == 1)
			return (0);
		if (rc < 0)
			return (-1);
	}
}

/* A member's key (a whole unit); see insights_int.h. */
int
rowread_key(struct insights_rowdec *d, const char *u, size_t len)
{
	struct jsondec j;
	const char *k;
	size_t klen;

	memset(&j, 0, sizeof j);
	j.p = u;
	j.end = u + len;
	if (jsondec_span(&j, &k, &klen) != 0 || j.p != j.end)
		return (-1);
	d->key = jsondec_span_is(k, klen, "status")       ? K_STATUS
		 : jsondec_span_is(k, klen, "nextToken")  ? K_TOKEN
		 : jsondec_span_is(k, klen, "statistics") ? K_STATS
		 : jsondec_span_is(k, klen, "results")    ? K_RESULTS
							  : K_OTHER;
	return (0);
}

/* A member's value (a whole unit) for the key before it; see
 * insights_int.h. */
int
rowread_value(struct insights_rowdec *d, const char *u, size_t len)
{
	struct jsondec j;
	const char *s;
	size_t slen;

	if (len == 0)
		return (-1); /* no value where one belongs */
	memset(&j, 0, sizeof j);
	j.p = u;
	j.end = u + len;
	if (d->key == K_STATUS && *u == '"') {
		if (jsondec_span(&j, &s, &slen) != 0)
			return (-1);
		d->status_set = 1;
		d->status[0] = '\0';
		if (slen < sizeof d->status)
			jsondec_unescape_span(s, slen, d->status);
	} else if (d->key == K_TOKEN && *u == '"') {
		if (jsondec_span(&j, &s, &slen) != 0)
			return (-1);
		free(d->a.next_token);
		d->a.next_token = xmalloc(slen + 1);
		jsondec_unescape_span(s, slen, d->a.next_token);
	} else if (d->key == K_STATS && *u == '{') {
		if (rd_stats(d, &j) != 0)
			return (-1);
	} else {
		if (d->key == K_STATUS)
			d->status_set = 0;
		if (jsondec_skip(&j, 1) != 0)
			return (-1);
	}
	return (j.p == j.end ? 0 : -1);
}

/* Free the blocks of strings of an answer; see insights_int.h. */
void
rowread_blocks_free(void *mem)
{
	struct rd_block *b, *next;

	for (b = mem; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}
