/* SPDX-License-Identifier: Apache-2.0 */
/* API discovery: the run, its jobs and phases, and the API it reads. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/discover_int.h"

/* Create a discoverer; see discover.h. */
struct discover *
discover_new(struct aws_client *apigw, struct aws_client *apigwv2,
    struct aws_client *lambda, const char *account)
{
	struct discover *d;

	d = xcalloc(1, sizeof *d);
	d->region = xstrdup(apigw->region);
	d->account = account != NULL ? xstrdup(account) : NULL;
	ratelimit_init(
	    &d->total, DISCOVER_CONTROL_RATE, loop_mono(apigw->ctx->loop));
	apigw_init(&d->v1, apigw, &d->total);
	apigwv2_init(&d->v2, apigwv2, &d->total);
	lambda_init(&d->lam, lambda);
	return (d);
}

/* Free a discoverer. Accepts NULL. */
void
discover_free(struct discover *d)
{
	if (d == NULL)
		return;
	free(d->region);
	free(d->account);
	free(d);
}

/* The name of an API type. */
const char *
discover_type_name(enum discover_type t)
{
	switch (t) {
	case DISCOVER_HTTP:
		return ("HTTP");
	case DISCOVER_WEBSOCKET:
		return ("WEBSOCKET");
	default:
		return ("REST");
	}
}

static int
discover_strcmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Source order: execution, access, lambda:*, authorizer:* (the order of
 * the roles), then function, then group. */
static int
discover_source_cmp(const void *a, const void *b)
{
	const struct discover_source *x = a, *y = b;
	int c;

	if (x->role != y->role)
		return (x->role < y->role ? -1 : 1);
	c = strcmp(x->function != NULL ? x->function : "",
	    y->function != NULL ? y->function : "");
	return (c != 0 ? c : strcmp(x->group, y->group));
}

/* Add a formatted choice to a result. */
static void discover_vchoice(struct discover_result *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
discover_vchoice(struct discover_result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	dctx_add_unique(&r->choices, &r->nchoices, s);
	free(s);
}

/* Reserve a slot for a request; see discover_int.h. */
struct djob *
dctx_job(struct discover_op *c, struct dcall *slot)
{
	struct djob *j;

	j = xcalloc(1, sizeof *j);
	j->c = c;
	j->slot = slot;
	j->next = c->jobs;
	if (c->jobs != NULL)
		c->jobs->prev = j;
	c->jobs = j;
	c->pending++;
	return (j);
}

/* Unlink and free a job. */
static void
dctx_job_free(struct discover_op *c, struct djob *j)
{
	if (j->prev != NULL)
		j->prev->next = j->next;
	else
		c->jobs = j->next;
	if (j->next != NULL)
		j->next->prev = j->prev;
	free(j);
	c->pending--;
}

static void dctx_finish(struct discover_op *);

/* A request answered: fill its slot; after the last one, run on. */
void
dctx_job_done(void *arg, struct restjson_res *res)
{
	struct djob *j = arg;
	struct discover_op *c = j->c;
	dphase next;

	j->slot->err = res->err;
	free(j->slot->desc);
	j->slot->desc = res->err != RESTJSON_OK ? restjson_describe(res) : NULL;
	dctx_job_free(c, j);
	while (c->pending == 0) {
		next = c->next;
		c->next = NULL;
		if (next == NULL) {
			dctx_finish(c);
			return;
		}
		next(c);
	}
}

/* Free a run's state (not its result, not its jobs). */
static void
dctx_free(struct discover_op *c)
{
	size_t i;

	dctx_funcs_free(c);
	free(c->want_stage);
	free(c->stage_desc);
	restjson_map_free(&c->vars);
	restjson_map_free(&c->canary_vars);
	free(c->api.desc);
	free(c->stage.desc);
	free(c->lists[0].desc);
	free(c->lists[1].desc);
	apigw_restapi_free(&c->ra);
	apigwv2_api_free(&c->va);
	apigw_restapis_free(&c->ras);
	apigwv2_apis_free(&c->vas);
	apigw_stage_free(&c->st1);
	apigw_stages_free(&c->sts1);
	apigwv2_stage_free(&c->st2);
	apigwv2_stages_free(&c->sts2);
	free(c->export.desc);
	free(c->resources.desc);
	free(c->auths.desc);
	apigw_definition_free(&c->def);
	apigw_authorizers_free(&c->auths1);
	free(c->routes.desc);
	free(c->integrations.desc);
	apigwv2_routes_free(&c->routes2);
	apigwv2_integrations_free(&c->integrations2);
	apigw_authorizers_free(&c->auths2);
	for (i = 0; i < c->nauth_one; i++) {
		free(c->auth_calls[i].desc);
		apigw_authorizers_free(&c->auth_one[i]);
	}
	free(c->auth_calls);
	free(c->auth_one);
	discover_result_free(c->r);
	free(c);
}

/* The run is over: order the result, hand it over, free the run. */
static void
dctx_finish(struct discover_op *c)
{
	struct discover_result *r = c->r;
	size_t i;

	if (r->nsrcs > 1)
		qsort(r->srcs, r->nsrcs, sizeof *r->srcs, discover_source_cmp);
	for (i = 0; i < r->nsrcs; i++) {
		if (r->srcs[i].nroutes > 1)
			qsort(r->srcs[i].routes, r->srcs[i].nroutes,
			    sizeof *r->srcs[i].routes, discover_strcmp);
	}
	c->r = NULL;
	c->delivering = 1;
	c->done(c->arg, r);
	dctx_free(c);
}

/* The region's APIs are read: they are the choices. */
static void
discover_no_api_done(struct discover_op *c)
{
	struct discover_result *r = c->r;
	size_t i;

	if (c->lists[0].err == RESTJSON_OK) {
		for (i = 0; i < c->ras.n; i++)
			discover_vchoice(r, "%s (REST, %s)", c->ras.v[i].id,
			    c->ras.v[i].name ? c->ras.v[i].name : "no name");
	}
	if (c->lists[1].err == RESTJSON_OK) {
		for (i = 0; i < c->vas.n; i++)
			discover_vchoice(r, "%s (%s, %s)", c->vas.v[i].id,
			    c->vas.v[i].protocol ? c->vas.v[i].protocol : "?",
			    c->vas.v[i].name ? c->vas.v[i].name : "no name");
	}
}

/* No API has the id: list the region's APIs as choices. */
static void
discover_no_api(struct discover_op *c)
{
	struct discover *d = c->d;
	struct djob *j;

	c->r->status = DISCOVER_NO_API;
	c->r->cause = xprintf("no REST, HTTP or WebSocket API has the id '%s' "
			      "in %s",
	    c->r->api_id, d->region);
	j = dctx_job(c, &c->lists[0]);
	j->op = apigw_list_restapis(&d->v1, &c->ras, dctx_job_done, j);
	j = dctx_job(c, &c->lists[1]);
	j->op = apigwv2_list_apis(&d->v2, &c->vas, dctx_job_done, j);
	c->next = discover_no_api_done;
}

/* GetApi answered: an HTTP or WebSocket API, or no API at all. */
static void
discover_v2_api_done(struct discover_op *c)
{
	struct discover_result *r = c->r;

	if (c->api.err == RESTJSON_NOT_FOUND) {
		discover_no_api(c);
		return;
	}
	if (c->api.err != RESTJSON_OK) {
		dctx_fail(c, "GetApi", &c->api);
		return;
	}
	r->type =
	    c->va.protocol != NULL && strcmp(c->va.protocol, "WEBSOCKET") == 0
		? DISCOVER_WEBSOCKET
		: DISCOVER_HTTP;
	if (c->va.name != NULL)
		r->api_name = xstrdup(c->va.name);
	c->stage_ready = discover_v2;
	dctx_stage_start(c);
}

/* GetRestApi answered: a REST API, or ask API Gateway v2. */
static void
discover_api_done(struct discover_op *c)
{
	struct djob *j;

	if (c->api.err == RESTJSON_OK) {
		c->r->type = DISCOVER_REST;
		if (c->ra.name != NULL)
			c->r->api_name = xstrdup(c->ra.name);
		c->stage_ready = discover_rest;
		dctx_stage_start(c);
		return;
	}
	if (c->api.err != RESTJSON_NOT_FOUND) {
		dctx_fail(c, "GetRestApi", &c->api);
		return;
	}
	/* Not a REST API: an HTTP or WebSocket API? */
	j = dctx_job(c, &c->api);
	j->op =
	    apigwv2_get_api(&c->d->v2, c->r->api_id, &c->va, dctx_job_done, j);
	c->next = discover_v2_api_done;
}

/* Start a run; see discover.h. */
struct discover_op *
discover_start(struct discover *d, const char *api_id, const char *stage,
    discover_done_cb done, void *arg)
{
	struct discover_op *c;
	struct djob *j;

	c = xcalloc(1, sizeof *c);
	c->d = d;
	c->done = done;
	c->arg = arg;
	c->r = xcalloc(1, sizeof *c->r);
	c->r->api_id = xstrdup(api_id);
	c->want_stage = stage != NULL ? xstrdup(stage) : NULL;
	j = dctx_job(c, &c->api);
	j->op = apigw_get_restapi(&d->v1, api_id, &c->ra, dctx_job_done, j);
	c->next = discover_api_done;
	return (c);
}

/* Cancel a run; see discover.h. */
void
discover_op_cancel(struct discover_op *c)
{
	struct djob *j;

	if (c == NULL || c->delivering)
		return;
	while (c->jobs != NULL) {
		j = c->jobs;
		restjson_cancel(j->op);
		dctx_job_free(c, j);
	}
	dctx_free(c);
}

struct discover_sync {
	struct discover_result *r;
	int done;
};

static void
discover_sync_done(void *arg, struct discover_result *r)
{
	struct discover_sync *s = arg;

	s->r = r;
	s->done = 1;
}

/* Discover, running the loop: for the command layer; see discover.h. */
struct discover_result *
discover_run_sync(struct discover *d, const char *api_id, const char *stage)
{
	struct discover_sync s;
	struct discover_op *c;

	memset(&s, 0, sizeof s);
	c = discover_start(d, api_id, stage, discover_sync_done, &s);
	loop_run_until(d->v1.c->ctx->loop, &s.done);
	if (s.done)
		return (s.r);
	discover_op_cancel(c);
	s.r = xcalloc(1, sizeof *s.r);
	s.r->api_id = xstrdup(api_id);
	s.r->status = DISCOVER_STOPPED;
	s.r->cause = xstrdup("interrupted");
	return (s.r);
}

/* Free a list of strings. */
static void
discover_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free a result. Accepts NULL. */
void
discover_result_free(struct discover_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsrcs; i++) {
		free(r->srcs[i].group);
		free(r->srcs[i].reason);
		free(r->srcs[i].function);
		free(r->srcs[i].logical_id);
		free(r->srcs[i].resource_type);
		discover_strv_free(r->srcs[i].routes, r->srcs[i].nroutes);
	}
	free(r->srcs);
	discover_strv_free(r->warnings, r->nwarnings);
	discover_strv_free(r->notes, r->nnotes);
	discover_strv_free(r->choices, r->nchoices);
	free(r->api_id);
	free(r->stack);
	free(r->api_name);
	free(r->stage);
	free(r->cause);
	free(r);
}
