/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs trace REQUEST_ID: one request across API Gateway and Lambda. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/cmd_api.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cli/render.h"
#include "core/jsonw.h"
#include "core/timeexpr.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "discover/discover.h"
#include "logs/logs.h"
#include "trace/corr.h"
#include "trace/trace.h"

/*
 * Warnings of a trace (e.g. a log group that does not exist) wait for its
 * outcome: printed as warnings when it succeeds, folded into the error
 * line when it fails, so that every failure is one line.
 */
static void
trace_notice(void *arg, int level, const char *msg)
{
	struct buf *held = arg;

	if (level == 0) {
		buf_putf(held, "%s%s", held->len > 0 ? "; " : "", msg);
		return;
	}
	verbosef(level, "%s", msg);
}

/* The one error line of a failed trace, with the warnings it held. */
static void
trace_error(const char *cause, struct buf *held)
{
	if (held->len > 0)
		errorf("%s (%s)", cause, buf_str(held));
	else
		errorf("%s", cause);
}

/* What the trace reads: the command's sources and the trace's view of
 * them, in the same order. */
struct trace_srcs {
	struct cmd_source **v;
	size_t n;
	struct trace_source *ts;
};

/* The command's source of a trace source. */
static const struct cmd_source *
trace_cmd_source(const struct trace_srcs *t, const struct trace_source *ts)
{
	return (t->v[ts - t->ts]);
}

/* The function a source is about ("orders" for lambda:orders). */
static const char *
trace_function(const struct trace_srcs *t, const struct trace_source *ts)
{
	const struct cmd_source *cs = trace_cmd_source(t, ts);

	return (cs->function != NULL ? cs->function : cs->src.group);
}

/* Append a string from the logs or the user, escaped (one line). */
static void
trace_put(struct buf *b, const char *s)
{
	utf8_escape(b, s, strlen(s), 0);
}

static void
trace_text_summary(struct buf *b, const struct trace_srcs *t,
    const struct trace_summary *s, const char *id)
{
	const struct trace_invocation *v;
	size_t i;

	buf_puts(b, "\nRequest     ");
	trace_put(b, id);
	buf_putf(b, " (%s)\n",
	    s->kind == TRACE_API      ? "API Gateway request id"
	    : s->kind == TRACE_LAMBDA ? "Lambda request id"
				      : "found as text only");
	if (s->kind == TRACE_LAMBDA && s->apigw_id[0] != '\0') {
		buf_puts(b, "API request ");
		trace_put(b, s->apigw_id);
		buf_putc(b, '\n');
	}
	if (s->method[0] != '\0' || s->path[0] != '\0') {
		buf_puts(b, "Route       ");
		trace_put(b, s->method);
		buf_putc(b, ' ');
		trace_put(b, s->path);
		buf_putc(b, '\n');
	}
	if (s->status >= 0)
		buf_putf(b, "Status      %d\n", s->status);
	if (s->latency_ms >= 0 || s->integration_latency_ms >= 0) {
		buf_puts(b, "Latency     ");
		if (s->latency_ms >= 0)
			buf_putf(b, "%ld ms total", s->latency_ms);
		if (s->integration_latency_ms >= 0)
			buf_putf(b, "%s%ld ms integration",
			    s->latency_ms >= 0 ? ", " : "",
			    s->integration_latency_ms);
		buf_putc(b, '\n');
	}
	if (s->xray_id[0] != '\0') {
		buf_puts(b, "X-Ray trace ");
		trace_put(b, s->xray_id);
		buf_putc(b, '\n');
	}
	if (s->authorizer[0] != '\0' || s->auth_result[0] != '\0') {
		buf_puts(b, "Authorizer  ");
		trace_put(b, s->authorizer);
		if (s->authorizer[0] && s->auth_result[0])
			buf_puts(b, ": ");
		trace_put(b, s->auth_result);
		buf_putc(b, '\n');
	}
	for (i = 0; i < s->ninv; i++) {
		v = &s->inv[i];
		buf_putf(b, "%-11s ", v->authorizer ? "Authorizer" : "Lambda");
		trace_put(b, trace_function(t, v->src));
		buf_putc(b, ' ');
		trace_put(b, v->id);
		if (v->have_report) {
			buf_putf(b, ": %.2f ms, billed %.0f ms", v->duration_ms,
			    v->billed_ms);
			if (v->max_memory_mb >= 0)
				buf_putf(b, ", memory %d/%d MB",
				    v->max_memory_mb, v->memory_mb);
			if (v->init_ms >= 0)
				buf_putf(b, ", cold start (init %.2f ms)",
				    v->init_ms);
		}
		if (v->status[0] != '\0' && strcmp(v->status, "success") != 0) {
			buf_puts(b, ", ");
			trace_put(b, v->status);
		}
		if (v->inferred)
			buf_puts(b, " (matched by time)");
		buf_putc(b, '\n');
	}
	if (s->nerrors == 0)
		buf_puts(b, "Errors      none\n");
	for (i = 0; i < s->nerrors; i++) {
		buf_putf(b, "%-11s ", i == 0 ? "Errors" : "");
		trace_put(b, s->errors[i]);
		buf_putc(b, '\n');
	}
}

/* A string member; empty is null. */
static void
trace_json_str(struct jsonw *w, const char *key, const char *v)
{
	jsonw_key(w, key);
	jsonw_stringz(w, v != NULL && *v != '\0' ? v : NULL);
}

/* A number member; negative (unknown) is null. */
static void
trace_json_num(struct jsonw *w, const char *key, double v)
{
	jsonw_key(w, key);
	if (v < 0)
		jsonw_null(w);
	else
		jsonw_real(w, v, 2);
}

/* A true/false member. */
static void
trace_json_bool(struct jsonw *w, const char *key, int v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

static void
trace_json_summary(
    struct jsonw *w, const struct trace_srcs *t, const struct trace_summary *s)
{
	const struct trace_invocation *v;
	size_t i;

	jsonw_object(w);
	trace_json_str(w, "method", s->method);
	trace_json_str(w, "path", s->path);
	trace_json_num(w, "status", s->status);
	trace_json_num(w, "latencyMs", (double)s->latency_ms);
	trace_json_num(
	    w, "integrationLatencyMs", (double)s->integration_latency_ms);
	trace_json_str(w, "xrayTraceId", s->xray_id);
	jsonw_key(w, "authorizer");
	if (s->authorizer[0] == '\0' && s->auth_result[0] == '\0')
		jsonw_null(w);
	else {
		jsonw_object(w);
		trace_json_str(w, "id", s->authorizer);
		trace_json_str(w, "result", s->auth_result);
		jsonw_end(w);
	}
	jsonw_key(w, "invocations");
	jsonw_array(w);
	for (i = 0; i < s->ninv; i++) {
		v = &s->inv[i];
		jsonw_object(w);
		trace_json_str(w, "function", trace_function(t, v->src));
		trace_json_str(w, "logGroupName", v->src->group);
		trace_json_str(w, "requestId", v->id);
		trace_json_bool(w, "authorizer", v->authorizer);
		trace_json_bool(w, "inferred", v->inferred);
		trace_json_num(
		    w, "durationMs", v->have_report ? v->duration_ms : -1);
		trace_json_num(
		    w, "billedDurationMs", v->have_report ? v->billed_ms : -1);
		trace_json_num(w, "memorySizeMB", v->memory_mb);
		trace_json_num(w, "maxMemoryUsedMB", v->max_memory_mb);
		trace_json_num(w, "initDurationMs", v->init_ms);
		trace_json_bool(w, "coldStart", v->init_ms >= 0);
		trace_json_str(w, "status", v->status);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "errors");
	jsonw_array(w);
	for (i = 0; i < s->nerrors; i++)
		jsonw_stringz(w, s->errors[i]);
	jsonw_end(w);
	jsonw_end(w);
}

/* Print the timeline and the summary. */
static int
trace_print(
    struct app *a, struct trace *t, const char *id, struct trace_srcs *srcs)
{
	struct opts *o = a->o;
	struct render r;
	struct trace_ev **ev;
	const struct trace_summary *s = trace_summary(t);
	struct buf b;
	struct jsonw jw;
	struct out out;
	struct cmd_source *cs;
	size_t n, i, w, sw;
	int rc;

	cmd_render_init(&r, a);
	for (i = 0; i < srcs->n; i++) {
		cs = srcs->v[i];
		cs->style.color = render_group_color(cs->src.group);
		w = utf8_escape_width(cs->src.group, strlen(cs->src.group), 0);
		if (w > r.group_width)
			r.group_width = w;
	}
	ev = trace_timeline(t, &n);
	/* One stream column for the whole timeline. */
	for (i = 0, w = 0; i < n; i++) {
		sw = utf8_escape_width(
		    ev[i]->ev.stream, ev[i]->ev.stream_len, 0);
		if (sw > w)
			w = sw;
	}
	for (i = 0; i < srcs->n; i++)
		srcs->v[i]->style.stream_width = w;
	buf_init(&b, 0);
	if (o->output == OUTPUT_JSON) {
		jsonw_init(&jw, &b);
		jsonw_object(&jw);
		trace_json_str(&jw, "requestId", id);
		trace_json_str(&jw, "idKind",
		    s->kind == TRACE_API      ? "api"
		    : s->kind == TRACE_LAMBDA ? "lambda"
					      : "unknown");
		trace_json_str(&jw, "apiRequestId", s->apigw_id);
		jsonw_key(&jw, "timeline");
		jsonw_array(&jw);
		for (i = 0; i < n; i++) {
			if (render_event_json(&r, &ev[i]->ev,
				&trace_cmd_source(srcs, ev[i]->src)->style,
				NULL, &jw) != 0)
				continue;
			if (ev[i]->inferred)
				trace_json_bool(&jw, "inferred", 1);
			if (ev[i]->ll.lambda_id[0] != '\0')
				trace_json_str(&jw, "lambdaRequestId",
				    ev[i]->ll.lambda_id);
			jsonw_end(&jw);
		}
		jsonw_end(&jw);
		jsonw_key(&jw, "summary");
		trace_json_summary(&jw, srcs, s);
		jsonw_end(&jw);
		buf_putc(&b, '\n');
	} else {
		for (i = 0; i < n; i++)
			render_event(&r, &ev[i]->ev,
			    &trace_cmd_source(srcs, ev[i]->src)->style, NULL,
			    &b);
		trace_text_summary(&b, srcs, s, id);
	}
	out_init(&out, STDOUT_FILENO, 0);
	rc = out_write(&out, b.data, b.len);
	out_flush(&out);
	out_free(&out);
	buf_free(&b);
	render_free(&r);
	(void)rc;
	return (EXIT_OK);
}

/* A discovered source: add it unless -g already named its group. */
static void
trace_api_source(void *arg, const struct discover_source *ds)
{
	struct trace_srcs *t = arg;

	cmd_source_add_found(&t->v, &t->n, ds);
}

/* Trace one request; see README. */
int
cmd_trace(struct app *a)
{
	struct opts *o = a->o;
	struct aws_client *logs;
	struct trace_srcs ts = {NULL, 0, NULL};
	struct trace_opts to;
	struct trace *t = NULL;
	struct cmd_api *api = NULL;
	struct buf held;
	char *cause = NULL;
	size_t i;
	int rc;
	enum trace_status st;

	buf_init(&held, 0);

	rc = cmd_time_window(a, "24h", &to.start, &to.end);
	if (rc != 0)
		return (rc);
	if (to.end == LOGS_TIME_UNSET)
		to.end = loop_now(a->loop);
	to.max_rps = o->max_rps;
	to.engine = o->engine == READ_FILTER     ? TRACE_ENGINE_FILTER
		    : o->engine == READ_INSIGHTS ? TRACE_ENGINE_INSIGHTS
						 : TRACE_ENGINE_AUTO;
	logs = app_client(a, AWS_LOGS, &cause);
	if (logs == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	rc = cmd_sources_for(a, &ts.v, &ts.n);
	if (rc != 0)
		goto out;
	if (o->api_id != NULL || o->stack_name != NULL) {
		rc = cmd_api_run(a, &api);
		if (rc != 0 || api == NULL)
			goto out;
		rc = cmd_api_add_sources(api, trace_api_source, &ts);
		if (rc != 0)
			goto out;
	}
	ts.ts = xcalloc(ts.n + 1, sizeof *ts.ts);
	for (i = 0; i < ts.n; i++) {
		ts.ts[i].group = ts.v[i]->src.group;
		ts.ts[i].role = ts.v[i]->role;
	}
	t = trace_new(a->loop, logs, ts.ts, ts.n, &to, trace_notice, &held);
	st = trace_run(t, o->trace_id, &cause);
	switch (st) {
	case TRACE_OK:
		if (held.len > 0)
			warnf("%s", buf_str(&held));
		rc = trace_print(a, t, o->trace_id, &ts);
		break;
	case TRACE_NOT_FOUND:
		trace_error(cause, &held);
		rc = EXIT_NOTFOUND;
		break;
	case TRACE_ERR_USAGE:
		trace_error(cause, &held);
		rc = EXIT_USAGE;
		break;
	case TRACE_ERR_ACCESS:
		trace_error(cause, &held);
		rc = EXIT_CREDS;
		break;
	default:
		if (loop_interrupted()) {
			/* Ctrl-C: Logs Insights queries were stopped. */
			rc = EXIT_OK;
			break;
		}
		trace_error(cause, &held);
		rc = EXIT_AWS;
		break;
	}
out:
	buf_free(&held);
	free(cause);
	trace_free(t);
	cmd_api_free(api);
	free(ts.ts);
	cmd_sources_free(ts.v, ts.n);
	return (rc);
}
