/* SPDX-License-Identifier: Apache-2.0 */
/* Asynchronous metadata requests and tracing for the credential providers. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/credsnet.h"
#include "aws/loop.h"
#include "core/xmalloc.h"

struct credsnet_req {
	struct loop *loop;
	int custom;             /* a pluggable transport (no cancel) */
	struct http_xfer *xfer; /* in flight (http_submit) */
	uint64_t timer;
	struct http_response resp; /* the answer, until delivered */
	int answered;
	int cancelled; /* the owner went away; free on the answer */
	credsnet_done_cb cb;
	void *arg;
};

/* Free a request and wipe its response (it may hold secrets). */
static void
credsnet_req_free(struct credsnet_req *q)
{
	if (q->resp.body.data != NULL)
		OPENSSL_cleanse(q->resp.body.data, q->resp.body.len);
	http_response_free(&q->resp);
	free(q);
}

/* Hand the answer to the owner (a timer: always from the loop). */
static void
credsnet_deliver(void *arg)
{
	struct credsnet_req *q = arg;

	q->timer = 0;
	q->cb(q->arg, &q->resp);
	credsnet_req_free(q);
}

/* Take over the finished response (the transfer frees its copy). */
static void
credsnet_done(struct http_response *r, void *arg)
{
	struct credsnet_req *q = arg;

	q->xfer = NULL;
	q->answered = 1;
	q->resp = *r;
	r->headers = NULL;
	r->nheaders = 0;
	buf_init(&r->body, 0);
	if (q->cancelled) {
		credsnet_req_free(q);
		return;
	}
	/* A transport may answer inside submit (unit tests' fakes). */
	q->timer = loop_timer_in(q->loop, 0, credsnet_deliver, q);
}

/* Send one request; see credsnet.h. */
struct credsnet_req *
credsnet_submit(const struct credsnet *net, const struct http_request *req,
    credsnet_done_cb cb, void *arg)
{
	struct credsnet_req *q;
	struct http_xfer *x;

	q = xcalloc(1, sizeof *q);
	q->loop = net->loop;
	q->custom = net->transport != NULL;
	q->cb = cb;
	q->arg = arg;
	buf_init(&q->resp.body, 0);
	x = (net->transport != NULL ? net->transport : http_submit)(
	    net->loop, req, credsnet_done, q);
	if (!q->answered)
		q->xfer = x;
	return (q);
}

/* Cancel a request; see credsnet.h. */
void
credsnet_cancel(struct credsnet_req *q)
{
	if (q == NULL)
		return;
	if (q->timer != 0)
		loop_timer_cancel(q->loop, q->timer);
	else if (!q->answered && q->custom) {
		/* The fake transport will still answer: free then. */
		q->cancelled = 1;
		return;
	} else if (q->xfer != NULL)
		http_cancel(q->loop, q->xfer);
	credsnet_req_free(q);
}

/* Trace at a verbosity level. */
void
credsnet_trace(const struct credsnet *net, int level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (net == NULL || net->trace == NULL || net->verbosity < level)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	net->trace(net->trace_arg, level, msg);
	free(msg);
}
