/* SPDX-License-Identifier: Apache-2.0 */
/* StartLiveTail: the request, the event-stream messages, the session. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "logs/groupspec.h"
#include "logs/livetail.h"

#define LOGS_TARGET "Logs_20140328."
/* The largest message a session may send: an update carries at most 500
 * events of at most 256 KiB each, JSON-escaped. */
#define LIVETAIL_MAX_MESSAGE EVSTREAM_MAX_MESSAGE

/* The body of a StartLiveTail request; see livetail.h. */
char *
livetail_body(const struct livetail_req *r, size_t *len)
{
	json_t *o, *a;
	char *s;
	size_t i;

	o = json_object();
	a = json_array();
	for (i = 0; i < r->narns; i++)
		json_array_append_new(a, json_string(r->arns[i]));
	json_object_set_new(o, "logGroupIdentifiers", a);
	if (r->narns == 1 && r->nstream_names > 0) {
		a = json_array();
		for (i = 0; i < r->nstream_names && i < LIVETAIL_MAX_FILTERS;
		     i++)
			json_array_append_new(
			    a, json_string(r->stream_names[i]));
		json_object_set_new(o, "logStreamNames", a);
	} else if (r->narns == 1 && r->stream_prefix != NULL &&
		   *r->stream_prefix != '\0') {
		a = json_array();
		json_array_append_new(a, json_string(r->stream_prefix));
		json_object_set_new(o, "logStreamNamePrefixes", a);
	}
	if (r->pattern != NULL && *r->pattern != '\0')
		json_object_set_new(
		    o, "logEventFilterPattern", json_string(r->pattern));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		abort();
	*len = strlen(s);
	return (s);
}

/* The group name in a log group ARN; see livetail.h. */
const char *
livetail_arn_group(const char *arn, size_t *len)
{
	return (groupspec_arn_name(arn, len, NULL, NULL));
}

/* Which requested group an event's logGroupIdentifier names (an ARN,
 * with or without ":*", or a name); -1 when none. */
static long
livetail_group_index(const char *id, const char *const *arns, size_t narns)
{
	const char *g, *h;
	size_t i, glen, hlen, idlen = strlen(id);

	g = livetail_arn_group(id, &glen);
	if (g == NULL) {
		g = id;
		glen = idlen;
	}
	for (i = 0; i < narns; i++) {
		if (strcmp(arns[i], id) == 0)
			return ((long)i);
		h = livetail_arn_group(arns[i], &hlen);
		if (h != NULL && hlen == glen && memcmp(h, g, glen) == 0)
			return ((long)i);
	}
	return (-1);
}

static void
livetail_json_free(void *p)
{
	json_decref(p);
}

/* An integer member, or def. */
static int64_t
livetail_int(json_t *o, const char *key, int64_t def)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return (json_integer_value(v));
	if (json_is_real(v))
		return ((int64_t)json_real_value(v));
	return (def);
}

/* Decode a sessionUpdate payload; see livetail.h. */
int
livetail_decode_update(const void *json, size_t len, const char *const *arns,
    size_t narns, struct page **out, int *sampled, size_t *unknown,
    char **cause)
{
	json_t *root, *md, *res, *r, *v;
	json_error_t jerr;
	struct page *p;
	struct event *ev;
	const char *gid;
	size_t i, n;
	long gi;

	*out = NULL;
	*sampled = 0;
	*unknown = 0;
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		*cause = xprintf("sessionUpdate: %s", jerr.text);
		return (-1);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		*cause = xstrdup("sessionUpdate: not an object");
		return (-1);
	}
	md = json_object_get(root, "sessionMetadata");
	if (json_is_object(md) && json_is_true(json_object_get(md, "sampled")))
		*sampled = 1;
	res = json_object_get(root, "sessionResults");
	if (res != NULL && !json_is_array(res) && !json_is_null(res)) {
		json_decref(root);
		*cause =
		    xstrdup("sessionUpdate: 'sessionResults' is not a list");
		return (-1);
	}
	n = json_is_array(res) ? json_array_size(res) : 0;
	p = xcalloc(1, sizeof *p);
	p->ev = xcalloc(n ? n : 1, sizeof *p->ev);
	p->mem = root;
	p->mem_free = livetail_json_free;
	p->bytes = len;
	for (i = 0; i < n; i++) {
		r = json_array_get(res, i);
		if (!json_is_object(r))
			continue;
		v = json_object_get(r, "message");
		if (!json_is_string(v))
			continue;
		gid =
		    json_string_value(json_object_get(r, "logGroupIdentifier"));
		gi = gid != NULL ? livetail_group_index(gid, arns, narns) : -1;
		if (gi < 0 && narns == 1 && gid == NULL)
			gi = 0;
		if (gi < 0) {
			(*unknown)++;
			continue;
		}
		ev = &p->ev[p->n++];
		memset(ev, 0, sizeof *ev);
		ev->msg = json_string_value(v);
		ev->msg_len = json_string_length(v);
		v = json_object_get(r, "logStreamName");
		ev->stream = json_is_string(v) ? json_string_value(v) : "";
		ev->stream_len = json_is_string(v) ? json_string_length(v) : 0;
		ev->ts = livetail_int(r, "timestamp", 0);
		ev->ingest = livetail_int(r, "ingestionTime", ev->ts);
		ev->id = ""; /* Live Tail gives no eventId */
		ev->id_len = 0;
		ev->src = (uint32_t)gi;
	}
	page_sort(p);
	*out = p;
	return (0);
}

/* The message of an exception payload ({"message": "..."}), or NULL. */
static const char *
livetail_exc_message(const struct evstream_message *m, json_t **keep)
{
	json_t *v;

	*keep = json_loadb((const char *)m->payload, m->payload_len, 0, NULL);
	v = json_is_object(*keep) ? json_object_get(*keep, "message") : NULL;
	if (v == NULL && json_is_object(*keep))
		v = json_object_get(*keep, "Message");
	return (json_is_string(v) ? json_string_value(v) : NULL);
}

/* Decode one message of a session; see livetail.h. The message of an
 * exception is copied into the decoder-owned json *keep. */
static int
livetail_decode_keep(const struct evstream_message *m, const char *const *arns,
    size_t narns, struct livetail_msg *out, json_t **keep, char **cause)
{
	struct evstream_meta meta;
	const char *t;

	memset(out, 0, sizeof *out);
	*keep = NULL;
	if (evstream_meta(m, &meta, cause) != 0)
		return (-1);
	if (strcmp(meta.message_type, "event") == 0) {
		t = meta.event_type;
		if (strcmp(t, "sessionStart") == 0) {
			out->kind = LIVETAIL_START;
			return (1);
		}
		if (strcmp(t, "sessionUpdate") == 0) {
			out->kind = LIVETAIL_UPDATE;
			if (livetail_decode_update(m->payload, m->payload_len,
				arns, narns, &out->page, &out->sampled,
				&out->unknown, cause) != 0)
				return (-1);
			return (1);
		}
		return (0); /* initial-response, or a member added later */
	}
	out->kind = LIVETAIL_END;
	out->err = LOGS_ERR_OTHER;
	if (strcmp(meta.message_type, "exception") == 0) {
		t = meta.exception_type;
		out->code = t;
		if (strcmp(t, "SessionTimeoutException") == 0)
			out->end = LIVETAIL_TIMEOUT;
		else if (strcmp(t, "SessionStreamingException") == 0)
			out->end = LIVETAIL_STREAMING;
		else
			out->end = LIVETAIL_ERROR;
		if (aws_code_is_access(t))
			out->err = LOGS_ERR_ACCESS;
		out->message = livetail_exc_message(m, keep);
		return (1);
	}
	if (strcmp(meta.message_type, "error") == 0) {
		out->end = LIVETAIL_ERROR;
		out->code = meta.error_code;
		out->message = meta.error_message;
		return (1);
	}
	*cause = xprintf("unknown :message-type '%s'", meta.message_type);
	return (-1);
}

/* Decode one message; see livetail.h. */
int
livetail_decode(const struct evstream_message *m, const char *const *arns,
    size_t narns, struct livetail_msg *out, char **cause)
{
	json_t *keep;
	int rc;

	rc = livetail_decode_keep(m, arns, narns, out, &keep, cause);
	/* The exception's message lives in keep: callers of this one get
	 * no message (the session keeps it; see livetail_on_data). */
	if (keep != NULL) {
		out->message = NULL;
		json_decref(keep);
	}
	return (rc);
}

struct livetail {
	struct aws_op *op;
	struct evstream dec;
	char **arns;
	size_t narns;
	livetail_cb cb;
	void *arg;
	int in_cb;     /* cb is running */
	int cancelled; /* cancelled from inside cb */
	int ended;     /* END delivered (from the stream) */
};

static void
livetail_free(struct livetail *lt)
{
	size_t i;

	evstream_free(&lt->dec);
	for (i = 0; i < lt->narns; i++)
		free(lt->arns[i]);
	free(lt->arns);
	free(lt);
}

/* Hand msg to the owner; 1 when the session must go (cancelled or
 * ended), the caller then cancels the call and frees lt. */
static int
livetail_deliver(struct livetail *lt, struct livetail_msg *msg)
{
	lt->in_cb = 1;
	lt->cb(lt->arg, msg);
	lt->in_cb = 0;
	page_free(msg->page);
	msg->page = NULL;
	if (msg->kind == LIVETAIL_END)
		lt->ended = 1;
	return (lt->cancelled || lt->ended);
}

/* Bytes of the stream: decode every whole message and hand it over. */
static void
livetail_on_data(void *arg, const void *data, size_t len)
{
	struct livetail *lt = arg;
	const struct evstream_message *m;
	struct livetail_msg msg;
	const unsigned char *p = data;
	json_t *keep;
	char *cause = NULL;
	size_t used;
	int rc, gone;

	while (len > 0) {
		rc = evstream_feed(&lt->dec, p, len, &used, &m, &cause);
		p += used;
		len -= used;
		if (rc == 0)
			return;
		if (rc == 1)
			rc = livetail_decode_keep(m,
			    (const char *const *)lt->arns, lt->narns, &msg,
			    &keep, &cause);
		else
			keep = NULL;
		if (rc == 0)
			continue;
		if (rc < 0) {
			memset(&msg, 0, sizeof msg);
			msg.kind = LIVETAIL_END;
			msg.end = LIVETAIL_BAD;
			msg.err = LOGS_ERR_BAD_PAGE;
			msg.message = cause;
		}
		gone = livetail_deliver(lt, &msg);
		json_decref(keep);
		free(cause);
		cause = NULL;
		if (gone) {
			/* From inside the call's data: it stops when this
			 * returns, and done never runs. */
			aws_op_cancel(lt->op);
			livetail_free(lt);
			return;
		}
	}
}

/* The call ended: the server closed the stream, it broke, or the service
 * refused the call. */
static void
livetail_on_done(struct aws_result *r, void *arg)
{
	struct livetail *lt = arg;
	struct livetail_msg msg;
	char *desc = NULL;

	memset(&msg, 0, sizeof msg);
	msg.kind = LIVETAIL_END;
	msg.err = logs_error(r);
	switch (r->status) {
	case AWS_OK:
		/* A body that stops in the middle of a message broke. */
		msg.end = evstream_pending(&lt->dec) ? LIVETAIL_BROKEN
						     : LIVETAIL_CLOSED;
		if (msg.end == LIVETAIL_BROKEN) {
			msg.err = LOGS_ERR_TRANSPORT;
			msg.message = "the stream ended inside a message";
		}
		break;
	case AWS_ERR_TRANSPORT:
		msg.end = LIVETAIL_BROKEN;
		msg.message = desc = aws_result_describe(r);
		break;
	case AWS_ERR_STOPPED:
		msg.end = LIVETAIL_STOPPED;
		break;
	default:
		msg.end = LIVETAIL_REFUSED;
		msg.code = r->code;
		msg.message = desc = aws_result_describe(r);
		break;
	}
	lt->in_cb = 1;
	lt->cb(lt->arg, &msg);
	free(desc);
	livetail_free(lt);
}

/* Start a session; see livetail.h. */
struct livetail *
livetail_start(struct aws_client *c, const struct livetail_req *req,
    livetail_cb cb, void *arg)
{
	struct livetail *lt;
	struct aws_call call;
	char *body;
	size_t len, i;

	lt = xcalloc(1, sizeof *lt);
	lt->cb = cb;
	lt->arg = arg;
	evstream_init(&lt->dec, LIVETAIL_MAX_MESSAGE);
	lt->arns = xcalloc(req->narns ? req->narns : 1, sizeof *lt->arns);
	for (i = 0; i < req->narns; i++)
		lt->arns[i] = xstrdup(req->arns[i]);
	lt->narns = req->narns;
	body = livetail_body(req, &len);
	memset(&call, 0, sizeof call);
	call.op = "StartLiveTail";
	call.target = LOGS_TARGET "StartLiveTail";
	call.body = body;
	call.body_len = len;
	call.host_prefix = "stream-";
	/* One attempt: the owner decides what an error means (a refusal
	 * such as LimitExceededException, or an end to reconnect after),
	 * and falls back to polling without waiting for retries. */
	call.flags = AWS_CALL_NO_RETRY;
	lt->op =
	    aws_stream_async(c, &call, livetail_on_data, livetail_on_done, lt);
	free(body);
	return (lt);
}

/* Cancel a session; see livetail.h. */
void
livetail_cancel(struct livetail *lt)
{
	if (lt == NULL)
		return;
	if (lt->in_cb) {
		lt->cancelled = 1;
		return;
	}
	aws_op_cancel(lt->op);
	livetail_free(lt);
}
