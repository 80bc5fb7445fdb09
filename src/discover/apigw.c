/* SPDX-License-Identifier: Apache-2.0 */
/* API Gateway v1 (REST APIs): discovery calls and decoders. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/apigw.h"

#define APIGW_PAGE_LIMIT "500"   /* the maximum; the default page is 25 */
#define APIGW_RESOURCES_RATE 2.5 /* GetResources: 5 requests per 2 s */
#define APIGW_RESOURCES_BURST 1  /* no burst: one call every 400 ms */

/* HTTP methods an OpenAPI path item may hold, and API Gateway's ANY. */
static const char *apigw_verbs[] = {"get", "put", "post", "delete", "options",
    "head", "patch", "x-amazon-apigateway-any-method", NULL};

/* Set up a client; see apigw.h. */
void
apigw_init(struct apigw *g, struct aws_client *c, struct ratelimit *total)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	g->total = total;
	ratelimit_init(
	    &g->resources, APIGW_RESOURCES_RATE, loop_mono(c->ctx->loop));
	g->resources.burst = APIGW_RESOURCES_BURST;
	g->resources.tokens = APIGW_RESOURCES_BURST;
}

/* API Gateway v1 pages: limit=500 (the default page is 25), position. */
static const struct restjson_paging apigw_paging = {
    "limit", APIGW_PAGE_LIMIT, "position", "position"};

/* Read one REST API. */
static void
apigw_decode_restapi(json_t *o, struct apigw_restapi *out)
{
	out->id = restjson_strdup(o, "id");
	out->name = restjson_strdup(o, "name");
}

static int
apigw_restapi_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	apigw_decode_restapi(root, out);
	return (0);
}

/* GetRestApi; see apigw.h. */
struct restjson_op *
apigw_get_restapi(struct apigw *g, const char *id, struct apigw_restapi *out,
    restjson_done_cb done, void *arg)
{
	struct restjson_op *op;
	char *path;

	path = restjson_path("restapis", id, NULL);
	op = restjson_get(g->c, g->total, "GetRestApi", path, NULL,
	    apigw_restapi_page, out, done, arg);
	free(path);
	return (op);
}

static void
apigw_restapi_item(json_t *it, void *arg)
{
	struct apigw_restapis *l = arg;

	if (restjson_str(it, "id") != NULL)
		apigw_decode_restapi(
		    it, restjson_push(&l->v, &l->n, sizeof *l->v));
}

static int
apigw_restapis_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "item", apigw_restapi_item, out);
	return (0);
}

/* GetRestApis, every page; see apigw.h. */
struct restjson_op *
apigw_list_restapis(struct apigw *g, struct apigw_restapis *out,
    restjson_done_cb done, void *arg)
{
	return (restjson_get(g->c, g->total, "GetRestApis", "/restapis",
	    &apigw_paging, apigw_restapis_page, out, done, arg));
}

/* Decode a Stage object; see apigw.h. */
int
apigw_decode_stage(json_t *o, struct apigw_stage *out, char **cause)
{
	json_t *ms, *v, *als, *cs;
	const char *k;
	struct apigw_method_setting *s;

	memset(out, 0, sizeof *out);
	out->name = restjson_strdup(o, "stageName");
	if (out->name == NULL) {
		*cause = xstrdup("bad GetStage response: no stageName");
		return (-1);
	}
	out->deployment_id = restjson_strdup(o, "deploymentId");
	ms = restjson_obj(o, "methodSettings");
	json_object_foreach(ms, k, v)
	{
		if (!json_is_object(v))
			continue;
		out->settings = xreallocarray(
		    out->settings, out->nsettings + 1, sizeof *out->settings);
		s = &out->settings[out->nsettings++];
		s->key = xstrdup(k);
		s->logging_level = restjson_upper(v, "loggingLevel");
		s->data_trace = restjson_bool(v, "dataTraceEnabled");
	}
	restjson_map_read(&out->variables, restjson_obj(o, "variables"));
	als = restjson_obj(o, "accessLogSettings");
	out->access_destination = restjson_strdup(als, "destinationArn");
	out->access_format = restjson_strdup(als, "format");
	cs = restjson_obj(o, "canarySettings");
	if (cs != NULL) {
		out->canary = 1;
		out->canary_deployment_id = restjson_strdup(cs, "deploymentId");
		restjson_map_read(&out->canary_variables,
		    restjson_obj(cs, "stageVariableOverrides"));
	}
	return (0);
}

static int
apigw_stage_page(json_t *root, void *out, char **cause)
{
	return (apigw_decode_stage(root, out, cause));
}

/* GetStage; see apigw.h. */
struct restjson_op *
apigw_get_stage(struct apigw *g, const char *id, const char *stage,
    struct apigw_stage *out, restjson_done_cb done, void *arg)
{
	struct restjson_op *op;
	char *path;

	path = restjson_path("restapis", id, "stages", stage, NULL);
	op = restjson_get(g->c, g->total, "GetStage", path, NULL,
	    apigw_stage_page, out, done, arg);
	free(path);
	return (op);
}

/* A stage of a GetStages list; one that is not a stage is skipped. */
static void
apigw_stage_item(json_t *it, void *arg)
{
	struct apigw_stages *l = arg;
	struct apigw_stage st;
	char *cause = NULL;

	if (apigw_decode_stage(it, &st, &cause) != 0) {
		apigw_stage_free(&st);
		free(cause);
		return;
	}
	*(struct apigw_stage *)restjson_push(&l->v, &l->n, sizeof *l->v) = st;
}

static int
apigw_stages_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "item", apigw_stage_item, out);
	return (0);
}

/* GetStages (not paged); see apigw.h. */
struct restjson_op *
apigw_get_stages(struct apigw *g, const char *id, struct apigw_stages *out,
    restjson_done_cb done, void *arg)
{
	struct restjson_op *op;
	char *path;

	path = restjson_path("restapis", id, "stages", NULL);
	op = restjson_get(g->c, g->total, "GetStages", path, NULL,
	    apigw_stages_page, out, done, arg);
	free(path);
	return (op);
}

/* Append a method to a definition. */
static void
apigw_add_method(struct apigw_definition *d, const char *verb, const char *path,
    const char *type, const char *uri, const char *auth)
{
	struct apigw_method *m;
	char *v;
	size_t i;

	m = restjson_push(&d->methods, &d->nmethods, sizeof *d->methods);
	if (strcasecmp(verb, "x-amazon-apigateway-any-method") == 0)
		verb = "ANY";
	v = xstrdup(verb);
	for (i = 0; v[i] != '\0'; i++)
		v[i] = (char)toupper((unsigned char)v[i]);
	m->route = xprintf("%s %s", v, path);
	free(v);
	if (type != NULL) {
		m->type = xstrdup(type);
		for (i = 0; m->type[i] != '\0'; i++)
			m->type[i] = (char)toupper((unsigned char)m->type[i]);
	}
	m->uri = uri != NULL ? xstrdup(uri) : NULL;
	m->authorizer = auth != NULL ? xstrdup(auth) : NULL;
	if (m->type != NULL)
		d->nintegrations++;
}

/* The first security requirement of an operation (a scheme name). */
static const char *
apigw_security_name(json_t *op)
{
	json_t *sec, *req;
	const char *k;
	json_t *v;
	size_t i;

	sec = restjson_arr(op, "security");
	json_array_foreach(sec, i, req)
	{
		json_object_foreach(req, k, v)
		{
			return (k);
		}
	}
	return (NULL);
}

/* Read the authorizers of an export's security schemes. */
static void
apigw_export_authorizers(json_t *schemes, struct apigw_definition *d)
{
	struct apigw_authorizer *a;
	json_t *v, *ext;
	const char *k;

	json_object_foreach(schemes, k, v)
	{
		ext = restjson_obj(v, "x-amazon-apigateway-authorizer");
		if (ext == NULL)
			continue;
		a = restjson_push(&d->authorizers.v, &d->authorizers.n,
		    sizeof *d->authorizers.v);
		a->name = xstrdup(k);
		a->type = restjson_upper(ext, "type");
		a->uri = restjson_strdup(ext, "authorizerUri");
	}
}

/* Decode an OpenAPI 3 or Swagger 2 export; see apigw.h. */
void
apigw_decode_export(json_t *root, struct apigw_definition *d)
{
	json_t *paths, *item, *op, *integ;
	const char *path, *verb;
	size_t i;

	paths = restjson_obj(root, "paths");
	json_object_foreach(paths, path, item)
	{
		if (!json_is_object(item))
			continue;
		json_object_foreach(item, verb, op)
		{
			for (i = 0; apigw_verbs[i] != NULL; i++) {
				if (strcasecmp(verb, apigw_verbs[i]) == 0)
					break;
			}
			if (apigw_verbs[i] == NULL || !json_is_object(op))
				continue;
			integ =
			    restjson_obj(op, "x-amazon-apigateway-integration");
			apigw_add_method(d, verb, path,
			    restjson_str(integ, "type"),
			    restjson_str(integ, "uri"),
			    apigw_security_name(op));
		}
	}
	apigw_export_authorizers(
	    restjson_obj(restjson_obj(root, "components"), "securitySchemes"),
	    d);
	apigw_export_authorizers(restjson_obj(root, "securityDefinitions"), d);
}

static int
apigw_export_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	apigw_decode_export(root, out);
	return (0);
}

/* GetExport oas30 with extensions; see apigw.h. */
struct restjson_op *
apigw_get_export(struct apigw *g, const char *id, const char *stage,
    struct apigw_definition *d, restjson_done_cb done, void *arg)
{
	struct restjson_req rq;
	struct restjson_op *op;
	char *path;

	path = restjson_path(
	    "restapis", id, "stages", stage, "exports", "oas30", NULL);
	memset(&rq, 0, sizeof rq);
	rq.op = "GetExport";
	rq.path = path;
	rq.params[0] = "extensions";
	rq.params[1] = "integrations,authorizers";
	rq.accept = "application/json";
	rq.rl[0] = g->total;
	rq.page = apigw_export_page;
	rq.out = d;
	op = restjson_start(g->c, &rq, done, arg);
	free(path);
	return (op);
}

/* Decode one GetResources page; see apigw.h. */
void
apigw_decode_resources(json_t *root, struct apigw_definition *d)
{
	json_t *items, *it, *methods, *m, *integ;
	const char *path, *verb, *auth;
	size_t i;

	d->pages++;
	items = restjson_arr(root, "item");
	json_array_foreach(items, i, it)
	{
		path = restjson_str(it, "path");
		methods = restjson_obj(it, "resourceMethods");
		if (path == NULL)
			continue;
		json_object_foreach(methods, verb, m)
		{
			integ = restjson_obj(m, "methodIntegration");
			auth = restjson_str(m, "authorizerId");
			apigw_add_method(d, verb, path,
			    restjson_str(integ, "type"),
			    restjson_str(integ, "uri"), auth);
		}
	}
}

static int
apigw_resources_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	apigw_decode_resources(root, out);
	return (0);
}

/* GetResources, one call per page; see apigw.h. */
struct restjson_op *
apigw_get_resources(struct apigw *g, const char *id, struct apigw_definition *d,
    restjson_done_cb done, void *arg)
{
	struct restjson_req rq;
	struct restjson_op *op;
	char *path;

	path = restjson_path("restapis", id, "resources", NULL);
	memset(&rq, 0, sizeof rq);
	rq.op = "GetResources";
	rq.path = path;
	rq.params[0] = "embed";
	rq.params[1] = "methods";
	rq.rl[0] = g->total;
	rq.rl[1] = &g->resources;
	rq.paging = &apigw_paging;
	rq.page = apigw_resources_page;
	rq.out = d;
	op = restjson_start(g->c, &rq, done, arg);
	free(path);
	return (op);
}

/* One authorizer of a GetAuthorizers page. */
static void
apigw_authorizer_item(json_t *it, void *arg)
{
	struct apigw_authorizers *l = arg;
	struct apigw_authorizer *a;

	if (restjson_str(it, "id") == NULL)
		return;
	a = restjson_push(&l->v, &l->n, sizeof *l->v);
	a->id = restjson_strdup(it, "id");
	a->name = restjson_strdup(it, "name");
	if (a->name == NULL)
		a->name = xstrdup(a->id);
	a->type = restjson_upper(it, "type");
	a->uri = restjson_strdup(it, "authorizerUri");
}

/* Decode one GetAuthorizers page; see apigw.h. */
void
apigw_decode_authorizers(json_t *root, struct apigw_authorizers *out)
{
	restjson_each(root, "item", apigw_authorizer_item, out);
}

static int
apigw_authorizers_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	apigw_decode_authorizers(root, out);
	return (0);
}

/* GetAuthorizers, every page; see apigw.h. */
struct restjson_op *
apigw_get_authorizers(struct apigw *g, const char *id,
    struct apigw_authorizers *out, restjson_done_cb done, void *arg)
{
	struct restjson_op *op;
	char *path;

	path = restjson_path("restapis", id, "authorizers", NULL);
	op = restjson_get(g->c, g->total, "GetAuthorizers", path, &apigw_paging,
	    apigw_authorizers_page, out, done, arg);
	free(path);
	return (op);
}

/* Free a REST API. Accepts NULL. */
void
apigw_restapi_free(struct apigw_restapi *a)
{
	if (a == NULL)
		return;
	free(a->id);
	free(a->name);
	memset(a, 0, sizeof *a);
}

/* Free a list of REST APIs. Accepts NULL. */
void
apigw_restapis_free(struct apigw_restapis *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		apigw_restapi_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Free a stage's contents. Accepts NULL. */
void
apigw_stage_free(struct apigw_stage *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->name);
	free(s->deployment_id);
	for (i = 0; i < s->nsettings; i++) {
		free(s->settings[i].key);
		free(s->settings[i].logging_level);
	}
	free(s->settings);
	restjson_map_free(&s->variables);
	free(s->access_destination);
	free(s->access_format);
	free(s->canary_deployment_id);
	restjson_map_free(&s->canary_variables);
	memset(s, 0, sizeof *s);
}

/* Free a list of stages. Accepts NULL. */
void
apigw_stages_free(struct apigw_stages *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		apigw_stage_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Free a list of authorizers. Accepts NULL. */
void
apigw_authorizers_free(struct apigw_authorizers *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].type);
		free(l->v[i].uri);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Free a definition's contents. Accepts NULL. */
void
apigw_definition_free(struct apigw_definition *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nmethods; i++) {
		free(d->methods[i].route);
		free(d->methods[i].type);
		free(d->methods[i].uri);
		free(d->methods[i].authorizer);
	}
	free(d->methods);
	apigw_authorizers_free(&d->authorizers);
	memset(d, 0, sizeof *d);
}
