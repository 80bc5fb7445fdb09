/* SPDX-License-Identifier: Apache-2.0 */
/* Discovery of an HTTP or WebSocket API (API Gateway v2), once its stage
 * is read. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/discover_int.h"

/* Is a logging level one that writes execution logs? */
static int
v2_logging_on(const char *lv)
{
	return (lv != NULL &&
		(strcmp(lv, "INFO") == 0 || strcmp(lv, "ERROR") == 0));
}

/* WebSocket APIs: the execution log group, when logging is on. */
static void
v2_execution(struct discover_op *c, const struct apigwv2_stage *st)
{
	const char *level = NULL;
	char *where = NULL;
	size_t i;

	if (v2_logging_on(st->logging_level))
		level = st->logging_level;
	for (i = 0; i < st->nroute_settings && level == NULL; i++) {
		if (v2_logging_on(st->route_settings[i].logging_level)) {
			level = st->route_settings[i].logging_level;
			where = xprintf(
			    "route %s", st->route_settings[i].route_key);
		}
	}
	if (level == NULL) {
		dresult_warn(c->r,
		    "execution logging is off on %s: set its default route "
		    "logging level to INFO or ERROR (aws apigatewayv2 "
		    "update-stage --api-id %s --stage-name %s "
		    "--default-route-settings LoggingLevel=INFO); the other "
		    "sources are read",
		    c->stage_desc, c->r->api_id, st->name);
		return;
	}
	dctx_add_execution(c, level, where);
	free(where);
}

/* Note the Lambda integrations the routes use. */
static void
v2_integrations(struct discover_op *c)
{
	const struct apigwv2_routes *routes = &c->routes2;
	const struct apigwv2_integration *v;
	char **used, *target, *what;
	size_t i, k, nused;

	used = xcalloc(routes->n + 1, sizeof *used);
	for (i = 0; i < c->integrations2.n; i++) {
		v = &c->integrations2.v[i];
		target = xprintf("integrations/%s", v->id);
		nused = 0;
		for (k = 0; k < routes->n; k++) {
			if (routes->v[k].target != NULL &&
			    strcmp(routes->v[k].target, target) == 0)
				used[nused++] = routes->v[k].key;
		}
		free(target);
		if (nused == 0) {
			dresult_note(c->r,
			    "integration %s is used by no route; "
			    "skipped",
			    v->id);
			continue;
		}
		if (v->type == NULL || v->uri == NULL ||
		    (strcmp(v->type, "AWS_PROXY") != 0 &&
			strcmp(v->type, "AWS") != 0)) {
			dresult_note(c->r,
			    "%s: %s integration, no Lambda function", used[0],
			    v->type ? v->type : "?");
			continue;
		}
		what = xprintf("integration of %s", used[0]);
		dctx_add_uri(c, v->uri, what, used, nused, NULL);
		free(what);
	}
	free(used);
}

/* Note the Lambda (REQUEST) authorizers in c->auths2 the routes use. */
static void
v2_authorizers(struct discover_op *c)
{
	const struct apigwv2_routes *routes = &c->routes2;
	const struct apigw_authorizer *v;
	const char *name;
	char **used, *what, *desc;
	size_t i, k, nused;

	used = xcalloc(routes->n + 1, sizeof *used);
	for (i = 0; i < c->auths2.n; i++) {
		v = &c->auths2.v[i];
		name = v->name ? v->name : v->id;
		nused = 0;
		for (k = 0; k < routes->n; k++) {
			if (routes->v[k].authorizer_id != NULL &&
			    strcmp(routes->v[k].authorizer_id, v->id) == 0)
				used[nused++] = routes->v[k].key;
		}
		if (nused == 0)
			continue;
		if (v->type == NULL || strcmp(v->type, "REQUEST") != 0 ||
		    v->uri == NULL) {
			dresult_note(c->r,
			    "authorizer '%s' (%s) is not a Lambda "
			    "authorizer",
			    name, v->type ? v->type : "?");
			continue;
		}
		what = xprintf("authorizer '%s'", name);
		desc = xprintf("authorizer '%s' (REQUEST)", name);
		dctx_add_uri(c, v->uri, what, used, nused, desc);
		free(desc);
		free(what);
	}
	free(used);
	c->next = dctx_resolve_start;
}

/* An authorizer could not be read: the run goes on without them, unless
 * the loop was stopped. */
static void
v2_no_authorizers(struct discover_op *c, const char *op, struct dcall *call)
{
	if (call->err == RESTJSON_STOPPED) {
		dctx_fail(c, op, call);
		return;
	}
	dresult_warn(
	    c->r, "%s: %s; Lambda authorizers are not read", op, call->desc);
	c->next = dctx_resolve_start;
}

/* Every GetAuthorizer answered: gather them in route order. */
static void
v2_fallback_done(struct discover_op *c)
{
	struct apigw_authorizers *one;
	size_t i, k;

	for (i = 0; i < c->nauth_one; i++) {
		if (c->auth_calls[i].err != RESTJSON_OK) {
			v2_no_authorizers(
			    c, "GetAuthorizer", &c->auth_calls[i]);
			return;
		}
	}
	for (i = 0; i < c->nauth_one; i++) {
		one = &c->auth_one[i];
		for (k = 0; k < one->n; k++)
			*(struct apigw_authorizer *)restjson_push(&c->auths2.v,
			    &c->auths2.n, sizeof *one->v) = one->v[k];
		one->n = 0;
	}
	dresult_note(c->r,
	    "GetAuthorizers failed; read %zu authorizers one by one",
	    c->auths2.n);
	v2_authorizers(c);
}

/* Has a route before i named authorizer id? */
static int
v2_seen_auth(const struct apigwv2_routes *routes, size_t i, const char *id)
{
	size_t k;

	for (k = 0; k < i; k++) {
		if (routes->v[k].authorizer_id != NULL &&
		    strcmp(routes->v[k].authorizer_id, id) == 0)
			return (1);
	}
	return (0);
}

/* GetAuthorizers answered; moto answers it with an HTTP 500: then read
 * each authorizer the routes name with GetAuthorizer, all at once. */
static void
v2_authorizers_done(struct discover_op *c)
{
	const struct apigwv2_routes *routes = &c->routes2;
	const char *id;
	struct djob *j;
	size_t i, n;

	if (c->auths.err == RESTJSON_OK) {
		v2_authorizers(c);
		return;
	}
	if (c->auths.err != RESTJSON_SERVER) {
		v2_no_authorizers(c, "GetAuthorizers", &c->auths);
		return;
	}
	apigw_authorizers_free(&c->auths2);
	c->auth_calls = xcalloc(routes->n + 1, sizeof *c->auth_calls);
	c->auth_one = xcalloc(routes->n + 1, sizeof *c->auth_one);
	for (i = 0; i < routes->n; i++) {
		id = routes->v[i].authorizer_id;
		if (id == NULL || v2_seen_auth(routes, i, id))
			continue;
		n = c->nauth_one++;
		j = dctx_job(c, &c->auth_calls[n]);
		j->op = apigwv2_get_authorizer(&c->d->v2, c->r->api_id, id,
		    &c->auth_one[n], dctx_job_done, j);
	}
	c->next = v2_fallback_done;
}

/* GetRoutes and GetIntegrations answered. */
static void
v2_lists_done(struct discover_op *c)
{
	struct djob *j;
	size_t k;

	if (c->routes.err != RESTJSON_OK) {
		dctx_fail(c, "GetRoutes", &c->routes);
		return;
	}
	if (c->integrations.err != RESTJSON_OK) {
		dctx_fail(c, "GetIntegrations", &c->integrations);
		return;
	}
	v2_integrations(c);
	for (k = 0; k < c->routes2.n; k++) {
		if (c->routes2.v[k].authorizer_id != NULL)
			break;
	}
	if (k == c->routes2.n) {
		c->next = dctx_resolve_start; /* no route has an authorizer */
		return;
	}
	j = dctx_job(c, &c->auths);
	j->op = apigwv2_get_authorizers(
	    &c->d->v2, c->r->api_id, &c->auths2, dctx_job_done, j);
	c->next = v2_authorizers_done;
}

/* Discover an HTTP or WebSocket API whose stage is read; see
 * discover_int.h. */
void
discover_v2(struct discover_op *c)
{
	struct apigwv2_stage *st = &c->st2;
	struct djob *j;

	dctx_stage_chosen(c, st->name, &st->variables);
	if (c->r->type == DISCOVER_WEBSOCKET)
		v2_execution(c, st);
	if (st->access_destination != NULL)
		dctx_add_access(c, st->access_destination);
	else if (c->r->type == DISCOVER_HTTP)
		dresult_warn(c->r,
		    "access logging is off on %s, and HTTP APIs have no "
		    "execution logs: only Lambda logs are read (set the "
		    "stage's accessLogSettings to see requests)",
		    c->stage_desc);
	else
		dresult_note(c->r, "no access logging on %s", c->stage_desc);
	/* The routes and the integrations, at once. */
	j = dctx_job(c, &c->routes);
	j->op = apigwv2_get_routes(
	    &c->d->v2, c->r->api_id, &c->routes2, dctx_job_done, j);
	j = dctx_job(c, &c->integrations);
	j->op = apigwv2_get_integrations(
	    &c->d->v2, c->r->api_id, &c->integrations2, dctx_job_done, j);
	c->next = v2_lists_done;
}
