/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container credentials (ECS task roles, EKS Pod Identity) like botocore's
 * ContainerProvider: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is fetched from
 * http://169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI when it is
 * https or a loopback, 169.254.170.2, 169.254.170.23, fd00:ec2::23 or
 * localhost address; an Authorization header comes from
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN. 2 s timeouts, 3 tries
 * a pause apart (a timer on the loop).
 */
#ifndef APILOGS_CONTAINER_H
#define APILOGS_CONTAINER_H

#include "aws/aws.h"
#include "aws/cred.h"

struct credsnet;
/* A fetch in flight, owned by whoever started it. */
struct container_op;

/* Is either URI variable set (botocore: the provider is configured)? */
int container_configured(void);
/* Is url an allowed full URI? Sets *cause when not. */
int container_url_allowed(const char *url, char **cause);
/*
 * Start fetching the credentials: 0 with *op, and done() runs once from
 * the loop (rc 0 with the credentials, or -1 with a cause); -1 with *cause
 * on a configuration error (no request is sent). net is copied.
 */
int container_start(const struct credsnet *, cred_done_cb done, void *arg,
    struct container_op **op, char **cause);
/* Cancel a fetch whose done() has not run. Accepts NULL. */
void container_op_cancel(struct container_op *);

#endif
