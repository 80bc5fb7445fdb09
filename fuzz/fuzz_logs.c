/*
 * Fuzz the decoders of outside input in the logs path: FilterLogEvents
 * pages (then render every event as text and JSON) and AWS error bodies.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "awserr.h"
#include "buf.h"
#include "event.h"
#include "http.h"
#include "logs.h"
#include "render.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page *p = NULL;
	struct http_response r;
	struct awserr e;
	struct render rd;
	struct source s;
	struct buf b;
	char *next = NULL, *cause = NULL;
	size_t i;

	if (logs_filter_decode((const char *)data, size, &p, &next, &cause) ==
	    0) {
		memset(&rd, 0, sizeof rd);
		memset(&s, 0, sizeof s);
		s.group = "/g";
		s.role = "lambda:x";
		s.stream_width = 10;
		rd.show_group = rd.show_stream = rd.show_ts = 1;
		rd.color = 1;
		buf_init(&b, 0);
		for (i = 0; i < p->n; i++) {
			rd.fmt = OUTPUT_TEXT;
			render_event(&rd, &p->ev[i], &s, NULL, &b);
			rd.fmt = OUTPUT_JSON;
			render_event(&rd, &p->ev[i], &s, NULL, &b);
			buf_reset(&b);
		}
		buf_free(&b);
		render_free(&rd);
		page_free(p);
	}
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
