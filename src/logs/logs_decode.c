/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A purpose-built decoder for FilterLogEvents responses. jansson builds a
 * tree of every value (about 10 ms and several times the body in memory
 * per 1 MB page); this scans the body once, unescapes the strings of each
 * event into one arena no larger than the body, and skips everything else.
 * It accepts exactly JSON (RFC 8259) and rejects truncated or malformed
 * bodies, so a cut-off response is retried rather than half-read. Lone
 * UTF-16 surrogates in \u escapes become U+FFFD instead of failing the page
 * (never lose a page over one odd character). The JSON scanning itself is
 * jsondec.c; this file knows the shape of a page and of an event.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "logs/jsondec.h"
#include "logs/logs.h"

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
 * space, escapes) goes through jsondec_key. Returns KEY_OTHER when it does not
 * match, else the key with d->p after the colon and any white space.
 */
static inline enum key_id
key_fast(struct jsondec *d)
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
	jsondec_ws(d);
	return (keys[i].k);
}

/* One event object into ev. */
static int
dec_event(struct jsondec *d, struct event *ev)
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
	jsondec_ws(d);
	if (d->p < d->end && *d->p == '}') {
		d->p++;
		return (0);
	}
	for (;;) {
		k = key_fast(d);
		if (k == KEY_OTHER) {
			if (jsondec_key(d, &key, &klen) != 0)
				return (-1);
			/* By length first: no strcmp chain per member. */
			k = key_id(key, klen);
		}
		rc = jsondec_null(d);
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
			if (jsondec_number(d,
				k == KEY_TIMESTAMP ? &ev->ts : &ev->ingest) !=
			    0)
				return (-1);
			if (k == KEY_INGESTION)
				have_ingest = 1;
		} else if (k != KEY_OTHER && d->p < d->end && *d->p == '"') {
			s = jsondec_string(d, 1, &len);
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
		} else if (jsondec_skip(d, 2) != 0)
			return (-1);
	next:
		rc = jsondec_next(d, '}');
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
	struct jsondec d;
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
	jsondec_ws(&d);
	if (d.p >= d.end || *d.p != '{') {
		d.err = d.p >= d.end ? "empty body" : "not an object";
		goto fail;
	}
	d.p++;
	jsondec_ws(&d);
	if (d.p < d.end && *d.p == '}') {
		d.p++;
		goto done;
	}
	for (;;) {
		if (jsondec_key(&d, &key, &klen) != 0)
			goto fail;
		rc = jsondec_null(&d);
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
			jsondec_ws(&d);
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
				rc = jsondec_next(&d, ']');
				if (rc < 0)
					goto fail;
				if (rc == 1)
					break;
			}
		} else if (klen == tokkeylen &&
			   memcmp(key, tokkey, tokkeylen) == 0 && d.p < d.end &&
			   *d.p == '"') {
			s = jsondec_string(&d, 1, &slen);
			if (s == NULL)
				goto fail;
			tok = s;
			toklen = slen;
		} else if (jsondec_skip(&d, 1) != 0)
			goto fail;
	next:
		rc = jsondec_next(&d, '}');
		if (rc < 0)
			goto fail;
		if (rc == 1)
			break;
	}
done:
	jsondec_ws(&d);
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
