/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AWS event-stream framing: an incremental decoder (eventstream.h).
 *
 * The bytes of the current message are gathered in one bounded buffer:
 * first the 12-byte prelude, which is checked before anything else is
 * taken (so a corrupt length never makes the decoder wait for, or
 * allocate, bytes that are not a message), then exactly the rest of the
 * message, whose CRC is checked before its headers are read.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "aws/eventstream.h"
#include "core/xmalloc.h"

/* A frame buffer grown past this is given back after its message. */
#define EVSTREAM_KEEP (1024 * 1024)

static uint32_t
get32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

static uint32_t
crc(const unsigned char *p, size_t len)
{
	return ((uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)len));
}

/* Start a decoder accepting messages up to max bytes. */
void
evstream_init(struct evstream *es, size_t max)
{
	memset(es, 0, sizeof *es);
	if (max == 0 || max > EVSTREAM_MAX_MESSAGE)
		max = EVSTREAM_MAX_MESSAGE;
	if (max < EVSTREAM_MIN_MESSAGE)
		max = EVSTREAM_MIN_MESSAGE;
	es->max = max;
	buf_init(&es->frame, max);
}

/* Drop the message handed out last (and a big frame's memory). */
static void
evstream_drop(struct evstream *es)
{
	if (es->frame.size > EVSTREAM_KEEP)
		buf_free(&es->frame);
	else
		buf_reset(&es->frame);
	xfree(&es->strs);
	es->total_len = 0;
	es->delivered = 0;
	memset(&es->msg, 0, sizeof es->msg);
}

/* Free the decoder's memory. */
void
evstream_free(struct evstream *es)
{
	if (es == NULL)
		return;
	buf_free(&es->frame);
	xfree(&es->strs);
	xfree(&es->headers);
	xfree(&es->failed);
	es->nalloc = 0;
	es->total_len = 0;
	es->delivered = 0;
	memset(&es->msg, 0, sizeof es->msg);
}

/* Forget any partial message and error. */
void
evstream_reset(struct evstream *es)
{
	evstream_drop(es);
	xfree(&es->failed);
}

/* Is a message partly received? */
int
evstream_pending(const struct evstream *es)
{
	return (!es->delivered && es->frame.len > 0);
}

/* Record the error that ends the stream and hand a copy to the caller. */
static int evstream_fail(struct evstream *es, char **cause, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static int
evstream_fail(struct evstream *es, char **cause, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	free(es->failed);
	es->failed = xprintf("event stream: %s", msg);
	free(msg);
	if (cause != NULL)
		*cause = xstrdup(es->failed);
	return (-1);
}

/* Check the 12 prelude bytes in the frame buffer. */
static int
evstream_prelude(struct evstream *es, char **cause)
{
	const unsigned char *p = (const unsigned char *)es->frame.data;
	uint32_t total, hlen, want, got;

	total = get32(p);
	hlen = get32(p + 4);
	want = get32(p + 8);
	got = crc(p, 8);
	if (want != got)
		return (evstream_fail(es, cause,
		    "prelude CRC mismatch (0x%08x, computed 0x%08x)", want,
		    got));
	if (total < EVSTREAM_MIN_MESSAGE)
		return (evstream_fail(es, cause,
		    "message length %u shorter than %d bytes", total,
		    EVSTREAM_MIN_MESSAGE));
	if (total > es->max)
		return (evstream_fail(es, cause,
		    "message length %u over the %zu-byte limit", total,
		    es->max));
	if (hlen > total - EVSTREAM_MIN_MESSAGE)
		return (evstream_fail(es, cause,
		    "headers length %u does not fit a %u-byte message", hlen,
		    total));
	es->total_len = total;
	return (0);
}

/* A header value's name for messages. */
static const char *
type_name(unsigned t)
{
	static const char *names[] = {"true", "false", "byte", "short", "int",
	    "long", "bytes", "string", "timestamp", "uuid"};

	return (t < sizeof names / sizeof names[0] ? names[t] : "unknown");
}

/* Read n big-endian bytes as a signed number. */
static int64_t
get_signed(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n < 8 && (v >> (8 * n - 1)) != 0)
		v |= ~(uint64_t)0 << (8 * n);
	return ((int64_t)v);
}

/* Append a NUL-terminated copy of p to the string area at *off. */
static const char *
copy_str(char *strs, size_t *off, const unsigned char *p, size_t n)
{
	char *s = strs + *off;

	memcpy(s, p, n);
	s[n] = '\0';
	*off += n + 1;
	return (s);
}

/*
 * Read the headers of the complete, checked message in the frame. Every
 * header takes at least 2 bytes (name length and type) and its copies at
 * most 2 bytes more than it (the NULs of name and value; a string value
 * has a 2-byte length on the wire), so headers_len + 1 bytes hold them.
 */
static int
evstream_headers(struct evstream *es, char **cause)
{
	const unsigned char *p, *end;
	struct evstream_header *h;
	size_t off = 0, nlen, vlen, n = 0;
	unsigned t;
	static const size_t fixed[] = {0, 0, 1, 2, 4, 8, 0, 0, 8, 16};

	p = (const unsigned char *)es->frame.data + EVSTREAM_PRELUDE_LEN;
	end = p + es->msg.headers_len;
	es->strs = xmalloc((size_t)es->msg.headers_len + 1);
	while (p < end) {
		nlen = *p++;
		if ((size_t)(end - p) < nlen + 1)
			return (evstream_fail(es, cause,
			    "header %zu truncated in its name", n + 1));
		if (n == es->nalloc) {
			es->nalloc = es->nalloc ? es->nalloc * 2 : 8;
			es->headers = xreallocarray(
			    es->headers, es->nalloc, sizeof *es->headers);
		}
		h = &es->headers[n];
		memset(h, 0, sizeof *h);
		h->name = copy_str(es->strs, &off, p, nlen);
		h->name_len = nlen;
		p += nlen;
		t = *p++;
		if (t > EVSTREAM_UUID)
			return (evstream_fail(es, cause,
			    "header \"%s\" has unknown type %u", h->name, t));
		h->type = (enum evstream_type)t;
		if (t == EVSTREAM_BYTES || t == EVSTREAM_STRING) {
			if (end - p < 2)
				return (evstream_fail(es, cause,
				    "header \"%s\" truncated in its length",
				    h->name));
			vlen = (size_t)p[0] << 8 | p[1];
			p += 2;
		} else
			vlen = fixed[t];
		if ((size_t)(end - p) < vlen)
			return (evstream_fail(es, cause,
			    "header \"%s\" (%s) truncated in its value",
			    h->name, type_name(t)));
		switch (h->type) {
		case EVSTREAM_BOOL_TRUE:
			h->num = 1;
			break;
		case EVSTREAM_BOOL_FALSE:
			h->num = 0;
			break;
		case EVSTREAM_BYTE:
		case EVSTREAM_SHORT:
		case EVSTREAM_INT:
		case EVSTREAM_LONG:
		case EVSTREAM_TIMESTAMP:
			h->num = get_signed(p, vlen);
			break;
		case EVSTREAM_BYTES:
		case EVSTREAM_STRING:
			h->data = (const unsigned char *)copy_str(
			    es->strs, &off, p, vlen);
			h->len = vlen;
			break;
		case EVSTREAM_UUID:
			h->data = p;
			h->len = vlen;
			break;
		}
		p += vlen;
		n++;
	}
	es->msg.headers = es->headers;
	es->msg.nheaders = n;
	return (0);
}

/* Check and decode the complete message in the frame buffer. */
static int
evstream_finish(struct evstream *es, char **cause)
{
	const unsigned char *p = (const unsigned char *)es->frame.data;
	struct evstream_message *m = &es->msg;
	uint32_t got;

	memset(m, 0, sizeof *m);
	m->total_len = es->total_len;
	m->headers_len = get32(p + 4);
	m->prelude_crc = get32(p + 8);
	m->message_crc = get32(p + m->total_len - 4);
	got = crc(p, m->total_len - 4);
	if (got != m->message_crc)
		return (evstream_fail(es, cause,
		    "message CRC mismatch (0x%08x, computed 0x%08x)",
		    m->message_crc, got));
	if (evstream_headers(es, cause) != 0)
		return (-1);
	m->payload = p + EVSTREAM_PRELUDE_LEN + m->headers_len;
	m->payload_len = m->total_len - EVSTREAM_MIN_MESSAGE - m->headers_len;
	return (0);
}

/* Take up to want - frame.len bytes; return how many were taken. */
static size_t
evstream_take(
    struct evstream *es, const unsigned char *p, size_t len, size_t want)
{
	size_t n = want - es->frame.len;

	if (n > len)
		n = len;
	/* Never past max: want is at most es->max. */
	buf_put(&es->frame, p, n);
	return (n);
}

/* Feed bytes; see eventstream.h. */
int
evstream_feed(struct evstream *es, const void *data, size_t len, size_t *used,
    const struct evstream_message **msg, char **cause)
{
	const unsigned char *p = data;
	size_t n = 0;

	*used = 0;
	*msg = NULL;
	if (es->failed != NULL) {
		if (cause != NULL)
			*cause = xstrdup(es->failed);
		return (-1);
	}
	if (es->delivered)
		evstream_drop(es);
	if (es->total_len == 0) {
		n += evstream_take(es, p, len, EVSTREAM_PRELUDE_LEN);
		if (es->frame.len < EVSTREAM_PRELUDE_LEN) {
			*used = n;
			return (0);
		}
		if (evstream_prelude(es, cause) != 0) {
			*used = n;
			return (-1);
		}
	}
	n += evstream_take(es, p + n, len - n, es->total_len);
	*used = n;
	if (es->frame.len < es->total_len)
		return (0);
	if (evstream_finish(es, cause) != 0)
		return (-1);
	es->delivered = 1;
	*msg = &es->msg;
	return (1);
}

/* The first header called name, or NULL. */
const struct evstream_header *
evstream_header(const struct evstream_message *m, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < m->nheaders; i++) {
		if (m->headers[i].name_len == len &&
		    memcmp(m->headers[i].name, name, len) == 0)
			return (&m->headers[i]);
	}
	return (NULL);
}

/* Read header name as a string into *out (NULL when absent). */
static int
meta_string(const struct evstream_message *m, const char *name,
    const char **out, char **cause)
{
	const struct evstream_header *h;

	*out = NULL;
	h = evstream_header(m, name);
	if (h == NULL)
		return (0);
	if (h->type != EVSTREAM_STRING) {
		*cause =
		    xprintf("event stream: header %s is a %s, not a string",
			name, type_name(h->type));
		return (-1);
	}
	*out = (const char *)h->data;
	return (0);
}

/* Read the common headers of m into *meta. */
int
evstream_meta(
    const struct evstream_message *m, struct evstream_meta *meta, char **cause)
{
	const char *mt;

	memset(meta, 0, sizeof *meta);
	if (meta_string(m, ":message-type", &meta->message_type, cause) != 0 ||
	    meta_string(m, ":event-type", &meta->event_type, cause) != 0 ||
	    meta_string(m, ":exception-type", &meta->exception_type, cause) !=
		0 ||
	    meta_string(m, ":content-type", &meta->content_type, cause) != 0 ||
	    meta_string(m, ":error-code", &meta->error_code, cause) != 0 ||
	    meta_string(m, ":error-message", &meta->error_message, cause) != 0)
		goto fail;
	mt = meta->message_type;
	if (mt == NULL) {
		*cause = xstrdup("event stream: message without :message-type");
		goto fail;
	}
	if (strcmp(mt, "event") == 0 && meta->event_type == NULL) {
		*cause = xstrdup("event stream: event without :event-type");
		goto fail;
	}
	if (strcmp(mt, "exception") == 0 && meta->exception_type == NULL) {
		*cause =
		    xstrdup("event stream: exception without :exception-type");
		goto fail;
	}
	if (strcmp(mt, "error") == 0 && meta->error_code == NULL) {
		*cause = xstrdup("event stream: error without :error-code");
		goto fail;
	}
	return (0);
fail:
	memset(meta, 0, sizeof *meta);
	return (-1);
}
