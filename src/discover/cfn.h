/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CloudFormation, the one call stack discovery needs: ListStackResources
 * (query protocol: a POSTed form, XML pages with a NextToken), read to its
 * end. A stack is named by its name or its id (an ARN, which is how a
 * nested stack's physical id reads). Calls are paced by the client's own
 * token bucket.
 */
#ifndef APILOGS_CFN_H
#define APILOGS_CFN_H

#include <stddef.h>

#include "aws/aws.h"
#include "aws/ratelimit.h"
#include "aws/restjson.h"

#define CFN_MAX_RESOURCES 10000 /* per stack: a safety net */

struct cfn {
	struct aws_client *c;
	struct ratelimit rl;
};

/* Set up a client on c. */
void cfn_init(struct cfn *, struct aws_client *c);

/* One member of StackResourceSummaries. */
struct cfn_resource {
	char *logical_id;  /* LogicalResourceId */
	char *physical_id; /* PhysicalResourceId, or NULL when none yet */
	char *type;        /* ResourceType: "AWS::Lambda::Function" */
	char *status;      /* ResourceStatus, or NULL */
};

struct cfn_resources {
	struct cfn_resource *v;
	size_t n;
};

/*
 * ListStackResources of stack, every page, as an operation on the loop
 * (see restjson_start()): appends to *out, which the caller owns (zero it
 * first; free it with cfn_resources_free(), also after a failure or a
 * cancel) and keeps valid until done runs or the operation is cancelled.
 * An unknown stack is RESTJSON_NOT_FOUND.
 */
struct restjson_op *cfn_list_resources(struct cfn *, const char *stack,
    struct cfn_resources *out, restjson_done_cb done, void *arg);
/* Decode one ListStackResources page (XML) into *out (appended); -1 with
 * *cause (caller frees) when it is not such a page. */
int cfn_decode_resources(
    const char *xml, size_t len, struct cfn_resources *out, char **cause);
/* Free the contents of *r. Accepts NULL. */
void cfn_resources_free(struct cfn_resources *);

#endif
