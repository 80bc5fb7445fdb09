/*
 * API Gateway v2 (HTTP and WebSocket APIs), the calls discovery needs:
 * GetApi(s), GetStage(s), GetIntegrations, GetRoutes, GetAuthorizers and
 * GetAuthorizer. Lists are read to the end (nextToken). Responses are
 * decoded into plain structs; JSON null is treated as absent. Every call
 * takes a token from the shared control-plane bucket first.
 */
#ifndef APILOGS_APIGWV2_H
#define APILOGS_APIGWV2_H

#include <stddef.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"

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

struct apigwv2_authorizer {
	char *id;
	char *name;
	char *type; /* REQUEST or JWT */
	char *uri;  /* authorizerUri, or NULL */
};

/*
 * The calls. Each returns 0, or -1 with the failure in *res; *res is
 * always filled (free with aws_result_free()). Results are owned by the
 * caller: free them with the matching *_free() function.
 */
int apigwv2_get_api(struct apigwv2 *, const char *id, struct apigwv2_api *,
    struct aws_result *);
/* Every HTTP and WebSocket API of the region. */
int apigwv2_list_apis(
    struct apigwv2 *, struct apigwv2_api **, size_t *, struct aws_result *);
int apigwv2_get_stage(struct apigwv2 *, const char *id, const char *stage,
    struct apigwv2_stage *, struct aws_result *);
int apigwv2_get_stages(struct apigwv2 *, const char *id,
    struct apigwv2_stage **, size_t *, struct aws_result *);
int apigwv2_get_integrations(struct apigwv2 *, const char *id,
    struct apigwv2_integration **, size_t *, struct aws_result *);
int apigwv2_get_routes(struct apigwv2 *, const char *id,
    struct apigwv2_route **, size_t *, struct aws_result *);
/*
 * The authorizers that routes[0..nroutes) use. GetAuthorizers first; when
 * that list call fails with a server error (moto answers it with HTTP
 * 500), each authorizer id the routes name is fetched with GetAuthorizer
 * instead. *fallback is set when that happened.
 */
int apigwv2_get_authorizers(struct apigwv2 *, const char *id,
    const struct apigwv2_route *routes, size_t nroutes,
    struct apigwv2_authorizer **, size_t *, int *fallback, struct aws_result *);

/* Decoders, public for tests. decode_stage returns -1 with *cause
 * (caller frees) when obj is not a stage. */
int apigwv2_decode_stage(json_t *obj, struct apigwv2_stage *, char **cause);
void apigwv2_decode_integration(json_t *obj, struct apigwv2_integration *);
void apigwv2_decode_route(json_t *obj, struct apigwv2_route *);
void apigwv2_decode_authorizer(json_t *obj, struct apigwv2_authorizer *);

void apigwv2_api_free(struct apigwv2_api *);
void apigwv2_apis_free(struct apigwv2_api *, size_t);
void apigwv2_stage_free(struct apigwv2_stage *);
void apigwv2_stages_free(struct apigwv2_stage *, size_t);
void apigwv2_integrations_free(struct apigwv2_integration *, size_t);
void apigwv2_routes_free(struct apigwv2_route *, size_t);
void apigwv2_authorizers_free(struct apigwv2_authorizer *, size_t);

#endif
