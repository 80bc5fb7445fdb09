/* SPDX-License-Identifier: Apache-2.0 */
/* In-memory CloudWatch Logs for unit tests. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/http.h"
#include "core/xmalloc.h"
#include "fakectx.h"
#include "fakelogs.h"

static struct fakelogs *fake_current;

static int64_t
fakeclock_now(void *arg)
{
	return (((struct fakeclock *)arg)->now);
}

static int64_t
fakeclock_mono(void *arg)
{
	return (((struct fakeclock *)arg)->mono);
}

/* Move the monotonic clock to to, and the wall clock as far. */
static void
fakeclock_advance(void *arg, int64_t to)
{
	struct fakeclock *c = arg;

	if (to > c->mono) {
		c->now += to - c->mono;
		c->mono = to;
	}
}

/* A virtual clock starting at now (both readings). */
void
fakeclock_init(struct fakeclock *c, int64_t now)
{
	c->now = now;
	c->mono = now;
	c->clock.now_ms = fakeclock_now;
	c->clock.mono_ms = fakeclock_mono;
	c->clock.arg = c;
	c->clock.advance = fakeclock_advance;
}

void
fakelogs_init(struct fakelogs *fl, struct loop *l)
{
	memset(fl, 0, sizeof *fl);
	fl->loop = l;
	fl->page_size = 10000;
}

void
fakelogs_free(struct fakelogs *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++) {
		free(fl->ev[i].group);
		free(fl->ev[i].stream);
		free(fl->ev[i].msg);
	}
	free(fl->ev);
	for (i = 0; i < fl->ngroups; i++)
		free(fl->groups[i]);
	free(fl->groups);
	free(fl->faults);
	free(fl->req_times);
	free(fl->req_kinds);
	for (i = 0; i < (size_t)fl->requests; i++)
		free(fl->req_groups[i]);
	free(fl->req_groups);
	fakeinsights_free(fl);
}

void
fakelogs_add_group(struct fakelogs *fl, const char *g)
{
	size_t i;

	for (i = 0; i < fl->ngroups; i++) {
		if (strcmp(fl->groups[i], g) == 0)
			return;
	}
	fl->groups =
	    xreallocarray(fl->groups, fl->ngroups + 1, sizeof *fl->groups);
	fl->groups[fl->ngroups++] = xstrdup(g);
}

void
fakelogs_add(struct fakelogs *fl, const char *group, const char *stream,
    int64_t ts, int64_t ingest, const char *msg)
{
	struct fake_event *e;

	fakelogs_add_group(fl, group);
	fl->ev = xreallocarray(fl->ev, fl->n + 1, sizeof *fl->ev);
	e = &fl->ev[fl->n];
	e->group = xstrdup(group);
	e->stream = xstrdup(stream);
	e->ts = ts;
	e->ingest = ingest < 0 ? ts : ingest;
	e->msg = xstrdup(msg);
	snprintf(e->id, sizeof e->id, "%zu", fl->n);
	fl->n++;
}

void
fakelogs_fault(struct fakelogs *fl, size_t req, enum fake_fault f)
{
	if (req >= fl->nfaults) {
		fl->faults =
		    xreallocarray(fl->faults, req + 1, sizeof *fl->faults);
		memset(fl->faults + fl->nfaults, 0,
		    (req + 1 - fl->nfaults) * sizeof *fl->faults);
		fl->nfaults = req + 1;
	}
	fl->faults[req] = f;
}

struct fake_reply {
	struct fakelogs *fl;
	http_done_cb cb;
	void *arg;
	struct http_response resp;
	uint64_t timer;
};

static void
fake_deliver(void *arg)
{
	struct fake_reply *r = arg;

	r->fl->inflight--;
	r->cb(&r->resp, r->arg);
	http_response_free(&r->resp);
	free(r);
}

static void
fake_set_header(struct http_response *resp, const char *n, const char *v)
{
	resp->headers = xreallocarray(
	    resp->headers, resp->nheaders + 1, sizeof *resp->headers);
	resp->headers[resp->nheaders].name = xstrdup(n);
	resp->headers[resp->nheaders].value = xstrdup(v);
	resp->nheaders++;
}

static void
fake_error(
    struct http_response *resp, long status, const char *code, const char *msg)
{
	resp->status = status;
	fake_set_header(resp, "X-Amzn-ErrorType", code);
	buf_putf(
	    &resp->body, "{\"__type\":\"%s\",\"message\":\"%s\"}", code, msg);
}

static int
fake_group_exists(struct fakelogs *fl, const char *g)
{
	size_t i;

	for (i = 0; i < fl->ngroups; i++) {
		if (strcmp(fl->groups[i], g) == 0)
			return (1);
	}
	return (0);
}

static int
fake_cmp(const void *a, const void *b)
{
	const struct fake_event *x = *(const struct fake_event *const *)a;
	const struct fake_event *y = *(const struct fake_event *const *)b;

	if (x->ts != y->ts)
		return (x->ts < y->ts ? -1 : 1);
	if (x->ingest != y->ingest)
		return (x->ingest < y->ingest ? -1 : 1);
	return (x < y ? -1 : (x > y));
}

static int
fake_stream_ok(json_t *req, const char *stream)
{
	json_t *names = json_object_get(req, "logStreamNames"), *v;
	const char *prefix;
	size_t i;

	if (json_is_array(names)) {
		json_array_foreach(names, i, v)
		{
			if (strcmp(json_string_value(v), stream) == 0)
				return (1);
		}
		return (0);
	}
	prefix = json_string_value(json_object_get(req, "logStreamNamePrefix"));
	return (prefix == NULL || strncmp(stream, prefix, strlen(prefix)) == 0);
}

static void
fake_filter(struct fakelogs *fl, json_t *req, enum fake_fault fault,
    struct http_response *resp)
{
	const char *group, *tok;
	struct fake_event **sel;
	json_t *out, *events, *e, *v;
	size_t i, n = 0, off = 0, end;
	int64_t start = INT64_MIN, stop = INT64_MAX;
	/* The service's own clock: the monotonic reading, which a test's
	 * steps of the client's wall clock leave alone. */
	int64_t now = loop_mono(fl->loop);
	char *s, tokbuf[32];

	group = json_string_value(json_object_get(req, "logGroupName"));
	if (group == NULL || !fake_group_exists(fl, group)) {
		fake_error(resp, 400, "ResourceNotFoundException",
		    "The specified log group does not exist.");
		return;
	}
	v = json_object_get(req, "startTime");
	if (json_is_integer(v))
		start = json_integer_value(v);
	v = json_object_get(req, "endTime");
	if (json_is_integer(v))
		stop = json_integer_value(v);
	tok = json_string_value(json_object_get(req, "nextToken"));
	if (tok != NULL && fault != FAULT_IGNORE_TOKEN)
		off = strtoul(tok, NULL, 10);
	sel = xcalloc(fl->n + 1, sizeof *sel);
	for (i = 0; i < fl->n; i++) {
		if (strcmp(fl->ev[i].group, group) != 0 ||
		    fl->ev[i].ts < start || fl->ev[i].ts > stop ||
		    fl->ev[i].ingest > now ||
		    !fake_stream_ok(req, fl->ev[i].stream))
			continue;
		sel[n++] = &fl->ev[i];
	}
	qsort(sel, n, sizeof *sel, fake_cmp);
	out = json_object();
	events = json_array();
	end = off;
	if (fault != FAULT_EMPTY_PAGE && fault != FAULT_EMPTY_ALIAS) {
		for (end = off; end < n && end - off < (size_t)fl->page_size;
		     end++) {
			e = json_pack("{s:s,s:I,s:s,s:I}", "logStreamName",
			    sel[end]->stream, "timestamp",
			    (json_int_t)sel[end]->ts, "message", sel[end]->msg,
			    "ingestionTime", (json_int_t)sel[end]->ingest);
			if (!fl->no_ids)
				json_object_set_new(
				    e, "eventId", json_string(sel[end]->id));
			json_array_append_new(events, e);
			fl->served++;
		}
	}
	json_object_set_new(out, "events", events);
	if (fault == FAULT_REPEAT_TOKEN && tok != NULL)
		json_object_set_new(out, "nextToken", json_string(tok));
	else if (fault == FAULT_TOKEN_BACK &&
		 off >= 2 * (size_t)fl->page_size) {
		/* The token the page before this one came with. */
		snprintf(
		    tokbuf, sizeof tokbuf, "%zu", off - (size_t)fl->page_size);
		json_object_set_new(out, "nextToken", json_string(tokbuf));
	} else if (fault == FAULT_EMPTY_ALIAS || fault == FAULT_IGNORE_TOKEN) {
		/* The same offset, spelt differently (strtoul stops at '#'). */
		snprintf(tokbuf, sizeof tokbuf, "%zu#%d", end, fl->requests);
		json_object_set_new(out, "nextToken", json_string(tokbuf));
	} else if (end < n || fault == FAULT_EMPTY_PAGE) {
		snprintf(tokbuf, sizeof tokbuf, "%zu", end);
		json_object_set_new(out, "nextToken", json_string(tokbuf));
	} else
		json_object_set_new(out, "nextToken", json_null());
	s = json_dumps(out, JSON_COMPACT);
	buf_puts(&resp->body, s);
	free(s);
	json_decref(out);
	free(sel);
	resp->status = 200;
}

/*
 * GetLogEvents of one stream, read forward: tokens "f/OFFSET" into the
 * stream's events in [startTime, endTime) (endTime exclusive, as on AWS);
 * at the end the token sent comes back. FAULT_EMPTY_ALIAS: no events and
 * the same place under another token (an empty page in the middle).
 */
static void
fake_get(struct fakelogs *fl, json_t *req, enum fake_fault fault,
    struct http_response *resp)
{
	const char *group, *stream, *tok;
	struct fake_event **sel;
	json_t *out, *events;
	size_t i, n = 0, off = 0, end;
	int64_t start = INT64_MIN, stop = INT64_MAX;
	int64_t now = loop_mono(fl->loop);
	char *s, tokbuf[48];

	group = json_string_value(json_object_get(req, "logGroupName"));
	stream = json_string_value(json_object_get(req, "logStreamName"));
	if (group == NULL || stream == NULL || !fake_group_exists(fl, group)) {
		fake_error(resp, 400, "ResourceNotFoundException",
		    "The specified log group does not exist.");
		return;
	}
	if (!json_is_true(json_object_get(req, "startFromHead"))) {
		fake_error(resp, 400, "InvalidParameterException",
		    "this fake reads forward only");
		return;
	}
	if (json_is_integer(json_object_get(req, "startTime")))
		start = json_integer_value(json_object_get(req, "startTime"));
	if (json_is_integer(json_object_get(req, "endTime")))
		stop = json_integer_value(json_object_get(req, "endTime"));
	tok = json_string_value(json_object_get(req, "nextToken"));
	if (tok != NULL)
		off = strtoul(tok + 2, NULL, 10);
	sel = xcalloc(fl->n + 1, sizeof *sel);
	for (i = 0; i < fl->n; i++) {
		if (strcmp(fl->ev[i].group, group) != 0 ||
		    strcmp(fl->ev[i].stream, stream) != 0 ||
		    fl->ev[i].ts < start || fl->ev[i].ts >= stop ||
		    fl->ev[i].ingest > now)
			continue;
		sel[n++] = &fl->ev[i];
	}
	qsort(sel, n, sizeof *sel, fake_cmp);
	out = json_object();
	events = json_array();
	end = off;
	if (fault != FAULT_EMPTY_ALIAS) {
		for (; end < n && end - off < (size_t)fl->page_size; end++) {
			json_array_append_new(
			    events, json_pack("{s:I,s:s,s:I}", "timestamp",
					(json_int_t)sel[end]->ts, "message",
					sel[end]->msg, "ingestionTime",
					(json_int_t)sel[end]->ingest));
			fl->served++;
			fl->get_served++;
		}
	}
	json_object_set_new(out, "events", events);
	if (fault == FAULT_EMPTY_ALIAS) {
		snprintf(tokbuf, sizeof tokbuf, "f/%zu#%d", off, fl->requests);
		fl->get_empties++;
	} else if (end == off && tok != NULL)
		snprintf(tokbuf, sizeof tokbuf, "%s", tok);
	else
		snprintf(tokbuf, sizeof tokbuf, "f/%zu", end);
	json_object_set_new(out, "nextForwardToken", json_string(tokbuf));
	json_object_set_new(out, "nextBackwardToken", json_string("b/0"));
	s = json_dumps(out, JSON_COMPACT);
	buf_puts(&resp->body, s);
	free(s);
	json_decref(out);
	free(sel);
	resp->status = 200;
}

/* DescribeLogStreams: the group's streams by name, with their times,
 * streams_page at a time (token: the offset). */
static void
fake_streams(struct fakelogs *fl, json_t *req, struct http_response *resp)
{
	const char *group, *tok;
	json_t *out, *arr, *o;
	char **names = NULL, *s, tokbuf[32];
	size_t i, j, n = 0, off = 0, lim;
	int64_t first, last, ingest, now = loop_mono(fl->loop);

	group = json_string_value(json_object_get(req, "logGroupName"));
	if (group == NULL || !fake_group_exists(fl, group)) {
		fake_error(resp, 400, "ResourceNotFoundException",
		    "The specified log group does not exist.");
		return;
	}
	for (i = 0; i < fl->n; i++) {
		if (strcmp(fl->ev[i].group, group) != 0)
			continue;
		for (j = 0; j < n && strcmp(names[j], fl->ev[i].stream); j++)
			;
		if (j == n) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = fl->ev[i].stream;
		}
	}
	/* By name (insertion sort: few streams). */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			s = names[j];
			names[j] = names[j - 1];
			names[j - 1] = s;
		}
	tok = json_string_value(json_object_get(req, "nextToken"));
	if (tok != NULL)
		off = strtoul(tok, NULL, 10);
	lim = fl->streams_page > 0 ? (size_t)fl->streams_page : 50;
	out = json_object();
	arr = json_array();
	for (i = off; i < n && i < off + lim; i++) {
		first = INT64_MAX;
		last = ingest = INT64_MIN;
		for (j = 0; j < fl->n; j++) {
			if (strcmp(fl->ev[j].group, group) != 0 ||
			    strcmp(fl->ev[j].stream, names[i]) != 0 ||
			    fl->ev[j].ingest > now)
				continue;
			if (fl->ev[j].ts < first)
				first = fl->ev[j].ts;
			if (fl->ev[j].ts > last)
				last = fl->ev[j].ts;
			if (fl->ev[j].ingest > ingest)
				ingest = fl->ev[j].ingest;
		}
		o = json_pack(
		    "{s:s,s:i}", "logStreamName", names[i], "storedBytes", 0);
		if (first != INT64_MAX) {
			json_object_set_new(
			    o, "firstEventTimestamp", json_integer(first));
			json_object_set_new(
			    o, "lastEventTimestamp", json_integer(last));
			json_object_set_new(
			    o, "lastIngestionTime", json_integer(ingest));
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(out, "logStreams", arr);
	if (i < n) {
		snprintf(tokbuf, sizeof tokbuf, "%zu", i);
		json_object_set_new(out, "nextToken", json_string(tokbuf));
	}
	s = json_dumps(out, JSON_COMPACT);
	buf_puts(&resp->body, s);
	free(s);
	json_decref(out);
	free(names);
	resp->status = 200;
}

static void
fake_groups(struct fakelogs *fl, struct http_response *resp)
{
	json_t *out, *arr;
	char *s;
	size_t i;

	out = json_object();
	arr = json_array();
	for (i = 0; i < fl->ngroups; i++)
		json_array_append_new(
		    arr, json_pack("{s:s}", "logGroupName", fl->groups[i]));
	json_object_set_new(out, "logGroups", arr);
	s = json_dumps(out, JSON_COMPACT);
	buf_puts(&resp->body, s);
	free(s);
	json_decref(out);
	resp->status = 200;
}

static struct http_xfer *
fake_transport(
    struct loop *l, const struct http_request *req, http_done_cb cb, void *arg)
{
	struct fakelogs *fl = fake_current;
	struct fake_reply *r;
	const char *target = NULL;
	enum fake_fault fault = FAULT_NONE;
	json_t *body;
	size_t i, k;

	r = xcalloc(1, sizeof *r);
	r->fl = fl;
	r->cb = cb;
	r->arg = arg;
	buf_init(&r->resp.body, 0);
	for (i = 0; req->headers[i] != NULL; i++) {
		if (strncmp(req->headers[i], "X-Amz-Target: ", 14) == 0)
			target = req->headers[i] + 14;
	}
	k = (size_t)fl->requests++;
	fl->req_times =
	    xreallocarray(fl->req_times, k + 1, sizeof *fl->req_times);
	fl->req_times[k] = loop_mono(l);
	fl->req_groups =
	    xreallocarray(fl->req_groups, k + 1, sizeof *fl->req_groups);
	fl->req_groups[k] = NULL;
	fl->req_kinds =
	    xreallocarray(fl->req_kinds, k + 1, sizeof *fl->req_kinds);
	fl->req_kinds[k] = FAKE_OP_OTHER;
	if (target != NULL && strstr(target, "FilterLogEvents"))
		fl->req_kinds[k] = FAKE_OP_FILTER;
	else if (target != NULL && strstr(target, "GetLogEvents"))
		fl->req_kinds[k] = FAKE_OP_GET;
	else if (target != NULL && strstr(target, "DescribeLogStreams"))
		fl->req_kinds[k] = FAKE_OP_DESCRIBE;
	else if (target != NULL && strstr(target, "StartQuery"))
		fl->req_kinds[k] = FAKE_OP_START;
	else if (target != NULL && strstr(target, "GetQueryResults"))
		fl->req_kinds[k] = FAKE_OP_RESULTS;
	else if (target != NULL && strstr(target, "StopQuery"))
		fl->req_kinds[k] = FAKE_OP_STOP;
	if (k < fl->nfaults)
		fault = fl->faults[k];
	if (fault == FAULT_NONE && fl->kind_fault != FAULT_NONE &&
	    fl->req_kinds[k] == fl->kind_fault_kind &&
	    (fl->kind_seen[fl->kind_fault_kind] == fl->kind_fault_n ||
		(fl->kind_fault_every > 0 &&
		    fl->kind_seen[fl->kind_fault_kind] > fl->kind_fault_n &&
		    (fl->kind_seen[fl->kind_fault_kind] - fl->kind_fault_n) %
			    fl->kind_fault_every ==
			0)))
		fault = fl->kind_fault;
	fl->kind_seen[fl->req_kinds[k]]++;
	if (fault == FAULT_NONE && fl->deny_get &&
	    fl->req_kinds[k] == FAKE_OP_GET)
		fault = FAULT_DENIED;
	if (fault == FAULT_NONE && fl->every > 0 &&
	    k % fl->every == (size_t)fl->every - 1)
		fault = fl->every_fault;
	body = json_loadb(req->body, req->body_len, 0, NULL);
	if (json_is_string(json_object_get(body, "logGroupName")))
		fl->req_groups[k] = xstrdup(
		    json_string_value(json_object_get(body, "logGroupName")));
	switch (fault) {
	case FAULT_THROTTLE:
		fake_error(
		    &r->resp, 400, "ThrottlingException", "Rate exceeded");
		if (fl->retry_after != NULL)
			fake_set_header(
			    &r->resp, "Retry-After", fl->retry_after);
		break;
	case FAULT_500:
		fake_error(&r->resp, 500, "ServiceUnavailableException", "x");
		break;
	case FAULT_503:
		r->resp.status = 503;
		buf_puts(&r->resp.body, "<html>503</html>");
		break;
	case FAULT_DENIED:
		fake_error(&r->resp, 400, "AccessDeniedException",
		    "not authorized to perform this operation");
		break;
	case FAULT_EXPIRED:
		fake_error(&r->resp, 400, "ExpiredTokenException",
		    "The security token included in the request is expired");
		break;
	case FAULT_RESET:
		r->resp.err = HTTP_ERR_RESET;
		snprintf(r->resp.errmsg, sizeof r->resp.errmsg, "reset");
		break;
	case FAULT_BADJSON:
		r->resp.status = 200;
		buf_puts(&r->resp.body, "{\"events\":[{\"logStreamName\":");
		break;
	default:
		if (target != NULL && strstr(target, "FilterLogEvents")) {
			fl->filter_requests++;
			fake_filter(fl, body, fault, &r->resp);
		} else if (fl->req_kinds[k] == FAKE_OP_GET) {
			fl->get_requests++;
			fake_get(fl, body, fault, &r->resp);
		} else if (fl->req_kinds[k] == FAKE_OP_DESCRIBE) {
			fl->describe_requests++;
			fake_streams(fl, body, &r->resp);
		} else if (fl->req_kinds[k] >= FAKE_OP_START) {
			fakeinsights_serve(
			    fl, fl->req_kinds[k], body, &r->resp);
		} else if (target != NULL &&
			   strstr(target, "DescribeLogGroups"))
			fake_groups(fl, &r->resp);
		else
			fake_error(&r->resp, 400, "UnknownOperation", "?");
		break;
	}
	json_decref(body);
	r->timer = loop_timer_in(l, fl->latency_ms, fake_deliver, r);
	fl->inflight++;
	return ((struct http_xfer *)r);
}

/* Abort a request: its answer never comes. */
static void
fake_cancel(struct loop *l, struct http_xfer *x)
{
	struct fake_reply *r = (struct fake_reply *)x;

	loop_timer_cancel(l, r->timer);
	r->fl->inflight--;
	r->fl->cancelled++;
	http_response_free(&r->resp);
	free(r);
}

void
fakelogs_ctx(struct fakelogs *fl, struct aws_ctx *ctx, struct loop *l)
{
	fake_current = fl;
	fakectx_init(ctx, l, fake_transport, fake_cancel);
}
