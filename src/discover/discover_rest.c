/* SPDX-License-Identifier: Apache-2.0 */
/* Discovery of a REST API (API Gateway v1), once its stage is read. */

#include <stdlib.h>
#include <string.h>

#include "core/xmalloc.h"
#include "discover/discover_int.h"

/* The execution log group, when the stage's logging level turns it on. */
static void
rest_execution(struct discover_op *c, const struct apigw_stage *st)
{
	const char *level = NULL, *where = NULL, *lv;
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
		dresult_warn(c->r,
		    "execution logging is off on %s: set its logging level to "
		    "INFO or ERROR (aws apigateway update-stage --rest-api-id "
		    "%s --stage-name %s --patch-operations "
		    "op=replace,path=/*/*/logging/loglevel,value=INFO); the "
		    "other sources are read",
		    c->stage_desc, c->r->api_id, st->name);
		return;
	}
	dctx_add_execution(c, level, where);
}

/* Note the Lambda integrations of the methods. */
static void
rest_integrations(struct discover_op *c, const struct apigw_definition *def)
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
			dresult_note(c->r,
			    "%s: %s integration, no Lambda function", m->route,
			    m->type);
			continue;
		}
		if (m->uri == NULL)
			continue;
		what = xprintf("integration of %s", m->route);
		dctx_add_uri(c, m->uri, what, &m->route, 1, NULL);
		free(what);
	}
}

/* Note the Lambda authorizers the methods use (GetAuthorizers, else
 * the export's); -1 when the run failed. */
static int
rest_authorizers(struct discover_op *c)
{
	const struct apigw_definition *def = &c->def;
	const struct apigw_authorizers *list = &c->auths1;
	const struct apigw_authorizer *a;
	char **routes, *what, *desc;
	size_t i, k, nroutes;

	if (c->auths.err == RESTJSON_STOPPED) {
		dctx_fail(c, "GetAuthorizers", &c->auths);
		return (-1);
	}
	if (c->auths.err != RESTJSON_OK) {
		dresult_warn(c->r, "GetAuthorizers: %s; Lambda authorizers %s",
		    c->auths.desc,
		    def->authorizers.n > 0 ? "are read from the export"
					   : "are not read");
		list = &def->authorizers;
	}
	routes = xcalloc(def->nmethods + 1, sizeof *routes);
	for (i = 0; i < list->n; i++) {
		a = &list->v[i];
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
			dresult_note(c->r,
			    "authorizer '%s' is used by no method; "
			    "skipped",
			    a->name);
			continue;
		}
		if (a->uri == NULL || a->type == NULL ||
		    (strcmp(a->type, "TOKEN") != 0 &&
			strcmp(a->type, "REQUEST") != 0)) {
			dresult_note(c->r,
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
	return (0);
}

/* The definition and the authorizers are read: note their functions. */
static void
rest_definition_ready(struct discover_op *c)
{
	rest_integrations(c, &c->def);
	if (rest_authorizers(c) == 0)
		c->next = dctx_resolve_start;
}

/* GetResources answered. */
static void
rest_resources_done(struct discover_op *c)
{
	if (c->resources.err != RESTJSON_OK) {
		dctx_fail(c, "GetResources", &c->resources);
		return;
	}
	dresult_note(c->r, "%zu methods from %zu GetResources page%s",
	    c->def.nmethods, c->def.pages, c->def.pages == 1 ? "" : "s");
	rest_definition_ready(c);
}

/* GetExport answered: the deployed definition, or the current one when
 * the export names no integration (moto's export has none). */
static void
rest_export_done(struct discover_op *c)
{
	struct djob *j;

	if (c->export.err == RESTJSON_OK && c->def.nintegrations > 0) {
		dresult_note(c->r,
		    "%zu methods of the deployed %s, from GetExport",
		    c->def.nmethods, c->stage_desc);
		rest_definition_ready(c);
		return;
	}
	if (c->export.err == RESTJSON_STOPPED) {
		dctx_fail(c, "GetExport", &c->export);
		return;
	}
	if (c->export.err == RESTJSON_OK)
		dresult_note(c->r,
		    "the export of %s names no integration; reading the "
		    "API's current definition (GetResources)",
		    c->stage_desc);
	else
		dresult_note(c->r,
		    "GetExport: %s; reading the API's current definition "
		    "(GetResources)",
		    c->export.desc);
	apigw_definition_free(&c->def);
	j = dctx_job(c, &c->resources);
	j->op = apigw_get_resources(
	    &c->d->v1, c->r->api_id, &c->def, dctx_job_done, j);
	c->next = rest_resources_done;
}

/* Discover a REST API whose stage is read; see discover_int.h. */
void
discover_rest(struct discover_op *c)
{
	struct apigw_stage *st = &c->st1;
	struct djob *j;
	size_t i;

	dctx_stage_chosen(c, st->name, &st->variables);
	if (st->canary) {
		c->canary = 1;
		restjson_map_copy(&c->canary_vars, &st->variables);
		for (i = 0; i < st->canary_variables.n; i++)
			restjson_map_set(&c->canary_vars,
			    st->canary_variables.keys[i],
			    st->canary_variables.values[i]);
	}
	rest_execution(c, st);
	if (st->access_destination != NULL)
		dctx_add_access(c, st->access_destination);
	else
		dresult_note(c->r, "no access logging on %s", c->stage_desc);
	/* The deployed definition and the authorizers, at once. */
	j = dctx_job(c, &c->export);
	j->op = apigw_get_export(
	    &c->d->v1, c->r->api_id, st->name, &c->def, dctx_job_done, j);
	j = dctx_job(c, &c->auths);
	j->op = apigw_get_authorizers(
	    &c->d->v1, c->r->api_id, &c->auths1, dctx_job_done, j);
	c->next = rest_export_done;
}
