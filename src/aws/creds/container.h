/*
 * Container credentials (ECS task roles, EKS Pod Identity) like botocore's
 * ContainerProvider: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is fetched from
 * http://169.254.170.2, or AWS_CONTAINER_CREDENTIALS_FULL_URI when it is
 * https or a loopback, 169.254.170.2, 169.254.170.23, fd00:ec2::23 or
 * localhost address; an Authorization header comes from
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN. 2 s timeouts, 3 tries.
 */
#ifndef APILOGS_CONTAINER_H
#define APILOGS_CONTAINER_H

#include "aws/aws.h"

struct credsnet;

/* Is either URI variable set (botocore: the provider is configured)? */
int container_configured(void);
/* Is url an allowed full URI? Sets *cause when not. */
int container_url_allowed(const char *url, char **cause);
/* Fetch the credentials. Fills *out (clear with cred_clear). */
int container_credentials(
    const struct credsnet *, struct aws_creds *out, char **cause);

#endif
