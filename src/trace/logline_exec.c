/* SPDX-License-Identifier: Apache-2.0 */
/*
 * API Gateway execution log lines (REST and WebSocket): the "(id) "
 * prefix and the known messages after it. See aws-facts.md section 4.1.
 */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/apiuri.h"
#include "trace/logline.h"
#include "trace/logline_int.h"

#define URI_MAX 4096 /* longer endpoint URIs are not looked at */

typedef void (*exec_fn)(struct logline_span, struct logline *);

struct exec_line {
	const char *prefix;
	enum logline_kind kind;
	exec_fn fn; /* reads what follows the prefix, or NULL */
};

static void sentence_id(char *, struct logline_span);
static void set_reason(struct logline_span, struct logline *);

/* Copy the first word of s into an id field. */
static void
first_word_id(char *dst, struct logline_span s)
{
	logline_set_id(dst, logline_token(s, " \t\r\n,"));
}

/* "Extended Request Id: Vts2pH6ArPEFcuQ=" */
static void
on_extended(struct logline_span s, struct logline *out)
{
	first_word_id(out->extended_id, s);
}

/* "Starting execution for request: ID": the id of unprefixed old lines. */
static void
on_request_id(struct logline_span s, struct logline *out)
{
	if (out->apigw_id[0] == '\0')
		first_word_id(out->apigw_id, s);
}

/* "HTTP Method: POST, Resource Path: /verifyReceipt" */
static void
on_method(struct logline_span s, struct logline *out)
{
	struct logline_span m;
	long at;

	m = logline_token(s, ",");
	if (m.n < LOGLINE_METHODLEN)
		logline_set_text(out->method, sizeof(out->method), m);
	at = logline_find(s, ", Resource Path: ");
	if (at >= 0)
		logline_set_text(out->path, sizeof(out->path),
		    logline_trim(logline_span_from(
			s, (size_t)at + strlen(", Resource Path: "))));
}

/* "Endpoint request URI: https://lambda.../functions/ARN/invocations" */
static void
on_uri(struct logline_span s, struct logline *out)
{
	struct logline_span u;
	struct apiuri_lambda l;
	char *uri, *cause = NULL;

	u = logline_token(s, " \t\r\n");
	if (u.n == 0 || u.n > URI_MAX || memchr(u.p, '\0', u.n) != NULL)
		return;
	uri = xstrndup(u.p, u.n);
	if (apiuri_parse_lambda(uri, &l, &cause) == APIURI_LAMBDA) {
		if (!l.unresolved)
			logline_set_id(out->function,
			    (struct logline_span){l.name, strlen(l.name)});
		apiuri_lambda_free(&l);
	}
	free(cause);
	free(uri);
}

/*
 * "Received response. Integration latency: 40 ms" or, newer,
 * "Received response. Status: 200, Integration latency: 392 ms"
 */
static void
on_response(struct logline_span s, struct logline *out)
{
	size_t used;
	long v;

	if (logline_starts(s, "Status: ")) {
		s = logline_span_from(s, strlen("Status: "));
		if (logline_uint(s, &used, 999, &v) == 0) {
			out->status = (int)v;
			s = logline_span_from(s, used);
		}
		if (logline_starts(s, ", "))
			s = logline_span_from(s, 2);
	}
	if (logline_starts(s, "Integration latency: ")) {
		s = logline_span_from(s, strlen("Integration latency: "));
		if (logline_uint(s, &used, 999999999L, &v) == 0)
			out->integration_latency_ms = v;
	}
}

/*
 * "Endpoint response headers: {Date=..., x-amzn-RequestId=ID, ...}". The
 * id must end with ',' or '}': a line cut by [TRUNCATED] may hold half.
 */
static void
on_headers(struct logline_span s, struct logline *out)
{
	struct logline_span v;
	long at;

	at = logline_find_ci(s, "x-amzn-RequestId=");
	if (at <= 0 || (s.p[at - 1] != '{' && s.p[at - 1] != ' '))
		return;
	s = logline_span_from(s, (size_t)at + strlen("x-amzn-RequestId="));
	v = logline_token(s, ",} ");
	if (v.n < s.n && (s.p[v.n] == ',' || s.p[v.n] == '}'))
		logline_set_id(out->lambda_id, v);
}

/* "AWS Integration Endpoint RequestId : ID" */
static void
on_integration_id(struct logline_span s, struct logline *out)
{
	first_word_id(out->lambda_id, s);
}

/* "Method completed with status: 200" */
static void
on_status(struct logline_span s, struct logline *out)
{
	size_t used;
	long v;

	if (logline_uint(s, &used, 999, &v) == 0)
		out->status = (int)v;
}

/* "Starting authorizer: 62mgrc for request: ID" */
static void
on_auth_start(struct logline_span s, struct logline *out)
{
	long at;

	first_word_id(out->authorizer, s);
	at = logline_find(s, " for request: ");
	if (at >= 0)
		on_request_id(
		    logline_span_from(s, (size_t)at + strlen(" for request: ")),
		    out);
}

/*
 * "Lambda execution failed with status 200 due to customer function
 * error: ... Lambda request id: ID"
 */
static void
on_lambda_error(struct logline_span s, struct logline *out)
{
	struct logline_span t = s;
	long at, last = -1;
	size_t off = 0;

	on_status(s, out);
	for (;;) {
		at = logline_find(t, "Lambda request id: ");
		if (at < 0)
			break;
		last = (long)off + at;
		off += (size_t)at + 1;
		t = logline_span_from(s, off);
	}
	if (last >= 0) {
		sentence_id(out->lambda_id,
		    logline_span_from(
			s, (size_t)last + strlen("Lambda request id: ")));
		at = logline_find(s, " error: ");
		if (at >= 0 && at < last) {
			t = logline_span_from(s, (size_t)at + 8);
			t.n = (size_t)(last - at - 8);
			set_reason(t, out);
			while (
			    out->reason[0] != '\0' &&
			    strchr(". ",
				out->reason[strlen(out->reason) - 1]) != NULL)
				out->reason[strlen(out->reason) - 1] = '\0';
		}
	}
}

/* Copy an id that ends a sentence ("ID." or "ID,") into dst. */
static void
sentence_id(char *dst, struct logline_span s)
{
	struct logline_span w = logline_token(s, " \t\r\n,");

	while (w.n > 0 && w.p[w.n - 1] == '.')
		w.n--;
	logline_set_id(dst, w);
}

/* The rest of a line as its reason, without leading ", " or ". ". */
static void
set_reason(struct logline_span s, struct logline *out)
{
	s = logline_trim(s);
	while (s.n > 0 && (s.p[0] == ',' || s.p[0] == '.' || s.p[0] == ' '))
		s = logline_span_from(s, 1);
	logline_set_text(out->reason, sizeof(out->reason), s);
}

/*
 * "Lambda invocation failed with status: 429. Lambda request id: ID" and
 * whatever follows (a reason), kept.
 */
static void
on_invoke_failed(struct logline_span s, struct logline *out)
{
	struct logline_span w;
	long at;

	on_status(s, out);
	at = logline_find(s, "Lambda request id: ");
	if (at < 0) {
		set_reason(logline_span_from(s, logline_token(s, ".").n), out);
		return;
	}
	s = logline_span_from(s, (size_t)at + strlen("Lambda request id: "));
	sentence_id(out->lambda_id, s);
	w = logline_token(s, " \t\r\n,");
	set_reason(logline_span_from(s, w.n), out);
}

/* "Execution failed due to configuration error: REASON" */
static void
on_reason(struct logline_span s, struct logline *out)
{
	set_reason(s, out);
}

/* "WebSocket Request Route: [$connect]" */
static void
on_ws_route(struct logline_span s, struct logline *out)
{
	struct logline_span r = logline_token(s, "]");

	if (r.n > 1 && r.p[0] == '[' && r.n < s.n)
		logline_set_text(
		    out->path, sizeof(out->path), logline_span_from(r, 1));
}

/* "X-ray Tracing ID : Root=1-..." */
static void
on_trace(struct logline_span s, struct logline *out)
{
	first_word_id(out->trace_id, s);
}

/* Known messages, longest prefix first where one extends another. */
static const struct exec_line lines[] = {
    {"Extended Request Id: ", LOGLINE_EXEC_EXTENDED_ID, on_extended},
    {"Starting execution for request: ", LOGLINE_EXEC_START, on_request_id},
    {"HTTP Method: ", LOGLINE_EXEC_METHOD, on_method},
    {"Endpoint request URI: ", LOGLINE_EXEC_ENDPOINT_URI, on_uri},
    {"Sending request to ", LOGLINE_EXEC_SENDING, on_uri},
    {"Received response. ", LOGLINE_EXEC_RESPONSE, on_response},
    {"Endpoint response headers: ", LOGLINE_EXEC_RESPONSE_HEADERS, on_headers},
    {"AWS Integration Endpoint RequestId : ", LOGLINE_EXEC_INTEGRATION_ID,
	on_integration_id},
    {"Successfully completed execution", LOGLINE_EXEC_COMPLETED, NULL},
    {"Method completed with status: ", LOGLINE_EXEC_STATUS, on_status},
    {"Starting authorizer: ", LOGLINE_EXEC_AUTH_START, on_auth_start},
    {"Authorizer result body before parsing: ", LOGLINE_EXEC_AUTH_RESULT, NULL},
    {"Using valid authorizer policy for principal: ", LOGLINE_EXEC_AUTH_POLICY,
	NULL},
    {"Successfully completed authorizer execution", LOGLINE_EXEC_AUTH_DONE,
	NULL},
    {"Unauthorized request: ", LOGLINE_EXEC_UNAUTHORIZED, on_request_id},
    {"Lambda execution failed with status ", LOGLINE_EXEC_LAMBDA_ERROR,
	on_lambda_error},
    {"Lambda invocation failed with status: ", LOGLINE_EXEC_INVOKE_FAILED,
	on_invoke_failed},
    {"Execution failed due to configuration error: ", LOGLINE_EXEC_CONFIG_ERROR,
	on_reason},
    {"Execution failed due to a timeout error", LOGLINE_EXEC_TIMEOUT, NULL},
    {"Execution failed due to ", LOGLINE_EXEC_FAILED, on_reason},
    {"X-ray Tracing ID : ", LOGLINE_EXEC_TRACE_ID, on_trace},
    {"WebSocket Request Route: ", LOGLINE_EXEC_WS_ROUTE, on_ws_route},
};

/* Classify the text after the prefix, filling what it carries. */
static enum logline_kind
classify(struct logline_span body, struct logline *out)
{
	size_t i;
	long at;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (!logline_starts(body, lines[i].prefix))
			continue;
		if (lines[i].fn != NULL)
			lines[i].fn(
			    logline_span_from(body, strlen(lines[i].prefix)),
			    out);
		return (lines[i].kind);
	}
	/* "Key throttle limit exceeded for RestApi ..." and the like. */
	at = logline_find(body, " throttle limit exceeded");
	if (at >= 0 && at <= 16 && logline_find(body, " ") == at)
		return (LOGLINE_EXEC_THROTTLED);
	return (LOGLINE_UNKNOWN);
}

/*
 * Read an execution log line: "(ID) MESSAGE". Lines from before 2018 have
 * no prefix; they count only when the message is a known one.
 */
int
logline_exec_parse(struct logline_span msg, struct logline *out)
{
	struct logline_span body = msg, id;
	long close;
	enum logline_kind kind;
	int prefixed = 0;

	if (msg.n > 0 && msg.p[0] == '(') {
		id = logline_span_from(msg, 1);
		if (id.n > LOGLINE_IDLEN + 1)
			id.n = LOGLINE_IDLEN + 1;
		close = logline_find(id, ")");
		if (close > 0 && (size_t)close + 2 < msg.n &&
		    msg.p[close + 2] == ' ') {
			id.p = msg.p + 1;
			id.n = (size_t)close;
			if (logline_find(id, " ") < 0) {
				/* An odd id is not kept, but it is a prefix. */
				logline_set_id(out->apigw_id, id);
				prefixed = 1;
				body =
				    logline_span_from(msg, (size_t)close + 3);
			}
		}
	}
	kind = classify(body, out);
	if (kind == LOGLINE_UNKNOWN) {
		if (!prefixed)
			return (-1);
		kind = LOGLINE_EXEC_OTHER;
	}
	out->kind = kind;
	out->source = LOGLINE_SRC_EXECUTION;
	out->text_off = (size_t)(body.p - msg.p);
	out->text_len = body.n;
	if (kind == LOGLINE_EXEC_LAMBDA_ERROR ||
	    kind == LOGLINE_EXEC_CONFIG_ERROR || kind == LOGLINE_EXEC_FAILED ||
	    kind == LOGLINE_EXEC_INVOKE_FAILED || kind == LOGLINE_EXEC_TIMEOUT)
		out->is_error = 1;
	return (0);
}
