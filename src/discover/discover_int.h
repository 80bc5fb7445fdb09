/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Discovery internals shared by discover.c, discover_rest.c, discover_v2.c
 * and discover_func.c: the run (struct discover_op), its jobs and phases.
 *
 * A phase is a function that reads the slots earlier requests filled,
 * adds sources, warnings and notes, issues the requests it needs (each a
 * job writing into a slot of the run) and names the phase to run once all
 * of them have answered (c->next). When the last job of a phase answers,
 * the next phase runs; when there is none (or a phase failed), the run is
 * over and its callback gets the result.
 */
#ifndef APILOGS_DISCOVER_INT_H
#define APILOGS_DISCOVER_INT_H

#include <stddef.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"
#include "discover/apigw.h"
#include "discover/apigwv2.h"
#include "discover/cfn.h"
#include "discover/discover.h"
#include "discover/lambda.h"
#include "discover/sfn.h"

#define DISCOVER_CONTROL_RATE 10 /* API Gateway: 10 requests/s per account */

struct discover {
	struct apigw v1;
	struct apigwv2 v2;
	struct lambda lam;
	struct cfn cfn; /* when stacks are read (cfn.c NULL otherwise) */
	struct sfn sfn;
	struct ratelimit total; /* API Gateway v1 and v2 together */
	char *region;
	char *account; /* the caller's, given or learnt; NULL if unknown */
};

/* How a request of the run ended: a slot reserved when it was issued. */
struct dcall {
	enum restjson_err err;
	char *desc; /* the failure in one line; NULL when it went well */
};

/* Where a function is, as far as reading its logs goes. */
enum dfunc_where { DFUNC_HERE, DFUNC_OTHER_REGION, DFUNC_OTHER_ACCOUNT };

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
	enum dfunc_where where;   /* decided when its configuration is asked */
	struct lambda_config cfg; /* GetFunctionConfiguration, when asked */
	struct dcall call;
};

struct discover_op;
typedef void (*dphase)(struct discover_op *);

/* A request in flight, writing into a slot of its run. */
struct djob {
	struct discover_op *c;
	struct restjson_op *op;
	struct dcall *slot;
	struct djob *prev, *next;
};

/* One run. */
struct discover_op {
	struct discover *d;
	struct discover_result *r;
	discover_done_cb done;
	void *arg;
	char *want_stage;   /* the stage asked for, or NULL */
	struct djob *jobs;  /* in flight */
	size_t pending;     /* how many */
	dphase next;        /* runs when pending drops to 0; NULL: over */
	dphase stage_ready; /* the API kind's phase once the stage is read */
	int delivering;

	char *stage_desc;         /* "stage 'prod'", for messages */
	struct restjson_map vars; /* stage variables */
	int canary;
	struct restjson_map canary_vars; /* vars with the canary's overrides */
	struct dfunc *funcs;
	size_t nfuncs;

	/* The API and its stage. */
	struct dcall api, stage, lists[2];
	struct apigw_restapi ra;
	struct apigwv2_api va;
	struct apigw_restapis ras;
	struct apigwv2_apis vas;
	struct apigw_stage st1;
	struct apigw_stages sts1;
	struct apigwv2_stage st2;
	struct apigwv2_stages sts2;
	/* REST APIs. */
	struct dcall export, resources, auths;
	struct apigw_definition def;
	struct apigw_authorizers auths1;
	/* HTTP and WebSocket APIs. */
	struct dcall routes, integrations;
	struct apigwv2_routes routes2;
	struct apigwv2_integrations integrations2;
	struct apigw_authorizers auths2;
	struct dcall *auth_calls; /* GetAuthorizer, one per id */
	struct apigw_authorizers *auth_one;
	size_t nauth_one;
};

/*
 * Reserve slot for a request of the run: returns the job to pass as the
 * arg of the request (with dctx_job_done as its callback); store the
 * request's handle in its op. Example:
 *	j = dctx_job(c, &c->stage);
 *	j->op = apigw_get_stage(&d->v1, id, name, &c->st1, dctx_job_done, j);
 */
struct djob *dctx_job(struct discover_op *, struct dcall *slot);
void dctx_job_done(void *job, struct restjson_res *);

/* A warning for the user, or a detail for -v, added to a result (API or
 * stack discovery) unless it is there already. */
void dresult_warn(struct discover_result *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
void dresult_note(struct discover_result *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* The source of r that reads group (*added 0), or a new one with copies of
 * group, function (may be NULL) and reason, and that role (*added 1). */
struct discover_source *dresult_source(struct discover_result *r,
    const char *group, enum discover_role role, const char *function,
    const char *reason, int *added);
/* Add a copy of s to a list of strings unless it is there. */
void dctx_add_unique(char ***v, size_t *n, const char *s);
/* Fail the run with a failed request ("what: cause"): over. */
void dctx_fail(struct discover_op *, const char *what, const struct dcall *);
/* Add a source (merged with an existing one of the same group). */
struct discover_source *dctx_add_source(struct discover_op *, const char *group,
    enum discover_role, const char *function, const char *reason, int optional);
/* Add the access-log source of a destination ARN (or warn). */
void dctx_add_access(struct discover_op *, const char *arn);
/* The stage is read: note its name and variables. */
void dctx_stage_chosen(
    struct discover_op *, const char *name, const struct restjson_map *vars);
/* Add the execution-log source of the stage; where is NULL (every
 * method) or says where level is set ("route $connect"). */
void dctx_add_execution(
    struct discover_op *, const char *level, const char *where);
/*
 * Note a Lambda URI (integration or authorizer) that routes use. Stage
 * variables are substituted (and again with the canary's, when that
 * names another function); authorizer is NULL for an integration, else a
 * description such as "'auth' (TOKEN)".
 */
void dctx_add_uri(struct discover_op *, const char *uri, const char *what,
    char *const *routes, size_t nroutes, const char *authorizer);

/* discover.c: read the stage (or choose the only one). */
void dctx_stage_start(struct discover_op *);
/* discover_func.c: resolve the noted functions into sources. */
void dctx_resolve_start(struct discover_op *);
void dctx_funcs_free(struct discover_op *);

/* discover_rest.c: a REST API, once its stage is read. */
void discover_rest(struct discover_op *);
/* discover_v2.c: an HTTP or WebSocket API, once its stage is read. */
void discover_v2(struct discover_op *);

#endif
