/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Lambda, the one call discovery needs: GetFunctionConfiguration, for
 * LoggingConfig.LogGroup (a function may log to any group; the default is
 * /aws/lambda/<name>). The function name or ARN is percent-encoded into
 * the path. Calls are paced by the client's own token bucket.
 */
#ifndef APILOGS_LAMBDA_H
#define APILOGS_LAMBDA_H

#include <jansson.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"

struct lambda {
	struct aws_client *c;
	struct ratelimit rl;
};

/* Set up a client on c. */
void lambda_init(struct lambda *, struct aws_client *c);

struct lambda_config {
	char *name;       /* FunctionName */
	char *arn;        /* FunctionArn */
	char *log_group;  /* LoggingConfig.LogGroup, or NULL */
	char *log_format; /* LoggingConfig.LogFormat (Text, JSON), or NULL */
};

/*
 * GetFunctionConfiguration of function (a name, partial ARN or ARN) at
 * qualifier (NULL: unqualified), as an operation on the loop (see
 * restjson_start()): fills *out, which the caller owns (zero it first;
 * free it with lambda_config_free(), also after a failure or a cancel)
 * and keeps valid until done runs or the operation is cancelled.
 */
struct restjson_op *lambda_get_config(struct lambda *, const char *function,
    const char *qualifier, struct lambda_config *out, restjson_done_cb done,
    void *arg);
/* Decode a FunctionConfiguration object; -1 with *cause (caller frees)
 * when it has no FunctionName. */
int lambda_decode_config(json_t *obj, struct lambda_config *, char **cause);
/* The log group of a configuration: LoggingConfig.LogGroup, else
 * /aws/lambda/<name>. Caller frees with free(). */
char *lambda_log_group(const struct lambda_config *);
/* The default log group of a function name. Caller frees with free(). */
char *lambda_default_group(const char *name);
/* Free the contents of *c. Accepts NULL. */
void lambda_config_free(struct lambda_config *);

#endif
