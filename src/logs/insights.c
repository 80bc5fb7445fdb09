/* SPDX-License-Identifier: Apache-2.0 */
/* Logs Insights calls: StartQuery, GetQueryResults, StopQuery. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/groupspec.h"
#include "logs/insights.h"

#define INSIGHTS_TARGET "Logs_20140328."

enum insights_kind { IK_START, IK_RESULTS, IK_STOP, IK_TABLE };

struct insights_op {
	struct aws_op *call;
	enum insights_kind kind;
	insights_cb cb;
	void *arg;
	int delivering;
	/* GetQueryResults of rows: decoded as the body arrives. */
	struct insights_rowdec *dec;
	int fed;        /* bytes went to dec */
	uint64_t timer; /* a bad body, answered from the loop */
	struct aws_client *client;
};

/* A JSON value as a compact string. Caller frees. */
static char *
insights_dump(json_t *o, size_t *len)
{
	char *s;

	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		abort();
	*len = strlen(s);
	return (s);
}

/* The body of StartQuery; see insights.h. */
char *
insights_start_body(const struct insights_start *q, size_t *len)
{
	json_t *o, *names;
	size_t i;
	int arn = 0;

	o = json_object();
	names = json_array();
	for (i = 0; i < q->ngroups; i++) {
		json_array_append_new(names, json_string(q->groups[i]));
		if (groupspec_is_arn(q->groups[i]))
			arn = 1;
	}
	/* ARNs (a source account's groups) only as identifiers; names as
	 * names, which every service reads (moto ignores identifiers). */
	json_object_set_new(
	    o, arn ? "logGroupIdentifiers" : "logGroupNames", names);
	json_object_set_new(o, "startTime", json_integer(q->start_s));
	json_object_set_new(o, "endTime", json_integer(q->end_s));
	json_object_set_new(o, "queryString", json_string(q->query));
	if (q->limit > 0)
		json_object_set_new(o, "limit", json_integer(q->limit));
	return (insights_dump(o, len));
}

/* The body of GetQueryResults and StopQuery; see insights.h. */
char *
insights_id_body(const char *query_id, size_t *len)
{
	json_t *o;

	o = json_object();
	json_object_set_new(o, "queryId", json_string(query_id));
	return (insights_dump(o, len));
}

/* The body of GetQueryResults with a page; see insights.h. */
char *
insights_results_body(
    const char *query_id, const char *token, int max_items, size_t *len)
{
	json_t *o;

	o = json_object();
	json_object_set_new(o, "queryId", json_string(query_id));
	if (token != NULL)
		json_object_set_new(o, "nextToken", json_string(token));
	if (max_items > 0)
		json_object_set_new(o, "maxItems", json_integer(max_items));
	return (insights_dump(o, len));
}

/* Decode a StartQuery or StopQuery answer into r. */
static int
insights_small_decode(
    enum insights_kind kind, const struct buf *b, struct insights_reply *r)
{
	json_t *root, *v;
	json_error_t jerr;
	int rc = -1;

	root = json_loadb(b->data, b->len, 0, &jerr);
	if (!json_is_object(root)) {
		r->message = xprintf("bad %s answer: %s",
		    kind == IK_START ? "StartQuery" : "StopQuery",
		    root == NULL ? jerr.text : "not an object");
		goto out;
	}
	if (kind == IK_START) {
		v = json_object_get(root, "queryId");
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 256) {
			r->message =
			    xstrdup("bad StartQuery answer: no queryId");
			goto out;
		}
		r->query_id = xstrdup(json_string_value(v));
	} else
		r->success = json_is_true(json_object_get(root, "success"));
	rc = 0;
out:
	json_decref(root);
	return (rc);
}

/* An answer: decode it and hand it over. */
static void
insights_done(struct aws_result *res, void *arg)
{
	struct insights_op *op = arg;
	struct insights_reply r;
	char *cause = NULL;

	op->call = NULL;
	memset(&r, 0, sizeof r);
	r.err = logs_error(res);
	r.code = res->code;
	if (r.err == LOGS_OK) {
		if (op->kind == IK_RESULTS) {
			/* A transport that does not stream (a test's fake)
			 * gives the body whole. */
			if (!op->fed)
				(void)insights_rowdec_feed(
				    op->dec, res->body.data, res->body.len);
			if (insights_rowdec_end(op->dec, &r.answer, &cause) !=
			    0) {
				r.err = LOGS_ERR_BAD_PAGE;
				r.message = cause;
			}
		} else if (op->kind == IK_TABLE) {
			if (insights_table_decode(res->body.data, res->body.len,
				&r.table, &cause) != 0) {
				r.err = LOGS_ERR_BAD_PAGE;
				r.message = cause;
			}
		} else if (insights_small_decode(op->kind, &res->body, &r) != 0)
			r.err = LOGS_ERR_BAD_PAGE;
	} else {
		r.message = aws_result_describe(res);
		r.malformed = res->code != NULL &&
			      strcmp(res->code, "MalformedQueryException") == 0;
	}
	op->delivering = 1;
	op->cb(op->arg, &r);
	insights_answer_free(&r.answer);
	insights_table_free(&r.table);
	free(r.query_id);
	free(r.message);
	insights_rowdec_free(op->dec);
	free(op);
}

/* A body that cannot be an answer: its error, from the loop. */
static void
insights_bad_body(void *arg)
{
	struct insights_op *op = arg;
	struct insights_reply r;
	char *cause = NULL;

	op->timer = 0;
	memset(&r, 0, sizeof r);
	r.err = LOGS_ERR_BAD_PAGE;
	if (insights_rowdec_end(op->dec, &r.answer, &cause) == 0)
		abort(); /* not reached: feed failed */
	r.message = cause;
	op->delivering = 1;
	op->cb(op->arg, &r);
	free(r.message);
	insights_rowdec_free(op->dec);
	free(op);
}

/* Bytes of a GetQueryResults body: decoded now. One that cannot be an
 * answer ends the call (no need to read the rest). */
static void
insights_data(void *arg, const void *data, size_t len)
{
	struct insights_op *op = arg;

	op->fed = 1;
	if (insights_rowdec_feed(op->dec, data, len) == 0)
		return;
	aws_op_cancel(op->call); /* from inside data: once it returns */
	op->call = NULL;
	op->timer =
	    loop_timer_in(op->client->ctx->loop, 0, insights_bad_body, op);
}

/* The transfer broke and is tried again: the page starts again. */
static void
insights_restart(void *arg)
{
	struct insights_op *op = arg;

	op->fed = 0;
	insights_rowdec_reset(op->dec);
}

/* Send one call with body (taken). */
static struct insights_op *
insights_send(struct aws_client *c, enum insights_kind kind, char *body,
    size_t len, int max_items, insights_cb cb, void *arg)
{
	static const char *ops[] = {
	    "StartQuery", "GetQueryResults", "StopQuery", "GetQueryResults"};
	static const char *targets[] = {INSIGHTS_TARGET "StartQuery",
	    INSIGHTS_TARGET "GetQueryResults", INSIGHTS_TARGET "StopQuery",
	    INSIGHTS_TARGET "GetQueryResults"};
	struct insights_op *op;
	struct aws_call call;

	op = xcalloc(1, sizeof *op);
	op->kind = kind;
	op->cb = cb;
	op->arg = arg;
	op->client = c;
	memset(&call, 0, sizeof call);
	call.op = ops[kind];
	call.target = targets[kind];
	call.body = body;
	call.body_len = len;
	call.flags = AWS_CALL_NO_THROTTLE_RETRY;
	if (kind == IK_RESULTS) {
		/* A running query's partial rows are not kept: the reader
		 * waits for the whole answer. */
		op->dec = insights_rowdec_new(
		    1, max_items > 0 ? (size_t)max_items : INSIGHTS_ROW_CAP, 0);
		call.restart = insights_restart;
		op->call = aws_stream_async(
		    c, &call, insights_data, insights_done, op);
	} else
		op->call = aws_call_async(c, &call, insights_done, op);
	free(body);
	return (op);
}

/* Start StartQuery; see insights.h. */
struct insights_op *
insights_start_async(struct aws_client *c, const struct insights_start *q,
    insights_cb cb, void *arg)
{
	char *body;
	size_t len;

	body = insights_start_body(q, &len);
	return (insights_send(c, IK_START, body, len, 0, cb, arg));
}

/* Start GetQueryResults; see insights.h. */
struct insights_op *
insights_results_async(struct aws_client *c, const char *query_id,
    const char *token, int max_items, insights_cb cb, void *arg)
{
	char *body;
	size_t len;

	body = insights_results_body(query_id, token, max_items, &len);
	return (insights_send(c, IK_RESULTS, body, len, max_items, cb, arg));
}

/* Start GetQueryResults, answered as a table; see insights.h. */
struct insights_op *
insights_table_async(
    struct aws_client *c, const char *query_id, insights_cb cb, void *arg)
{
	char *body;
	size_t len;

	body = insights_id_body(query_id, &len);
	return (insights_send(c, IK_TABLE, body, len, 0, cb, arg));
}

/* Start StopQuery; see insights.h. */
struct insights_op *
insights_stop_async(
    struct aws_client *c, const char *query_id, insights_cb cb, void *arg)
{
	char *body;
	size_t len;

	body = insights_id_body(query_id, &len);
	return (insights_send(c, IK_STOP, body, len, 0, cb, arg));
}

/* Cancel a call; see insights.h. */
void
insights_op_cancel(struct insights_op *op)
{
	if (op == NULL || op->delivering)
		return;
	aws_op_cancel(op->call);
	loop_timer_cancel(op->client->ctx->loop, op->timer);
	insights_rowdec_free(op->dec);
	free(op);
}
