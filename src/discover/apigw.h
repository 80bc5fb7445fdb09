/* SPDX-License-Identifier: Apache-2.0 */
/*
 * API Gateway v1 (REST APIs), the calls discovery needs: GetRestApi(s),
 * GetStage(s), GetExport (oas30 with the integrations and authorizers
 * extensions: the deployed definition), GetResources (embed=methods,
 * limit=500, one call per page: the current definition) and
 * GetAuthorizers. Responses are decoded into plain structs; JSON null is
 * treated as absent. Calls are paced: every call takes a token from the
 * shared control-plane bucket, GetResources also from its own (5 per 2 s).
 */
#ifndef APILOGS_APIGW_H
#define APILOGS_APIGW_H

#include <stddef.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"

struct apigw {
	struct aws_client *c;
	struct ratelimit *total;    /* shared control-plane bucket, or NULL */
	struct ratelimit resources; /* GetResources: 5 requests per 2 s */
};

/* Set up a client on c; total is borrowed (NULL: no shared pacing). */
void apigw_init(struct apigw *, struct aws_client *c, struct ratelimit *total);

struct apigw_restapi {
	char *id;
	char *name;
};

struct apigw_method_setting {
	char *key; /* methodSettings key: star/star or "~1items/GET" */
	char *logging_level; /* OFF, ERROR, INFO; NULL when unset */
	int data_trace;      /* dataTraceEnabled */
};

struct apigw_stage {
	char *name;
	char *deployment_id;
	struct apigw_method_setting *settings; /* methodSettings */
	size_t nsettings;
	struct restjson_map variables;
	char *access_destination; /* accessLogSettings.destinationArn */
	char *access_format;
	int canary; /* canarySettings present */
	char *canary_deployment_id;
	struct restjson_map canary_variables; /* stageVariableOverrides */
};

/* One method of the API and its integration. */
struct apigw_method {
	char *route;      /* "GET /items"; "ANY /items" for any method */
	char *type;       /* integration type in upper case, or NULL */
	char *uri;        /* integration URI, or NULL */
	char *authorizer; /* authorizer id (GetResources) or name (export) */
};

struct apigw_authorizer {
	char *id; /* NULL when read from an export */
	char *name;
	char *type; /* TOKEN, REQUEST, COGNITO_USER_POOLS (upper case) */
	char *uri;  /* authorizerUri, or NULL */
};

/* Lists of the calls that read every page. */
struct apigw_restapis {
	struct apigw_restapi *v;
	size_t n;
};
struct apigw_stages {
	struct apigw_stage *v;
	size_t n;
};
struct apigw_authorizers {
	struct apigw_authorizer *v;
	size_t n;
};

/* A definition: from an export, or from GetResources pages. */
struct apigw_definition {
	struct apigw_method *methods;
	size_t nmethods;
	size_t nintegrations; /* methods that name an integration type */
	struct apigw_authorizers authorizers; /* export only */
	size_t pages; /* documents read (GetResources pages) */
};

/*
 * The calls, as operations on the loop (see restjson_start()): each fills
 * *out, which the caller owns (zero it first; free it with the matching
 * *_free() function, also after a failure or a cancel) and keeps valid
 * until done runs or the operation is cancelled.
 */
struct restjson_op *apigw_get_restapi(struct apigw *, const char *id,
    struct apigw_restapi *out, restjson_done_cb, void *arg);
/* Every REST API of the region (all pages). */
struct restjson_op *apigw_list_restapis(
    struct apigw *, struct apigw_restapis *out, restjson_done_cb, void *arg);
struct restjson_op *apigw_get_stage(struct apigw *, const char *id,
    const char *stage, struct apigw_stage *out, restjson_done_cb, void *arg);
struct restjson_op *apigw_get_stages(struct apigw *, const char *id,
    struct apigw_stages *out, restjson_done_cb, void *arg);
/* The deployed definition of a stage (GetExport oas30, JSON). */
struct restjson_op *apigw_get_export(struct apigw *, const char *id,
    const char *stage, struct apigw_definition *out, restjson_done_cb,
    void *arg);
/* The current definition: every GetResources page, one call each. */
struct restjson_op *apigw_get_resources(struct apigw *, const char *id,
    struct apigw_definition *out, restjson_done_cb, void *arg);
/* Every authorizer (all pages). */
struct restjson_op *apigw_get_authorizers(struct apigw *, const char *id,
    struct apigw_authorizers *out, restjson_done_cb, void *arg);

/*
 * Decoders, public for tests. Each fills (or appends to) its output from
 * a parsed response body; decode_stage returns -1 with *cause (caller
 * frees) when obj is not a stage. decode_resources and decode_authorizers
 * read one page (the paging is restjson's).
 */
int apigw_decode_stage(json_t *obj, struct apigw_stage *, char **cause);
void apigw_decode_export(json_t *root, struct apigw_definition *);
void apigw_decode_resources(json_t *root, struct apigw_definition *);
void apigw_decode_authorizers(json_t *root, struct apigw_authorizers *);

void apigw_restapi_free(struct apigw_restapi *);
void apigw_restapis_free(struct apigw_restapis *);
void apigw_stage_free(struct apigw_stage *);
void apigw_stages_free(struct apigw_stages *);
void apigw_definition_free(struct apigw_definition *);
void apigw_authorizers_free(struct apigw_authorizers *);

#endif
