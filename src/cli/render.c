/* SPDX-License-Identifier: Apache-2.0 */
/* Event rendering: text and JSON. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/render.h"
#include "core/jsonfmt.h"
#include "core/jsonw.h"
#include "core/timeexpr.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "trace/corr.h"
#include "trace/logline.h"

#define SGR_RESET "\033[0m"
#define SGR_STREAM 36 /* cyan */
#define SGR_TS 33     /* yellow */
#define SGR_INGEST 34 /* blue */
#define SGR_ERROR "\033[31m"
#define SGR_DIM "\033[2m"                /* a late line's message */
#define SGR_HIGHLIGHT "\033[43m\033[34m" /* Python apilogs */
#define SGR_KEY "\033[1;34m"             /* JSON keys, as jq */
#define SGR_EVENT_ID 90                  /* grey */
#define SGR_GREY "\033[90m"              /* the --max-length marker */

/* Group colours: no red (red means errors). */
static const int render_palette[] = {32, 35, 92, 93, 94, 95, 96, 33};

/* A stable colour for a group name (FNV-1a hash). */
int
render_group_color(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	return (render_palette[h % (sizeof render_palette /
				       sizeof render_palette[0])]);
}

static int
render_is_space(uint32_t c)
{
	return ((c >= 0x09 && c <= 0x0d) || c == 0x20 ||
		(c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0 ||
		c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
		c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000);
}

/* Python str.rstrip(): drop trailing Unicode whitespace. */
size_t
render_rstrip(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start, n;
	uint32_t cp;

	while (len > 0) {
		if (u[len - 1] < 0x80) {
			if (!render_is_space(u[len - 1]))
				break;
			len--;
			continue;
		}
		/* Find the start of the last sequence. */
		start = len - 1;
		while (
		    start > 0 && len - start < 4 && (u[start] & 0xc0) == 0x80)
			start--;
		n = utf8_decode(s + start, len - start, &cp);
		if (n != len - start || !render_is_space(cp))
			break;
		len = start;
	}
	return (len);
}

/* Append message bytes, escaping control characters and invalid UTF-8
 * unless raw. */
static void
render_text_bytes(struct render *r, struct buf *b, const char *s, size_t len)
{
	if (r->raw)
		buf_put(b, s, len);
	else
		utf8_escape(b, s, len, UTF8_ESC_KEEP_LF);
}

/*
 * The message column: highlights, the colour of JSON keys (spans, in
 * order, from --expand) and the error colour, when colour is on; dim when
 * the line is late (older than lines printed before it).
 */
static void
render_message(struct render *r, struct buf *b, const char *s, size_t len,
    const struct jsonfmt_span *keys, size_t nkeys, int late)
{
	size_t i, k, hlen, run = 0, kn = 0, klen;
	int red, dim;

	red = r->color && logline_is_error(s, len);
	dim = r->color && late;
	if (dim)
		buf_puts(b, SGR_DIM);
	if (red)
		buf_puts(b, SGR_ERROR);
	if (!r->color || (r->nhl == 0 && nkeys == 0)) {
		render_text_bytes(r, b, s, len);
		goto done;
	}
	for (i = 0; i < len;) {
		if (kn < nkeys && keys[kn].off == i) {
			klen = keys[kn].len < len - i ? keys[kn].len : len - i;
			render_text_bytes(r, b, s + run, i - run);
			buf_puts(b, SGR_KEY);
			render_text_bytes(r, b, s + i, klen);
			buf_puts(b, SGR_RESET);
			if (dim)
				buf_puts(b, SGR_DIM);
			if (red)
				buf_puts(b, SGR_ERROR);
			i += klen;
			run = i;
			kn++;
			continue;
		}
		for (k = 0; k < r->nhl; k++) {
			hlen = strlen(r->hl[k]);
			if (hlen > 0 && hlen <= len - i &&
			    memcmp(s + i, r->hl[k], hlen) == 0)
				break;
		}
		if (k == r->nhl) {
			i++;
			continue;
		}
		render_text_bytes(r, b, s + run, i - run);
		buf_puts(b, SGR_HIGHLIGHT);
		render_text_bytes(r, b, s + i, hlen);
		buf_puts(b, SGR_RESET);
		if (dim)
			buf_puts(b, SGR_DIM);
		if (red)
			buf_puts(b, SGR_ERROR);
		i += hlen;
		run = i;
		while (kn < nkeys && keys[kn].off < i)
			kn++;
	}
	render_text_bytes(r, b, s + run, len - run);
done:
	if (red || dim)
		buf_puts(b, SGR_RESET);
}

/*
 * --expand: the message with its JSON part (the whole message, or the
 * JSON field of a Node or Python line) pretty-printed into tmp, and the
 * key spans. Returns 0 when the message has no JSON part (tmp untouched).
 */
static int
render_expand(const char *msg, size_t len, struct buf *tmp,
    struct jsonfmt_span **keys, size_t *nkeys)
{
	const char *j;

	j = logline_json_start(msg, len);
	if (j == NULL)
		return (0);
	buf_put(tmp, msg, (size_t)(j - msg));
	if (jsonfmt_pretty(j, len - (size_t)(j - msg), 2, tmp, keys, nkeys) !=
	    0) {
		buf_reset(tmp);
		return (0);
	}
	return (1);
}

/*
 * The message as shown in text: rstripped, expanded (--expand) and cut
 * to max_length characters with a marker saying how many were left out.
 */
void
render_message_text(
    struct render *r, struct buf *b, const char *msg, size_t len, int late)
{
	struct jsonfmt_span *keys = NULL;
	struct buf tmp;
	size_t nkeys = 0, cut, total;

	len = render_rstrip(msg, len);
	buf_init(&tmp, 0);
	if (r->expand && render_expand(msg, len, &tmp, &keys, &nkeys)) {
		msg = tmp.data;
		len = tmp.len;
	}
	cut = len;
	if (r->max_length > 0)
		cut = utf8_prefix(msg, len, r->max_length);
	render_message(r, b, msg, cut, keys, nkeys, late);
	if (cut < len) {
		total = utf8_width(msg + cut, len - cut);
		if (r->color)
			buf_puts(b, SGR_GREY);
		buf_putf(b, "\xe2\x80\xa6 [+%zu chars]", total);
		if (r->color)
			buf_puts(b, SGR_RESET);
	}
	free(keys);
	buf_free(&tmp);
}

/* A padded (and maybe coloured) column followed by a space. */
void
render_cell(struct render *r, struct buf *b, int color, const char *s,
    size_t len, size_t width)
{
	size_t w, start;

	if (r->color)
		buf_putf(b, "\033[%dm", color);
	/* A name is one line and always escaped (--raw is for messages). */
	start = b->len;
	utf8_escape(b, s, len, 0);
	for (w = utf8_width(b->data + start, b->len - start); w < width; w++)
		buf_putc(b, ' ');
	if (r->color)
		buf_puts(b, SGR_RESET);
	buf_putc(b, ' ');
}

/* The short request-id column: 8 characters, coloured per request. */
static void
render_reqid(struct render *r, const struct corr_tag *t, struct buf *b)
{
	const char *id = "-";

	if (t != NULL && t->apigw[0] != '\0')
		id = t->apigw;
	else if (t != NULL && t->lambda[0] != '\0')
		id = t->lambda;
	render_cell(r, b, strcmp(id, "-") == 0 ? 90 : render_group_color(id),
	    id, strlen(id) > 8 ? 8 : strlen(id), 8);
}

/*
 * The group cell of a source never changes and its stream cell rarely
 * does (one stream per Lambda environment): keep their bytes.
 */
struct render_cache {
	const struct render_src *src;
	struct buf group;       /* the rendered group cell */
	struct buf stream_name; /* the last stream seen */
	struct buf stream;      /* its rendered cell */
};

static struct render_cache *
render_cache_get(struct render *r, const struct render_src *s)
{
	struct render_cache *c;
	size_t i;

	for (i = 0; i < r->ncache; i++) {
		if (r->cache[i].src == s)
			return (&r->cache[i]);
	}
	r->cache = xreallocarray(r->cache, r->ncache + 1, sizeof *r->cache);
	c = &r->cache[r->ncache++];
	c->src = s;
	buf_init(&c->group, 0);
	buf_init(&c->stream_name, 0);
	buf_init(&c->stream, 0);
	render_cell(
	    r, &c->group, s->color, s->group, strlen(s->group), r->group_width);
	return (c);
}

/* Free the cache. */
void
render_free(struct render *r)
{
	size_t i;

	for (i = 0; i < r->ncache; i++) {
		buf_free(&r->cache[i].group);
		buf_free(&r->cache[i].stream_name);
		buf_free(&r->cache[i].stream);
	}
	free(r->cache);
	r->cache = NULL;
	r->ncache = 0;
}

static void
render_text(struct render *r, const struct event *ev,
    const struct render_src *s, const struct corr_tag *tag, const char *msg,
    size_t len, struct buf *b)
{
	char t[TIMEEXPR_FMTLEN];
	struct render_cache *c = NULL;

	if (r->show_group || r->show_stream)
		c = render_cache_get(r, s);
	if (r->show_group)
		buf_put(b, c->group.data, c->group.len);
	if (r->show_stream) {
		if (c->stream_name.len != ev->stream_len ||
		    (ev->stream_len > 0 &&
			memcmp(c->stream_name.data, ev->stream,
			    ev->stream_len) != 0)) {
			buf_reset(&c->stream_name);
			buf_put(&c->stream_name, ev->stream, ev->stream_len);
			buf_reset(&c->stream);
			render_cell(r, &c->stream, SGR_STREAM, ev->stream,
			    ev->stream_len, s->stream_width);
		}
		buf_put(b, c->stream.data, c->stream.len);
	}
	if (r->show_ts) {
		timeexpr_format(ev->ts, r->time_flags, t);
		render_cell(r, b, SGR_TS, t, strlen(t), 0);
	}
	if (r->show_ingest) {
		timeexpr_format(ev->ingest, r->time_flags, t);
		render_cell(r, b, SGR_INGEST, t, strlen(t), 0);
	}
	if (r->show_event_id)
		render_cell(r, b, SGR_EVENT_ID, ev->id_len > 0 ? ev->id : "-",
		    ev->id_len > 0 ? ev->id_len : 1, 0);
	if (r->show_reqids)
		render_reqid(r, tag, b);
	render_message_text(r, b, msg, len, (ev->flags & EVENT_LATE) != 0);
	buf_putc(b, '\n');
}

/* The members of an event's JSON object (the object is open in w). */
static void
render_json(struct jsonw *w, const struct event *ev, const struct render_src *s,
    const struct corr_tag *tag, const char *msg, size_t len)
{
	jsonw_key(w, "logGroupName");
	jsonw_stringz(w, s->group);
	jsonw_key(w, "logStreamName");
	jsonw_string(w, ev->stream, ev->stream_len);
	jsonw_key(w, "timestamp");
	jsonw_int(w, (long long)ev->ts);
	jsonw_key(w, "ingestionTime");
	jsonw_int(w, (long long)ev->ingest);
	/* Absent, not "", for an event without one (Live Tail gives none):
	 * an empty id would look like one id shared by all. */
	if (ev->id_len > 0) {
		jsonw_key(w, "eventId");
		jsonw_string(w, ev->id, ev->id_len);
	}
	jsonw_key(w, "message");
	jsonw_string(w, msg, len);
	if (s->role != NULL) {
		jsonw_key(w, "source");
		jsonw_stringz(w, s->role);
	}
	if (tag != NULL && tag->apigw[0] != '\0') {
		jsonw_key(w, "apiRequestId");
		jsonw_stringz(w, tag->apigw);
	}
	if (tag != NULL && tag->lambda[0] != '\0') {
		jsonw_key(w, "lambdaRequestId");
		jsonw_stringz(w, tag->lambda);
	}
	if (ev->flags & EVENT_LATE) {
		jsonw_key(w, "late");
		jsonw_bool(w, 1);
	}
}

/*
 * The message to show: the transform's (*tmp, which the caller frees),
 * or the event's. Returns -1 when the transform skips the event.
 */
static int
render_message_of(struct render *r, const struct event *ev, const char **msg,
    size_t *len, char **tmp)
{
	int rc;

	*msg = ev->msg;
	*len = ev->msg_len;
	*tmp = NULL;
	if (r->transform == NULL)
		return (0);
	rc = r->transform(r->transform_arg, ev->msg, ev->msg_len, tmp, len);
	if (rc < 0)
		return (-1);
	if (rc > 0)
		*msg = *tmp;
	else
		*len = ev->msg_len;
	return (0);
}

/* Open an event's JSON object; see render.h. */
int
render_event_json(struct render *r, const struct event *ev,
    const struct render_src *s, const struct corr_tag *tag, struct jsonw *w)
{
	const char *msg;
	size_t len;
	char *tmp;

	if (render_message_of(r, ev, &msg, &len, &tmp) != 0)
		return (-1);
	jsonw_object(w);
	render_json(w, ev, s, tag, msg, len);
	free(tmp);
	return (0);
}

/* Render one event; see render.h. */
void
render_event(struct render *r, const struct event *ev,
    const struct render_src *s, const struct corr_tag *tag, struct buf *b)
{
	struct jsonw w;
	const char *msg;
	size_t len;
	char *tmp;

	if (r->fmt == RENDER_JSON) {
		jsonw_init(&w, b);
		if (render_event_json(r, ev, s, tag, &w) != 0)
			return;
		jsonw_end(&w);
		buf_putc(b, '\n');
		return;
	}
	if (render_message_of(r, ev, &msg, &len, &tmp) != 0)
		return;
	if (r->fmt == RENDER_TEXT)
		render_text(r, ev, s, tag, msg, len, b);
	else
		render_tail(r, ev, s, msg, len, b);
	free(tmp);
}
