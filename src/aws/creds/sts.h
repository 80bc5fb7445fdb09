/* SPDX-License-Identifier: Apache-2.0 */
/*
 * STS AssumeRole and AssumeRoleWithWebIdentity over the query protocol
 * (form POST "Action=AssumeRole&Version=2011-06-15&...", XML response).
 * AssumeRole is signed with the source credentials of the aws_ctx it is
 * given; AssumeRoleWithWebIdentity is unsigned, as botocore sends it.
 */
#ifndef APILOGS_STS_H
#define APILOGS_STS_H

#include "aws/aws.h"

struct sts_request {
	const char *role_arn;
	const char *session_name;
	const char *external_id;  /* NULL: not sent */
	const char *serial;       /* mfa_serial, or NULL */
	const char *token_code;   /* the MFA code, or NULL */
	int duration;             /* DurationSeconds ... */
	int has_duration;         /* ... sent only when set */
	const char *web_identity; /* set: AssumeRoleWithWebIdentity */
};

struct sts_result {
	struct aws_creds creds; /* account_id from the ARN */
	char *role_arn;         /* AssumedRoleUser Arn */
	char *role_id;          /* AssumedRoleUser AssumedRoleId */
};

/* A call in flight, owned by whoever started it. */
struct sts_op;

/* res is borrowed for the call (NULL on error, with cause). */
typedef void (*sts_done_cb)(
    void *arg, struct sts_result *res, const char *cause);

/*
 * Start a call to STS at endpoint in region through ctx (its loop,
 * transport, retry and trace settings; ctx.creds supplies the source
 * credentials, asked for asynchronously like any signed call). ctx is
 * copied (its loop must outlive the call). Returns 0 with *op, and done()
 * runs once from the loop; -1 with *cause when the call cannot start.
 * Errors name the action and role.
 */
int sts_assume_start(const struct aws_ctx *, const char *region,
    const char *endpoint, const struct sts_request *, sts_done_cb done,
    void *arg, struct sts_op **op, char **cause);
/* Cancel a call whose done() has not run. Accepts NULL. */
void sts_op_cancel(struct sts_op *);
void sts_result_free(struct sts_result *);

#endif
