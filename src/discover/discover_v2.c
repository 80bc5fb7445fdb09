/* Discovery of an HTTP or WebSocket API (API Gateway v2). */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/discover_int.h"

/* Read the stage (or choose the only one); -1 with the status set. */
static int
v2_stage(
    struct dctx *c, const char *id, const char *stage, struct apigwv2_stage *st)
{
	struct discover *d = c->d;
	struct apigwv2_stage *all = NULL;
	struct aws_result res;
	const char *kind = discover_type_name(c->r->type);
	char **names = NULL;
	size_t i, n = 0;
	int rc = -1;

	if (stage != NULL) {
		if (apigwv2_get_stage(&d->v2, id, stage, st, &res) == 0) {
			aws_result_free(&res);
			return (0);
		}
		if (!restjson_not_found(&res)) {
			dctx_fail(c, "GetStage", &res);
			aws_result_free(&res);
			return (-1);
		}
		aws_result_free(&res);
	}
	if (apigwv2_get_stages(&d->v2, id, &all, &n, &res) != 0) {
		dctx_fail(c, "GetStages", &res);
		goto out;
	}
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = all[i].name;
	if (stage != NULL)
		dctx_no_stage(c, names, n, "%s API %s has no stage '%s'", kind,
		    id, stage);
	else if (n == 0)
		dctx_no_stage(c, NULL, 0, "%s API %s has no stage", kind, id);
	else if (n > 1)
		dctx_no_stage(c, names, n,
		    "%s API %s has %zu stages: choose one with --stage", kind,
		    id, n);
	else {
		*st = all[0];
		memset(&all[0], 0, sizeof all[0]);
		dctx_note(
		    c, "reading stage '%s', the API's only stage", st->name);
		rc = 0;
	}
out:
	free(names);
	apigwv2_stages_free(all, n);
	aws_result_free(&res);
	return (rc);
}

/* Is a logging level one that writes execution logs? */
static int
v2_logging_on(const char *lv)
{
	return (lv != NULL &&
		(strcmp(lv, "INFO") == 0 || strcmp(lv, "ERROR") == 0));
}

/* WebSocket APIs: the execution log group, when logging is on. */
static void
v2_execution(struct dctx *c, const char *id, const struct apigwv2_stage *st)
{
	const char *level = NULL, *where = NULL;
	char *group, *reason;
	size_t i;

	if (v2_logging_on(st->logging_level))
		level = st->logging_level;
	for (i = 0; i < st->nroute_settings && level == NULL; i++) {
		if (v2_logging_on(st->route_settings[i].logging_level)) {
			level = st->route_settings[i].logging_level;
			where = st->route_settings[i].route_key;
		}
	}
	if (level == NULL) {
		dctx_warn(c,
		    "execution logging is off on %s: set its default route "
		    "logging level to INFO or ERROR (aws apigatewayv2 "
		    "update-stage --api-id %s --stage-name %s "
		    "--default-route-settings LoggingLevel=INFO); the other "
		    "sources are read",
		    c->stage_desc, id, st->name);
		return;
	}
	group = xprintf("API-Gateway-Execution-Logs_%s/%s", id, st->name);
	if (where != NULL)
		reason = xprintf("execution logs of %s (logging level %s on "
				 "route %s)",
		    c->stage_desc, level, where);
	else
		reason = xprintf("execution logs of %s (logging level %s)",
		    c->stage_desc, level);
	dctx_add_source(c, group, DISCOVER_ROLE_EXECUTION, NULL, reason, 1);
	free(reason);
	free(group);
}

/* Note the Lambda integrations the routes use. */
static int
v2_integrations(struct dctx *c, const char *id,
    const struct apigwv2_route *routes, size_t nroutes)
{
	struct apigwv2_integration *v = NULL;
	struct aws_result res;
	char **used, *target, *what;
	size_t i, k, n = 0, nused;
	int rc = 0;

	if (apigwv2_get_integrations(&c->d->v2, id, &v, &n, &res) != 0) {
		rc = dctx_fail(c, "GetIntegrations", &res);
		goto out;
	}
	used = xcalloc(nroutes + 1, sizeof *used);
	for (i = 0; i < n; i++) {
		target = xprintf("integrations/%s", v[i].id);
		nused = 0;
		for (k = 0; k < nroutes; k++) {
			if (routes[k].target != NULL &&
			    strcmp(routes[k].target, target) == 0)
				used[nused++] = routes[k].key;
		}
		free(target);
		if (nused == 0) {
			dctx_note(c,
			    "integration %s is used by no route; "
			    "skipped",
			    v[i].id);
			continue;
		}
		if (v[i].type == NULL || v[i].uri == NULL ||
		    (strcmp(v[i].type, "AWS_PROXY") != 0 &&
			strcmp(v[i].type, "AWS") != 0)) {
			dctx_note(c, "%s: %s integration, no Lambda function",
			    used[0], v[i].type ? v[i].type : "?");
			continue;
		}
		what = xprintf("integration of %s", used[0]);
		dctx_add_uri(c, v[i].uri, what, used, nused, NULL);
		free(what);
	}
	free(used);
out:
	aws_result_free(&res);
	apigwv2_integrations_free(v, n);
	return (rc);
}

/* Note the Lambda (REQUEST) authorizers the routes use. */
static int
v2_authorizers(struct dctx *c, const char *id,
    const struct apigwv2_route *routes, size_t nroutes)
{
	struct apigwv2_authorizer *v = NULL;
	struct aws_result res;
	char **used, *what, *desc;
	size_t i, k, n = 0, nused;
	int fallback, rc = 0;

	for (k = 0; k < nroutes && routes[k].authorizer_id == NULL; k++)
		continue;
	if (k == nroutes)
		return (0); /* no route has an authorizer */
	if (apigwv2_get_authorizers(
		&c->d->v2, id, routes, nroutes, &v, &n, &fallback, &res) != 0) {
		if (res.status == AWS_ERR_STOPPED)
			rc = dctx_fail(c, "GetAuthorizers", &res);
		else {
			desc = aws_result_describe(&res);
			dctx_warn(c,
			    "GetAuthorizer%s: %s; Lambda authorizers "
			    "are not read",
			    fallback ? "" : "s", desc);
			free(desc);
		}
		goto out;
	}
	if (fallback)
		dctx_note(c,
		    "GetAuthorizers failed; read %zu authorizers "
		    "one by one",
		    n);
	used = xcalloc(nroutes + 1, sizeof *used);
	for (i = 0; i < n; i++) {
		nused = 0;
		for (k = 0; k < nroutes; k++) {
			if (routes[k].authorizer_id != NULL &&
			    strcmp(routes[k].authorizer_id, v[i].id) == 0)
				used[nused++] = routes[k].key;
		}
		if (nused == 0)
			continue;
		if (v[i].type == NULL || strcmp(v[i].type, "REQUEST") != 0 ||
		    v[i].uri == NULL) {
			dctx_note(c,
			    "authorizer '%s' (%s) is not a Lambda "
			    "authorizer",
			    v[i].name ? v[i].name : v[i].id,
			    v[i].type ? v[i].type : "?");
			continue;
		}
		what =
		    xprintf("authorizer '%s'", v[i].name ? v[i].name : v[i].id);
		desc = xprintf("authorizer '%s' (REQUEST)",
		    v[i].name ? v[i].name : v[i].id);
		dctx_add_uri(c, v[i].uri, what, used, nused, desc);
		free(desc);
		free(what);
	}
	free(used);
out:
	aws_result_free(&res);
	apigwv2_authorizers_free(v, n);
	return (rc);
}

/* Discover an HTTP or WebSocket API; see discover_int.h. */
int
discover_v2(struct dctx *c, const struct apigwv2_api *api, const char *stage)
{
	struct apigwv2_stage st;
	struct apigwv2_route *routes = NULL;
	struct aws_result res;
	size_t nroutes = 0;
	int rc = -1;

	memset(&st, 0, sizeof st);
	memset(&res, 0, sizeof res);
	if (v2_stage(c, api->id, stage, &st) != 0)
		goto out;
	c->r->stage = xstrdup(st.name);
	c->stage_desc = xprintf("stage '%s'", st.name);
	restjson_map_copy(&c->vars, &st.variables);
	if (c->r->type == DISCOVER_WEBSOCKET)
		v2_execution(c, api->id, &st);
	if (st.access_destination != NULL)
		dctx_add_access(c, st.access_destination);
	else if (c->r->type == DISCOVER_HTTP)
		dctx_warn(c,
		    "access logging is off on %s, and HTTP APIs have no "
		    "execution logs: only Lambda logs are read (set the "
		    "stage's accessLogSettings to see requests)",
		    c->stage_desc);
	else
		dctx_note(c, "no access logging on %s", c->stage_desc);
	if (apigwv2_get_routes(&c->d->v2, api->id, &routes, &nroutes, &res) !=
	    0) {
		dctx_fail(c, "GetRoutes", &res);
		goto out;
	}
	if (v2_integrations(c, api->id, routes, nroutes) != 0 ||
	    v2_authorizers(c, api->id, routes, nroutes) != 0)
		goto out;
	rc = 0;
out:
	aws_result_free(&res);
	apigwv2_routes_free(routes, nroutes);
	apigwv2_stage_free(&st);
	return (rc);
}
