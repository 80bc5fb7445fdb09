/* SPDX-License-Identifier: Apache-2.0 */
/* Signed AWS calls with standard-mode retries (the call machinery; clients
 * and results are in aws_client.c). */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "aws/aws.h"
#include "aws/awserr.h"
#include "aws/loop.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "core/redact.h"
#include "core/xmalloc.h"

struct aws_op;
static void aws_forget_secrets(struct aws_op *);

struct aws_op {
	struct aws_client *client;
	aws_done_cb cb;
	void *arg;
	/* The call, copied. */
	char *op;
	char *method;
	char *path;
	char *query;
	char *target;
	char *content_type;
	char *body;
	size_t body_len;
	char **headers;
	int flags;
	size_t max_body;

	/* What the op is waiting for: exactly one is set while it lives. */
	int in_transfer;        /* the transport owes an answer */
	struct http_xfer *xfer; /* its handle (a fake may give none) */
	uint64_t timer;         /* a retry or delivery timer */
	uint64_t creds_wait;    /* credentials being fetched */
	int sending;            /* inside the transport's submit */
	int cancelled;          /* a transfer that cannot be aborted */
	int delivering;         /* the owner's callback is running */

	int attempt;
	enum retry_kind last_kind;
	/* What an error message must never repeat: the secret key, the
	 * session token and the signature of the last attempt. */
	char *secrets[3];
	/* The call's own secrets (bearer tokens in headers or body). */
	char **extra;
	size_t nextra;
	int64_t started;
	struct aws_result res;
};

static void aws_trace(struct aws_client *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
aws_trace(struct aws_client *c, int level, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (c->ctx->trace == NULL || c->ctx->verbosity < level)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	c->ctx->trace(c->ctx->trace_arg, level, msg);
	free(msg);
}

static void
aws_op_free(struct aws_op *p)
{
	size_t i;

	free(p->op);
	free(p->method);
	free(p->path);
	free(p->query);
	free(p->target);
	free(p->content_type);
	free(p->body);
	for (i = 0; p->headers != NULL && p->headers[i] != NULL; i++)
		free(p->headers[i]);
	free(p->headers);
	aws_result_free(&p->res);
	aws_forget_secrets(p);
	for (i = 0; i < p->nextra; i++) {
		OPENSSL_cleanse(p->extra[i], strlen(p->extra[i]));
		free(p->extra[i]);
	}
	free(p->extra);
	free(p);
}

static void aws_attempt(void *);
static void aws_creds_ready(void *);

/* Run the owner's callback with the final result, then free the op. */
static void
aws_deliver(void *arg)
{
	struct aws_op *p = arg;

	p->timer = 0;
	p->res.attempts = p->attempt;
	p->delivering = 1;
	p->cb(&p->res, p->arg);
	aws_op_free(p);
}

/*
 * The call is over: deliver its result from the loop, never from inside
 * the function that started or continued it, so that an owner never sees
 * its callback run before aws_call_async() has returned its handle.
 */
static void
aws_finish(struct aws_op *p)
{
	struct loop *l = p->client->ctx->loop;

	p->timer = loop_timer_in(l, 0, aws_deliver, p);
}

static void
aws_set_error(
    struct aws_op *p, enum aws_status st, const char *code, const char *msg)
{
	xfree(&p->res.code);
	xfree(&p->res.message);
	p->res.status = st;
	if (code != NULL)
		p->res.code = xstrdup(code);
	if (msg != NULL)
		p->res.message = xstrdup(msg);
}

/* Parse a Retry-After header given in seconds. */
static int64_t
aws_retry_after(const struct http_response *r)
{
	const char *h;
	long s;
	char *end;

	h = http_header(r, "Retry-After");
	if (h == NULL)
		return (0);
	s = strtol(h, &end, 10);
	if (end == h || *end != '\0' || s < 0)
		return (0);
	/* A server's word, but never a wait longer than botocore's
	 * longest backoff. */
	if (s > AWS_WAIT_MAX_MS / 1000)
		return (AWS_WAIT_MAX_MS);
	return ((int64_t)s * 1000);
}

static void
aws_forget_secrets(struct aws_op *p)
{
	size_t i;

	for (i = 0; i < 3; i++) {
		if (p->secrets[i] != NULL)
			OPENSSL_cleanse(p->secrets[i], strlen(p->secrets[i]));
		xfree(&p->secrets[i]);
	}
}

/*
 * A server (or a proxy) that echoes the request back must not make us
 * print a secret: replace any of them in a message by "<redacted>".
 */
static void
aws_scrub(struct aws_op *p, char **msg)
{
	const char **all;
	size_t i;

	if (*msg == NULL)
		return;
	all = xcalloc(3 + p->nextra, sizeof *all);
	for (i = 0; i < 3; i++)
		all[i] = p->secrets[i];
	for (i = 0; i < p->nextra; i++)
		all[3 + i] = p->extra[i];
	redact_text(msg, all, 3 + p->nextra);
	free(all);
}

static void
aws_on_response(struct http_response *r, void *arg)
{
	struct aws_op *p = arg;
	struct aws_client *c = p->client;
	struct awserr e;
	struct retry_quota q;
	enum retry_kind kind;
	int64_t delay;
	char *msg;
	int max, retry;

	p->xfer = NULL;
	p->in_transfer = 0;
	p->sending = 0;
	if (p->cancelled) {
		/* Its owner cancelled it while the transfer could not be
		 * aborted: nobody waits for this answer. */
		aws_op_free(p);
		return;
	}
	aws_result_free(&p->res);
	memset(&p->res, 0, sizeof p->res);
	buf_init(&p->res.body, 0);
	p->res.http_status = r->status;
	if (r->err != HTTP_OK) {
		aws_trace(c, 3, "%s: %s (%s)", p->op, http_errname(r->err),
		    r->errmsg);
		xasprintf(&msg, "%s %s: %s", c->endpoint, http_errname(r->err),
		    r->errmsg);
		aws_set_error(p, AWS_ERR_TRANSPORT, NULL, msg);
		free(msg);
		kind = retry_classify(r->err, 0, NULL);
	} else if (r->status >= 200 && r->status < 300) {
		aws_trace(c, 3, "%s: HTTP %ld, %zu bytes in %lld ms", p->op,
		    r->status, r->body.len,
		    (long long)(loop_mono(c->ctx->loop) - p->started));
		q.available = c->ctx->retry_quota;
		retry_success(&q, p->attempt > 1, p->last_kind);
		c->ctx->retry_quota = q.available;
		p->res.status = AWS_OK;
		p->res.body = r->body;
		buf_init(&r->body, 0);
		p->res.request_id =
		    http_header(r, "x-amzn-RequestId")
			? xstrdup(http_header(r, "x-amzn-RequestId"))
			: NULL;
		aws_finish(p);
		return;
	} else {
		awserr_parse(r, &e);
		aws_scrub(p, &e.message);
		aws_scrub(p, &e.code);
		aws_trace(c, 3, "%s: HTTP %ld %s%s%s", p->op, r->status,
		    e.code ? e.code : "", e.message ? ": " : "",
		    e.message ? e.message : "");
		p->res.status = AWS_ERR_SERVICE;
		p->res.code = e.code;
		p->res.message = e.message;
		p->res.request_id = e.request_id;
		p->res.throttled =
		    retry_is_throttle(e.code) || r->status == 429;
		p->res.retry_after_ms = aws_retry_after(r);
		kind = retry_classify(HTTP_OK, r->status, e.code);
		if (kind == RETRY_THROTTLE &&
		    (p->flags & AWS_CALL_NO_THROTTLE_RETRY))
			kind = RETRY_NO;
	}
	max = (p->flags & AWS_CALL_NO_RETRY) ? 1 : c->ctx->max_attempts;
	if (max <= 0)
		max = 3;
	q.available = c->ctx->retry_quota;
	retry = !loop_stopped(c->ctx->loop) &&
		retry_decide(&q, kind, p->attempt, max,
		    retry_rand(&c->ctx->rng), &delay);
	c->ctx->retry_quota = q.available;
	if (retry) {
		if (p->res.retry_after_ms > delay)
			delay = p->res.retry_after_ms;
		/* Our own backoff stays quiet (-vv shows it); a long wait
		 * the server asked for is said once. */
		if (p->res.retry_after_ms >= AWS_WAIT_NOTICE_MS &&
		    delay == p->res.retry_after_ms && !c->ctx->said_long_wait &&
		    c->ctx->notice != NULL) {
			c->ctx->said_long_wait = 1;
			msg = xprintf("%s: the service asked to wait %lld s "
				      "before retrying",
			    p->op, (long long)((delay + 999) / 1000));
			c->ctx->notice(c->ctx->trace_arg, msg);
			free(msg);
		}
		msg = aws_result_describe(&p->res);
		aws_trace(c, 2, "%s: %s; retry %d/%d in %lld ms", p->op, msg,
		    p->attempt + 1, max, (long long)delay);
		free(msg);
		p->last_kind = kind;
		p->timer = loop_timer_in(c->ctx->loop, delay, aws_attempt, p);
		return;
	}
	aws_finish(p);
}

/* The credentials an attempt waited for are fetched (or failed). */
static void
aws_creds_ready(void *arg)
{
	struct aws_op *p = arg;

	p->creds_wait = 0;
	aws_attempt(p);
}

/* Build the request of one attempt, sign it and send it. */
static void
aws_attempt(void *arg)
{
	struct aws_op *p = arg;
	struct aws_client *c = p->client;
	const struct aws_creds *cr = NULL;
	struct sigv4_header *sh = NULL;
	struct sigv4_input in;
	struct sigv4_output so;
	struct http_request req;
	const char **hv = NULL;
	char **hdr = NULL, *url = NULL, *cause = NULL, *colon;
	struct http_xfer *x;
	size_t nsh = 0, nh = 0, nfree = 0, i, n;
	int rc;

	p->timer = 0;
	memset(&so, 0, sizeof so);
	if (loop_stopped(c->ctx->loop)) {
		aws_set_error(p, AWS_ERR_STOPPED, NULL, "interrupted");
		aws_finish(p);
		return;
	}
	if (!(p->flags & AWS_CALL_UNSIGNED)) {
		rc = -1;
		if (c->ctx->creds.get != NULL)
			rc = c->ctx->creds.get(c->ctx->creds.arg, &cr,
			    aws_creds_ready, p, &p->creds_wait, &cause);
		if (rc == 1)
			return; /* aws_creds_ready() tries again */
		if (rc != 0) {
			aws_set_error(p, AWS_ERR_CREDS, NULL,
			    cause ? cause : "no credentials");
			free(cause);
			aws_finish(p);
			return;
		}
	}
	p->attempt++;
	p->started = loop_mono(c->ctx->loop);
	/* Room for the call's own headers plus the ones added here. */
	for (n = 0; p->headers != NULL && p->headers[n] != NULL; n++)
		continue;
	sh = xcalloc(n + 4, sizeof *sh);
	hv = xcalloc(n + 8, sizeof *hv);
	hdr = xcalloc(2 * n + 8, sizeof *hdr);
	xasprintf(&url, "%s%s%s%s%s", c->endpoint, c->base_path, p->path,
	    p->query ? "?" : "", p->query ? p->query : "");

	sh[nsh].name = "host";
	sh[nsh++].value = c->host;
	if (p->content_type != NULL) {
		sh[nsh].name = "content-type";
		sh[nsh++].value = p->content_type;
	}
	if (p->target != NULL) {
		sh[nsh].name = "x-amz-target";
		sh[nsh++].value = p->target;
	}
	for (i = 0; p->headers != NULL && p->headers[i] != NULL; i++) {
		colon = strchr(p->headers[i], ':');
		if (colon == NULL)
			continue;
		hdr[nfree] =
		    xstrndup(p->headers[i], (size_t)(colon - p->headers[i]));
		sh[nsh].name = hdr[nfree++];
		colon++;
		while (*colon == ' ')
			colon++;
		sh[nsh++].value = colon;
	}

	hv[nh++] = hdr[nfree] = xprintf("Host: %s", c->host);
	nfree++;
	if (p->content_type != NULL) {
		hv[nh++] = hdr[nfree] =
		    xprintf("Content-Type: %s", p->content_type);
		nfree++;
	}
	if (p->target != NULL) {
		hv[nh++] = hdr[nfree] = xprintf("X-Amz-Target: %s", p->target);
		nfree++;
	}
	for (i = 0; p->headers != NULL && p->headers[i] != NULL; i++)
		hv[nh++] = p->headers[i];
	hv[nh++] = "User-Agent: apilogs/" APILOGS_VERSION;

	if (cr != NULL) {
		memset(&in, 0, sizeof in);
		in.method = p->method;
		in.path = p->path;
		in.query = p->query;
		in.headers = sh;
		in.nheaders = nsh;
		in.body = p->body;
		in.body_len = p->body_len;
		in.region = c->region;
		in.service = aws_service_info(c->svc)->signing_name;
		in.access_key = cr->access_key;
		in.secret_key = cr->secret_key;
		in.session_token = cr->session_token;
		in.now = (time_t)(loop_now(c->ctx->loop) / 1000);
		/* The signer sees the path without the endpoint's base. */
		if (*c->base_path != '\0') {
			hdr[nfree] = xprintf("%s%s", c->base_path, p->path);
			in.path = hdr[nfree++];
		}
		if (sigv4_sign(&in, &so, &cause) != 0) {
			aws_set_error(p, AWS_ERR_CREDS, NULL, cause);
			free(cause);
			goto fail;
		}
		aws_forget_secrets(p);
		p->secrets[0] = xstrdup(cr->secret_key);
		if (cr->session_token != NULL)
			p->secrets[1] = xstrdup(cr->session_token);
		p->secrets[2] = xstrdup(so.signature);
		hv[nh++] = hdr[nfree] = xprintf("X-Amz-Date: %s", so.amz_date);
		nfree++;
		hv[nh++] = hdr[nfree] =
		    xprintf("Authorization: %s", so.authorization);
		nfree++;
		if (cr->session_token != NULL) {
			hv[nh++] = hdr[nfree] = xprintf(
			    "X-Amz-Security-Token: %s", cr->session_token);
			nfree++;
		}
	}
	hv[nh] = NULL;

	aws_trace(c, 3, "%s: %s %s%s%s (%zu bytes, attempt %d)", p->op,
	    p->method, c->endpoint, c->base_path, p->path, p->body_len,
	    p->attempt);
	memset(&req, 0, sizeof req);
	req.method = p->method;
	req.url = url;
	req.headers = hv;
	req.body = p->body;
	req.body_len = p->body_len;
	req.connect_timeout_ms = c->ctx->connect_timeout_ms;
	req.read_timeout_ms = c->ctx->read_timeout_ms;
	req.max_body = p->max_body;
	req.ca_bundle = c->ctx->ca_bundle;
	p->sending = 1;
	x = (c->ctx->transport ? c->ctx->transport : http_submit)(
	    c->ctx->loop, &req, aws_on_response, p);
	/* A transport may answer before it returns (unit tests' fakes);
	 * the op then already waits on its delivery or retry timer. */
	if (p->sending) {
		p->in_transfer = 1;
		p->xfer = x;
	}
	p->sending = 0;
	p = NULL;
fail:
	sigv4_output_free(&so);
	for (i = 0; i < nfree; i++) {
		/* Header strings may carry the session token. */
		OPENSSL_cleanse(hdr[i], strlen(hdr[i]));
		free(hdr[i]);
	}
	free(hdr);
	free(hv);
	free(sh);
	free(url);
	if (p != NULL)
		aws_finish(p);
}

/* Start a call; see aws.h. */
struct aws_op *
aws_call_async(struct aws_client *c, const struct aws_call *call,
    aws_done_cb cb, void *arg)
{
	struct aws_op *p;
	size_t i, n = 0;

	p = xcalloc(1, sizeof *p);
	p->client = c;
	p->cb = cb;
	p->arg = arg;
	p->op = xstrdup(call->op ? call->op : "request");
	if (call->method != NULL)
		p->method = xstrdup(call->method);
	else
		p->method = xstrdup(call->target ? "POST" : "GET");
	p->path = xstrdup(call->path ? call->path : "/");
	p->query = call->query ? xstrdup(call->query) : NULL;
	p->target = call->target ? xstrdup(call->target) : NULL;
	if (call->content_type != NULL)
		p->content_type = xstrdup(call->content_type);
	else if (call->target != NULL)
		p->content_type = xstrdup("application/x-amz-json-1.1");
	p->body = xmemdup(call->body ? call->body : "", call->body_len);
	p->body_len = call->body_len;
	while (call->headers != NULL && call->headers[n] != NULL)
		n++;
	p->headers = xcalloc(n + 1, sizeof *p->headers);
	for (i = 0; i < n; i++)
		p->headers[i] = xstrdup(call->headers[i]);
	p->flags = call->flags;
	p->max_body = call->max_body;
	for (n = 0; call->secrets != NULL && call->secrets[n] != NULL; n++)
		continue;
	p->extra = xcalloc(n + 1, sizeof *p->extra);
	for (i = 0; i < n; i++)
		p->extra[p->nextra++] = xstrdup(call->secrets[i]);
	buf_init(&p->res.body, 0);
	aws_attempt(p);
	return (p);
}

/* Cancel a call whose callback has not run; see aws.h. */
void
aws_op_cancel(struct aws_op *p)
{
	struct aws_ctx *ctx;

	if (p == NULL || p->delivering)
		return;
	ctx = p->client->ctx;
	loop_timer_cancel(ctx->loop, p->timer);
	p->timer = 0;
	if (p->creds_wait != 0 && ctx->creds.cancel != NULL)
		ctx->creds.cancel(ctx->creds.arg, p->creds_wait);
	p->creds_wait = 0;
	if (p->in_transfer) {
		/* A transport that gave no handle cannot abort: its answer
		 * will come, and aws_on_response frees the op then. */
		if (p->xfer == NULL ||
		    (ctx->transport != NULL && ctx->transport_cancel == NULL)) {
			p->cancelled = 1;
			return;
		}
		if (ctx->transport == NULL)
			http_cancel(ctx->loop, p->xfer);
		else
			ctx->transport_cancel(ctx->loop, p->xfer);
		p->xfer = NULL;
		p->in_transfer = 0;
	}
	aws_op_free(p);
}

struct aws_sync {
	struct aws_result out;
	int done;
};

static void
aws_sync_done(struct aws_result *r, void *arg)
{
	struct aws_sync *s = arg;

	s->out = *r;
	memset(r, 0, sizeof *r);
	s->done = 1;
}

/*
 * Perform a call, running the loop until it completes; see aws.h. For the
 * command layer only, outside any callback: it runs the loop. When the
 * loop is stopped first, the call is cancelled.
 */
int
aws_call_sync(
    struct aws_client *c, const struct aws_call *call, struct aws_result *out)
{
	struct aws_sync s;
	struct aws_op *op;

	memset(out, 0, sizeof *out);
	memset(&s, 0, sizeof s);
	op = aws_call_async(c, call, aws_sync_done, &s);
	if (!s.done)
		loop_run_until(c->ctx->loop, &s.done);
	if (!s.done) {
		aws_op_cancel(op);
		out->status = AWS_ERR_STOPPED;
		out->message = xstrdup("interrupted");
		return (-1);
	}
	*out = s.out;
	return (out->status == AWS_OK ? 0 : -1);
}
