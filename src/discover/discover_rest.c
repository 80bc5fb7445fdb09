/* Discovery of a REST API (API Gateway v1). */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/discover_int.h"

/* Read the stage (or choose the only one); -1 with the status set. */
static int
rest_stage(
    struct dctx *c, const char *id, const char *stage, struct apigw_stage *st)
{
	struct discover *d = c->d;
	struct apigw_stage *all = NULL;
	struct aws_result res;
	char **names = NULL;
	size_t i, n = 0;
	int rc = -1;

	if (stage != NULL) {
		if (apigw_get_stage(&d->v1, id, stage, st, &res) == 0) {
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
	if (apigw_get_stages(&d->v1, id, &all, &n, &res) != 0) {
		dctx_fail(c, "GetStages", &res);
		goto out;
	}
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = all[i].name;
	if (stage != NULL)
		dctx_no_stage(
		    c, names, n, "REST API %s has no stage '%s'", id, stage);
	else if (n == 0)
		dctx_no_stage(c, NULL, 0,
		    "REST API %s has no stage (it was never deployed)", id);
	else if (n > 1)
		dctx_no_stage(c, names, n,
		    "REST API %s has %zu stages: choose one with --stage", id,
		    n);
	else {
		*st = all[0];
		memset(&all[0], 0, sizeof all[0]);
		dctx_note(
		    c, "reading stage '%s', the API's only stage", st->name);
		rc = 0;
	}
out:
	free(names);
	apigw_stages_free(all, n);
	aws_result_free(&res);
	return (rc);
}

/* The execution log group, when the stage's logging level turns it on. */
static void
rest_execution(struct dctx *c, const char *id, const struct apigw_stage *st)
{
	const char *level = NULL, *where = NULL, *lv;
	char *group, *reason;
	size_t i;

	for (i = 0; i < st->nsettings; i++) {
		lv = st->settings[i].logging_level;
		if (lv == NULL ||
		    (strcmp(lv, "INFO") != 0 && strcmp(lv, "ERROR") != 0))
			continue;
		if (strcmp(st->settings[i].key, "*/*") == 0) {
			level = lv;
			where = NULL;
			break;
		}
		if (level == NULL) {
			level = lv;
			where = st->settings[i].key;
		}
	}
	if (level == NULL) {
		dctx_warn(c,
		    "execution logging is off on %s: set its logging level to "
		    "INFO or ERROR (aws apigateway update-stage --rest-api-id "
		    "%s --stage-name %s --patch-operations "
		    "op=replace,path=/*/*/logging/loglevel,value=INFO); the "
		    "other sources are read",
		    c->stage_desc, id, st->name);
		return;
	}
	group = xprintf("API-Gateway-Execution-Logs_%s/%s", id, st->name);
	if (where != NULL)
		reason = xprintf("execution logs of %s (logging level %s on "
				 "%s)",
		    c->stage_desc, level, where);
	else
		reason = xprintf("execution logs of %s (logging level %s)",
		    c->stage_desc, level);
	dctx_add_source(c, group, DISCOVER_ROLE_EXECUTION, NULL, reason, 1);
	free(reason);
	free(group);
}

/* The deployed definition, or the current one when the export names no
 * integration (moto's export has none). */
static int
rest_definition(struct dctx *c, const char *id, const char *stage,
    struct apigw_definition *def)
{
	struct discover *d = c->d;
	struct aws_result res;
	char *desc;

	if (apigw_get_export(&d->v1, id, stage, def, &res) == 0 &&
	    def->nintegrations > 0) {
		dctx_note(c, "%zu methods of the deployed %s, from GetExport",
		    def->nmethods, c->stage_desc);
		aws_result_free(&res);
		return (0);
	}
	if (res.status == AWS_ERR_STOPPED) {
		dctx_fail(c, "GetExport", &res);
		aws_result_free(&res);
		return (-1);
	}
	if (res.status == AWS_OK)
		dctx_note(c,
		    "the export of %s names no integration; reading the "
		    "API's current definition (GetResources)",
		    c->stage_desc);
	else {
		desc = aws_result_describe(&res);
		dctx_note(c,
		    "GetExport: %s; reading the API's current definition "
		    "(GetResources)",
		    desc);
		free(desc);
	}
	aws_result_free(&res);
	apigw_definition_free(def);
	if (apigw_get_resources(&d->v1, id, def, &res) != 0) {
		dctx_fail(c, "GetResources", &res);
		aws_result_free(&res);
		return (-1);
	}
	dctx_note(c, "%zu methods from %zu GetResources page%s", def->nmethods,
	    def->pages, def->pages == 1 ? "" : "s");
	aws_result_free(&res);
	return (0);
}

/* Note the Lambda integrations of the methods. */
static void
rest_integrations(struct dctx *c, const struct apigw_definition *def)
{
	const struct apigw_method *m;
	char *what;
	size_t i;

	for (i = 0; i < def->nmethods; i++) {
		m = &def->methods[i];
		if (m->type == NULL)
			continue;
		if (strcmp(m->type, "AWS") != 0 &&
		    strcmp(m->type, "AWS_PROXY") != 0) {
			dctx_note(c, "%s: %s integration, no Lambda function",
			    m->route, m->type);
			continue;
		}
		if (m->uri == NULL)
			continue;
		what = xprintf("integration of %s", m->route);
		dctx_add_uri(c, m->uri, what, &m->route, 1, NULL);
		free(what);
	}
}

/* Note the Lambda authorizers the methods use. */
static int
rest_authorizers(struct dctx *c, const char *id, struct apigw_definition *def)
{
	struct apigw_authorizer *all = NULL, *list, *a;
	struct aws_result res;
	char **routes, *what, *desc;
	size_t i, k, n = 0, nlist, nroutes;

	list = all;
	nlist = 0;
	if (apigw_get_authorizers(&c->d->v1, id, &all, &n, &res) == 0) {
		list = all;
		nlist = n;
	} else if (res.status == AWS_ERR_STOPPED) {
		dctx_fail(c, "GetAuthorizers", &res);
		aws_result_free(&res);
		apigw_authorizers_free(all, n);
		return (-1);
	} else {
		desc = aws_result_describe(&res);
		dctx_warn(c, "GetAuthorizers: %s; Lambda authorizers %s", desc,
		    def->nauthorizers > 0 ? "are read from the export"
					  : "are not read");
		free(desc);
		list = def->authorizers;
		nlist = def->nauthorizers;
	}
	aws_result_free(&res);
	routes = xcalloc(def->nmethods + 1, sizeof *routes);
	for (i = 0; i < nlist; i++) {
		a = &list[i];
		nroutes = 0;
		for (k = 0; k < def->nmethods; k++) {
			if (def->methods[k].authorizer != NULL &&
			    ((a->id != NULL &&
				 strcmp(def->methods[k].authorizer, a->id) ==
				     0) ||
				strcmp(def->methods[k].authorizer, a->name) ==
				    0))
				routes[nroutes++] = def->methods[k].route;
		}
		if (nroutes == 0) {
			dctx_note(c,
			    "authorizer '%s' is used by no method; "
			    "skipped",
			    a->name);
			continue;
		}
		if (a->uri == NULL || a->type == NULL ||
		    (strcmp(a->type, "TOKEN") != 0 &&
			strcmp(a->type, "REQUEST") != 0)) {
			dctx_note(c,
			    "authorizer '%s' (%s) is not a Lambda "
			    "authorizer",
			    a->name, a->type ? a->type : "?");
			continue;
		}
		what = xprintf("authorizer '%s'", a->name);
		desc = xprintf("authorizer '%s' (%s)", a->name, a->type);
		dctx_add_uri(c, a->uri, what, routes, nroutes, desc);
		free(desc);
		free(what);
	}
	free(routes);
	apigw_authorizers_free(all, n);
	return (0);
}

/* Discover a REST API; see discover_int.h. */
int
discover_rest(struct dctx *c, const struct apigw_restapi *ra, const char *stage)
{
	struct apigw_stage st;
	struct apigw_definition def;
	size_t i;
	int rc = -1;

	memset(&st, 0, sizeof st);
	memset(&def, 0, sizeof def);
	if (rest_stage(c, ra->id, stage, &st) != 0)
		goto out;
	c->r->stage = xstrdup(st.name);
	c->stage_desc = xprintf("stage '%s'", st.name);
	restjson_map_copy(&c->vars, &st.variables);
	if (st.canary) {
		c->canary = 1;
		restjson_map_copy(&c->canary_vars, &st.variables);
		for (i = 0; i < st.canary_variables.n; i++)
			restjson_map_set(&c->canary_vars,
			    st.canary_variables.keys[i],
			    st.canary_variables.values[i]);
	}
	rest_execution(c, ra->id, &st);
	if (st.access_destination != NULL)
		dctx_add_access(c, st.access_destination);
	else
		dctx_note(c, "no access logging on %s", c->stage_desc);
	if (rest_definition(c, ra->id, st.name, &def) != 0)
		goto out;
	rest_integrations(c, &def);
	if (rest_authorizers(c, ra->id, &def) != 0)
		goto out;
	rc = 0;
out:
	apigw_definition_free(&def);
	apigw_stage_free(&st);
	return (rc);
}
