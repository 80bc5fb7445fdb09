/* SPDX-License-Identifier: Apache-2.0 */
/*
 * API discovery: an API id and a stage become the list of log groups to
 * read, each a source with its role and the reason it is there, plus
 * warnings and hints for the user.
 *
 * REST APIs: the stage's execution log group when its logging level is
 * ERROR or INFO (a hint otherwise), its access-log group, and the Lambda
 * functions behind the deployed integrations (GetExport; GetResources when
 * the export carries no integration at all) and the Lambda authorizers
 * the methods use, after stage-variable substitution (canary overrides
 * included). HTTP and WebSocket APIs: access logs, WebSocket execution
 * logs, integrations of the routes and REQUEST authorizers. Each function
 * becomes one source whatever the number of routes and qualifiers, with
 * the log group from LoggingConfig.LogGroup or /aws/lambda/<name>;
 * functions in another region or account are reported, not read.
 *
 * Nothing here prints: the command layer shows warnings, notes and
 * errors. Control-plane calls are paced (see apigw.h).
 *
 * A run is an operation on the loop (discover_start()): a state machine
 * whose phases issue requests (several at once where they do not depend
 * on each other) and continue when the last of them has answered; results
 * are kept in slots reserved when a request is issued and read in a fixed
 * order, so the result does not depend on which answer came first. It
 * never runs the loop; discover_run_sync() does, for the command layer.
 */
#ifndef APILOGS_DISCOVER_H
#define APILOGS_DISCOVER_H

#include <stddef.h>

#include "discover/role.h"

struct aws_client;

enum discover_type { DISCOVER_REST, DISCOVER_HTTP, DISCOVER_WEBSOCKET };

enum discover_status {
	DISCOVER_OK = 0,
	DISCOVER_NO_API,     /* no REST, HTTP or WebSocket API has the id */
	DISCOVER_NO_STAGE,   /* unknown stage; or omitted and not just one */
	DISCOVER_ERR_AWS,    /* a call failed for good */
	DISCOVER_ERR_ACCESS, /* credentials or permissions */
	DISCOVER_STOPPED,    /* the loop was stopped (Ctrl-C) */
	DISCOVER_NO_STACK,   /* no CloudFormation stack has the name */
	DISCOVER_NO_NAME     /* a --name matches no resource of the stack */
};

/* A log group behind the API, and why it is there. */
struct discover_source {
	char *group;             /* log group name */
	enum discover_role role; /* the first role found for the group */
	char *function;          /* the role's Lambda function, or NULL */
	char *reason;            /* why it is there (sources command) */
	int optional;            /* may not exist yet: warn, don't fail */
	char **routes;           /* routes that use it, sorted */
	size_t nroutes;
	/* From a stack: the resource's logical id, with the logical ids of
	 * the nested stacks it is in ("Orders/Fn"), and its type; NULL
	 * otherwise. */
	char *logical_id;
	char *resource_type;
};

struct discover_result {
	enum discover_status status;
	enum discover_type type;
	char *api_id;                 /* NULL for a stack */
	char *stack;                  /* the stack asked for, or NULL */
	char *api_name;               /* or NULL */
	char *stage;                  /* the stage read (chosen when omitted) */
	struct discover_source *srcs; /* execution, access, lambda:*, ... */
	size_t nsrcs;
	char **warnings; /* for the user, one line each */
	size_t nwarnings;
	char **notes; /* details for -v */
	size_t nnotes;
	/* NO_STAGE: the API's stages; NO_API: the region's APIs; NO_NAME:
	 * the stack's logical ids. */
	char **choices;
	size_t nchoices;
	char *cause; /* one line when status is not DISCOVER_OK */
};

struct discover;

/*
 * A discoverer for the API Gateway (v1), API Gateway v2 and Lambda
 * clients (borrowed; all in one region). account is the caller's account
 * id, or NULL when unknown (it is then learnt from the API's own ARNs).
 * It keeps the pacing buckets across runs. Free with discover_free().
 */
struct discover *discover_new(struct aws_client *apigw,
    struct aws_client *apigwv2, struct aws_client *lambda, const char *account);
void discover_free(struct discover *);

/* A run in flight, owned by whoever started it. */
struct discover_op;

/* A run is over: r is the callee's (free with discover_result_free()). */
typedef void (*discover_done_cb)(void *arg, struct discover_result *r);

/*
 * Start discovering the sources of api_id at stage (NULL: the API's only
 * stage). done runs once, from the loop and never before this returns,
 * with the result (check its status). The handle is valid until done
 * starts to run: an owner that goes away first cancels the run with
 * discover_op_cancel() (every request, pacing wait and retry in flight
 * is cancelled), and done never runs. d must outlive the run.
 */
struct discover_op *discover_start(struct discover *, const char *api_id,
    const char *stage, discover_done_cb done, void *arg);
/* Cancel a run. Accepts NULL; harmless from inside its done callback. */
void discover_op_cancel(struct discover_op *);
/*
 * Discover, running the loop until the result is in: for the command
 * layer only (src/cli/), outside any callback, since it runs the loop.
 * Always returns a result (caller frees with discover_result_free());
 * DISCOVER_STOPPED when the loop was stopped first.
 */
struct discover_result *discover_run_sync(
    struct discover *, const char *api_id, const char *stage);
void discover_result_free(struct discover_result *);

/*
 * Let d read CloudFormation stacks too: cfn and sfn are the CloudFormation
 * and Step Functions clients (borrowed, in d's region).
 */
void discover_stack_clients(
    struct discover *, struct aws_client *cfn, struct aws_client *sfn);

/* A stack run in flight, owned by whoever started it. */
struct discover_stack_op;

#define DISCOVER_STACK_DEPTH 8 /* nested stacks followed this deep */
#define DISCOVER_STACK_MAX 100 /* stacks listed in one run at most */

/*
 * Start discovering the log groups of a CloudFormation stack (a name or
 * a stack id) and of the stacks nested in it (see stack.c): Lambda
 * functions, REST, HTTP and WebSocket APIs at every stage (or at stage
 * when not NULL), Step Functions state machines' log destinations and
 * AWS::Logs::LogGroup resources; names (nnames of them, none: all)
 * narrow the resources read by logical id. Same contract as
 * discover_start(): done runs once, from the loop; the handle is valid
 * until then and discover_stack_cancel() cancels it. Needs
 * discover_stack_clients().
 */
struct discover_stack_op *discover_stack_start(struct discover *,
    const char *stack, char *const *names, size_t nnames, const char *stage,
    discover_done_cb done, void *arg);
/* Cancel a stack run. Accepts NULL; harmless from inside its done. */
void discover_stack_cancel(struct discover_stack_op *);
/* discover_stack_start(), running the loop: for the command layer only,
 * like discover_run_sync(). Caller frees with discover_result_free(). */
struct discover_result *discover_stack_run_sync(struct discover *,
    const char *stack, char *const *names, size_t nnames, const char *stage);

/* "REST", "HTTP" or "WEBSOCKET". */
const char *discover_type_name(enum discover_type);

#endif
