/* SPDX-License-Identifier: Apache-2.0 */
/*
 * API Gateway v2 (HTTP and WebSocket APIs), the calls discovery needs:
 * GetApi(s), GetStage(s), GetIntegrations, GetRoutes, GetAuthorizers and
 * GetAuthorizer. Lists are read to the end (nextToken, by restjson). Responses
 * are decoded into plain structs; JSON null is treated as absent. Every call
 * takes a token from the shared control-plane bucket first.
 */
#ifndef APILOGS_APIGWV2_H
#define APILOGS_APIGWV2_H

#include <stddef.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"
#include "discover/apigw.h"

struct apigwv2 {
	struct aws_client *c;
	struct ratelimit *total; /* shared control-plane bucket, or NULL */
};

/* Set up a client on c; total is borrowed (NULL: no pacing). */
void apigwv2_init(
    struct apigwv2 *, struct aws_client *c, struct ratelimit *total);

struct apigwv2_api {
	char *id;
	char *name;
	char *protocol; /* HTTP or WEBSOCKET */
};

struct apigwv2_route_setting {
	char *route_key;
	char *logging_level; /* OFF, ERROR, INFO (WebSocket); or NULL */
};

struct apigwv2_stage {
	char *name;
	char *access_destination; /* accessLogSettings.destinationArn */
	char *access_format;
	struct restjson_map variables; /* stageVariables */
	char *logging_level;           /* defaultRouteSettings.loggingLevel */
	struct apigwv2_route_setting *route_settings;
	size_t nroute_settings;
};

struct apigwv2_integration {
	char *id;
	char *type; /* AWS_PROXY, AWS, HTTP_PROXY, MOCK... (upper case) */
	char *uri;  /* integrationUri, or NULL */
};

struct apigwv2_route {
	char *key;    /* "GET /items", "$connect" */
	char *target; /* "integrations/ID", or NULL */
	char *authorizer_id;
	char *authorization_type; /* NONE, CUSTOM, JWT, AWS_IAM */
};

/* Authorizers: struct apigw_authorizer (type REQUEST or JWT). */

/* Lists of the calls that read every page. */
struct apigwv2_apis {
	struct apigwv2_api *v;
	size_t n;
};
struct apigwv2_stages {
	struct apigwv2_stage *v;
	size_t n;
};
struct apigwv2_integrations {
	struct apigwv2_integration *v;
	size_t n;
};
struct apigwv2_routes {
	struct apigwv2_route *v;
	size_t n;
};

/*
 * The calls, as operations on the loop (see restjson_start()): each fills
 * *out, which the caller owns (zero it first; free it with the matching
 * *_free() function, also after a failure or a cancel) and keeps valid
 * until done runs or the operation is cancelled. Lists read every page.
 */
struct restjson_op *apigwv2_get_api(struct apigwv2 *, const char *id,
    struct apigwv2_api *out, restjson_done_cb, void *arg);
/* Every HTTP and WebSocket API of the region. */
struct restjson_op *apigwv2_list_apis(
    struct apigwv2 *, struct apigwv2_apis *out, restjson_done_cb, void *arg);
struct restjson_op *apigwv2_get_stage(struct apigwv2 *, const char *id,
    const char *stage, struct apigwv2_stage *out, restjson_done_cb, void *arg);
struct restjson_op *apigwv2_get_stages(struct apigwv2 *, const char *id,
    struct apigwv2_stages *out, restjson_done_cb, void *arg);
struct restjson_op *apigwv2_get_integrations(struct apigwv2 *, const char *id,
    struct apigwv2_integrations *out, restjson_done_cb, void *arg);
struct restjson_op *apigwv2_get_routes(struct apigwv2 *, const char *id,
    struct apigwv2_routes *out, restjson_done_cb, void *arg);
/* GetAuthorizers, tried once (no retries): moto answers it with an HTTP
 * 500, and the caller then reads each authorizer with GetAuthorizer. */
struct restjson_op *apigwv2_get_authorizers(struct apigwv2 *, const char *id,
    struct apigw_authorizers *out, restjson_done_cb, void *arg);
/* GetAuthorizer: one authorizer, appended to *out. */
struct restjson_op *apigwv2_get_authorizer(struct apigwv2 *, const char *id,
    const char *authorizer_id, struct apigw_authorizers *out, restjson_done_cb,
    void *arg);

/* Decoders, public for tests. decode_stage returns -1 with *cause
 * (caller frees) when obj is not a stage. */
int apigwv2_decode_stage(json_t *obj, struct apigwv2_stage *, char **cause);
void apigwv2_decode_integration(json_t *obj, struct apigwv2_integration *);
void apigwv2_decode_route(json_t *obj, struct apigwv2_route *);
void apigwv2_decode_authorizer(json_t *obj, struct apigw_authorizer *);

void apigwv2_api_free(struct apigwv2_api *);
void apigwv2_apis_free(struct apigwv2_apis *);
void apigwv2_stage_free(struct apigwv2_stage *);
void apigwv2_stages_free(struct apigwv2_stages *);
void apigwv2_integrations_free(struct apigwv2_integrations *);
void apigwv2_routes_free(struct apigwv2_routes *);

#endif
