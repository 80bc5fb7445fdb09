/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Step Functions, the one call stack discovery needs: DescribeStateMachine
 * (awsJson1_0), for the log groups of loggingConfiguration. Calls are
 * paced by the client's own token bucket.
 */
#ifndef APILOGS_SFN_H
#define APILOGS_SFN_H

#include <stddef.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"

struct sfn {
	struct aws_client *c;
	struct ratelimit rl;
};

/* Set up a client on c. */
void sfn_init(struct sfn *, struct aws_client *c);

struct sfn_machine {
	char *name;  /* name */
	char *level; /* loggingConfiguration.level (ALL, ERROR, FATAL, OFF) */
	/* destinations[].cloudWatchLogsLogGroup.logGroupArn */
	char **group_arns;
	size_t ngroup_arns;
};

/*
 * DescribeStateMachine of arn, as an operation on the loop (see
 * restjson_start()): fills *out, which the caller owns (zero it first;
 * free it with sfn_machine_free(), also after a failure or a cancel) and
 * keeps valid until done runs or the operation is cancelled. An unknown
 * state machine is RESTJSON_NOT_FOUND.
 */
struct restjson_op *sfn_describe(struct sfn *, const char *arn,
    struct sfn_machine *out, restjson_done_cb done, void *arg);
/* Decode a DescribeStateMachine answer; -1 with *cause (caller frees)
 * when it has no name. */
int sfn_decode_machine(json_t *obj, struct sfn_machine *, char **cause);
/* Free the contents of *m. Accepts NULL. */
void sfn_machine_free(struct sfn_machine *);

#endif
