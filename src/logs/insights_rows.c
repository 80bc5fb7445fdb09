/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GetQueryResults answers decoded into events as they arrive, without a
 * JSON tree and without the body: a byte-level state machine walks the
 * top-level object across chunks and cuts it into units (a key, a
 * member's value, one row of results), each read once it is whole
 * (insights_rowread.c). A unit that ends inside a chunk is read in place;
 * only one split across chunks is copied, into a tail bounded by max_unit.
 * So the members may come in any order, and the answer's memory is its
 * decoded rows plus at most one row of JSON.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/scan.h"
#include "core/xmalloc.h"
#include "logs/insights.h"
#include "logs/insights_int.h"

static int
rd_blank(int c)
{
	return (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}

/* Stop: the answer is no GetQueryResults answer. */
static void
rd_fail(struct insights_rowdec *d, const char *why)
{
	d->st = RD_FAILED;
	d->why = why;
}

/* Start cutting a unit whose first byte is c. */
static void
rd_unit_start(struct insights_rowdec *d, int c)
{
	d->kind = c == '"' ? '"' : c == '{' || c == '[' ? '{' : 's';
	d->depth = 0;
	d->in_str = 0;
	d->esc = 0;
	d->ulen = 0;
	d->tail.len = 0;
}

/*
 * Find the end of the unit in [p, p + n): the bytes that belong to it.
 * *done when it ends there (a scalar ends before the byte that is not
 * its own). Strings and nesting are followed byte by byte, with the state
 * kept across chunks; the unit's own JSON is checked when it is read.
 */
static size_t
rd_unit_scan(struct insights_rowdec *d, const char *p, size_t n, int *done)
{
	size_t i = 0;
	unsigned char c;

	*done = 0;
	if (d->kind == 's') {
		while (i < n &&
		       strchr("+-.0123456789eEtruefalsn", p[i]) != NULL &&
		       p[i] != '\0')
			i++;
		*done = i < n;
		return (i);
	}
	for (; i < n; i++) {
		if (d->in_str && !d->esc) {
			/* The plain bytes of a string, 16 at a time. */
			i = (size_t)(scan_json_string(p + i, p + n) - p);
			if (i == n)
				break;
		}
		c = (unsigned char)p[i];
		if (d->in_str) {
			if (d->esc)
				d->esc = 0;
			else if (c == '\\')
				d->esc = 1;
			else if (c == '"') {
				d->in_str = 0;
				if (d->kind == '"' && d->depth == 0) {
					*done = 1;
					return (i + 1);
				}
			}
		} else if (c == '"')
			d->in_str = 1;
		else if (c == '{' || c == '[')
			d->depth++;
		else if (c == '}' || c == ']') {
			if (--d->depth <= 0) {
				*done = 1;
				return (i + 1);
			}
		}
	}
	return (i);
}

/* A whole unit: read it in the state it was cut in. */
static int
rd_unit_end(struct insights_rowdec *d, const char *u, size_t len)
{
	switch (d->st) {
	case RD_KEY:
		if (rowread_key(d, u, len) != 0)
			return (-1);
		d->st = RD_COLON;
		return (0);
	case RD_UNIT:
		if (rowread_value(d, u, len) != 0)
			return (-1);
		d->st = RD_NEXT;
		return (0);
	default: /* RD_ROW */
		if (rowread_row(d, u, len) != 0)
			return (-1);
		d->st = RD_ROW_NEXT;
		return (0);
	}
}

/* The unit at p (n bytes left in the chunk): cut it, read it when whole,
 * keep what is split across chunks. The bytes used. */
static size_t
rd_unit(struct insights_rowdec *d, const char *p, size_t n)
{
	size_t k;
	int done;

	k = rd_unit_scan(d, p, n, &done);
	d->ulen += k;
	if (d->ulen > d->max_unit) {
		rd_fail(d, d->st == RD_ROW ? "a row" : "a value");
		d->too_long = 1;
		return (n);
	}
	if (!done) {
		if (buf_add(&d->tail, p, k) != 0)
			abort(); /* not reached: bounded by max_unit */
		return (k);
	}
	if (d->tail.len == 0) {
		if (rd_unit_end(d, p, k) != 0)
			rd_fail(d, "bad JSON");
	} else {
		if (buf_add(&d->tail, p, k) != 0)
			abort();
		if (rd_unit_end(d, d->tail.data, d->tail.len) != 0)
			rd_fail(d, "bad JSON");
		d->tail.len = 0;
	}
	return (k);
}

/* One byte between units (a brace, a colon, a comma): the next state. */
static void
rd_token(struct insights_rowdec *d, int c)
{
	switch (d->st) {
	case RD_OPEN:
		if (c != '{')
			return (rd_fail(d, "not an object"));
		d->st = RD_FIRST;
		return;
	case RD_FIRST:
	case RD_MEMBER:
		if (c == '}' && d->st == RD_FIRST) {
			d->st = RD_END;
			return;
		}
		if (c != '"')
			return (rd_fail(d, "bad JSON"));
		d->st = RD_KEY;
		rd_unit_start(d, c);
		return;
	case RD_COLON:
		if (c != ':')
			return (rd_fail(d, "bad JSON"));
		d->st = RD_VALUE;
		return;
	case RD_VALUE:
		if (d->key == K_RESULTS) {
			if (d->had_results)
				return (rd_fail(d, "results twice"));
			d->had_results = 1;
			if (c == '[') {
				d->st = RD_ROWS_FIRST;
				return;
			}
			if (c != 'n')
				return (rd_fail(d, "results is not an array"));
		}
		d->st = RD_UNIT;
		rd_unit_start(d, c);
		return;
	case RD_NEXT:
		if (c == ',')
			d->st = RD_MEMBER;
		else if (c == '}')
			d->st = RD_END;
		else
			rd_fail(d, "bad JSON");
		return;
	case RD_ROWS_FIRST:
	case RD_ROW_START:
		if (c == ']' && d->st == RD_ROWS_FIRST) {
			d->st = RD_NEXT;
			return;
		}
		if (c != '[')
			return (rd_fail(d, "a row is not an array"));
		d->st = RD_ROW;
		rd_unit_start(d, c);
		return;
	case RD_ROW_NEXT:
		if (c == ',')
			d->st = RD_ROW_START;
		else if (c == ']')
			d->st = RD_NEXT;
		else
			rd_fail(d, "bad JSON");
		return;
	default:                        /* RD_END */
		rd_fail(d, "bad JSON"); /* something after the object */
		return;
	}
}

/* A decoder for one answer; see insights.h. */
struct insights_rowdec *
insights_rowdec_new(int complete_only, size_t rows_hint, size_t max_unit)
{
	struct insights_rowdec *d = xcalloc(1, sizeof *d);

	d->complete_only = complete_only;
	d->hint = rows_hint;
	d->max_unit = max_unit > 0 ? max_unit : INSIGHTS_ROW_MAX;
	buf_init(&d->tail, d->max_unit);
	insights_rowdec_reset(d);
	return (d);
}

/* Drop what was decoded: the answer starts again; see insights.h. */
void
insights_rowdec_reset(struct insights_rowdec *d)
{
	insights_answer_free(&d->a);
	d->a.status = INSIGHTS_UNKNOWN;
	d->blk = d->last = NULL;
	d->cap = 0;
	memset(d->names, 0, sizeof d->names);
	d->nnames = 0;
	d->st = RD_OPEN;
	d->key = K_OTHER;
	d->why = NULL;
	d->too_long = 0;
	d->status_set = d->had_results = 0;
	d->tail.len = 0;
}

/* Bytes of the answer, as they come; see insights.h. */
int
insights_rowdec_feed(struct insights_rowdec *d, const void *data, size_t len)
{
	const char *p = data, *end = p + len;

	while (p < end && d->st != RD_FAILED) {
		if (d->st == RD_KEY || d->st == RD_UNIT || d->st == RD_ROW) {
			p += rd_unit(d, p, (size_t)(end - p));
			continue;
		}
		if (rd_blank((unsigned char)*p)) {
			p++;
			continue;
		}
		rd_token(d, (unsigned char)*p);
		/* A unit starts at the byte that opened it. */
		if (d->st != RD_KEY && d->st != RD_UNIT && d->st != RD_ROW)
			p++;
	}
	return (d->st == RD_FAILED ? -1 : 0);
}

/* The end of the body: the answer; see insights.h. */
int
insights_rowdec_end(
    struct insights_rowdec *d, struct insights_answer *out, char **cause)
{
	struct insights_answer *a = &d->a;

	memset(out, 0, sizeof *out);
	out->status = INSIGHTS_UNKNOWN;
	if (d->st == RD_UNIT && d->kind == 's') {
		/* A scalar ends at the body's end: then the object does not
		 * (a truncated body). */
		rd_fail(d, "bad JSON");
	} else if (d->st == RD_OPEN)
		rd_fail(d, "not an object");
	else if (d->st != RD_END && d->st != RD_FAILED)
		rd_fail(d, "bad JSON");
	if (d->st == RD_END && !d->status_set)
		rd_fail(d, "no status");
	if (d->st == RD_FAILED) {
		if (d->too_long)
			*cause = xprintf("bad GetQueryResults answer: %s of "
					 "more than %zu bytes",
			    d->why, d->max_unit);
		else
			*cause =
			    xprintf("bad GetQueryResults answer: %s", d->why);
		insights_rowdec_reset(d);
		return (-1);
	}
	a->status = insights_status_of(d->status);
	if (d->complete_only && a->status != INSIGHTS_COMPLETE) {
		/* A poll of a running query: its rows were checked only. */
		rowread_blocks_free(d->blk);
		a->mem = NULL;
		a->mem_len = 0;
		insights_answer_free_rows(a);
		a->n = a->rows = a->dropped = 0;
	} else if (a->n < d->cap) {
		a->ev = xreallocarray(a->ev, a->n + 1, sizeof *a->ev);
		a->group = xreallocarray(a->group, a->n + 1, sizeof *a->group);
		a->group_len =
		    xreallocarray(a->group_len, a->n + 1, sizeof *a->group_len);
	}
	*out = *a;
	memset(a, 0, sizeof *a);
	d->blk = d->last = NULL;
	insights_rowdec_reset(d);
	return (0);
}

/* Free a decoder. Accepts NULL. */
void
insights_rowdec_free(struct insights_rowdec *d)
{
	if (d == NULL)
		return;
	insights_answer_free(&d->a);
	buf_free(&d->tail);
	free(d);
}

/* Decode a GetQueryResults body; see insights.h. */
int
insights_decode_rows(const char *body, size_t len, struct insights_answer *a,
    int complete_only, char **cause)
{
	struct insights_rowdec *d;
	int rc;

	d = insights_rowdec_new(complete_only, 0, len + 1);
	(void)insights_rowdec_feed(d, body, len);
	rc = insights_rowdec_end(d, a, cause);
	insights_rowdec_free(d);
	return (rc);
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
	rowread_blocks_free(a->mem);
	insights_answer_free_rows(a);
	free(a->next_token);
	memset(a, 0, sizeof *a);
}

void
insights_answer_free_rows(struct insights_answer *a)
{
	free(a->ev);
	free(a->group);
	free(a->group_len);
	a->ev = NULL;
	a->group = NULL;
	a->group_len = NULL;
}
