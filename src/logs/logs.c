/* SPDX-License-Identifier: Apache-2.0 */
/* CloudWatch Logs requests and responses. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "aws/ratelimit.h"
#include "core/xmalloc.h"
#include "logs/groupspec.h"
#include "logs/logs.h"
#include "logs/logs_int.h"

#define LOGS_MAX_PAGES 100000 /* a safety net for listings */

/*
 * The member that names a group: an ARN goes in logGroupIdentifier (the
 * only way to read a source account's group from a monitoring account),
 * a name in logGroupName.
 */
const char *
logs_group_key(const char *group)
{
	return (
	    groupspec_is_arn(group) ? "logGroupIdentifier" : "logGroupName");
}

/* The body of a FilterLogEvents request. Caller frees. */
char *
logs_filter_body(const struct logs_filter *f, size_t *len)
{
	json_t *o, *names;
	char *s;
	size_t i;

	o = json_object();
	json_object_set_new(o, logs_group_key(f->group), json_string(f->group));
	if (f->nstream_names > 0) {
		names = json_array();
		for (i = 0; i < f->nstream_names; i++)
			json_array_append_new(
			    names, json_string(f->stream_names[i]));
		json_object_set_new(o, "logStreamNames", names);
	} else if (f->stream_prefix != NULL && *f->stream_prefix != '\0')
		json_object_set_new(
		    o, "logStreamNamePrefix", json_string(f->stream_prefix));
	if (f->start != LOGS_TIME_UNSET)
		json_object_set_new(o, "startTime", json_integer(f->start));
	if (f->end != LOGS_TIME_UNSET)
		json_object_set_new(o, "endTime", json_integer(f->end));
	if (f->pattern != NULL && *f->pattern != '\0')
		json_object_set_new(
		    o, "filterPattern", json_string(f->pattern));
	if (f->token != NULL)
		json_object_set_new(o, "nextToken", json_string(f->token));
	if (f->limit > 0)
		json_object_set_new(o, "limit", json_integer(f->limit));
	json_object_set_new(o, "interleaved", json_true());
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		abort();
	*len = strlen(s);
	return (s);
}

/* Is a stream active in the window? See logs.h. */
int
logs_stream_in_window(const struct logs_stream *ls, int64_t start, int64_t end)
{
	int64_t lo, hi;

	if (ls->first_event == LOGS_TIME_UNSET)
		return (1);
	lo = ls->first_event;
	if (start != LOGS_TIME_UNSET && start > lo)
		lo = start;
	hi = ls->last_ingestion != LOGS_TIME_UNSET ? ls->last_ingestion
						   : INT64_MAX;
	if (end != LOGS_TIME_UNSET && end < hi)
		hi = end;
	return (lo <= hi);
}

/* The kind of a call's error; see logs.h. */
enum logs_err
logs_error(const struct aws_result *r)
{
	switch (r->status) {
	case AWS_OK:
		return (LOGS_OK);
	case AWS_ERR_CREDS:
		return (LOGS_ERR_ACCESS);
	case AWS_ERR_STOPPED:
		return (LOGS_ERR_STOPPED);
	case AWS_ERR_TRANSPORT:
		return (LOGS_ERR_TRANSPORT);
	case AWS_ERR_SERVICE:
		if (r->throttled)
			return (LOGS_ERR_THROTTLED);
		if (r->code != NULL &&
		    strcmp(r->code, "ResourceNotFoundException") == 0)
			return (LOGS_ERR_NOT_FOUND);
		if (aws_code_is_access(r->code))
			return (LOGS_ERR_ACCESS);
		/* 5xx answers are retried by the request layer: what is
		 * left of them is no usable answer. */
		if (r->http_status >= 500)
			return (LOGS_ERR_TRANSPORT);
		return (LOGS_ERR_OTHER);
	}
	return (LOGS_ERR_OTHER);
}

struct logs_op {
	struct aws_op *call;
	logs_filter_cb cb;
	void *arg;
	int delivering;
	int get; /* a GetLogEvents page */
};

/* A FilterLogEvents answer: decode it and hand it over. */
static void
logs_filter_done(struct aws_result *r, void *arg)
{
	struct logs_op *op = arg;
	struct logs_filter_result fr;
	char *body, *cause = NULL;
	size_t len;

	memset(&fr, 0, sizeof fr);
	fr.err = logs_error(r);
	fr.code = r->code;
	fr.retry_after_ms = r->retry_after_ms;
	if (fr.err == LOGS_OK) {
		body = buf_take(&r->body, &len);
		if ((op->get ? logs_get_decode_owned
			     : logs_filter_decode_owned)(
			body, len, &fr.page, &fr.next_token, &cause) != 0) {
			fr.err = LOGS_ERR_BAD_PAGE;
			fr.message = cause;
		}
	} else
		fr.message = aws_result_describe(r);
	op->delivering = 1;
	op->cb(op->arg, &fr);
	page_free(fr.page);
	free(fr.next_token);
	free(fr.message);
	free(op);
}

/* Start a page call (body is the caller's); see logs_int.h. */
struct logs_op *
logs_page_async(struct aws_client *c, int get, const char *body, size_t len,
    logs_filter_cb cb, void *arg)
{
	struct logs_op *op;
	struct aws_call call;

	op = xcalloc(1, sizeof *op);
	op->cb = cb;
	op->arg = arg;
	op->get = get;
	memset(&call, 0, sizeof call);
	call.op = get ? "GetLogEvents" : "FilterLogEvents";
	call.target =
	    get ? LOGS_TARGET "GetLogEvents" : LOGS_TARGET "FilterLogEvents";
	call.body = body;
	call.body_len = len;
	call.flags = AWS_CALL_NO_THROTTLE_RETRY;
	op->call = aws_call_async(c, &call, logs_filter_done, op);
	return (op);
}

/* Start a FilterLogEvents call; see logs.h. */
struct logs_op *
logs_filter_async(struct aws_client *c, const struct logs_filter *f,
    logs_filter_cb cb, void *arg)
{
	struct logs_op *op;
	char *body;
	size_t len;

	body = logs_filter_body(f, &len);
	op = logs_page_async(c, 0, body, len, cb, arg);
	free(body);
	return (op);
}

/* Cancel a FilterLogEvents call; see logs.h. */
void
logs_op_cancel(struct logs_op *op)
{
	if (op == NULL || op->delivering)
		return;
	aws_op_cancel(op->call);
	free(op);
}

/* An integer member, or def when absent or null. */
static int64_t
logs_int(json_t *o, const char *key, int64_t def)
{
	json_t *v;

	v = json_object_get(o, key);
	if (json_is_integer(v))
		return (json_integer_value(v));
	if (json_is_real(v))
		return ((int64_t)json_real_value(v));
	return (def);
}

/* A string member, or NULL when absent, null or not a string. */
static const char *
logs_str(json_t *o, const char *key, size_t *len)
{
	json_t *v;

	v = json_object_get(o, key);
	if (!json_is_string(v))
		return (NULL);
	if (len != NULL)
		*len = json_string_length(v);
	return (json_string_value(v));
}

/* One page of a Describe* listing: the parsed body or an error. */
static json_t *
logs_describe(
    struct aws_client *c, const char *op, json_t *req, struct aws_result *res)
{
	struct aws_call call;
	json_t *root;
	json_error_t jerr;
	char *body, target[64];

	body = json_dumps(req, JSON_COMPACT);
	if (body == NULL)
		abort();
	snprintf(target, sizeof target, "%s%s", LOGS_TARGET, op);
	memset(&call, 0, sizeof call);
	call.op = op;
	call.target = target;
	call.body = body;
	call.body_len = strlen(body);
	aws_result_free(res);
	if (aws_call_sync(c, &call, res) != 0) {
		free(body);
		return (NULL);
	}
	free(body);
	root = json_loadb(res->body.data, res->body.len, 0, &jerr);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		res->status = AWS_ERR_TRANSPORT;
		free(res->message);
		res->message = xprintf("bad %s response: %s", op,
		    root == NULL ? jerr.text : "not an object");
		return (NULL);
	}
	return (root);
}

typedef int (*logs_item_cb)(void *arg, json_t *item);

/* The listing's pace: its operation's quota (aws-facts.md). */
static struct ratelimit *
logs_pace(const char *op, int64_t now)
{
	static struct ratelimit groups, streams;
	static int ready;

	if (!ready) {
		ratelimit_init(&groups, 5, now);
		ratelimit_init(&streams, 25, now);
		ready = 1;
	}
	return (strcmp(op, "DescribeLogStreams") == 0 ? &streams : &groups);
}

static void
logs_wake(void *arg)
{
	*(int *)arg = 1;
}

/* Wait for the listing's turn (a blocking listing: commands only). */
static void
logs_wait_turn(struct aws_client *c, const char *op)
{
	struct loop *l = c->ctx->loop;
	int64_t wait;
	uint64_t t;
	int done = 0;

	wait = ratelimit_take(logs_pace(op, loop_mono(l)), loop_mono(l));
	if (wait <= 0)
		return;
	t = loop_timer_in(l, wait, logs_wake, &done);
	/* Interrupted: the timer must not fire on a gone stack frame. */
	if (loop_run_until(l, &done) != 0)
		loop_timer_cancel(l, t);
}

/* Has token been seen in this listing? Remember it if not. */
static int
logs_token_seen(char ***seen, size_t *nseen, const char *token)
{
	size_t i;

	for (i = 0; i < *nseen; i++) {
		if (strcmp((*seen)[i], token) == 0)
			return (1);
	}
	*seen = xreallocarray(*seen, *nseen + 1, sizeof **seen);
	(*seen)[(*nseen)++] = xstrdup(token);
	return (0);
}

/*
 * Page through a Describe* operation: req holds the fixed members, the
 * token is added per page; cb sees each element of items_key and stops the
 * listing with a non-zero return. Pages are paced by the operation's
 * quota. A token that comes back (A, B, A; or a server that ignores the
 * token and repeats a page) would loop forever: it is an error, detected
 * before that page's items are handed out.
 */
static int
logs_pages(struct aws_client *c, const char *op, json_t *req,
    const char *items_key, logs_item_cb cb, void *arg, struct aws_result *res)
{
	json_t *root, *items, *it;
	const char *tok;
	char **seen = NULL;
	size_t i, pages, nseen = 0;
	int rc = -1, stop = 0;

	memset(res, 0, sizeof *res);
	for (pages = 0; pages < LOGS_MAX_PAGES && !stop; pages++) {
		logs_wait_turn(c, op);
		root = logs_describe(c, op, req, res);
		if (root == NULL)
			goto out;
		tok = logs_str(root, "nextToken", NULL);
		if (tok != NULL && *tok == '\0')
			tok = NULL;
		if (tok != NULL && logs_token_seen(&seen, &nseen, tok)) {
			json_decref(root);
			aws_result_free(res);
			memset(res, 0, sizeof *res);
			res->status = AWS_ERR_TRANSPORT;
			res->message =
			    xprintf("%s returned a page token it had "
				    "returned before (after %zu "
				    "pages): the listing would never "
				    "end",
				op, pages + 1);
			goto out;
		}
		items = json_object_get(root, items_key);
		json_array_foreach(items, i, it)
		{
			if (cb(arg, it) != 0) {
				stop = 1;
				break;
			}
		}
		if (tok != NULL)
			json_object_set_new(req, "nextToken", json_string(tok));
		json_decref(root);
		if (tok == NULL)
			break;
	}
	rc = 0;
out:
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return (rc);
}

struct logs_cb {
	logs_group_cb group;
	logs_stream_cb stream;
	void *arg;
};

static int
logs_group_item(void *arg, json_t *it)
{
	struct logs_cb *k = arg;
	struct logs_group g;

	memset(&g, 0, sizeof g);
	g.name = logs_str(it, "logGroupName", NULL);
	if (g.name == NULL)
		return (0);
	g.arn = logs_str(it, "logGroupArn", NULL);
	g.log_class = logs_str(it, "logGroupClass", NULL);
	g.creation = logs_int(it, "creationTime", 0);
	return (k->group(k->arg, &g));
}

static int
logs_stream_item(void *arg, json_t *it)
{
	struct logs_cb *k = arg;
	struct logs_stream st;

	memset(&st, 0, sizeof st);
	st.name = logs_str(it, "logStreamName", NULL);
	if (st.name == NULL)
		return (0);
	st.first_event = logs_int(it, "firstEventTimestamp", LOGS_TIME_UNSET);
	st.last_event = logs_int(it, "lastEventTimestamp", LOGS_TIME_UNSET);
	st.last_ingestion = logs_int(it, "lastIngestionTime", LOGS_TIME_UNSET);
	return (k->stream(k->arg, &st));
}

/* List every log group; see logs.h. */
int
logs_list_groups(struct aws_client *c, const char *prefix, logs_group_cb cb,
    void *arg, struct aws_result *res)
{
	struct logs_cb k = {cb, NULL, arg};
	json_t *req;
	int rc;

	req = json_object();
	if (prefix != NULL && *prefix != '\0')
		json_object_set_new(
		    req, "logGroupNamePrefix", json_string(prefix));
	rc = logs_pages(
	    c, "DescribeLogGroups", req, "logGroups", logs_group_item, &k, res);
	json_decref(req);
	return (rc);
}

/* One page of groups; see logs.h. */
int
logs_groups_page(struct aws_client *c, const char *prefix, int limit,
    logs_group_cb cb, void *arg, int *more, struct aws_result *res)
{
	struct logs_cb k = {cb, NULL, arg};
	json_t *req, *root, *it;
	const char *tok;
	size_t i;

	memset(res, 0, sizeof *res);
	*more = 0;
	req = json_object();
	if (prefix != NULL && *prefix != '\0')
		json_object_set_new(
		    req, "logGroupNamePrefix", json_string(prefix));
	json_object_set_new(req, "limit", json_integer(limit));
	root = logs_describe(c, "DescribeLogGroups", req, res);
	json_decref(req);
	if (root == NULL)
		return (-1);
	tok = logs_str(root, "nextToken", NULL);
	*more = tok != NULL && *tok != '\0';
	json_array_foreach(json_object_get(root, "logGroups"), i, it)
	{
		if (logs_group_item(&k, it) != 0)
			break;
	}
	json_decref(root);
	return (0);
}

/* List the streams of a group; see logs.h. */
int
logs_list_streams(struct aws_client *c, const char *group, const char *prefix,
    logs_stream_cb cb, void *arg, struct aws_result *res)
{
	struct logs_cb k = {NULL, cb, arg};
	json_t *req;
	int rc;

	req = json_object();
	json_object_set_new(req, logs_group_key(group), json_string(group));
	if (prefix != NULL && *prefix != '\0')
		json_object_set_new(
		    req, "logStreamNamePrefix", json_string(prefix));
	rc = logs_pages(c, "DescribeLogStreams", req, "logStreams",
	    logs_stream_item, &k, res);
	json_decref(req);
	return (rc);
}

/* The streams with the newest events; see logs.h. */
int
logs_newest_streams(struct aws_client *c, const char *group, int limit,
    logs_stream_cb cb, void *arg, struct aws_result *res)
{
	struct logs_cb k = {NULL, cb, arg};
	json_t *req, *root, *it;
	size_t i;

	memset(res, 0, sizeof *res);
	req = json_object();
	json_object_set_new(req, logs_group_key(group), json_string(group));
	json_object_set_new(req, "orderBy", json_string("LastEventTime"));
	json_object_set_new(req, "descending", json_true());
	json_object_set_new(req, "limit", json_integer(limit));
	root = logs_describe(c, "DescribeLogStreams", req, res);
	json_decref(req);
	if (root == NULL)
		return (-1);
	json_array_foreach(json_object_get(root, "logStreams"), i, it)
	{
		if (logs_stream_item(&k, it) != 0)
			break;
	}
	json_decref(root);
	return (0);
}
