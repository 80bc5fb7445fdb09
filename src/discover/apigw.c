/* API Gateway v1 (REST APIs): discovery calls and decoders. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "aws/loop.h"
#include "core/uri.h"
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

/* A copy of s in upper case, or NULL. Caller frees. */
static char *
apigw_upper(const char *s)
{
	char *u;
	size_t i;

	if (s == NULL)
		return (NULL);
	u = xstrdup(s);
	for (i = 0; u[i] != '\0'; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return (u);
}

/* The encoded path "/restapis/ID" followed by rest. Caller frees. */
static char *
apigw_path(const char *id, const char *rest)
{
	char *eid, *p;

	eid = uri_encode(id, strlen(id), 0);
	p = xprintf("/restapis/%s%s", eid, rest);
	free(eid);
	return (p);
}

/* GET one document. */
static json_t *
apigw_call(struct apigw *g, const char *op, const char *path, const char *query,
    const char *accept, int resources, struct aws_result *res)
{
	struct restjson_req rq;

	memset(&rq, 0, sizeof rq);
	rq.op = op;
	rq.path = path;
	rq.query = query;
	rq.accept = accept;
	rq.rl[0] = g->total;
	rq.rl[1] = resources ? &g->resources : NULL;
	return (restjson_get(g->c, &rq, res));
}

/* A paged query: limit and the position of the next page. Caller frees. */
static char *
apigw_page_query(const char *embed, const char *position)
{
	struct uri_query q;
	char *s;

	uri_query_init(&q);
	if (embed != NULL)
		uri_query_add(&q, "embed", embed);
	uri_query_add(&q, "limit", APIGW_PAGE_LIMIT);
	if (position != NULL)
		uri_query_add(&q, "position", position);
	s = uri_query_string(&q);
	uri_query_free(&q);
	return (s);
}

/* The next position of a page, or NULL at the end (or when repeated). */
static char *
apigw_next_position(json_t *root, const char *prev)
{
	const char *pos = restjson_str(root, "position");

	if (pos == NULL || *pos == '\0')
		return (NULL);
	if (prev != NULL && strcmp(prev, pos) == 0)
		return (NULL);
	return (xstrdup(pos));
}

/* Read one REST API. */
static void
apigw_decode_restapi(json_t *o, struct apigw_restapi *out)
{
	out->id = restjson_strdup(o, "id");
	out->name = restjson_strdup(o, "name");
}

/* GetRestApi; see apigw.h. */
int
apigw_get_restapi(struct apigw *g, const char *id, struct apigw_restapi *out,
    struct aws_result *res)
{
	json_t *root;
	char *path;

	memset(out, 0, sizeof *out);
	path = apigw_path(id, "");
	root = apigw_call(g, "GetRestApi", path, NULL, NULL, 0, res);
	free(path);
	if (root == NULL)
		return (-1);
	apigw_decode_restapi(root, out);
	if (out->id == NULL)
		out->id = xstrdup(id);
	json_decref(root);
	return (0);
}

/* GetRestApis, every page; see apigw.h. */
int
apigw_list_restapis(struct apigw *g, struct apigw_restapi **out, size_t *n,
    struct aws_result *res)
{
	json_t *root, *items, *it;
	char *query, *pos = NULL, *next;
	size_t i, pages;

	*out = NULL;
	*n = 0;
	for (pages = 0; pages < RESTJSON_MAX_PAGES; pages++) {
		query = apigw_page_query(NULL, pos);
		root = apigw_call(
		    g, "GetRestApis", "/restapis", query, NULL, 0, res);
		free(query);
		if (root == NULL) {
			free(pos);
			return (-1);
		}
		items = restjson_arr(root, "item");
		json_array_foreach(items, i, it)
		{
			if (restjson_str(it, "id") == NULL)
				continue;
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			apigw_decode_restapi(it, &(*out)[(*n)++]);
		}
		next = apigw_next_position(root, pos);
		json_decref(root);
		free(pos);
		pos = next;
		if (pos == NULL)
			break;
		aws_result_free(res);
	}
	free(pos);
	return (0);
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
		s->logging_level = apigw_upper(restjson_str(v, "loggingLevel"));
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

/* GetStage; see apigw.h. */
int
apigw_get_stage(struct apigw *g, const char *id, const char *stage,
    struct apigw_stage *out, struct aws_result *res)
{
	json_t *root;
	char *path, *es, *rest, *cause = NULL;
	int rc = 0;

	memset(out, 0, sizeof *out);
	es = uri_encode(stage, strlen(stage), 0);
	rest = xprintf("/stages/%s", es);
	path = apigw_path(id, rest);
	root = apigw_call(g, "GetStage", path, NULL, NULL, 0, res);
	free(path);
	free(rest);
	free(es);
	if (root == NULL)
		return (-1);
	if (apigw_decode_stage(root, out, &cause) != 0) {
		res->status = AWS_ERR_TRANSPORT;
		free(res->message);
		res->message = cause;
		rc = -1;
	}
	json_decref(root);
	return (rc);
}

/* GetStages (not paged); see apigw.h. */
int
apigw_get_stages(struct apigw *g, const char *id, struct apigw_stage **out,
    size_t *n, struct aws_result *res)
{
	json_t *root, *items, *it;
	char *path, *cause = NULL;
	size_t i;

	*out = NULL;
	*n = 0;
	path = apigw_path(id, "/stages");
	root = apigw_call(g, "GetStages", path, NULL, NULL, 0, res);
	free(path);
	if (root == NULL)
		return (-1);
	items = restjson_arr(root, "item");
	json_array_foreach(items, i, it)
	{
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		if (apigw_decode_stage(it, &(*out)[*n], &cause) != 0) {
			apigw_stage_free(&(*out)[*n]);
			xfree(&cause);
			continue;
		}
		(*n)++;
	}
	json_decref(root);
	return (0);
}

/* Append a method to a definition. */
static void
apigw_add_method(struct apigw_definition *d, const char *verb, const char *path,
    const char *type, const char *uri, const char *auth)
{
	struct apigw_method *m;
	char *v;

	d->methods =
	    xreallocarray(d->methods, d->nmethods + 1, sizeof *d->methods);
	m = &d->methods[d->nmethods++];
	memset(m, 0, sizeof *m);
	if (strcasecmp(verb, "x-amazon-apigateway-any-method") == 0)
		v = xstrdup("ANY");
	else
		v = apigw_upper(verb);
	m->route = xprintf("%s %s", v, path);
	free(v);
	m->type = apigw_upper(type);
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
		d->authorizers = xreallocarray(d->authorizers,
		    d->nauthorizers + 1, sizeof *d->authorizers);
		a = &d->authorizers[d->nauthorizers++];
		memset(a, 0, sizeof *a);
		a->name = xstrdup(k);
		a->type = apigw_upper(restjson_str(ext, "type"));
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

/* GetExport oas30 with extensions; see apigw.h. */
int
apigw_get_export(struct apigw *g, const char *id, const char *stage,
    struct apigw_definition *d, struct aws_result *res)
{
	struct uri_query q;
	json_t *root;
	char *path, *es, *rest, *query;

	memset(d, 0, sizeof *d);
	es = uri_encode(stage, strlen(stage), 0);
	rest = xprintf("/stages/%s/exports/oas30", es);
	path = apigw_path(id, rest);
	uri_query_init(&q);
	uri_query_add(&q, "extensions", "integrations,authorizers");
	query = uri_query_string(&q);
	uri_query_free(&q);
	root =
	    apigw_call(g, "GetExport", path, query, "application/json", 0, res);
	free(query);
	free(path);
	free(rest);
	free(es);
	if (root == NULL)
		return (-1);
	apigw_decode_export(root, d);
	json_decref(root);
	return (0);
}

/* Decode one GetResources page; see apigw.h. */
void
apigw_decode_resources(
    json_t *root, struct apigw_definition *d, char **position)
{
	json_t *items, *it, *methods, *m, *integ;
	const char *path, *verb, *auth;
	size_t i;

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
	*position = apigw_next_position(root, NULL);
}

/* GetResources, one call per page; see apigw.h. */
int
apigw_get_resources(struct apigw *g, const char *id, struct apigw_definition *d,
    struct aws_result *res)
{
	json_t *root;
	char *path, *query, *pos = NULL, *next;

	memset(d, 0, sizeof *d);
	path = apigw_path(id, "/resources");
	for (d->pages = 0; d->pages < RESTJSON_MAX_PAGES;) {
		query = apigw_page_query("methods", pos);
		root = apigw_call(g, "GetResources", path, query, NULL, 1, res);
		free(query);
		if (root == NULL) {
			free(pos);
			free(path);
			return (-1);
		}
		d->pages++;
		apigw_decode_resources(root, d, &next);
		json_decref(root);
		if (next != NULL && pos != NULL && strcmp(next, pos) == 0)
			xfree(&next); /* a repeated position ends the listing */
		free(pos);
		pos = next;
		if (pos == NULL)
			break;
		aws_result_free(res);
	}
	free(pos);
	free(path);
	return (0);
}

/* Decode one GetAuthorizers page; see apigw.h. */
void
apigw_decode_authorizers(
    json_t *root, struct apigw_authorizer **out, size_t *n, char **position)
{
	struct apigw_authorizer *a;
	json_t *items, *it;
	size_t i;

	items = restjson_arr(root, "item");
	json_array_foreach(items, i, it)
	{
		if (restjson_str(it, "id") == NULL)
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		a = &(*out)[(*n)++];
		a->id = restjson_strdup(it, "id");
		a->name = restjson_strdup(it, "name");
		if (a->name == NULL)
			a->name = xstrdup(a->id);
		a->type = apigw_upper(restjson_str(it, "type"));
		a->uri = restjson_strdup(it, "authorizerUri");
	}
	*position = apigw_next_position(root, NULL);
}

/* GetAuthorizers, every page; see apigw.h. */
int
apigw_get_authorizers(struct apigw *g, const char *id,
    struct apigw_authorizer **out, size_t *n, struct aws_result *res)
{
	json_t *root;
	char *path, *query, *pos = NULL, *next;
	size_t pages;

	*out = NULL;
	*n = 0;
	path = apigw_path(id, "/authorizers");
	for (pages = 0; pages < RESTJSON_MAX_PAGES; pages++) {
		query = apigw_page_query(NULL, pos);
		root =
		    apigw_call(g, "GetAuthorizers", path, query, NULL, 0, res);
		free(query);
		if (root == NULL) {
			free(pos);
			free(path);
			return (-1);
		}
		apigw_decode_authorizers(root, out, n, &next);
		json_decref(root);
		if (next != NULL && pos != NULL && strcmp(next, pos) == 0)
			xfree(&next);
		free(pos);
		pos = next;
		if (pos == NULL)
			break;
		aws_result_free(res);
	}
	free(pos);
	free(path);
	return (0);
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

/* Free an array of REST APIs. */
void
apigw_restapis_free(struct apigw_restapi *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		apigw_restapi_free(&a[i]);
	free(a);
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

/* Free an array of stages. */
void
apigw_stages_free(struct apigw_stage *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		apigw_stage_free(&s[i]);
	free(s);
}

/* Free an array of authorizers. */
void
apigw_authorizers_free(struct apigw_authorizer *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].id);
		free(a[i].name);
		free(a[i].type);
		free(a[i].uri);
	}
	free(a);
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
	apigw_authorizers_free(d->authorizers, d->nauthorizers);
	memset(d, 0, sizeof *d);
}
