/* SPDX-License-Identifier: Apache-2.0 */
/* Paced, paged REST-JSON GETs as cancellable operations on the loop. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"
#include "core/uri.h"
#include "core/xmalloc.h"
#include "core/xmltag.h"

struct restjson_op {
	struct aws_client *c;
	char *op;
	char *path;
	struct uri_query params; /* without the page token */
	char *accept;            /* "Accept: ..." header line, or NULL */
	int flags;
	struct ratelimit *rl[RESTJSON_MAX_BUCKETS];
	size_t next_rl; /* the bucket to take a token from next */
	const struct restjson_paging *paging;
	restjson_page_cb page;
	void *out;
	char *target; /* awsJson1_0, or NULL */
	char *body;
	char *form; /* query protocol, or NULL */
	restjson_xml_cb xml_page;
	restjson_done_cb done;
	void *arg;
	char *token;  /* the next page's, or NULL */
	char **seen;  /* every token asked for (a cycle guard) */
	size_t nseen; /* also the number of pages asked for */
	uint64_t timer;
	struct aws_op *call;
	struct restjson_res res;
	int delivering;
};

static void restjson_step(void *);
static void restjson_next(struct restjson_op *, const char *);
static void restjson_answer_xml(struct restjson_op *);

/* Classify a call's result; the one place that knows AWS error codes. */
enum restjson_err
restjson_classify(const struct aws_result *r)
{
	switch (r->status) {
	case AWS_OK:
		return (RESTJSON_OK);
	case AWS_ERR_STOPPED:
		return (RESTJSON_STOPPED);
	case AWS_ERR_CREDS:
		return (RESTJSON_ACCESS);
	case AWS_ERR_SERVICE:
		if (aws_code_is_access(r->code))
			return (RESTJSON_ACCESS);
		if (r->code != NULL &&
		    (strcmp(r->code, "NotFoundException") == 0 ||
			strcmp(r->code, "ResourceNotFoundException") == 0 ||
			strcmp(r->code, "StateMachineDoesNotExist") == 0))
			return (RESTJSON_NOT_FOUND);
		/* CloudFormation: "Stack with id X does not exist". */
		if (r->code != NULL &&
		    strcmp(r->code, "ValidationError") == 0 &&
		    r->message != NULL &&
		    strstr(r->message, "does not exist") != NULL)
			return (RESTJSON_NOT_FOUND);
		if (r->http_status == 404)
			return (RESTJSON_NOT_FOUND);
		if (r->http_status >= 500)
			return (RESTJSON_SERVER);
		return (RESTJSON_FAILED);
	default:
		return (RESTJSON_FAILED);
	}
}

/* One line describing a failure. Caller frees. */
char *
restjson_describe(const struct restjson_res *r)
{
	return (aws_result_describe(&r->aws));
}

/* Free an operation (not running its callback). */
static void
restjson_free(struct restjson_op *p)
{
	size_t i;

	free(p->op);
	free(p->path);
	uri_query_free(&p->params);
	free(p->accept);
	free(p->target);
	free(p->body);
	free(p->form);
	free(p->token);
	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	aws_result_free(&p->res.aws);
	free(p);
}

/* The operation is over: run done (from the loop), then free it. */
static void
restjson_finish(struct restjson_op *p)
{
	p->delivering = 1;
	p->done(p->arg, &p->res);
	restjson_free(p);
}

/* Fail with a message of ours (not the service's). */
static void
restjson_fail(struct restjson_op *p, enum restjson_err err, char *msg)
{
	aws_result_free(&p->res.aws);
	p->res.aws.status = AWS_ERR_TRANSPORT;
	p->res.aws.message = msg;
	p->res.err = err;
	restjson_finish(p);
}

/*
 * Has this token been asked for in this listing already? A server that
 * answers A, B, A (or ignores the token and repeats a page) would make the
 * listing endless. Remembers the token when new.
 */
static int
restjson_seen(struct restjson_op *p, const char *tok)
{
	size_t i;

	for (i = 0; i < p->nseen; i++) {
		if (strcmp(p->seen[i], tok) == 0)
			return (1);
	}
	p->seen = xreallocarray(p->seen, p->nseen + 1, sizeof *p->seen);
	p->seen[p->nseen++] = xstrdup(tok);
	return (0);
}

/* A page came back: decode it, then ask for the next one or finish. */
static void
restjson_answer(struct aws_result *r, void *arg)
{
	struct restjson_op *p = arg;
	struct loop *l = p->c->ctx->loop;
	json_error_t jerr;
	json_t *root;
	const char *tok = NULL;
	char *cause = NULL;
	size_t i;

	p->call = NULL;
	for (i = 0; i < RESTJSON_MAX_BUCKETS; i++) {
		if (p->rl[i] == NULL)
			continue;
		if (r->throttled)
			ratelimit_throttled(p->rl[i], loop_mono(l));
		else if (r->status == AWS_OK)
			ratelimit_success(p->rl[i], loop_mono(l));
	}
	aws_result_free(&p->res.aws);
	p->res.aws = *r; /* taken: the aws layer frees an empty result */
	memset(r, 0, sizeof *r);
	p->res.err = restjson_classify(&p->res.aws);
	if (p->res.err != RESTJSON_OK) {
		restjson_finish(p);
		return;
	}
	if (p->form != NULL) {
		restjson_answer_xml(p);
		return;
	}
	root = json_loadb(p->res.aws.body.data, p->res.aws.body.len, 0, &jerr);
	buf_free(&p->res.aws.body);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		restjson_fail(p, RESTJSON_BAD,
		    xprintf("bad %s response: %s", p->op,
			root == NULL ? jerr.text : "not an object"));
		return;
	}
	if (p->page != NULL && p->page(root, p->out, &cause) != 0) {
		json_decref(root);
		restjson_fail(p, RESTJSON_BAD, cause);
		return;
	}
	p->res.pages++;
	if (p->paging != NULL)
		tok = restjson_str(root, p->paging->token_key);
	restjson_next(p, tok);
	json_decref(root);
}

/*
 * A page is decoded and tok (NULL: none) names the next one: ask for it,
 * or finish (a repeated token fails). p may be freed when this returns.
 */
static void
restjson_next(struct restjson_op *p, const char *tok)
{
	char *cause;

	xfree(&p->token);
	if (tok != NULL && *tok != '\0') {
		if (restjson_seen(p, tok)) {
			cause = xprintf("%s: the service repeated the page "
					"token '%s' (a pagination cycle); "
					"stopped after %zu pages",
			    p->op, tok, p->res.pages);
			restjson_fail(p, RESTJSON_CYCLE, cause);
			return;
		}
		if (p->nseen < RESTJSON_MAX_PAGES)
			p->token = xstrdup(tok);
	}
	if (p->token == NULL) {
		restjson_finish(p);
		return;
	}
	p->next_rl = 0;
	restjson_step(p);
}

/* A query-protocol page came back: decode the XML, then go on. */
static void
restjson_answer_xml(struct restjson_op *p)
{
	struct buf *b = &p->res.aws.body;
	char *cause = NULL, *tok = NULL;

	if (p->xml_page != NULL &&
	    p->xml_page(buf_str(b), b->len, p->out, &cause) != 0) {
		buf_free(b);
		restjson_fail(p, RESTJSON_BAD, cause);
		return;
	}
	p->res.pages++;
	if (p->paging != NULL)
		tok = xmltag_get(buf_str(b), b->len, p->paging->token_key);
	buf_free(b);
	restjson_next(p, tok);
	free(tok);
}

/* Take a token from each bucket (waiting on a timer), then send. */
static void
restjson_step(void *arg)
{
	struct restjson_op *p = arg;
	struct loop *l = p->c->ctx->loop;
	struct uri_query q;
	struct aws_call call;
	const char *hdrs[2] = {NULL, NULL};
	char *query, *form = NULL;
	int64_t wait;
	size_t i;

	p->timer = 0;
	for (; p->next_rl < RESTJSON_MAX_BUCKETS; p->next_rl++) {
		if (p->rl[p->next_rl] == NULL)
			continue;
		wait = ratelimit_take(p->rl[p->next_rl], loop_mono(l));
		if (wait > 0) {
			p->timer = loop_timer_in(l, wait, restjson_step, p);
			return;
		}
	}
	uri_query_init(&q);
	for (i = 0; i < p->params.n; i++)
		uri_query_add(
		    &q, p->params.pairs[i].key, p->params.pairs[i].value);
	if (p->paging != NULL) {
		if (p->paging->size_param != NULL)
			uri_query_add(
			    &q, p->paging->size_param, p->paging->size);
		if (p->token != NULL)
			uri_query_add(&q, p->paging->token_param, p->token);
	}
	query = uri_query_string(&q);
	uri_query_free(&q);
	memset(&call, 0, sizeof call);
	call.op = p->op;
	call.method = "GET";
	call.path = p->path;
	call.flags = p->flags;
	if (p->accept != NULL) {
		hdrs[0] = p->accept;
		call.headers = hdrs;
	}
	if (p->form != NULL) {
		/* Query protocol: the parameters go into the form. */
		form = *query != '\0' ? xprintf("%s&%s", p->form, query)
				      : xstrdup(p->form);
		call.method = "POST";
		call.content_type =
		    "application/x-www-form-urlencoded; charset=utf-8";
		call.body = form;
		call.body_len = strlen(form);
	} else if (p->target != NULL) {
		call.method = "POST";
		call.target = p->target;
		call.content_type = "application/x-amz-json-1.0";
		call.body = p->body;
		call.body_len = strlen(p->body);
	} else
		call.query = *query != '\0' ? query : NULL;
	p->call = aws_call_async(p->c, &call, restjson_answer, p);
	free(form);
	free(query);
}

/* Start an operation; see restjson.h. */
struct restjson_op *
restjson_start(struct aws_client *c, const struct restjson_req *rq,
    restjson_done_cb done, void *arg)
{
	struct restjson_op *p;
	size_t i;

	p = xcalloc(1, sizeof *p);
	p->c = c;
	p->op = xstrdup(rq->op);
	p->path = xstrdup(rq->path);
	uri_query_init(&p->params);
	for (i = 0; rq->params[i] != NULL && rq->params[i + 1] != NULL; i += 2)
		uri_query_add(&p->params, rq->params[i], rq->params[i + 1]);
	if (rq->accept != NULL)
		p->accept = xprintf("Accept: %s", rq->accept);
	p->flags = rq->flags;
	for (i = 0; i < RESTJSON_MAX_BUCKETS; i++)
		p->rl[i] = rq->rl[i];
	p->paging = rq->paging;
	p->page = rq->page;
	p->out = rq->out;
	if (rq->target != NULL) {
		p->target = xstrdup(rq->target);
		p->body = xstrdup(rq->body != NULL ? rq->body : "{}");
	}
	if (rq->form != NULL)
		p->form = xstrdup(rq->form);
	p->xml_page = rq->xml_page;
	p->done = done;
	p->arg = arg;
	restjson_step(p);
	return (p);
}

/* Start a plain GET; see restjson.h. */
struct restjson_op *
restjson_get(struct aws_client *c, struct ratelimit *rl, const char *op,
    const char *path, const struct restjson_paging *paging,
    restjson_page_cb page, void *out, restjson_done_cb done, void *arg)
{
	struct restjson_req rq;

	memset(&rq, 0, sizeof rq);
	rq.op = op;
	rq.path = path;
	rq.rl[0] = rl;
	rq.paging = paging;
	rq.page = page;
	rq.out = out;
	return (restjson_start(c, &rq, done, arg));
}

/* Cancel an operation; see restjson.h. */
void
restjson_cancel(struct restjson_op *p)
{
	if (p == NULL || p->delivering)
		return;
	loop_timer_cancel(p->c->ctx->loop, p->timer);
	aws_op_cancel(p->call);
	restjson_free(p);
}
