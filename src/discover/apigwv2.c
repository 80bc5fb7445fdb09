/* SPDX-License-Identifier: Apache-2.0 */
/* API Gateway v2 (HTTP and WebSocket APIs): discovery calls and decoders. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/xmalloc.h"
#include "discover/apigwv2.h"

/* API Gateway v2 pages: maxResults=500, nextToken. */
static const struct restjson_paging apigwv2_paging = {
    "maxResults", "500", "nextToken", "nextToken"};

/* Set up a client; see apigwv2.h. */
void
apigwv2_init(struct apigwv2 *g, struct aws_client *c, struct ratelimit *total)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	g->total = total;
}

/* GET "/v2/apis/ID[/rest[/item]]" (a listing when paging is set). */
static struct restjson_op *
apigwv2_call(struct apigwv2 *g, const char *op, const char *id,
    const char *rest, const char *item, const struct restjson_paging *paging,
    restjson_page_cb page, void *out, restjson_done_cb done, void *arg)
{
	struct restjson_op *p;
	char *path;

	if (rest == NULL)
		path = restjson_path("v2", "apis", id, NULL);
	else if (item == NULL)
		path = restjson_path("v2", "apis", id, rest, NULL);
	else
		path = restjson_path("v2", "apis", id, rest, item, NULL);
	p = restjson_get(
	    g->c, g->total, op, path, paging, page, out, done, arg);
	free(path);
	return (p);
}

/* Read an Api object. */
static void
apigwv2_decode_api(json_t *o, struct apigwv2_api *a)
{
	a->id = restjson_strdup(o, "apiId");
	a->name = restjson_strdup(o, "name");
	a->protocol = restjson_upper(o, "protocolType");
}

static int
apigwv2_api_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	apigwv2_decode_api(root, out);
	return (0);
}

/* GetApi; see apigwv2.h. */
struct restjson_op *
apigwv2_get_api(struct apigwv2 *g, const char *id, struct apigwv2_api *out,
    restjson_done_cb done, void *arg)
{
	return (apigwv2_call(g, "GetApi", id, NULL, NULL, NULL,
	    apigwv2_api_page, out, done, arg));
}

static void
apigwv2_api_item(json_t *it, void *arg)
{
	struct apigwv2_apis *l = arg;

	if (restjson_str(it, "apiId") != NULL)
		apigwv2_decode_api(
		    it, restjson_push(&l->v, &l->n, sizeof *l->v));
}

static int
apigwv2_apis_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "items", apigwv2_api_item, out);
	return (0);
}

/* GetApis; see apigwv2.h. */
struct restjson_op *
apigwv2_list_apis(struct apigwv2 *g, struct apigwv2_apis *out,
    restjson_done_cb done, void *arg)
{
	return (restjson_get(g->c, g->total, "GetApis", "/v2/apis",
	    &apigwv2_paging, apigwv2_apis_page, out, done, arg));
}

/* Decode a Stage object; see apigwv2.h. */
int
apigwv2_decode_stage(json_t *o, struct apigwv2_stage *out, char **cause)
{
	json_t *als, *rs, *v;
	const char *k;
	struct apigwv2_route_setting *s;

	memset(out, 0, sizeof *out);
	out->name = restjson_strdup(o, "stageName");
	if (out->name == NULL) {
		*cause = xstrdup("bad GetStage response: no stageName");
		return (-1);
	}
	als = restjson_obj(o, "accessLogSettings");
	out->access_destination = restjson_strdup(als, "destinationArn");
	out->access_format = restjson_strdup(als, "format");
	restjson_map_read(&out->variables, restjson_obj(o, "stageVariables"));
	out->logging_level = restjson_upper(
	    restjson_obj(o, "defaultRouteSettings"), "loggingLevel");
	rs = restjson_obj(o, "routeSettings");
	json_object_foreach(rs, k, v)
	{
		if (!json_is_object(v))
			continue;
		out->route_settings = xreallocarray(out->route_settings,
		    out->nroute_settings + 1, sizeof *out->route_settings);
		s = &out->route_settings[out->nroute_settings++];
		s->route_key = xstrdup(k);
		s->logging_level = restjson_upper(v, "loggingLevel");
	}
	return (0);
}

static int
apigwv2_stage_page(json_t *root, void *out, char **cause)
{
	return (apigwv2_decode_stage(root, out, cause));
}

/* GetStage; see apigwv2.h. */
struct restjson_op *
apigwv2_get_stage(struct apigwv2 *g, const char *id, const char *stage,
    struct apigwv2_stage *out, restjson_done_cb done, void *arg)
{
	return (apigwv2_call(g, "GetStage", id, "stages", stage, NULL,
	    apigwv2_stage_page, out, done, arg));
}

/* A stage of a GetStages page; one that is not a stage is skipped. */
static void
apigwv2_stage_item(json_t *it, void *arg)
{
	struct apigwv2_stages *l = arg;
	struct apigwv2_stage st;
	char *cause = NULL;

	if (apigwv2_decode_stage(it, &st, &cause) != 0) {
		apigwv2_stage_free(&st);
		free(cause);
		return;
	}
	*(struct apigwv2_stage *)restjson_push(&l->v, &l->n, sizeof *l->v) = st;
}

static int
apigwv2_stages_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "items", apigwv2_stage_item, out);
	return (0);
}

/* GetStages; see apigwv2.h. */
struct restjson_op *
apigwv2_get_stages(struct apigwv2 *g, const char *id,
    struct apigwv2_stages *out, restjson_done_cb done, void *arg)
{
	return (apigwv2_call(g, "GetStages", id, "stages", NULL,
	    &apigwv2_paging, apigwv2_stages_page, out, done, arg));
}

/* Decode an Integration object. */
void
apigwv2_decode_integration(json_t *o, struct apigwv2_integration *out)
{
	out->id = restjson_strdup(o, "integrationId");
	out->type = restjson_upper(o, "integrationType");
	out->uri = restjson_strdup(o, "integrationUri");
}

static void
apigwv2_integration_item(json_t *it, void *arg)
{
	struct apigwv2_integrations *l = arg;

	if (restjson_str(it, "integrationId") != NULL)
		apigwv2_decode_integration(
		    it, restjson_push(&l->v, &l->n, sizeof *l->v));
}

static int
apigwv2_integrations_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "items", apigwv2_integration_item, out);
	return (0);
}

/* GetIntegrations; see apigwv2.h. */
struct restjson_op *
apigwv2_get_integrations(struct apigwv2 *g, const char *id,
    struct apigwv2_integrations *out, restjson_done_cb done, void *arg)
{
	return (apigwv2_call(g, "GetIntegrations", id, "integrations", NULL,
	    &apigwv2_paging, apigwv2_integrations_page, out, done, arg));
}

/* Decode a Route object. */
void
apigwv2_decode_route(json_t *o, struct apigwv2_route *out)
{
	out->key = restjson_strdup(o, "routeKey");
	out->target = restjson_strdup(o, "target");
	out->authorizer_id = restjson_strdup(o, "authorizerId");
	out->authorization_type = restjson_upper(o, "authorizationType");
}

static void
apigwv2_route_item(json_t *it, void *arg)
{
	struct apigwv2_routes *l = arg;

	if (restjson_str(it, "routeKey") != NULL)
		apigwv2_decode_route(
		    it, restjson_push(&l->v, &l->n, sizeof *l->v));
}

static int
apigwv2_routes_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "items", apigwv2_route_item, out);
	return (0);
}

/* GetRoutes; see apigwv2.h. */
struct restjson_op *
apigwv2_get_routes(struct apigwv2 *g, const char *id,
    struct apigwv2_routes *out, restjson_done_cb done, void *arg)
{
	return (apigwv2_call(g, "GetRoutes", id, "routes", NULL,
	    &apigwv2_paging, apigwv2_routes_page, out, done, arg));
}

/* Decode an Authorizer object. */
void
apigwv2_decode_authorizer(json_t *o, struct apigw_authorizer *out)
{
	out->id = restjson_strdup(o, "authorizerId");
	out->name = restjson_strdup(o, "name");
	out->type = restjson_upper(o, "authorizerType");
	out->uri = restjson_strdup(o, "authorizerUri");
}

static void
apigwv2_authorizer_item(json_t *it, void *arg)
{
	struct apigw_authorizers *l = arg;

	if (restjson_str(it, "authorizerId") != NULL)
		apigwv2_decode_authorizer(
		    it, restjson_push(&l->v, &l->n, sizeof *l->v));
}

static int
apigwv2_authorizers_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	restjson_each(root, "items", apigwv2_authorizer_item, out);
	return (0);
}

/* GetAuthorizers, one attempt; see apigwv2.h. */
struct restjson_op *
apigwv2_get_authorizers(struct apigwv2 *g, const char *id,
    struct apigw_authorizers *out, restjson_done_cb done, void *arg)
{
	struct restjson_req rq;
	struct restjson_op *op;
	char *path;

	path = restjson_path("v2", "apis", id, "authorizers", NULL);
	memset(&rq, 0, sizeof rq);
	rq.op = "GetAuthorizers";
	rq.path = path;
	/* One attempt: on a server error the fallback reads the same data. */
	rq.flags = AWS_CALL_NO_RETRY;
	rq.rl[0] = g->total;
	rq.paging = &apigwv2_paging;
	rq.page = apigwv2_authorizers_page;
	rq.out = out;
	op = restjson_start(g->c, &rq, done, arg);
	free(path);
	return (op);
}

static int
apigwv2_authorizer_page(json_t *root, void *out, char **cause)
{
	(void)cause;
	apigwv2_authorizer_item(root, out);
	return (0);
}

/* GetAuthorizer; see apigwv2.h. */
struct restjson_op *
apigwv2_get_authorizer(struct apigwv2 *g, const char *id,
    const char *authorizer_id, struct apigw_authorizers *out,
    restjson_done_cb done, void *arg)
{
	return (apigwv2_call(g, "GetAuthorizer", id, "authorizers",
	    authorizer_id, NULL, apigwv2_authorizer_page, out, done, arg));
}

/* Free an API. Accepts NULL. */
void
apigwv2_api_free(struct apigwv2_api *a)
{
	if (a == NULL)
		return;
	free(a->id);
	free(a->name);
	free(a->protocol);
	memset(a, 0, sizeof *a);
}

/* Free a list of APIs. Accepts NULL. */
void
apigwv2_apis_free(struct apigwv2_apis *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		apigwv2_api_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Free a stage's contents. Accepts NULL. */
void
apigwv2_stage_free(struct apigwv2_stage *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->name);
	free(s->access_destination);
	free(s->access_format);
	restjson_map_free(&s->variables);
	free(s->logging_level);
	for (i = 0; i < s->nroute_settings; i++) {
		free(s->route_settings[i].route_key);
		free(s->route_settings[i].logging_level);
	}
	free(s->route_settings);
	memset(s, 0, sizeof *s);
}

/* Free a list of stages. Accepts NULL. */
void
apigwv2_stages_free(struct apigwv2_stages *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		apigwv2_stage_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Free a list of integrations. Accepts NULL. */
void
apigwv2_integrations_free(struct apigwv2_integrations *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].type);
		free(l->v[i].uri);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Free a list of routes. Accepts NULL. */
void
apigwv2_routes_free(struct apigwv2_routes *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].target);
		free(l->v[i].authorizer_id);
		free(l->v[i].authorization_type);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
