/* API Gateway v2 (HTTP and WebSocket APIs): discovery calls and decoders. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/uri.h"
#include "core/xmalloc.h"
#include "discover/apigwv2.h"

#define APIGWV2_PAGE "500"

typedef void (*apigwv2_item_cb)(json_t *item, void *arg);

/* Set up a client; see apigwv2.h. */
void
apigwv2_init(struct apigwv2 *g, struct aws_client *c, struct ratelimit *total)
{
	memset(g, 0, sizeof *g);
	g->c = c;
	g->total = total;
}

/* A copy of s in upper case, or NULL. Caller frees. */
static char *
apigwv2_upper(const char *s)
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

/* The encoded path "/v2/apis/ID" followed by "/" and rest (when set),
 * itself followed by "/" and item (encoded, when set). Caller frees. */
static char *
apigwv2_path(const char *id, const char *rest, const char *item)
{
	char *eid, *eitem = NULL, *p;

	eid = uri_encode(id, strlen(id), 0);
	if (item != NULL)
		eitem = uri_encode(item, strlen(item), 0);
	p = xprintf("/v2/apis/%s%s%s%s%s", eid, rest ? "/" : "",
	    rest ? rest : "", eitem ? "/" : "", eitem ? eitem : "");
	free(eitem);
	free(eid);
	return (p);
}

/* GET one document. */
static json_t *
apigwv2_call(struct apigwv2 *g, const char *op, const char *path,
    const char *query, int flags, struct aws_result *res)
{
	struct restjson_req rq;

	memset(&rq, 0, sizeof rq);
	rq.op = op;
	rq.path = path;
	rq.query = query;
	rq.flags = flags;
	rq.rl[0] = g->total;
	return (restjson_get(g->c, &rq, res));
}

/* Read a list to its end, calling each for every item. */
static int
apigwv2_list(struct apigwv2 *g, const char *op, const char *path, int flags,
    apigwv2_item_cb each, void *arg, struct aws_result *res)
{
	struct uri_query q;
	json_t *root, *items, *it;
	const char *tok;
	char *query, *token = NULL;
	size_t i, pages;

	for (pages = 0; pages < RESTJSON_MAX_PAGES; pages++) {
		uri_query_init(&q);
		uri_query_add(&q, "maxResults", APIGWV2_PAGE);
		if (token != NULL)
			uri_query_add(&q, "nextToken", token);
		query = uri_query_string(&q);
		uri_query_free(&q);
		root = apigwv2_call(g, op, path, query, flags, res);
		free(query);
		if (root == NULL) {
			free(token);
			return (-1);
		}
		items = restjson_arr(root, "items");
		json_array_foreach(items, i, it)
		{
			if (json_is_object(it))
				each(it, arg);
		}
		tok = restjson_str(root, "nextToken");
		if (tok != NULL &&
		    (*tok == '\0' ||
			(token != NULL && strcmp(tok, token) == 0)))
			tok = NULL;
		free(token);
		token = tok != NULL ? xstrdup(tok) : NULL;
		json_decref(root);
		if (token == NULL)
			break;
		aws_result_free(res);
	}
	free(token);
	return (0);
}

/* Read an Api object. */
static void
apigwv2_decode_api(json_t *o, struct apigwv2_api *a)
{
	a->id = restjson_strdup(o, "apiId");
	a->name = restjson_strdup(o, "name");
	a->protocol = apigwv2_upper(restjson_str(o, "protocolType"));
}

/* GetApi; see apigwv2.h. */
int
apigwv2_get_api(struct apigwv2 *g, const char *id, struct apigwv2_api *out,
    struct aws_result *res)
{
	json_t *root;
	char *path;

	memset(out, 0, sizeof *out);
	path = apigwv2_path(id, NULL, NULL);
	root = apigwv2_call(g, "GetApi", path, NULL, 0, res);
	free(path);
	if (root == NULL)
		return (-1);
	apigwv2_decode_api(root, out);
	if (out->id == NULL)
		out->id = xstrdup(id);
	json_decref(root);
	return (0);
}

struct apigwv2_vec {
	void *v;
	size_t n;
	size_t size; /* element size */
};

/* Make room for one more element and return it, zeroed. */
static void *
apigwv2_vec_add(struct apigwv2_vec *vec)
{
	char *p;

	vec->v = xreallocarray(vec->v, vec->n + 1, vec->size);
	p = (char *)vec->v + vec->n * vec->size;
	memset(p, 0, vec->size);
	vec->n++;
	return (p);
}

static void
apigwv2_api_item(json_t *it, void *arg)
{
	struct apigwv2_api *a;

	if (restjson_str(it, "apiId") == NULL)
		return;
	a = apigwv2_vec_add(arg);
	apigwv2_decode_api(it, a);
}

/* GetApis; see apigwv2.h. */
int
apigwv2_list_apis(struct apigwv2 *g, struct apigwv2_api **out, size_t *n,
    struct aws_result *res)
{
	struct apigwv2_vec vec = {NULL, 0, sizeof **out};
	int rc;

	rc = apigwv2_list(
	    g, "GetApis", "/v2/apis", 0, apigwv2_api_item, &vec, res);
	*out = vec.v;
	*n = vec.n;
	return (rc);
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
	out->logging_level = apigwv2_upper(restjson_str(
	    restjson_obj(o, "defaultRouteSettings"), "loggingLevel"));
	rs = restjson_obj(o, "routeSettings");
	json_object_foreach(rs, k, v)
	{
		if (!json_is_object(v))
			continue;
		out->route_settings = xreallocarray(out->route_settings,
		    out->nroute_settings + 1, sizeof *out->route_settings);
		s = &out->route_settings[out->nroute_settings++];
		s->route_key = xstrdup(k);
		s->logging_level =
		    apigwv2_upper(restjson_str(v, "loggingLevel"));
	}
	return (0);
}

/* GetStage; see apigwv2.h. */
int
apigwv2_get_stage(struct apigwv2 *g, const char *id, const char *stage,
    struct apigwv2_stage *out, struct aws_result *res)
{
	json_t *root;
	char *path, *cause = NULL;
	int rc = 0;

	memset(out, 0, sizeof *out);
	path = apigwv2_path(id, "stages", stage);
	root = apigwv2_call(g, "GetStage", path, NULL, 0, res);
	free(path);
	if (root == NULL)
		return (-1);
	if (apigwv2_decode_stage(root, out, &cause) != 0) {
		res->status = AWS_ERR_TRANSPORT;
		free(res->message);
		res->message = cause;
		rc = -1;
	}
	json_decref(root);
	return (rc);
}

static void
apigwv2_stage_item(json_t *it, void *arg)
{
	struct apigwv2_vec *vec = arg;
	struct apigwv2_stage *s;
	char *cause = NULL;

	s = apigwv2_vec_add(vec);
	if (apigwv2_decode_stage(it, s, &cause) != 0) {
		free(cause);
		apigwv2_stage_free(s);
		vec->n--;
	}
}

/* GetStages; see apigwv2.h. */
int
apigwv2_get_stages(struct apigwv2 *g, const char *id,
    struct apigwv2_stage **out, size_t *n, struct aws_result *res)
{
	struct apigwv2_vec vec = {NULL, 0, sizeof **out};
	char *path;
	int rc;

	path = apigwv2_path(id, "stages", NULL);
	rc = apigwv2_list(
	    g, "GetStages", path, 0, apigwv2_stage_item, &vec, res);
	free(path);
	*out = vec.v;
	*n = vec.n;
	return (rc);
}

/* Decode an Integration object. */
void
apigwv2_decode_integration(json_t *o, struct apigwv2_integration *out)
{
	out->id = restjson_strdup(o, "integrationId");
	out->type = apigwv2_upper(restjson_str(o, "integrationType"));
	out->uri = restjson_strdup(o, "integrationUri");
}

static void
apigwv2_integration_item(json_t *it, void *arg)
{
	if (restjson_str(it, "integrationId") == NULL)
		return;
	apigwv2_decode_integration(it, apigwv2_vec_add(arg));
}

/* GetIntegrations; see apigwv2.h. */
int
apigwv2_get_integrations(struct apigwv2 *g, const char *id,
    struct apigwv2_integration **out, size_t *n, struct aws_result *res)
{
	struct apigwv2_vec vec = {NULL, 0, sizeof **out};
	char *path;
	int rc;

	path = apigwv2_path(id, "integrations", NULL);
	rc = apigwv2_list(
	    g, "GetIntegrations", path, 0, apigwv2_integration_item, &vec, res);
	free(path);
	*out = vec.v;
	*n = vec.n;
	return (rc);
}

/* Decode a Route object. */
void
apigwv2_decode_route(json_t *o, struct apigwv2_route *out)
{
	out->key = restjson_strdup(o, "routeKey");
	out->target = restjson_strdup(o, "target");
	out->authorizer_id = restjson_strdup(o, "authorizerId");
	out->authorization_type =
	    apigwv2_upper(restjson_str(o, "authorizationType"));
}

static void
apigwv2_route_item(json_t *it, void *arg)
{
	if (restjson_str(it, "routeKey") == NULL)
		return;
	apigwv2_decode_route(it, apigwv2_vec_add(arg));
}

/* GetRoutes; see apigwv2.h. */
int
apigwv2_get_routes(struct apigwv2 *g, const char *id,
    struct apigwv2_route **out, size_t *n, struct aws_result *res)
{
	struct apigwv2_vec vec = {NULL, 0, sizeof **out};
	char *path;
	int rc;

	path = apigwv2_path(id, "routes", NULL);
	rc = apigwv2_list(
	    g, "GetRoutes", path, 0, apigwv2_route_item, &vec, res);
	free(path);
	*out = vec.v;
	*n = vec.n;
	return (rc);
}

/* Decode an Authorizer object. */
void
apigwv2_decode_authorizer(json_t *o, struct apigwv2_authorizer *out)
{
	out->id = restjson_strdup(o, "authorizerId");
	out->name = restjson_strdup(o, "name");
	out->type = apigwv2_upper(restjson_str(o, "authorizerType"));
	out->uri = restjson_strdup(o, "authorizerUri");
}

static void
apigwv2_authorizer_item(json_t *it, void *arg)
{
	if (restjson_str(it, "authorizerId") == NULL)
		return;
	apigwv2_decode_authorizer(it, apigwv2_vec_add(arg));
}

/* Has routes[0..i) already named authorizer id? */
static int
apigwv2_seen_auth(const struct apigwv2_route *routes, size_t i, const char *id)
{
	size_t k;

	for (k = 0; k < i; k++) {
		if (routes[k].authorizer_id != NULL &&
		    strcmp(routes[k].authorizer_id, id) == 0)
			return (1);
	}
	return (0);
}

/* GetAuthorizers, or GetAuthorizer per id; see apigwv2.h. */
int
apigwv2_get_authorizers(struct apigwv2 *g, const char *id,
    const struct apigwv2_route *routes, size_t nroutes,
    struct apigwv2_authorizer **out, size_t *n, int *fallback,
    struct aws_result *res)
{
	struct apigwv2_vec vec = {NULL, 0, sizeof **out};
	json_t *root;
	char *path;
	size_t i;
	int rc;

	*fallback = 0;
	path = apigwv2_path(id, "authorizers", NULL);
	/* One attempt: on a server error the fallback reads the same data. */
	rc = apigwv2_list(g, "GetAuthorizers", path, AWS_CALL_NO_RETRY,
	    apigwv2_authorizer_item, &vec, res);
	free(path);
	if (rc == 0 || res->status != AWS_ERR_SERVICE ||
	    res->http_status < 500) {
		*out = vec.v;
		*n = vec.n;
		return (rc);
	}
	apigwv2_authorizers_free(vec.v, vec.n);
	vec.v = NULL;
	vec.n = 0;
	*fallback = 1;
	rc = 0;
	aws_result_free(res);
	memset(res, 0, sizeof *res); /* AWS_OK until a call fails */
	for (i = 0; i < nroutes; i++) {
		if (routes[i].authorizer_id == NULL ||
		    apigwv2_seen_auth(routes, i, routes[i].authorizer_id))
			continue;
		aws_result_free(res);
		path = apigwv2_path(id, "authorizers", routes[i].authorizer_id);
		root = apigwv2_call(g, "GetAuthorizer", path, NULL, 0, res);
		free(path);
		if (root == NULL) {
			rc = -1;
			break;
		}
		apigwv2_authorizer_item(root, &vec);
		json_decref(root);
	}
	*out = vec.v;
	*n = vec.n;
	return (rc);
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

/* Free an array of APIs. */
void
apigwv2_apis_free(struct apigwv2_api *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		apigwv2_api_free(&a[i]);
	free(a);
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

/* Free an array of stages. */
void
apigwv2_stages_free(struct apigwv2_stage *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		apigwv2_stage_free(&s[i]);
	free(s);
}

/* Free an array of integrations. */
void
apigwv2_integrations_free(struct apigwv2_integration *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].type);
		free(v[i].uri);
	}
	free(v);
}

/* Free an array of routes. */
void
apigwv2_routes_free(struct apigwv2_route *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].target);
		free(v[i].authorizer_id);
		free(v[i].authorization_type);
	}
	free(v);
}

/* Free an array of authorizers. */
void
apigwv2_authorizers_free(struct apigwv2_authorizer *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].name);
		free(v[i].type);
		free(v[i].uri);
	}
	free(v);
}
