/* SPDX-License-Identifier: Apache-2.0 */
/* The summary of a traced request, from its timeline. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"

#include "trace/corr.h"
#include "trace/trace.h"

static void
sum_error(struct trace_summary *s, const char *fmt, const char *arg)
{
	size_t i;
	char *line;

	xasprintf(&line, fmt, arg);
	for (i = 0; i < s->nerrors; i++) {
		if (strcmp(s->errors[i], line) == 0) {
			free(line);
			return;
		}
	}
	s->errors = xreallocarray(s->errors, s->nerrors + 1, sizeof *s->errors);
	s->errors[s->nerrors++] = line;
}

static struct trace_invocation *
sum_inv(struct trace_summary *s, const struct trace_ev *te, const char *id)
{
	size_t i;
	struct trace_invocation *v;

	for (i = 0; i < s->ninv; i++) {
		if (strcmp(s->inv[i].id, id) == 0)
			return (&s->inv[i]);
	}
	s->inv = xreallocarray(s->inv, s->ninv + 1, sizeof *s->inv);
	v = &s->inv[s->ninv++];
	memset(v, 0, sizeof *v);
	snprintf(v->id, sizeof v->id, "%s", id);
	v->src = te->src;
	v->authorizer = te->src->role == DISCOVER_ROLE_AUTHORIZER;
	v->inferred = te->inferred;
	v->duration_ms = v->billed_ms = v->init_ms = -1;
	v->memory_mb = v->max_memory_mb = -1;
	return (v);
}

/* The invocation running in the stream of ev[i]: the last START before
 * it in that stream with no REPORT in between, or NULL. */
static const char *
sum_stream_current(struct trace_ev **ev, size_t i)
{
	size_t j;

	for (j = i; j-- > 0;) {
		if (ev[j]->src != ev[i]->src ||
		    ev[j]->ev.stream_len != ev[i]->ev.stream_len ||
		    memcmp(ev[j]->ev.stream, ev[i]->ev.stream,
			ev[i]->ev.stream_len) != 0)
			continue;
		if (ev[j]->ll.kind == LOGLINE_LAMBDA_REPORT)
			return (NULL);
		if (ev[j]->ll.kind == LOGLINE_LAMBDA_START &&
		    ev[j]->ll.lambda_id[0] != '\0')
			return (ev[j]->ll.lambda_id);
	}
	return (NULL);
}

/* Does a reason say Lambda throttled the call? */
static int
sum_is_throttle(const char *reason)
{
	return (strstr(reason, "Rate Exceeded") != NULL ||
		strstr(reason, "Rate exceeded") != NULL ||
		strstr(reason, "TooManyRequests") != NULL ||
		strstr(reason, "hrottl") != NULL);
}

/* The error an API Gateway line reports, in the summary's words. */
static void
sum_api_error(struct trace_summary *s, const struct logline *ll)
{
	char text[160];

	switch (ll->kind) {
	case LOGLINE_EXEC_LAMBDA_ERROR:
		sum_error(s, "%s",
		    "the Lambda function failed (customer function error)");
		break;
	case LOGLINE_EXEC_INVOKE_FAILED:
		if (ll->status == 429 || sum_is_throttle(ll->reason))
			sum_error(s, "%s", "Lambda throttled");
		else {
			snprintf(text, sizeof text,
			    "Lambda invocation failed (status %d)%s%.100s",
			    ll->status, ll->reason[0] ? ": " : "", ll->reason);
			sum_error(s, "%s", text);
		}
		break;
	case LOGLINE_EXEC_CONFIG_ERROR:
		if (strstr(ll->reason, "Invalid permissions on Lambda") != NULL)
			sum_error(
			    s, "%s", "Invalid permissions on Lambda function");
		else if (sum_is_throttle(ll->reason))
			sum_error(s, "%s", "Lambda throttled");
		else
			sum_error(s, "API Gateway configuration error: %s",
			    ll->reason[0] ? ll->reason : "(no reason given)");
		break;
	case LOGLINE_EXEC_TIMEOUT:
		sum_error(s, "%s", "integration timed out (504)");
		break;
	case LOGLINE_EXEC_THROTTLED:
		sum_error(s, "%s", "throttled by API Gateway");
		break;
	case LOGLINE_EXEC_FAILED:
		sum_error(s, "execution failed: %s",
		    ll->reason[0] ? ll->reason : "(no reason given)");
		break;
	default:
		break;
	}
}

/* An INIT_REPORT or platform.initReport that says the init failed. */
static void
sum_init_error(struct trace_summary *s, const struct logline *ll)
{
	char text[160];

	if (ll->lambda_status[0] == '\0' ||
	    strcmp(ll->lambda_status, "success") == 0)
		return;
	if (strcmp(ll->error_type, "Runtime.OutOfMemory") == 0)
		snprintf(text, sizeof text, "out of memory during init");
	else if (strcmp(ll->lambda_status, "timeout") == 0)
		snprintf(text, sizeof text, "Lambda init timed out");
	else
		snprintf(text, sizeof text, "Lambda init failed%s%s%s",
		    ll->error_type[0] ? " (" : "", ll->error_type,
		    ll->error_type[0] ? ")" : "");
	sum_error(s, "%s", text);
}

/* The errors an invocation ended with (its REPORT, platform records). */
static void
sum_inv_errors(struct trace_summary *s, const struct trace_invocation *v)
{
	char text[160];

	if (strcmp(v->error_type, "Runtime.OutOfMemory") == 0)
		sum_error(s, "%s", "the Lambda function ran out of memory");
	else if (strcmp(v->status, "timeout") == 0)
		sum_error(s, "%s", "the Lambda function timed out");
	else if (v->crashed)
		sum_error(s, "%s", "the Lambda runtime crashed");
	else if (strcmp(v->status, "error") == 0 ||
		 strcmp(v->status, "failure") == 0) {
		snprintf(text, sizeof text, "the Lambda function failed%s%s%s",
		    v->error_type[0] ? " (" : "", v->error_type,
		    v->error_type[0] ? ")" : "");
		sum_error(s, "%s", text);
	}
}

/* An application line at ERROR or above: its message, or its text. */
static void
sum_app_error(struct trace_summary *s, const struct trace_ev *te)
{
	const struct logline *ll = &te->ll;
	char text[128];

	if (ll->error_type[0] != '\0')
		snprintf(text, sizeof text, "%.48s: %.72s", ll->error_type,
		    ll->reason);
	else if (ll->reason[0] != '\0')
		snprintf(text, sizeof text, "%s", ll->reason);
	else
		snprintf(text, sizeof text, "%.*s",
		    (int)(ll->text_len > 100 ? 100 : ll->text_len),
		    te->ev.msg + ll->text_off);
	sum_error(s, "error logged: %s", text);
}

/* Fill the summary from the timeline; see trace.h. */
void
trace_summarise(struct trace_ev **ev, size_t n, struct trace_summary *s)
{
	struct trace_invocation *v;
	const struct logline *ll;
	const char *id;
	int64_t first = -1, last = -1;
	size_t i;
	char text[128];

	for (i = 0; i < n; i++) {
		ll = &ev[i]->ll;
		if (ll->source == LOGLINE_SRC_EXECUTION ||
		    ll->source == LOGLINE_SRC_ACCESS) {
			if (s->apigw_id[0] != '\0' &&
			    strcmp(ll->apigw_id, s->apigw_id) != 0)
				continue;
			if (ll->source == LOGLINE_SRC_EXECUTION) {
				if (first < 0)
					first = ev[i]->ev.ts;
				last = ev[i]->ev.ts;
			}
			if (ll->method[0] != '\0' && s->method[0] == '\0')
				memcpy(s->method, ll->method, sizeof s->method);
			if (ll->path[0] != '\0' && s->path[0] == '\0')
				memcpy(s->path, ll->path, sizeof s->path);
			if (ll->kind == LOGLINE_EXEC_STATUS ||
			    (ll->kind == LOGLINE_ACCESS_JSON &&
				ll->status > 0) ||
			    (ll->kind == LOGLINE_ACCESS_TEXT && ll->status > 0))
				s->status = ll->status;
			if (ll->latency_ms >= 0)
				s->latency_ms = ll->latency_ms;
			if (ll->integration_latency_ms >= 0)
				s->integration_latency_ms =
				    ll->integration_latency_ms;
			/* API Gateway's X-Ray id wins over a Lambda's. */
			if (ll->trace_id[0] != '\0')
				memcpy(s->xray_id, ll->trace_id,
				    sizeof s->xray_id);
			if (ll->kind == LOGLINE_EXEC_AUTH_START)
				memcpy(s->authorizer, ll->authorizer,
				    sizeof s->authorizer);
			if (ll->kind == LOGLINE_EXEC_UNAUTHORIZED)
				snprintf(s->auth_result, sizeof s->auth_result,
				    "denied");
			else if ((ll->kind == LOGLINE_EXEC_AUTH_POLICY ||
				     ll->kind == LOGLINE_EXEC_AUTH_DONE) &&
				 s->auth_result[0] == '\0')
				snprintf(s->auth_result, sizeof s->auth_result,
				    "allowed");
			sum_api_error(s, ll);
			continue;
		}
		if (ll->source != LOGLINE_SRC_LAMBDA &&
		    corr_source_kind(ev[i]->src->role, ev[i]->src->group) !=
			LOGLINE_SRC_LAMBDA)
			continue;
		/* A line without an id belongs to the invocation running
		 * in its stream (an unhandled Python error, a print). */
		if (ll->kind == LOGLINE_LAMBDA_INIT_REPORT)
			sum_init_error(s, ll);
		id = ll->lambda_id[0] != '\0' ? ll->lambda_id
					      : sum_stream_current(ev, i);
		if (id == NULL) {
			/* Init lines (before START) */
			if (ll->level >= LOGLINE_LVL_ERROR)
				sum_app_error(s, ev[i]);
			continue;
		}
		v = sum_inv(s, ev[i], id);
		if (ev[i]->inferred)
			v->inferred = 1;
		if (ll->trace_id[0] != '\0' && s->xray_id[0] == '\0' &&
		    !v->authorizer)
			memcpy(s->xray_id, ll->trace_id, sizeof s->xray_id);
		switch (ll->kind) {
		case LOGLINE_LAMBDA_REPORT:
			v->have_report = 1;
			v->duration_ms = ll->duration_ms;
			v->billed_ms = ll->billed_ms;
			v->init_ms = ll->init_ms;
			v->memory_mb = ll->memory_mb;
			v->max_memory_mb = ll->max_memory_mb;
			/* A timeout line already said "timeout". */
			if (ll->lambda_status[0] != '\0' &&
			    !(strcmp(v->status, "timeout") == 0 &&
				strcmp(ll->lambda_status, "timeout") != 0))
				memcpy(v->status, ll->lambda_status,
				    sizeof v->status);
			if (ll->error_type[0] != '\0')
				memcpy(v->error_type, ll->error_type,
				    sizeof v->error_type);
			break;
		case LOGLINE_LAMBDA_RUNTIME_DONE:
			if (ll->lambda_status[0] != '\0' &&
			    strcmp(ll->lambda_status, "success") != 0 &&
			    v->status[0] == '\0')
				memcpy(v->status, ll->lambda_status,
				    sizeof v->status);
			if (ll->error_type[0] != '\0')
				memcpy(v->error_type, ll->error_type,
				    sizeof v->error_type);
			break;
		case LOGLINE_LAMBDA_TIMEOUT:
			snprintf(v->status, sizeof v->status, "timeout");
			break;
		case LOGLINE_LAMBDA_CRASH:
		case LOGLINE_LAMBDA_RUNTIME_EXIT:
			if (v->status[0] == '\0')
				snprintf(v->status, sizeof v->status, "crash");
			v->crashed = 1;
			break;
		case LOGLINE_LAMBDA_INVOKE_ERROR:
			sum_error(s, "%s", "the Lambda invocation failed");
			break;
		default:
			if (ll->level >= LOGLINE_LVL_ERROR)
				sum_app_error(s, ev[i]);
			break;
		}
	}
	for (i = 0; i < s->ninv; i++)
		sum_inv_errors(s, &s->inv[i]);
	if (s->latency_ms < 0 && first >= 0)
		s->latency_ms = (long)(last - first);
	if (s->status >= 400) {
		snprintf(text, sizeof text, "HTTP %d", s->status);
		sum_error(s, "%s", text);
	}
}

/* Free a summary's lists; see trace.h. */
void
trace_summary_free(struct trace_summary *s)
{
	size_t i;

	for (i = 0; i < s->nerrors; i++)
		free(s->errors[i]);
	free(s->errors);
	free(s->inv);
	s->errors = NULL;
	s->inv = NULL;
	s->nerrors = s->ninv = 0;
}
