/* SPDX-License-Identifier: Apache-2.0 */
/* A history read against fakelogs with a transcript; see histenv.h. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histenv.h"

/* Set up the read; see histenv.h. */
void
histenv_init(struct histenv *h)
{
	char *cause = NULL;

	memset(h, 0, sizeof *h);
	fakeclock_init(&h->clk, HISTENV_T0);
	h->loop = loop_new(&h->clk.clock, NULL);
	fakelogs_init(&h->fl, h->loop);
	h->fl.latency_ms = 50;
	fakelogs_ctx(&h->fl, &h->ctx, h->loop);
	if (aws_client_new(&h->c, &h->ctx, AWS_LOGS, "us-east-1",
		"http://fake.invalid", &cause) != 0) {
		fprintf(stderr, "histenv: %s\n", cause ? cause : "no client");
		abort();
	}
	h->eo.start = HISTENV_T0 - 3600000;
	h->eo.end = HISTENV_T0;
	h->eo.max_rps = 5;
	h->eo.interval_ms = 1000;
	h->eo.hold_back_ms = 2000;
	h->eo.overlap_ms = 5000;
	buf_init(&h->out, 0);
	h->last_ts = INT64_MIN;
}

/* Free the sources, the transcript, the client and the loop. */
void
histenv_free(struct histenv *h)
{
	size_t i;

	buf_free(&h->out);
	for (i = 0; i < h->nsrc; i++)
		source_free_contents(&h->src[i]);
	free(h->cause);
	aws_client_free(h->c);
	fakelogs_free(&h->fl);
	loop_free(h->loop);
}

static int
histenv_emit(void *arg, const struct event *ev, const struct source *s)
{
	struct histenv *h = arg;

	if (ev->ts < h->last_ts ||
	    (ev->ts == h->last_ts && ev->ingest < h->last_ingest))
		h->disorder++;
	if (ev->flags & EVENT_LATE)
		h->late++;
	h->last_ts = ev->ts;
	h->last_ingest = ev->ingest;
	buf_putf(&h->out, "%lld %lld %s %.*s %.*s\n", (long long)ev->ts,
	    (long long)ev->ingest, s->group, (int)ev->stream_len, ev->stream,
	    (int)ev->msg_len, ev->msg);
	h->nout++;
	return (0);
}

static void
histenv_notice(void *arg, int level, const char *msg)
{
	struct histenv *h = arg;
	size_t len = strlen(h->notices);

	(void)level;
	snprintf(h->notices + len, sizeof h->notices - len, "%s\n", msg);
}

/* Run one engine over the sources; see histenv.h. */
void
histenv_run(struct histenv *h)
{
	struct engine *e;
	size_t i;

	e = engine_new(h->loop, h->c, &h->eo);
	for (i = 0; i < h->nsrc; i++)
		engine_add_source(e, &h->src[i]);
	engine_set_callbacks(e, histenv_emit, histenv_notice, NULL, h);
	h->status = engine_run(e, &h->cause);
	h->st = *engine_stats(e);
	engine_free(e);
}
