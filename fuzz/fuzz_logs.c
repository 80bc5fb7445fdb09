/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz the decoders of outside input in the logs path: FilterLogEvents
 * pages (then render every event as text and JSON) and AWS error bodies.
 * A page both our decoder and jansson accept must give the same messages
 * (differential: the fast decoder unescapes in place, jansson does not).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/awserr.h"
#include "aws/http.h"
#include "cli/render.h"
#include "core/buf.h"
#include "logs/event.h"
#include "logs/logs.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct span {
	int64_t ts, ingest;
	const char *p;
	size_t n;
};

static int
span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c;

	if (x->ts != y->ts)
		return (x->ts < y->ts ? -1 : 1);
	if (x->ingest != y->ingest)
		return (x->ingest < y->ingest ? -1 : 1);
	c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);
	return (c != 0 ? c : (x->n > y->n) - (x->n < y->n));
}

/*
 * The events of p must be those jansson reads from the same bytes, as a
 * multiset (p is sorted by time): times and message. A message that is not
 * a string is ""; pages with times that are not integers are not compared
 * (we truncate fractions, jansson keeps them).
 */
static void
check_jansson(const uint8_t *data, size_t size, const struct page *p)
{
	json_t *root, *evs, *ev, *m, *ts, *in;
	struct span *a, *b;
	size_t i, n;

	root = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	if (root == NULL)
		return;
	evs = json_object_get(root, "events");
	n = json_is_array(evs) ? json_array_size(evs) : 0;
	if (n != p->n)
		abort();
	a = calloc(n + 1, sizeof *a);
	b = calloc(n + 1, sizeof *b);
	if (a == NULL || b == NULL)
		abort();
	for (i = 0; i < n; i++) {
		ev = json_array_get(evs, i);
		m = json_object_get(ev, "message");
		ts = json_object_get(ev, "timestamp");
		in = json_object_get(ev, "ingestionTime");
		if (!json_is_integer(ts) ||
		    (in != NULL && !json_is_integer(in)))
			goto out;
		a[i].ts = json_integer_value(ts);
		a[i].ingest = in != NULL ? json_integer_value(in) : a[i].ts;
		a[i].p = json_is_string(m) ? json_string_value(m) : "";
		a[i].n = json_is_string(m) ? json_string_length(m) : 0;
		b[i].ts = p->ev[i].ts;
		b[i].ingest = p->ev[i].ingest;
		b[i].p = p->ev[i].msg;
		b[i].n = p->ev[i].msg_len;
	}
	qsort(a, n, sizeof *a, span_cmp);
	qsort(b, n, sizeof *b, span_cmp);
	for (i = 0; i < n; i++)
		if (span_cmp(&a[i], &b[i]) != 0)
			abort();
out:
	free(a);
	free(b);
	json_decref(root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page *p = NULL;
	struct http_response r;
	struct awserr e;
	struct render rd;
	struct render_src s;
	struct buf b;
	struct logs_stream *ls = NULL;
	char *next = NULL, *cause = NULL;
	size_t i, nls = 0;

	if (logs_filter_decode((const char *)data, size, &p, &next, &cause) ==
	    0) {
		check_jansson(data, size, p);
		memset(&rd, 0, sizeof rd);
		memset(&s, 0, sizeof s);
		s.group = "/g";
		s.role = "lambda:x";
		s.stream_width = 10;
		rd.show_group = rd.show_stream = rd.show_ts = 1;
		rd.color = 1;
		buf_init(&b, 0);
		for (i = 0; i < p->n; i++) {
			rd.fmt = RENDER_TEXT;
			render_event(&rd, &p->ev[i], &s, NULL, &b);
			rd.fmt = RENDER_JSON;
			render_event(&rd, &p->ev[i], &s, NULL, &b);
			buf_reset(&b);
		}
		buf_free(&b);
		render_free(&rd);
		page_free(p);
	}
	free(next);
	free(cause);
	next = cause = NULL;

	/* GetLogEvents pages and DescribeLogStreams listings (issue 15). */
	p = NULL;
	if (logs_get_decode((const char *)data, size, &p, &next, &cause) == 0)
		page_free(p);
	free(next);
	free(cause);
	next = cause = NULL;
	if (logs_streams_decode(
		(const char *)data, size, &ls, &nls, &next, &cause) == 0)
		logs_streams_free(ls, nls);
	free(next);
	free(cause);

	memset(&r, 0, sizeof r);
	r.status = 400;
	buf_init(&r.body, 0);
	buf_put(&r.body, data, size);
	awserr_parse(&r, &e);
	awserr_free(&e);
	buf_free(&r.body);
	return (0);
}
