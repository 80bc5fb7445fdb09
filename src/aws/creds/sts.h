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

/*
 * Call STS at endpoint in region through ctx (its loop, transport, retry
 * and trace settings; get_creds supplies the source credentials). Fills
 * *out (free with sts_result_free). Errors name the action and role.
 */
int sts_assume(struct aws_ctx *, const char *region, const char *endpoint,
    const struct sts_request *, struct sts_result *out, char **cause);
void sts_result_free(struct sts_result *);

#endif
