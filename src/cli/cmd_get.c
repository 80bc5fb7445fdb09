/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs get: print the events of groups or of an API, merged in order. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/cmd_api.h"
#include "cli/cmd_get_engine.h"
#include "cli/cmd_get_int.h"
#include "cli/filter.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cli/render.h"
#include "core/timeexpr.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "discover/discover.h"
#include "logs/engine.h"
#include "logs/logs.h"
#include "trace/corr.h"

/*
 * A source from API discovery. A group already read (named with -g too)
 * keeps one source, which takes the discovered role but stays required.
 * While running (re-discovery in --watch), it joins the engine.
 */
static void
get_api_source(void *arg, const struct discover_source *ds)
{
	struct get *g = arg;
	struct cmd_source *old;
	size_t w, n = g->nsrc;

	old = cmd_source_add(&g->srcs, &g->nsrc, ds->group);
	if (g->nsrc > n)
		old->src.optional = ds->optional;
	if (old->role == DISCOVER_ROLE_NONE)
		cmd_source_set_role(old, ds);
	if (g->e == NULL || old->style.color != 0)
		return;
	get_stream_nolist(g, old, g->a->o->stream_regex);
	old->style.color = render_group_color(old->src.group);
	w = utf8_escape_width(old->src.group, strlen(old->src.group), 0);
	if (w > g->r.group_width)
		g->r.group_width = w;
	engine_add_source(g->e, &old->src);
}

/* Does an event pass the local filters (--grep, --exclude, --level)? */
int
get_filter_ok(struct get *g, const struct event *ev, const struct source *s)
{
	const struct cmd_source *cs = cmd_source_of(s);

	return (filter_match(g->a->filter, ev->msg, ev->msg_len,
	    corr_source_kind(cs->role, s->group)));
}

static int
get_write(void *arg, const struct event *ev, const struct source *s,
    const struct corr_tag *tag)
{
	struct get *g = arg;
	size_t before = g->out.b.len;

	if (!get_filter_ok(g, ev, s)) {
		g->filtered++;
		return (0);
	}
	/* Straight into the output buffer: no copy of the line. */
	render_event(&g->r, ev, &cmd_source_of(s)->style, tag, &g->out.b);
	if (g->out.b.len == before) {
		g->skipped++; /* --query gave null */
		return (0);
	}
	g->written++;
	return (out_eol(&g->out) != 0);
}

/* An event from the engine, in order: render it, or correlate first. */
int
get_emit(void *arg, const struct event *ev, const struct source *s)
{
	struct get *g = arg;
	const struct cmd_source *cs = cmd_source_of(s);

	if (g->corr != NULL)
		return (corr_push(g->corr, ev, s,
		    corr_source_kind(cs->role, s->group),
		    loop_mono(g->a->loop)));
	return (get_write(g, ev, s, NULL));
}

/*
 * The reader of stdout went away (| head): end quietly, as on EPIPE, even
 * when no event comes to be written (a quiet --watch).
 */
static void
get_stdout_hup(void *arg, int revents)
{
	struct get *g = arg;

	(void)revents;
	loop_fd_unwatch(g->a->loop, g->hup);
	g->hup = 0;
	g->out.closed = 1;
	buf_reset(&g->out.b);
	if (g->e != NULL)
		engine_stop(g->e);
}

static void
get_corr_timer(void *arg)
{
	struct get *g = arg;

	g->corr_timer = loop_timer_in(g->a->loop, 250, get_corr_timer, g);
	if (corr_release(g->corr, loop_mono(g->a->loop), 0) == 0)
		out_flush(&g->out);
}

/*
 * Correlate request ids when they are shown (--request-ids, JSON output of
 * API logs) or filtered on (--request-id). Lambda lines wait for their API
 * request id only when both execution/access and Lambda logs are read.
 */
static void
get_setup_corr(struct get *g)
{
	struct opts *o = g->a->o;
	struct corr_opts co;
	int api = 0, lambda = 0, known = 0;
	size_t i;

	for (i = 0; i < g->nsrc; i++) {
		switch (
		    corr_source_kind(g->srcs[i]->role, g->srcs[i]->src.group)) {
		case LOGLINE_SRC_EXECUTION:
		case LOGLINE_SRC_ACCESS:
			api = known = 1;
			break;
		case LOGLINE_SRC_LAMBDA:
			lambda = known = 1;
			break;
		default:
			/* A -g group of no known kind may be an access log
			 * (an HTTP API's, linked by correlation_id). */
			api = 1;
			break;
		}
	}
	if (!o->request_ids && o->request_id == NULL &&
	    !(o->output == OUTPUT_JSON && known))
		return;
	memset(&co, 0, sizeof co);
	co.lookahead_ms = 30000; /* API Gateway times out at 29 s */
	co.wait_ms =
	    o->watch ? (o->hold_back_ms > 3000 ? o->hold_back_ms : 3000) : 0;
	co.wait_for_mapping = api && lambda;
	co.only_id = o->request_id;
	g->corr = corr_new(&co, get_write, g);
	g->r.show_reqids = o->request_ids;
}

void
get_notice(void *arg, int level, const char *msg)
{
	(void)arg;
	if (level == ENGINE_NOTICE_WARN)
		warnf("%s", msg);
	else
		verbosef(level, "%s", msg);
}

void
get_idle(void *arg)
{
	struct get *g = arg;

	out_flush(&g->out);
}

static void
get_tick(void *arg, const struct engine_stats *st)
{
	struct get *g = arg;
	char line[160];
	double pct = 0, secs;
	int64_t now = loop_now(g->a->loop), mono = loop_mono(g->a->loop);

	if (st->start != LOGS_TIME_UNSET && st->events > 0) {
		int64_t end = st->end != LOGS_TIME_UNSET ? st->end : now;

		if (end > st->start)
			pct = 100.0 * (double)(st->position - st->start) /
			      (double)(end - st->start);
		if (pct < 0)
			pct = 0;
		if (pct > 100)
			pct = 100;
	}
	/* The request rate over the last second or so. */
	secs = (double)(mono - g->rate_at) / 1000.0;
	if (secs >= 1.0) {
		/* Both pools: FilterLogEvents and GetLogEvents. */
		g->rate = (double)(st->requests + st->get_requests -
				   g->last_requests) /
			  secs;
		g->rate_at = mono;
		g->last_requests = st->requests + st->get_requests;
	}
	snprintf(line, sizeof line,
	    "%llu events, %zu/%zu sources done, "
	    "%.0f%% of the window, %.1f requests/s",
	    (unsigned long long)st->events, st->sources_done, st->sources, pct,
	    g->rate);
	msg_status(line);
}

/* The main read: history from eo's start, then follow with --watch. */
static enum engine_status
get_run(struct get *g, struct engine_opts *eo, char **cause)
{
	struct app *a = g->a;
	struct opts *o = a->o;
	struct engine *e;
	enum engine_status st;
	size_t i;

	e = engine_new(a->loop, g->logs, eo);
	for (i = 0; i < g->nsrc; i++)
		engine_add_source(e, &g->srcs[i]->src);
	engine_set_callbacks(e, get_emit, get_notice, get_idle, g);
	g->e = e;
	if (g->api != NULL && o->watch)
		cmd_api_watch(g->api, 0);
	if (g->corr != NULL && o->watch)
		g->corr_timer = loop_timer_in(a->loop, 250, get_corr_timer, g);
	g->progress = !o->watch && !o->no_progress && isatty(STDERR_FILENO) &&
		      !msg_dumb_term();
	g->started = g->rate_at = loop_mono(a->loop);
	if (g->progress)
		engine_set_tick(e, get_tick, 250);
	st = engine_run(e, cause);
	if (g->progress)
		msg_status_clear();
	return (st);
}

static void
get_free(struct get *g)
{
	engine_free(g->e);
	cmd_api_free(g->api);
	cmd_sources_free(g->srcs, g->nsrc);
	out_free(&g->out);
	corr_free(g->corr);
	render_free(&g->r);
}

struct get_arn {
	const char *group;
	char *arn;
};

static int
get_arn_cb(void *arg, const struct logs_group *lg)
{
	struct get_arn *ga = arg;

	if (strcmp(lg->name, ga->group) != 0 || lg->arn == NULL)
		return (0);
	ga->arn = xstrdup(lg->arn);
	return (1);
}

/*
 * Live Tail names groups by ARN. The engine builds them from any one ARN
 * of the run (same partition, region, account): when no source has one
 * yet, ask DescribeLogGroups for the first group that exists. Without
 * one, the engine polls (auto) or says why it cannot (live).
 */
static void
get_live_arn(struct get *g)
{
	struct aws_result res;
	struct get_arn ga;
	size_t i;
	int more;

	for (i = 0; i < g->nsrc; i++) {
		if (g->srcs[i]->src.arn != NULL)
			return;
	}
	for (i = 0; i < g->nsrc && i < 3; i++) {
		if (strncmp(g->srcs[i]->src.group, "arn:", 4) == 0)
			continue; /* an ARN already, maybe of another account */
		memset(&ga, 0, sizeof ga);
		ga.group = g->srcs[i]->src.group;
		if (logs_groups_page(g->logs, ga.group, 50, get_arn_cb, &ga,
			&more, &res) != 0) {
			verbosef(1, "no ARN for '%s': DescribeLogGroups failed",
			    ga.group);
			aws_result_free(&res);
			return;
		}
		aws_result_free(&res);
		if (ga.arn != NULL) {
			g->srcs[i]->src.arn = ga.arn;
			return;
		}
	}
}

/* Print the events of the selected groups; see README. */
int
cmd_get(struct app *a)
{
	struct opts *o = a->o;
	struct get g;
	struct engine_opts eo;
	struct cmd_source *s;
	char *cause = NULL;
	size_t i, w;
	uint64_t found = 0;
	int rc;
	enum engine_status st;

	memset(&g, 0, sizeof g);
	g.a = a;
	out_init(&g.out, STDOUT_FILENO, 0);
	rc = cmd_time_window(a, o->last > 0 ? NULL : "5m", &g.start, &g.end);
	if (rc != 0)
		goto out;
	g.logs = app_client(a, AWS_LOGS, &cause);
	if (g.logs == NULL) {
		errorf("%s", cause);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = cmd_sources_for(a, &g.srcs, &g.nsrc);
	if (rc != 0)
		goto out;
	if (o->api_id != NULL || o->stack_name != NULL) {
		rc = cmd_api_run(a, &g.api);
		if (g.api == NULL)
			goto out;
		rc = cmd_api_add_sources(g.api, get_api_source, &g);
		if (rc != 0)
			goto out;
	}
	rc = get_select_streams(&g);
	if (rc != 0)
		goto out;

	cmd_render_init(&g.r, a);
	for (i = 0; i < g.nsrc; i++) {
		s = g.srcs[i];
		s->style.color = render_group_color(s->src.group);
		w = utf8_escape_width(s->src.group, strlen(s->src.group), 0);
		if (g.nsrc > 1 && w > g.r.group_width)
			g.r.group_width = w;
	}
	g.out.line_flush = o->watch && !isatty(STDOUT_FILENO);

	memset(&eo, 0, sizeof eo);
	eo.start = g.start;
	eo.end = g.end;
	eo.pattern = o->filter_pattern;
	eo.follow = o->watch;
	eo.interval_ms = o->watch_interval_ms;
	eo.hold_back_ms = o->hold_back_ms;
	eo.overlap_ms = o->overlap_ms;
	eo.max_rps = o->max_rps;
	eo.get_rps = o->max_get_rps;
	eo.describe_rps = o->max_describe_rps;
	/* GetLogEvents events have no eventId: what prints one (JSON,
	 * --event-id) reads through FilterLogEvents only. */
	eo.stream_reads = g.r.show_event_id || g.r.fmt == RENDER_JSON
			      ? 0
			      : (size_t)o->stream_reads;
	eo.max_slices = (size_t)o->slices;
	eo.limit = o->page_size;
	eo.follow_mode = (enum engine_follow)o->follow_mode;
	if (o->watch && eo.follow_mode != ENGINE_FOLLOW_POLL &&
	    eo.end == LOGS_TIME_UNSET)
		get_live_arn(&g);
	rc = get_choose_engine(a, g.logs, g.srcs, g.nsrc, &eo);
	if (rc != 0)
		goto out;
	get_setup_corr(&g);
	g.hup =
	    loop_fd_watch(a->loop, g.out.fd, LOOP_FD_HUP, get_stdout_hup, &g);
	st = ENGINE_OK;
	if (o->last > 0)
		st = get_last(&g, &eo, &found, &cause);
	if (st == ENGINE_OK && !g.out.closed && !loop_interrupted() &&
	    (o->last == 0 || o->watch)) {
		st = get_run(&g, &eo, &cause);
		found += engine_stats(g.e)->events;
	}
	loop_fd_unwatch(a->loop, g.hup);
	loop_timer_cancel(a->loop, g.corr_timer);
	if (g.corr != NULL && st == ENGINE_OK && !g.out.closed)
		corr_release(g.corr, loop_mono(a->loop), 1);
	out_flush(&g.out);
	if (st == ENGINE_OK && !o->watch && !g.out.closed && g.written == 0 &&
	    !loop_interrupted())
		get_empty_note(&g, found);
	switch (st) {
	case ENGINE_OK:
		rc = EXIT_OK;
		break;
	case ENGINE_ERR_NOTFOUND:
		errorf("%s", cause);
		rc = EXIT_NOTFOUND;
		break;
	case ENGINE_ERR_ACCESS:
		errorf("%s", cause);
		rc = EXIT_CREDS;
		break;
	default:
		errorf("%s", cause);
		rc = EXIT_AWS;
		break;
	}
out:
	free(cause);
	get_free(&g);
	return (rc);
}
