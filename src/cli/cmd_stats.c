/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apilogs stats: an API's health from its logs. The events of the API's
 * log groups are read by the engine (FilterLogEvents, as get reads them)
 * and counted by trace/stats.c with the same log-line readers as get and
 * trace; statsview.c draws the result.
 */

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
#include "cli/statsview.h"
#include "core/buf.h"
#include "core/xmalloc.h"
#include "discover/discover.h"
#include "logs/groupspec.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "trace/corr.h"
#include "trace/stats.h"
#include "trace/stats_insights.h"

/* stats_insights(): count locally instead. */
#define STATS_LOCAL (-2)

/* About this many bins when --bin is not given. */
#define STATS_AUTO_BINS 60

struct stats_cmd {
	struct app *a;
	struct cmd_source **srcs;
	size_t nsrc;
	struct stats *st;
	int progress;
};

/* A discovered source: add it unless -g already named its group. */
static void
stats_api_source(void *arg, const struct discover_source *ds)
{
	struct stats_cmd *s = arg;

	cmd_source_add_found(&s->srcs, &s->nsrc, ds);
}

/* Which log a source is for stats: AUTO (a -g group of no known kind)
 * is read as an access log. */
static enum logline_source
stats_kind(const struct cmd_source *cs)
{
	enum logline_source k = corr_source_kind(cs->role, cs->src.group);

	return (k == LOGLINE_SRC_AUTO ? LOGLINE_SRC_ACCESS : k);
}

/* The Lambda function of a source: discovery's, or NAME of a group
 * /aws/lambda/NAME named with -g (by name or ARN, whose name ends the
 * string: groupspec keeps neither ":*" nor a stream regex); NULL for the
 * others. */
static const char *
stats_function(const struct cmd_source *cs)
{
	const char *g = cs->src.group, *name;
	size_t len;

	if (cs->function != NULL)
		return (cs->function);
	name = groupspec_arn_name(g, &len, NULL, NULL);
	if (name != NULL && name[len] == '\0')
		g = name;
	if (strncmp(g, "/aws/lambda/", 12) == 0)
		return (g + 12);
	return (NULL);
}

/* Count one event. */
static int
stats_emit(void *arg, const struct event *ev, const struct source *src)
{
	struct stats_cmd *s = arg;
	struct cmd_source *cs = cmd_source_of(src);

	stats_add(s->st, ev->msg, ev->msg_len, ev->ts, stats_kind(cs),
	    stats_function(cs));
	return (0);
}

/* Engine notices: warnings always, the rest with -v. */
static void
stats_notice(void *arg, int level, const char *msg)
{
	(void)arg;
	if (level == ENGINE_NOTICE_WARN)
		warnf("%s", msg);
	else
		verbosef(level, "%s", msg);
}

/* The progress line on a terminal. */
static void
stats_tick(void *arg, const struct engine_stats *st)
{
	char line[128];

	(void)arg;
	snprintf(line, sizeof line, "%llu events, %zu/%zu sources done",
	    (unsigned long long)st->events, st->sources_done, st->sources);
	msg_status(line);
}

/* A bin width giving about STATS_AUTO_BINS bins over the window. */
static int64_t
stats_auto_bin(int64_t span)
{
	static const int64_t w[] = {10, 30, 60, 300, 600, 900, 1800, 3600,
	    3 * 3600, 6 * 3600, 12 * 3600, 86400};
	size_t i;

	for (i = 0; i < sizeof w / sizeof w[0] - 1; i++)
		if (w[i] * 1000 * STATS_AUTO_BINS >= span)
			break;
	return (w[i] * 1000);
}

/* Name, on stderr, what the logs read could not give. */
static void
stats_missing(const struct stats_result *r, const struct stats_cmd *s)
{
	const struct stats_seen *n = &r->seen;
	size_t i, lambdas = 0;

	for (i = 0; i < s->nsrc; i++)
		lambdas += s->srcs[i]->role == DISCOVER_ROLE_LAMBDA ||
			   s->srcs[i]->role == DISCOVER_ROLE_AUTHORIZER;
	if (r->have_access && r->series[0].total.requests > 0) {
		if (r->series[0].total.latency.n == 0)
			warnf("no total latency: the access-log format has no "
			      "$context.responseLatency field");
		if (r->series[0].total.integration.n == 0)
			warnf("no integration latency: the access-log format "
			      "has no $context.integrationLatency field");
		if (r->nseries == 2 &&
		    strcmp(r->series[1].key, "(unknown)") == 0)
			warnf("no routes: the access-log format has no "
			      "$context.httpMethod/$context.resourcePath or "
			      "$context.routeKey field");
	} else if (r->have_access && n->access > 0)
		warnf("no requests: the access-log format has no "
		      "$context.status field");
	else if (!r->have_access)
		warnf("no access log: requests and statuses come from the "
		      "execution log; no total latency%s",
		    n->exec_integration == 0 ? ", no integration latency" : "");
	if (lambdas == 0 && n->reports == 0)
		verbosef(1, "no Lambda function: no duration, cold starts or "
			    "timeouts");
}

/* Read the window and count it: EXIT_OK, -1 when interrupted (Ctrl-C
 * ends quietly, as in get), or the exit code of the error printed. */
static int
stats_read(struct stats_cmd *s, int64_t start, int64_t end)
{
	struct opts *o = s->a->o;
	struct aws_client *logs;
	struct engine_opts eo;
	struct engine *e;
	char *cause = NULL;
	size_t i;
	int rc;
	enum engine_status st;

	logs = app_client(s->a, AWS_LOGS, &cause);
	if (logs == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	memset(&eo, 0, sizeof eo);
	eo.start = start;
	eo.end = end;
	eo.max_rps = o->max_rps;
	eo.limit = o->page_size;
	e = engine_new(s->a->loop, logs, &eo);
	for (i = 0; i < s->nsrc; i++)
		engine_add_source(e, &s->srcs[i]->src);
	engine_set_callbacks(e, stats_emit, stats_notice, NULL, s);
	s->progress =
	    !o->no_progress && isatty(STDERR_FILENO) && !msg_dumb_term();
	if (s->progress)
		engine_set_tick(e, stats_tick, 250);
	st = engine_run(e, &cause);
	if (s->progress)
		msg_status_clear();
	engine_free(e);
	switch (st) {
	case ENGINE_OK:
		rc = loop_interrupted() ? -1 : EXIT_OK;
		break;
	case ENGINE_ERR_NOTFOUND:
		rc = EXIT_NOTFOUND;
		break;
	case ENGINE_ERR_ACCESS:
		rc = EXIT_CREDS;
		break;
	default:
		rc = EXIT_AWS;
		break;
	}
	if (cause != NULL)
		errorf("%s", cause);
	free(cause);
	return (rc);
}

/*
 * Count through Logs Insights: EXIT_OK with *out, STATS_LOCAL when the
 * local count should do it (auto, and Insights cannot), -1 when
 * interrupted, or the exit code of the error printed.
 */
static int
stats_insights(struct stats_cmd *s, int64_t start, int64_t end, int64_t bin,
    int have_access, struct stats_result **out)
{
	struct opts *o = s->a->o;
	struct aws_client *logs;
	struct stats_iq_group *g;
	struct stats_iq_info info;
	struct stats_result *r;
	struct stats *st0;
	char *cause = NULL;
	size_t i;
	int rc = EXIT_OK, automatic = o->engine == READ_AUTO;
	enum stats_iq_status st;

	logs = app_client(s->a, AWS_LOGS, &cause);
	if (logs == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	g = xcalloc(s->nsrc + 1, sizeof *g);
	for (i = 0; i < s->nsrc; i++) {
		g[i].group = s->srcs[i]->src.group;
		g[i].kind = stats_kind(s->srcs[i]);
		g[i].function = stats_function(s->srcs[i]);
	}
	/* An empty result of the same shape for the answers; s->st stays
	 * for the local count. */
	st0 = stats_new(start, end, bin, (enum stats_by)o->stats_by, 1, &cause);
	r = stats_finish(st0);
	stats_free(st0);
	if (!have_access) {
		st = STATS_IQ_UNSUPPORTED;
		cause = xstrdup("no access log");
	} else
		st = stats_insights_run(
		    s->a->loop, logs, g, s->nsrc, start, end, r, &info, &cause);
	switch (st) {
	case STATS_IQ_OK:
		verbosef(1,
		    "Logs Insights: %zu stats queries, %.0f records and "
		    "%.1f MB scanned",
		    info.queries, info.records_scanned,
		    info.bytes_scanned / 1e6);
		*out = r;
		r = NULL;
		break;
	case STATS_IQ_UNSUPPORTED:
		if (automatic) {
			verbosef(1,
			    "counting locally: Logs Insights cannot "
			    "(%s)",
			    cause);
			rc = STATS_LOCAL;
		} else {
			errorf("--engine insights: %s; use --engine filter",
			    cause);
			rc = EXIT_AWS;
		}
		break;
	case STATS_IQ_ERR_ACCESS:
		if (automatic) {
			notef("Logs Insights denied (%s): counting from "
			      "FilterLogEvents",
			    cause);
			rc = STATS_LOCAL;
		} else {
			errorf("%s", cause);
			rc = EXIT_CREDS;
		}
		break;
	case STATS_IQ_STOPPED:
		rc = -1;
		break;
	default:
		errorf("%s", cause);
		rc = EXIT_AWS;
		break;
	}
	stats_result_free(r);
	free(cause);
	free(g);
	return (rc);
}

/* An API's health from its logs; see README. */
int
cmd_stats(struct app *a)
{
	struct opts *o = a->o;
	struct stats_cmd s;
	struct cmd_api *api = NULL;
	struct stats_result *r = NULL;
	struct statsview_opts vo;
	struct buf b;
	struct out out;
	char *cause = NULL;
	int64_t start, end, bin;
	size_t i;
	int rc, have_access = 0;

	memset(&s, 0, sizeof s);
	s.a = a;
	buf_init(&b, 0);
	rc = cmd_time_window(a, "1h", &start, &end);
	if (rc != 0)
		goto out;
	if (end == LOGS_TIME_UNSET)
		end = loop_now(a->loop);
	if (end < start) {
		errorf("--end is before --start");
		rc = EXIT_USAGE;
		goto out;
	}
	bin = o->bin_ms > 0 ? o->bin_ms : stats_auto_bin(end - start);
	/* Whole seconds, as Logs Insights reads them: both engines count
	 * the same events. */
	start -= start % 1000;
	end += 999 - end % 1000;
	rc = cmd_sources_for(a, &s.srcs, &s.nsrc);
	if (rc != 0)
		goto out;
	if (o->api_id != NULL || o->stack_name != NULL) {
		rc = cmd_api_run(a, &api);
		if (rc != 0 || api == NULL)
			goto out;
		rc = cmd_api_add_sources(api, stats_api_source, &s);
		if (rc != 0)
			goto out;
	}
	/* A group named with -g that is neither an execution log nor a
	 * Lambda function's counts as an access log. */
	for (i = 0; i < s.nsrc; i++)
		have_access |= stats_kind(s.srcs[i]) == LOGLINE_SRC_ACCESS;
	s.st = stats_new(
	    start, end, bin, (enum stats_by)o->stats_by, have_access, &cause);
	if (s.st == NULL) {
		errorf("%s", cause);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = o->engine == READ_FILTER
		 ? STATS_LOCAL
		 : stats_insights(&s, start, end, bin, have_access, &r);
	if (rc == STATS_LOCAL)
		rc = stats_read(&s, start, end);
	if (rc != EXIT_OK) {
		rc = rc < 0 ? EXIT_OK : rc;
		goto out;
	}
	if (r == NULL)
		r = stats_finish(s.st);
	stats_result_sort(r);
	stats_missing(r, &s);
	memset(&vo, 0, sizeof vo);
	vo.api_id = o->api_id;
	vo.stage = o->stage;
	vo.start = start;
	vo.end = end;
	vo.by = (enum stats_by)o->stats_by;
	if (o->output == OUTPUT_JSON)
		statsview_json(&b, r, &vo);
	else {
		vo.width = statsview_width(STDOUT_FILENO);
		vo.unicode = isatty(STDOUT_FILENO) && !msg_dumb_term();
		vo.color = cmd_use_color(o->color);
		statsview_text(&b, r, &vo);
	}
	out_init(&out, STDOUT_FILENO, 0);
	(void)out_write(&out, b.data, b.len);
	out_flush(&out);
	out_free(&out);
out:
	buf_free(&b);
	free(cause);
	stats_result_free(r);
	stats_free(s.st);
	cmd_api_free(api);
	cmd_sources_free(s.srcs, s.nsrc);
	return (rc);
}
