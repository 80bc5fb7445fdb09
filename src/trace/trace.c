/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request tracing. Every search is a history read by the engine (so it is
 * concurrent across groups, rate limited and retried) with a filter
 * pattern or a stream window:
 *
 *   1. every source, '"ID"', over the window (default the last 24 h);
 *      over more than TRACE_INSIGHTS_MIN_MS (or with --engine insights)
 *      one Logs Insights query per 50 groups finds which groups hold the
 *      id and when, then FilterLogEvents reads just that span of those
 *      groups, so the lines (and their event ids) are the ones the
 *      FilterLogEvents path prints;
 *   2. the id's kind from the lines found: an API Gateway request id (the
 *      execution log's "(ID)" prefix, the access log's requestId) or a
 *      Lambda request id (START/REPORT/app lines, or the execution log's
 *      x-amzn-RequestId=ID); the window narrows around the first line;
 *   3. for a Lambda id, the API request that called it ('"API ID"' in the
 *      execution and access logs);
 *   4. every Lambda request id the API request names, in the functions;
 *   5. the authorizer: named by an access log ($context.authorizer.
 *      requestId), else the authorizer function's invocation that started
 *      between "Starting authorizer" and its result (marked inferred);
 *   6. each invocation's stream from START to REPORT, for the lines that
 *      carry no id (print, stack traces).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/timeexpr.h"
#include "core/xmalloc.h"
#include "logs/dedup.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "logs/source.h"
#include "trace/corr.h"
#include "trace/trace_int.h"

#define TRACE_BEFORE_MS (60 * 1000)     /* narrow: before the first line */
#define TRACE_AFTER_MS (16 * 60 * 1000) /* after it (Lambda: 15 min) */
#define TRACE_INIT_BACK_MS (60 * 1000)  /* init lines before a failed START */

/* Create a trace; see trace.h. */
struct trace *
trace_new(struct loop *l, struct aws_client *logs,
    const struct trace_source *srcs, size_t nsrcs, const struct trace_opts *o,
    trace_notice_cb notice, void *arg)
{
	struct trace *t;

	t = xcalloc(1, sizeof *t);
	t->loop = l;
	t->logs = logs;
	t->srcs = srcs;
	t->nsrcs = nsrcs;
	t->o = *o;
	t->notice = notice;
	t->arg = arg;
	t->seen = dedup_new();
	t->sum.status = -1;
	t->sum.latency_ms = -1;
	t->sum.integration_latency_ms = -1;
	return (t);
}

static void
trace_free_evs(struct trace_ev **ev, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ev[i]);
	free(ev);
}

/* Free a trace. Accepts NULL. */
void
trace_free(struct trace *t)
{
	size_t i;

	if (t == NULL)
		return;
	trace_free_evs(t->ev, t->nev);
	for (i = 0; i < t->ntmp; i++) {
		source_free_contents(t->tmp[i]);
		free(t->tmp[i]);
	}
	free(t->tmp);
	free(t->gone);
	for (i = 0; i < t->nsearched; i++)
		free(t->searched[i]);
	free(t->searched);
	trace_summary_free(&t->sum);
	dedup_free(t->seen);
	free(t->cause);
	free(t);
}

/* Indices of the sources of some kinds (bit 1<<logline_source) and, when
 * role is not DISCOVER_ROLE_NONE, of that role. */
static size_t
trace_pick(
    struct trace *t, unsigned kinds, enum discover_role role, size_t *idx)
{
	const struct trace_source *s;
	size_t i, n = 0;

	for (i = 0; i < t->nsrcs; i++) {
		s = &t->srcs[i];
		if (!(kinds & (1u << corr_source_kind(s->role, s->group))))
			continue;
		if (role != DISCOVER_ROLE_NONE && s->role != role)
			continue;
		idx[n++] = i;
	}
	return (n);
}

#define K_EXEC (1u << LOGLINE_SRC_EXECUTION)
#define K_ACCESS (1u << LOGLINE_SRC_ACCESS)
#define K_LAMBDA (1u << LOGLINE_SRC_LAMBDA)
#define K_AUTO (1u << LOGLINE_SRC_AUTO) /* -g groups of no known kind */
#define K_ANY (K_EXEC | K_ACCESS | K_LAMBDA | K_AUTO)

static int
trace_is_api_log(const struct trace_ev *te)
{
	return (te->ll.source == LOGLINE_SRC_EXECUTION ||
		te->ll.source == LOGLINE_SRC_ACCESS);
}

/* Remember that id is searched for: 0 when it was already, else 1. */
static int
trace_searched(struct trace *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->nsearched; i++) {
		if (strcmp(t->searched[i], id) == 0)
			return (0);
	}
	t->searched =
	    xreallocarray(t->searched, t->nsearched + 1, sizeof *t->searched);
	t->searched[t->nsearched++] = xstrdup(id);
	return (1);
}

/* Search the Lambda logs for one Lambda request id (once per id). */
static int
trace_lambda_id(struct trace *t, const char *lid, int64_t start, int64_t end)
{
	struct trace_sink k = {t, 1, NULL, 0, NULL, NULL};
	size_t *idx, n;
	char *pat;
	int rc;

	if (!trace_searched(t, lid))
		return (0);
	idx = xcalloc(t->nsrcs + 1, sizeof *idx);
	n = trace_pick(
	    t, K_LAMBDA | (1u << LOGLINE_SRC_AUTO), DISCOVER_ROLE_NONE, idx);
	pat = xprintf("\"%s\"", lid);
	rc = trace_search(t, idx, n, pat, NULL, start, end, &k);
	free(pat);
	free(idx);
	return (rc);
}

/*
 * Timeline order: (timestamp, ingestion time), then group and event id so
 * that lines sharing a millisecond come out the same way whichever search
 * found them first. Event ids compare as numbers (shorter first), which is
 * the service's order within a group.
 */
static int
trace_cmp(const void *a, const void *b)
{
	const struct trace_ev *x = *(const struct trace_ev *const *)a;
	const struct trace_ev *y = *(const struct trace_ev *const *)b;
	int c;

	if (x->ev.ts != y->ev.ts)
		return (x->ev.ts < y->ev.ts ? -1 : 1);
	if (x->ev.ingest != y->ev.ingest)
		return (x->ev.ingest < y->ev.ingest ? -1 : 1);
	c = strcmp(x->src->group, y->src->group);
	if (c != 0)
		return (c);
	if (x->ev.id_len != y->ev.id_len)
		return (x->ev.id_len < y->ev.id_len ? -1 : 1);
	return (memcmp(x->ev.id, y->ev.id, x->ev.id_len));
}

/* The timeline in order. */
struct trace_ev **
trace_timeline(struct trace *t, size_t *n)
{
	qsort(t->ev, t->nev, sizeof *t->ev, trace_cmp);
	*n = t->nev;
	return (t->ev);
}

/* Did an invocation's REPORT say it failed (Status: error, timeout)? */
static int
trace_failed(const struct logline *rep)
{
	return (rep->lambda_status[0] != '\0' &&
		strcmp(rep->lambda_status, "success") != 0);
}

/* Read each invocation's stream from its START to its REPORT. */
static int
trace_streams(struct trace *t)
{
	struct trace_sink k = {t, 1, NULL, 0, NULL, NULL};
	struct trace_ev *st, *rep;
	size_t i, j, nev = t->nev, si;
	int64_t from, to, cut;

	for (i = 0; i < nev; i++) {
		st = t->ev[i];
		if (st->ll.kind != LOGLINE_LAMBDA_START ||
		    st->ll.lambda_id[0] == '\0')
			continue;
		rep = NULL;
		for (j = 0; j < nev; j++) {
			if (t->ev[j]->ll.kind == LOGLINE_LAMBDA_REPORT &&
			    t->ev[j]->src == st->src &&
			    strcmp(t->ev[j]->ll.lambda_id, st->ll.lambda_id) ==
				0)
				rep = t->ev[j];
		}
		from = st->ev.ts;
		/* A cold start: the INIT lines come before START. */
		if (rep != NULL && rep->ll.init_ms > 0)
			from -= (int64_t)rep->ll.init_ms + 2000;
		/* A failed invocation: its init lines (INIT_START, init
		 * errors, INIT_REPORT) explain it. */
		if (rep == NULL || trace_failed(&rep->ll))
			from = st->ev.ts - TRACE_INIT_BACK_MS;
		to = rep != NULL ? rep->ev.ts : st->ev.ts + TRACE_AFTER_MS;
		si = (size_t)(st->src - t->srcs);
		if (trace_search(
			t, &si, 1, NULL, st->ev.stream, from, to, &k) != 0)
			return (-1);
		/* Lines of that window that name another request are not
		 * ours (a previous invocation's late lines), nor are the
		 * lines before START up to the last such line. */
		cut = INT64_MIN;
		for (j = nev; j < t->nev; j++) {
			if (t->ev[j]->ll.lambda_id[0] != '\0' &&
			    strcmp(t->ev[j]->ll.lambda_id, st->ll.lambda_id) !=
				0 &&
			    t->ev[j]->ev.ts <= st->ev.ts &&
			    t->ev[j]->ev.ts > cut)
				cut = t->ev[j]->ev.ts;
		}
		for (j = nev; j < t->nev; j++) {
			if ((t->ev[j]->ll.lambda_id[0] != '\0' &&
				strcmp(t->ev[j]->ll.lambda_id,
				    st->ll.lambda_id) != 0) ||
			    (t->ev[j]->ll.lambda_id[0] == '\0' &&
				t->ev[j]->ev.ts <= cut)) {
				free(t->ev[j]);
				t->ev[j] = t->ev[--t->nev];
				j--;
			}
		}
		nev = t->nev;
	}
	return (0);
}

/*
 * The authorizer of an API request, when the access log does not name
 * its invocation: the authorizer function's invocation that started
 * between "Starting authorizer" and the authorizer's result.
 */
static int
trace_authorizer(struct trace *t, const char *api, int64_t start, int64_t end)
{
	struct trace_sink k = {t, 0, NULL, 0, NULL, NULL};
	struct trace_ev *best = NULL;
	size_t *idx, n, i;
	int64_t t1 = INT64_MIN, t2 = INT64_MIN;
	int rc = 0;

	for (i = 0; i < t->nev; i++) {
		struct logline *ll = &t->ev[i]->ll;

		if (strcmp(ll->apigw_id, api) != 0)
			continue;
		if (ll->authorizer_request_id[0] != '\0')
			return (trace_lambda_id(
			    t, ll->authorizer_request_id, start, end));
		if (ll->kind == LOGLINE_EXEC_AUTH_START && t1 == INT64_MIN)
			t1 = t->ev[i]->ev.ts;
		else if ((ll->kind == LOGLINE_EXEC_AUTH_RESULT ||
			     ll->kind == LOGLINE_EXEC_AUTH_POLICY ||
			     ll->kind == LOGLINE_EXEC_AUTH_DONE ||
			     ll->kind == LOGLINE_EXEC_UNAUTHORIZED) &&
			 t->ev[i]->ev.ts > t2)
			t2 = t->ev[i]->ev.ts;
	}
	if (t1 == INT64_MIN)
		return (0);
	if (t2 < t1)
		t2 = t1 + 30000;
	idx = xcalloc(t->nsrcs + 1, sizeof *idx);
	n = trace_pick(t, K_LAMBDA, DISCOVER_ROLE_AUTHORIZER, idx);
	if (n > 0)
		rc = trace_search(t, idx, n, "\"START RequestId\"", NULL,
		    t1 - 200, t2 + 200, &k);
	free(idx);
	for (i = 0; rc == 0 && i < k.nev; i++) {
		if (k.ev[i]->ll.kind != LOGLINE_LAMBDA_START ||
		    k.ev[i]->ll.lambda_id[0] == '\0')
			continue;
		if (best == NULL ||
		    llabs(k.ev[i]->ev.ts - t1) < llabs(best->ev.ts - t1))
			best = k.ev[i];
	}
	if (best != NULL) {
		size_t before = t->nev, j;

		rc = trace_lambda_id(t, best->ll.lambda_id, start, end);
		for (j = before; j < t->nev; j++)
			t->ev[j]->inferred = 1;
		if (t->notice != NULL)
			t->notice(t->arg, 1,
			    "the authorizer invocation was "
			    "matched by time (the execution log does not name "
			    "it)");
	}
	trace_free_evs(k.ev, k.nev);
	return (rc);
}

/*
 * A Lambda request with no API log naming it (an HTTP API's access log
 * without $context.integration.requestId): its Powertools correlation_id
 * is the API request id when the API's logs have a line of that request.
 * Sets api, or leaves it empty. 0, or -1 with t->st.
 */
static int
trace_correlated_api(
    struct trace *t, const char *lid, int64_t start, int64_t end, char *api)
{
	struct trace_sink k = {t, 1, NULL, 0, NULL, NULL};
	char cand[LOGLINE_IDLEN] = "", *pat;
	size_t *idx, n, i, before = t->nev;
	int rc;

	for (i = 0; i < t->nev && cand[0] == '\0'; i++) {
		if (!trace_is_api_log(t->ev[i]) &&
		    strcmp(t->ev[i]->ll.lambda_id, lid) == 0 &&
		    t->ev[i]->ll.correlation_id[0] != '\0')
			memcpy(cand, t->ev[i]->ll.correlation_id, sizeof cand);
	}
	if (cand[0] == '\0')
		return (0);
	idx = xcalloc(t->nsrcs + 1, sizeof *idx);
	n = trace_pick(t, K_EXEC | K_ACCESS | K_AUTO, DISCOVER_ROLE_NONE, idx);
	pat = xprintf("\"%s\"", cand);
	rc = trace_search(t, idx, n, pat, NULL, start, end, &k);
	free(pat);
	free(idx);
	for (i = before; rc == 0 && i < t->nev; i++) {
		if (trace_is_api_log(t->ev[i]) &&
		    strcmp(t->ev[i]->ll.apigw_id, cand) == 0) {
			memcpy(api, cand, LOGLINE_IDLEN);
			break;
		}
	}
	if (api[0] == '\0') {
		/* Not an API request id: what it found is not ours. */
		for (i = before; i < t->nev; i++)
			free(t->ev[i]);
		t->nev = before;
	}
	return (rc);
}

static void
trace_not_found(struct trace *t, const char *id)
{
	struct buf b;
	char s[TIMEEXPR_FMTLEN], e[TIMEEXPR_FMTLEN];
	size_t i;

	timeexpr_format(t->o.start, 0, s);
	timeexpr_format(t->o.end, 0, e);
	buf_init(&b, 0);
	buf_putf(&b, "request '%s' not found in ", id);
	for (i = 0; i < t->nsrcs; i++)
		buf_putf(&b, "%s%s", i ? ", " : "", t->srcs[i].group);
	buf_putf(&b, " between %s and %s", s, e);
	free(t->cause);
	t->cause = buf_take(&b, NULL);
	t->st = TRACE_NOT_FOUND;
}

/* Find the request; see trace.h. */
enum trace_status
trace_run(struct trace *t, const char *id, char **cause)
{
	struct trace_sink k = {t, 1, NULL, 0, NULL, NULL};
	char api[LOGLINE_IDLEN] = "", *pat = NULL;
	size_t *idx = NULL, n, i;
	int64_t first = INT64_MAX, start, end;
	int kind_api = 0, kind_lambda = 0;

	*cause = NULL;
	t->st = TRACE_OK;
	idx = xcalloc(t->nsrcs + 1, sizeof *idx);
	n = trace_pick(t, K_ANY, DISCOVER_ROLE_NONE, idx);
	pat = xprintf("\"%s\"", id);
	if (trace_find(t, idx, n, pat, &k) != 0)
		goto out;
	if (t->nev == 0) {
		trace_not_found(t, id);
		goto out;
	}
	for (i = 0; i < t->nev; i++) {
		struct logline *ll = &t->ev[i]->ll;

		if (t->ev[i]->ev.ts < first)
			first = t->ev[i]->ev.ts;
		if (strcmp(ll->apigw_id, id) == 0)
			kind_api = 1;
		if (strcmp(ll->lambda_id, id) == 0 ||
		    strcmp(ll->authorizer_request_id, id) == 0) {
			kind_lambda = 1;
			if (trace_is_api_log(t->ev[i]) &&
			    ll->apigw_id[0] != '\0')
				memcpy(api, ll->apigw_id, sizeof api);
		}
	}
	if (kind_api)
		snprintf(api, sizeof api, "%s", id);
	t->sum.kind =
	    kind_api ? TRACE_API : (kind_lambda ? TRACE_LAMBDA : TRACE_UNKNOWN);
	/* Narrow the window around the request. */
	start = first - TRACE_BEFORE_MS;
	end = first + TRACE_AFTER_MS;
	if (t->o.start != LOGS_TIME_UNSET && start < t->o.start)
		start = t->o.start;
	if (t->o.end != LOGS_TIME_UNSET && end > t->o.end)
		end = t->o.end;
	if (kind_lambda && !kind_api) {
		(void)trace_searched(t, id);
		if (api[0] == '\0' &&
		    trace_correlated_api(t, id, start, end, api) != 0)
			goto out;
		if (api[0] != '\0') {
			free(pat);
			pat = xprintf("\"%s\"", api);
			n = trace_pick(t, K_EXEC | K_ACCESS | K_AUTO,
			    DISCOVER_ROLE_NONE, idx);
			if (trace_search(
				t, idx, n, pat, NULL, start, end, &k) != 0)
				goto out;
		}
	}
	snprintf(t->sum.apigw_id, sizeof t->sum.apigw_id, "%s", api);
	/* Every Lambda request the API request names. */
	for (i = 0; api[0] != '\0' && i < t->nev; i++) {
		struct logline *ll = &t->ev[i]->ll;

		if (trace_is_api_log(t->ev[i]) &&
		    strcmp(ll->apigw_id, api) == 0 &&
		    ll->lambda_id[0] != '\0' &&
		    trace_lambda_id(t, ll->lambda_id, start, end) != 0)
			goto out;
		/* A Powertools line whose correlation_id is the API id. */
		if (!trace_is_api_log(t->ev[i]) &&
		    strcmp(ll->correlation_id, api) == 0 &&
		    ll->lambda_id[0] != '\0' &&
		    trace_lambda_id(t, ll->lambda_id, start, end) != 0)
			goto out;
	}
	if (api[0] != '\0' && trace_authorizer(t, api, start, end) != 0)
		goto out;
	if (trace_streams(t) != 0)
		goto out;
	trace_timeline(t, &n);
	trace_summarise(t->ev, t->nev, &t->sum);
	if (t->truncated && t->notice != NULL)
		t->notice(t->arg, 0,
		    "more than 100000 lines matched; the "
		    "timeline is cut");
out:
	free(pat);
	free(idx);
	if (t->st != TRACE_OK) {
		*cause = t->cause;
		t->cause = NULL;
	}
	return (t->st);
}

/* The summary (after trace_run). */
const struct trace_summary *
trace_summary(struct trace *t)
{
	return (&t->sum);
}
