/* SPDX-License-Identifier: Apache-2.0 */
/* A fake REST-JSON AWS endpoint for unit tests. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/http.h"
#include "aws/loop.h"
#include "core/xmalloc.h"
#include "fakeaws.h"
#include "fakectx.h"

static struct fakeaws *fakeaws_current;

void
fakeaws_init(struct fakeaws *fa, struct loop *l)
{
	memset(fa, 0, sizeof *fa);
	fa->loop = l;
	fa->latency_ms = 20;
}

void
fakeaws_free(struct fakeaws *fa)
{
	size_t i;

	for (i = 0; i < fa->nroutes; i++) {
		free(fa->routes[i].method);
		free(fa->routes[i].path);
		free(fa->routes[i].query);
		free(fa->routes[i].body);
		free(fa->routes[i].code);
	}
	free(fa->routes);
	for (i = 0; i < fa->nrequests; i++) {
		free(fa->requests[i]);
		free(fa->accepts[i]);
	}
	free(fa->requests);
	free(fa->accepts);
	free(fa->times);
	if (fakeaws_current == fa)
		fakeaws_current = NULL;
}

char *
fakeaws_read(const char *file, size_t *len)
{
	char path[512], *data;
	FILE *fp;
	long n;

	snprintf(path, sizeof path, "tests/data/%s", file);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "fakeaws: cannot open %s\n", path);
		abort();
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	if (fread(data, 1, (size_t)n, fp) != (size_t)n)
		abort();
	data[n] = '\0';
	fclose(fp);
	if (len != NULL)
		*len = (size_t)n;
	return (data);
}

static struct fakeaws_route *
fakeaws_add(struct fakeaws *fa, const char *req, long status)
{
	struct fakeaws_route *r;
	const char *sp, *q;

	fa->routes =
	    xreallocarray(fa->routes, fa->nroutes + 1, sizeof *fa->routes);
	r = &fa->routes[fa->nroutes++];
	memset(r, 0, sizeof *r);
	sp = strchr(req, ' ');
	if (sp == NULL)
		abort();
	r->method = xstrndup(req, (size_t)(sp - req));
	q = strchr(sp + 1, '?');
	if (q != NULL) {
		r->path = xstrndup(sp + 1, (size_t)(q - sp - 1));
		r->query = xstrdup(q + 1);
	} else
		r->path = xstrdup(sp + 1);
	r->status = status;
	return (r);
}

void
fakeaws_route(
    struct fakeaws *fa, const char *req, long status, const char *body)
{
	fakeaws_add(fa, req, status)->body = xstrdup(body);
}

void
fakeaws_route_file(struct fakeaws *fa, const char *req, const char *file)
{
	fakeaws_add(fa, req, 200)->body = fakeaws_read(file, NULL);
}

void
fakeaws_error(struct fakeaws *fa, const char *req, long status,
    const char *code, const char *msg)
{
	struct fakeaws_route *r;

	r = fakeaws_add(fa, req, status);
	r->code = xstrdup(code);
	r->body = xprintf("{\"__type\":\"%s\",\"message\":\"%s\"}", code, msg);
}

size_t
fakeaws_count(const struct fakeaws *fa, const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < fa->nrequests; i++) {
		if (strncmp(fa->requests[i], prefix, strlen(prefix)) == 0)
			n++;
	}
	return (n);
}

/* An operation is over: keep its outcome. */
void
fakeaws_done(void *arg, struct restjson_res *r)
{
	struct fakeaws_wait *w = arg;

	w->res = *r;
	memset(r, 0, sizeof *r);
	w->done = 1;
}

/* Run the loop until an operation is over; see fakeaws.h. */
enum restjson_err
fakeaws_wait(struct loop *l, struct restjson_op *op, struct fakeaws_wait *w)
{
	loop_run_until(l, &w->done);
	if (!w->done) {
		restjson_cancel(op);
		w->res.err = RESTJSON_STOPPED;
	}
	return (w->res.err);
}

/* Free a kept outcome and make w ready for another operation. */
void
fakeaws_wait_free(struct fakeaws_wait *w)
{
	aws_result_free(&w->res.aws);
	memset(w, 0, sizeof *w);
}

struct fakeaws_reply {
	http_done_cb cb;
	void *arg;
	struct http_response resp;
	uint64_t timer;
	/* Streaming (fakeaws.h): the sink, where it is, where it breaks. */
	struct fakeaws *fa;
	struct loop *loop;
	void (*on_data)(void *, const void *, size_t);
	void *data_arg;
	size_t off, brk;
	int in_data, cancelled;
};

static void
fakeaws_deliver(void *arg)
{
	struct fakeaws_reply *r = arg;

	r->cb(&r->resp, r->arg);
	http_response_free(&r->resp);
	free(r);
}

/* The next chunk of a streamed body, or its end (or its break). */
static void
fakeaws_stream(void *arg)
{
	struct fakeaws_reply *r = arg;
	size_t n, end = r->resp.body.len;

	r->timer = 0;
	if (r->brk < end)
		end = r->brk;
	if (r->off < end) {
		n = end - r->off < r->fa->chunk ? end - r->off : r->fa->chunk;
		r->in_data = 1;
		r->on_data(r->data_arg, r->resp.body.data + r->off, n);
		r->in_data = 0;
		r->off += n;
		r->fa->streamed += n;
		if (r->cancelled) {
			http_response_free(&r->resp);
			free(r);
			return;
		}
		r->timer = loop_timer_in(r->loop, 0, fakeaws_stream, r);
		return;
	}
	if (r->off < r->resp.body.len) {
		r->resp.err = HTTP_ERR_RESET;
		snprintf(r->resp.errmsg, sizeof r->resp.errmsg,
		    "connection reset after %zu bytes", r->off);
	}
	buf_free(&r->resp.body);
	buf_init(&r->resp.body, 0);
	fakeaws_deliver(r);
}

/* Abort a transfer: its answer never comes. */
static void
fakeaws_cancel(struct loop *l, struct http_xfer *x)
{
	struct fakeaws_reply *r = (struct fakeaws_reply *)x;

	if (r->in_data) {
		r->cancelled = 1; /* from inside on_data: freed after it */
		return;
	}
	loop_timer_cancel(l, r->timer);
	http_response_free(&r->resp);
	free(r);
}

static void
fakeaws_header(struct http_response *resp, const char *n, const char *v)
{
	resp->headers = xreallocarray(
	    resp->headers, resp->nheaders + 1, sizeof *resp->headers);
	resp->headers[resp->nheaders].name = xstrdup(n);
	resp->headers[resp->nheaders].value = xstrdup(v);
	resp->nheaders++;
}

static struct http_xfer *
fakeaws_transport(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	struct fakeaws *fa = fakeaws_current;
	struct fakeaws_reply *rep;
	struct fakeaws_route *r = NULL;
	const char *p, *q, *accept = "", *target = NULL;
	char *path, *query;
	size_t i, k;

	p = strstr(req->url, "://");
	p = p != NULL ? strchr(p + 3, '/') : NULL;
	if (p == NULL)
		abort();
	q = strchr(p, '?');
	path = q != NULL ? xstrndup(p, (size_t)(q - p)) : xstrdup(p);
	query = q != NULL ? xstrdup(q + 1) : NULL;
	for (i = 0; req->headers[i] != NULL; i++) {
		if (strncasecmp(req->headers[i], "Accept: ", 8) == 0)
			accept = req->headers[i] + 8;
		if (strncasecmp(req->headers[i], "X-Amz-Target: ", 14) == 0)
			target = req->headers[i] + 14;
	}
	if (strcmp(req->method, "POST") == 0 && query == NULL &&
	    req->body_len > 0) {
		query = xstrndup(req->body, req->body_len);
		if (target != NULL) {
			free(path);
			path = xprintf("/%s", target);
		}
	}
	k = fa->nrequests++;
	fa->requests =
	    xreallocarray(fa->requests, fa->nrequests, sizeof *fa->requests);
	fa->accepts =
	    xreallocarray(fa->accepts, fa->nrequests, sizeof *fa->accepts);
	fa->times = xreallocarray(fa->times, fa->nrequests, sizeof *fa->times);
	fa->requests[k] = xprintf("%s %s%s%s", req->method, path,
	    query ? "?" : "", query ? query : "");
	fa->accepts[k] = xstrdup(accept);
	fa->times[k] = loop_mono(l);
	for (i = fa->nroutes; i-- > 0;) {
		if (strcmp(fa->routes[i].method, req->method) != 0 ||
		    strcmp(fa->routes[i].path, path) != 0)
			continue;
		if (fa->routes[i].query != NULL &&
		    (query == NULL ||
			(fa->routes[i].query[0] == '~'
				? strstr(query, fa->routes[i].query + 1) == NULL
				: strcmp(fa->routes[i].query, query) != 0)))
			continue;
		r = &fa->routes[i];
		break;
	}
	rep = xcalloc(1, sizeof *rep);
	rep->cb = cb;
	rep->arg = arg;
	buf_init(&rep->resp.body, 0);
	if (r == NULL) {
		fa->unmatched++;
		rep->resp.status = 404;
		fakeaws_header(
		    &rep->resp, "X-Amzn-ErrorType", "NotFoundException");
		buf_putf(&rep->resp.body,
		    "{\"message\":\"no fake route for %s\"}", fa->requests[k]);
	} else {
		r->hits++;
		rep->resp.status = r->status;
		if (r->code != NULL)
			fakeaws_header(&rep->resp, "X-Amzn-ErrorType", r->code);
		buf_puts(&rep->resp.body, r->body);
	}
	free(path);
	free(query);
	if (req->on_data != NULL && fa->chunk > 0 && rep->resp.status >= 200 &&
	    rep->resp.status < 300) {
		rep->fa = fa;
		rep->loop = l;
		rep->on_data = req->on_data;
		rep->data_arg = req->data_arg;
		rep->brk = SIZE_MAX;
		if (fa->breaks > 0) {
			fa->breaks--;
			rep->brk = fa->break_after;
		}
		rep->timer =
		    loop_timer_in(l, fa->latency_ms, fakeaws_stream, rep);
		return ((struct http_xfer *)rep);
	}
	rep->timer = loop_timer_in(l, fa->latency_ms, fakeaws_deliver, rep);
	return ((struct http_xfer *)rep);
}

void
fakeaws_ctx(struct fakeaws *fa, struct aws_ctx *ctx, struct loop *l)
{
	fakeaws_current = fa;
	fakectx_init(ctx, l, fakeaws_transport, fakeaws_cancel);
}

/* The HTTP API h1t2t3p4q5 as recorded; see fakeaws.h. */
void
fakeaws_route_http_api(struct fakeaws *fa)
{
	fakeaws_route_file(
	    fa, "GET /v2/apis/h1t2t3p4q5", "discover/http-getapi.json");
	fakeaws_route_file(fa, "GET /v2/apis/h1t2t3p4q5/stages",
	    "discover/http-getstages.json");
	fakeaws_route_file(fa, "GET /v2/apis/h1t2t3p4q5/integrations",
	    "discover/http-getintegrations-page1.json");
	fakeaws_route_file(fa,
	    "GET /v2/apis/h1t2t3p4q5/integrations?maxResults=500&"
	    "nextToken=page2token",
	    "discover/http-getintegrations-page2.json");
	fakeaws_route_file(fa, "GET /v2/apis/h1t2t3p4q5/routes",
	    "discover/http-getroutes.json");
	fakeaws_route(
	    fa, "GET /v2/apis/h1t2t3p4q5/authorizers", 500, "<html>500</html>");
	fakeaws_route_file(fa, "GET /v2/apis/h1t2t3p4q5/authorizers/auth01",
	    "discover/http-getauthorizer-auth01.json");
	fakeaws_route_file(fa, "GET /v2/apis/h1t2t3p4q5/authorizers/jwt001",
	    "discover/http-getauthorizer-jwt001.json");
}
