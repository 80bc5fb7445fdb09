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
			if (ll->kind == LOGLINE_EXEC_LAMBDA_ERROR)
				sum_error(s, "%s",
				    "the Lambda function failed "
				    "(customer function error)");
			else if (ll->kind == LOGLINE_EXEC_CONFIG_ERROR)
				sum_error(s, "%s",
				    "API Gateway configuration "
				    "error (e.g. a malformed Lambda proxy "
				    "response)");
			else if (ll->kind == LOGLINE_EXEC_THROTTLED)
				sum_error(s, "%s", "throttled by API Gateway");
			else if (ll->kind == LOGLINE_EXEC_FAILED)
				sum_error(s, "%s", "execution failed");
			continue;
		}
		if (ll->source != LOGLINE_SRC_LAMBDA &&
		    corr_source_kind(ev[i]->src->role, ev[i]->src->group) !=
			LOGLINE_SRC_LAMBDA)
			continue;
		/* A line without an id belongs to the invocation running
		 * in its stream (an unhandled Python error, a print). */
		id = ll->lambda_id[0] != '\0' ? ll->lambda_id
					      : sum_stream_current(ev, i);
		if (id == NULL)
			continue;
		v = sum_inv(s, ev[i], id);
		if (ev[i]->inferred)
			v->inferred = 1;
		switch (ll->kind) {
		case LOGLINE_LAMBDA_REPORT:
			v->have_report = 1;
			v->duration_ms = ll->duration_ms;
			v->billed_ms = ll->billed_ms;
			v->init_ms = ll->init_ms;
			v->memory_mb = ll->memory_mb;
			v->max_memory_mb = ll->max_memory_mb;
			if (ll->lambda_status[0] != '\0')
				memcpy(v->status, ll->lambda_status,
				    sizeof v->status);
			break;
		case LOGLINE_LAMBDA_TIMEOUT:
			snprintf(v->status, sizeof v->status, "timeout");
			sum_error(s, "%s", "the Lambda function timed out");
			break;
		case LOGLINE_LAMBDA_CRASH:
		case LOGLINE_LAMBDA_RUNTIME_EXIT:
			snprintf(v->status, sizeof v->status, "crash");
			sum_error(s, "%s", "the Lambda runtime crashed");
			break;
		case LOGLINE_LAMBDA_INVOKE_ERROR:
			sum_error(s, "%s", "the Lambda invocation failed");
			break;
		default:
			if (ll->level >= LOGLINE_LVL_ERROR) {
				snprintf(text, sizeof text, "%.*s",
				    (int)(ll->text_len > 100 ? 100
							     : ll->text_len),
				    ev[i]->ev.msg + ll->text_off);
				sum_error(s, "error logged: %s", text);
			}
			break;
		}
	}
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
