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
#include "aws/aws_int.h"
#include "aws/awserr.h"
#include "aws/loop.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "core/redact.h"
#include "core/xmalloc.h"

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

static void aws_attempt(void *);
static void aws_creds_ready(void *);

/* A chunk of a streaming answer: to the owner's sink. */
static void
aws_on_data(void *arg, const void *data, size_t len)
{
	struct aws_op *p = arg;

	if (p->cancelled)
		return; /* a transport that could not abort */
	p->streamed = 1;
	p->in_data = 1;
	p->data(p->arg, data, len);
	p->in_data = 0;
	if (p->cancel_in_data) {
		p->cancel_in_data = 0;
		aws_op_cancel(p);
	}
}

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
	/* A live stream already handed over cannot be asked for again. */
	if (p->streamed && p->restart == NULL)
		max = 1;
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
		if (p->streamed) {
			/* The sink drops the part it had: the body comes
			 * again from its start. */
			p->streamed = 0;
			p->in_data = 1;
			p->restart(p->arg);
			p->in_data = 0;
			if (p->cancel_in_data) {
				p->cancel_in_data = 0;
				aws_op_cancel(p);
			}
		}
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
	char *phost = NULL, *pendpoint = NULL;
	const char *host = c->host, *endpoint = c->endpoint, *sep;
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
	/* The operation's host prefix, on the service's own endpoint only
	 * (botocore's inject_host_prefix, which an override turns off here:
	 * an emulator has no such host). */
	sep = strstr(c->endpoint, "://");
	if (p->host_prefix != NULL && c->default_endpoint && sep != NULL) {
		phost = xprintf("%s%s", p->host_prefix, c->host);
		pendpoint = xprintf(
		    "%.*s://%s", (int)(sep - c->endpoint), c->endpoint, phost);
		host = phost;
		endpoint = pendpoint;
	}
	xasprintf(&url, "%s%s%s%s%s", endpoint, c->base_path, p->path,
	    p->query ? "?" : "", p->query ? p->query : "");

	sh[nsh].name = "host";
	sh[nsh++].value = host;
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

	hv[nh++] = hdr[nfree] = xprintf("Host: %s", host);
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
	    p->method, endpoint, c->base_path, p->path, p->body_len,
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
	if (p->data != NULL) {
		req.on_data = aws_on_data;
		req.data_arg = p;
		/* Live Tail sends an update every second: 30 s of silence
		 * is a dead connection, whatever --cli-read-timeout says. A
		 * page streamed to save memory is an ordinary answer. */
		if (p->restart == NULL)
			req.read_timeout_ms = AWS_STREAM_READ_TIMEOUT_MS;
	}
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
	free(phost);
	free(pendpoint);
	if (p != NULL)
		aws_finish(p);
}

/* Start a call; see aws.h. */
struct aws_op *
aws_call_async(struct aws_client *c, const struct aws_call *call,
    aws_done_cb cb, void *arg)
{
	struct aws_op *p;

	p = aws_op_new(c, call, cb, arg);
	aws_attempt(p);
	return (p);
}

/* Start a streaming call; see aws.h. */
struct aws_op *
aws_stream_async(struct aws_client *c, const struct aws_call *call,
    aws_data_cb data, aws_done_cb done, void *arg)
{
	struct aws_op *p;

	p = aws_op_new(c, call, done, arg);
	p->data = data;
	/* A non-2xx answer is an error document: a small one. */
	if (p->max_body == 0)
		p->max_body = 8u * 1024 * 1024;
	aws_attempt(p);
	return (p);
}

/* Cancel a call whose callback has not run; see aws.h. */
void
aws_op_cancel(struct aws_op *p)
{
	struct aws_ctx *ctx;

	if (p == NULL)
		return;
	if (p->in_data) {
		/* Inside its own data(): cancelled when that returns. */
		p->cancel_in_data = 1;
		return;
	}
	if (p->delivering)
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
