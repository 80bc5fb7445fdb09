/*
 * EC2 instance metadata service, like botocore's IMDSFetcher: an IMDSv2
 * token (PUT latest/api/token) with a fall back to IMDSv1 unless that is
 * disabled, the instance role's credentials and the instance's region.
 */
#ifndef APILOGS_IMDS_H
#define APILOGS_IMDS_H

#include "aws/aws.h"

struct credsnet;

struct imds_conf {
	const char *endpoint; /* NULL: 169.254.169.254 or IPv6 */
	int ipv6;             /* endpoint mode IPv6 */
	int v1_disabled;      /* ec2_metadata_v1_disabled */
	int disabled;         /* AWS_EC2_METADATA_DISABLED=true */
	long timeout_ms;      /* metadata_service_timeout: 1 s */
	int attempts;         /* metadata_service_num_attempts: 1 */
};

/* The base URL to use, with a trailing '/'. Caller frees with free(). */
char *imds_base_url(const struct imds_conf *);
/*
 * The role credentials of the instance. Returns 0 and fills *out (clear
 * with cred_clear), 1 when IMDS has none or cannot be reached (botocore
 * then moves on: "unable to locate credentials"), -1 on a configuration
 * error with *cause set.
 */
int imds_credentials(const struct credsnet *, const struct imds_conf *,
    struct aws_creds *out, char **cause);
/* The instance's region: 0 with *region set (caller frees), 1 when not
 * available, -1 on a configuration error. */
int imds_region(const struct credsnet *, const struct imds_conf *,
    char **region, char **cause);

#endif
