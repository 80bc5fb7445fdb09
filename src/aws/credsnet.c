/* Synchronous metadata requests and tracing for the credential providers. */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/credsnet.h"
#include "aws/loop.h"
#include "core/xmalloc.h"

struct credsnet_sync {
	struct http_response *out;
	int done;
};

/* Take over the finished response (the transfer frees its copy). */
static void
credsnet_done(struct http_response *r, void *arg)
{
	struct credsnet_sync *s = arg;

	*s->out = *r;
	r->headers = NULL;
	r->nheaders = 0;
	buf_init(&r->body, 0);
	s->done = 1;
}

/* Perform one request through the configured transport. */
int
credsnet_perform(const struct credsnet *net, const struct http_request *req,
    struct http_response *out)
{
	struct credsnet_sync s;
	struct http_xfer *x;

	memset(out, 0, sizeof *out);
	buf_init(&out->body, 0);
	s.out = out;
	s.done = 0;
	x = (net->transport != NULL ? net->transport : http_submit)(
	    net->loop, req, credsnet_done, &s);
	if (!s.done && loop_run_until(net->loop, &s.done) != 0 && !s.done) {
		if (x != NULL && net->transport == NULL)
			http_cancel(net->loop, x);
		out->err = HTTP_ERR_OTHER;
		snprintf(out->errmsg, sizeof out->errmsg, "interrupted");
		return (-1);
	}
	return (out->err == HTTP_OK ? 0 : -1);
}

static void
credsnet_wake(void *arg)
{
	*(int *)arg = 1;
}

/* Let the loop run for ms milliseconds. */
void
credsnet_pause(const struct credsnet *net, long ms)
{
	uint64_t t;
	int done = 0;

	if (ms <= 0)
		return;
	t = loop_timer_in(net->loop, ms, credsnet_wake, &done);
	if (loop_run_until(net->loop, &done) != 0)
		loop_timer_cancel(net->loop, t);
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
