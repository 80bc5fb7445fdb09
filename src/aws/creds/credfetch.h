/*
 * Fetching and refreshing the credentials of a source (credsrc.h):
 * environment, credential_process, STS assume role and web identity, SSO,
 * container and instance metadata, with the ~/.aws/cli/cache shared with
 * the aws command.
 */
#ifndef APILOGS_CREDFETCH_H
#define APILOGS_CREDFETCH_H

#include "aws/aws.h"

struct credsrc;

/* Refresh from this long before expiry (botocore's advisory window). */
#define CREDFETCH_ADVISORY_MS (15 * 60 * 1000LL)
/* Past a failed refresh, keep credentials with more than this left. */
#define CREDFETCH_FLOOR_MS (60 * 1000LL)
/* Wait this long before trying a failed refresh again. */
#define CREDFETCH_RETRY_MS (30 * 1000LL)
/* And this long before refreshing again credentials that came back
 * already inside the advisory window. */
#define CREDFETCH_PACE_MS (60 * 1000LL)

/*
 * The current credentials of s, fetched on first use and refreshed per
 * the windows above. *out stays valid until the next call for s.
 */
int credfetch_get(struct credsrc *, const struct aws_creds **out, char **cause);

#endif
