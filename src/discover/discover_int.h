/* Discovery internals shared by discover.c, discover_rest.c, discover_v2.c. */
#ifndef APILOGS_DISCOVER_INT_H
#define APILOGS_DISCOVER_INT_H

#include <stddef.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"
#include "discover/apigw.h"
#include "discover/apigwv2.h"
#include "discover/discover.h"
#include "discover/lambda.h"

#define DISCOVER_CONTROL_RATE 10 /* API Gateway: 10 requests/s per account */

struct discover {
	struct apigw v1;
	struct apigwv2 v2;
	struct lambda lam;
	struct ratelimit total; /* API Gateway v1 and v2 together */
	char *region;
	char *account; /* the caller's, given or learnt; NULL if unknown */
};

/* A Lambda function some routes use, collected before it is resolved. */
struct dfunc {
	char *name;
	char *region;    /* NULL: the API's */
	char *account;   /* NULL: the API's */
	char *partition; /* NULL: "aws" */
	char **routes;
	size_t nroutes;
	int integration;    /* used by an integration */
	char **authorizers; /* "'auth' (TOKEN)": used by these authorizers */
	size_t nauthorizers;
};

/* One run. */
struct dctx {
	struct discover *d;
	struct discover_result *r;
	char *stage_desc;         /* "stage 'prod'", for messages */
	struct restjson_map vars; /* stage variables */
	int canary;
	struct restjson_map canary_vars; /* vars with the canary's overrides */
	struct dfunc *funcs;
	size_t nfuncs;
};

void dctx_warn(struct dctx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void dctx_note(struct dctx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* Add a copy of s to a list of strings unless it is there. */
void dctx_add_unique(char ***v, size_t *n, const char *s);
/* Set the result's status from a failed call and return -1. */
int dctx_fail(struct dctx *, const char *what, const struct aws_result *);
/* Fail with DISCOVER_NO_STAGE and these stage names as the choices. */
int dctx_no_stage(struct dctx *, char **names, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Add a source (merged with an existing one of the same group). */
struct discover_source *dctx_add_source(struct dctx *, const char *group,
    enum discover_role, const char *function, const char *reason, int optional);
/* Add the access-log source of a destination ARN (or warn). */
void dctx_add_access(struct dctx *, const char *arn);
/*
 * Note a Lambda URI (integration or authorizer) that routes use. Stage
 * variables are substituted (and again with the canary's, when that
 * names another function); authorizer is NULL for an integration, else a
 * description such as "'auth' (TOKEN)".
 */
void dctx_add_uri(struct dctx *, const char *uri, const char *what,
    char *const *routes, size_t nroutes, const char *authorizer);
/* Resolve the noted functions into sources (GetFunctionConfiguration). */
int dctx_resolve_functions(struct dctx *);

/* discover_rest.c: a REST API (the id is known to exist). */
int discover_rest(
    struct dctx *, const struct apigw_restapi *, const char *stage);
/* discover_v2.c: an HTTP or WebSocket API. */
int discover_v2(struct dctx *, const struct apigwv2_api *, const char *stage);

#endif
