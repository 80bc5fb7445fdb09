/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-stream side of CloudWatch Logs: GetLogEvents (one stream, read
 * forward, its own quota) and DescribeLogStreams as an asynchronous call
 * (which streams a group has, and when they were written to).
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/aws.h"
#include "core/xmalloc.h"
#include "logs/logs.h"
#include "logs/logs_int.h"

/* The body of a GetLogEvents request. Caller frees. */
char *
logs_get_body(const struct logs_get *g, size_t *len)
{
	json_t *o;
	char *s;

	o = json_object();
	json_object_set_new(o, logs_group_key(g->group), json_string(g->group));
	json_object_set_new(o, "logStreamName", json_string(g->stream));
	if (g->start != LOGS_TIME_UNSET)
		json_object_set_new(o, "startTime", json_integer(g->start));
	if (g->end != LOGS_TIME_UNSET)
		json_object_set_new(o, "endTime", json_integer(g->end));
	/* A forward token must be sent with startFromHead=true; without it
	 * the first page would be the newest one. */
	json_object_set_new(o, "startFromHead", json_true());
	if (g->token != NULL)
		json_object_set_new(o, "nextToken", json_string(g->token));
	if (g->limit > 0)
		json_object_set_new(o, "limit", json_integer(g->limit));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		abort();
	*len = strlen(s);
	return (s);
}

/* Start a GetLogEvents call; see logs.h. */
struct logs_op *
logs_get_async(struct aws_client *c, const struct logs_get *g,
    logs_filter_cb cb, void *arg)
{
	struct logs_op *op;
	char *body;
	size_t len;

	body = logs_get_body(g, &len);
	op = logs_page_async(c, 1, body, len, cb, arg);
	free(body);
	return (op);
}

/* Free streams decoded by logs_streams_decode. Accepts NULL. */
void
logs_streams_free(struct logs_stream *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)s[i].name);
	free(s);
}

/* An integer member, or def when absent or not a number. */
static int64_t
logs_get_int(json_t *o, const char *key, int64_t def)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return (json_integer_value(v));
	return (def);
}

/* Decode a DescribeLogStreams response; see logs.h. */
int
logs_streams_decode(const char *body, size_t len, struct logs_stream **out,
    size_t *n, char **next_token, char **cause)
{
	json_t *root, *arr, *it, *v;
	json_error_t jerr;
	struct logs_stream *s = NULL;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	*next_token = NULL;
	root = json_loadb(body, len, 0, &jerr);
	if (root == NULL || !json_is_object(root)) {
		*cause = xprintf("bad DescribeLogStreams response: %s",
		    root == NULL ? jerr.text : "not an object");
		json_decref(root);
		return (-1);
	}
	arr = json_object_get(root, "logStreams");
	if (arr != NULL && !json_is_array(arr) && !json_is_null(arr)) {
		*cause = xstrdup(
		    "bad DescribeLogStreams response: 'logStreams' is not a "
		    "list");
		json_decref(root);
		return (-1);
	}
	if (json_array_size(arr) > 0)
		s = xcalloc(json_array_size(arr), sizeof *s);
	json_array_foreach(arr, i, it)
	{
		v = json_object_get(it, "logStreamName");
		if (!json_is_string(v))
			continue;
		s[k].name = xstrdup(json_string_value(v));
		s[k].first_event =
		    logs_get_int(it, "firstEventTimestamp", LOGS_TIME_UNSET);
		s[k].last_event =
		    logs_get_int(it, "lastEventTimestamp", LOGS_TIME_UNSET);
		s[k].last_ingestion =
		    logs_get_int(it, "lastIngestionTime", LOGS_TIME_UNSET);
		k++;
	}
	v = json_object_get(root, "nextToken");
	if (json_is_string(v) && json_string_length(v) > 0)
		*next_token = xstrdup(json_string_value(v));
	json_decref(root);
	*out = s;
	*n = k;
	return (0);
}

struct logs_streams_op {
	struct aws_op *call;
	logs_streams_cb cb;
	void *arg;
	int delivering;
};

/* A DescribeLogStreams answer: decode it and hand it over. */
static void
logs_streams_done(struct aws_result *r, void *arg)
{
	struct logs_streams_op *op = arg;
	struct logs_streams_result sr;
	char *cause = NULL;

	memset(&sr, 0, sizeof sr);
	sr.err = logs_error(r);
	sr.code = r->code;
	sr.retry_after_ms = r->retry_after_ms;
	if (sr.err == LOGS_OK) {
		if (logs_streams_decode(r->body.data, r->body.len, &sr.streams,
			&sr.n, &sr.next_token, &cause) != 0) {
			sr.err = LOGS_ERR_BAD_PAGE;
			sr.message = cause;
		}
	} else
		sr.message = aws_result_describe(r);
	op->delivering = 1;
	op->cb(op->arg, &sr);
	logs_streams_free(sr.streams, sr.n);
	free(sr.next_token);
	free(sr.message);
	free(op);
}

/* Start a DescribeLogStreams call; see logs.h. */
struct logs_streams_op *
logs_streams_async(struct aws_client *c, const char *group, const char *token,
    logs_streams_cb cb, void *arg)
{
	struct logs_streams_op *op;
	struct aws_call call;
	json_t *o;
	char *body;

	op = xcalloc(1, sizeof *op);
	op->cb = cb;
	op->arg = arg;
	o = json_object();
	json_object_set_new(o, logs_group_key(group), json_string(group));
	json_object_set_new(o, "limit", json_integer(50));
	if (token != NULL)
		json_object_set_new(o, "nextToken", json_string(token));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL)
		abort();
	memset(&call, 0, sizeof call);
	call.op = "DescribeLogStreams";
	call.target = LOGS_TARGET "DescribeLogStreams";
	call.body = body;
	call.body_len = strlen(body);
	call.flags = AWS_CALL_NO_THROTTLE_RETRY;
	op->call = aws_call_async(c, &call, logs_streams_done, op);
	free(body);
	return (op);
}

/* Cancel a DescribeLogStreams call; see logs.h. */
void
logs_streams_cancel(struct logs_streams_op *op)
{
	if (op == NULL || op->delivering)
		return;
	aws_op_cancel(op->call);
	free(op);
}
