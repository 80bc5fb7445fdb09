/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EC2 instance metadata service, like botocore's IMDSFetcher: an IMDSv2
 * token (PUT latest/api/token) with a fall back to IMDSv1 unless that is
 * disabled, the instance role's credentials and the instance's region.
 * Each lookup is a state machine on the loop (token, then one or two GETs,
 * each with its attempts); the region lookup also has a blocking wrapper
 * for the command layer.
 */
#ifndef APILOGS_IMDS_H
#define APILOGS_IMDS_H

#include "aws/aws.h"
#include "aws/cred.h"

struct credsnet;

struct imds_conf {
	const char *endpoint; /* NULL: 169.254.169.254 or IPv6 */
	int ipv6;             /* endpoint mode IPv6 */
	int v1_disabled;      /* ec2_metadata_v1_disabled */
	int disabled;         /* AWS_EC2_METADATA_DISABLED=true */
	long timeout_ms;      /* metadata_service_timeout: 1 s */
	int attempts;         /* metadata_service_num_attempts: 1 */
};

/* A lookup in flight, owned by whoever started it. */
struct imds_op;

/* The base URL to use, with a trailing '/'. Caller frees with free(). */
char *imds_base_url(const struct imds_conf *);
/*
 * Start fetching the role credentials of the instance. Returns 1 when
 * IMDS is disabled, -1 with *cause on a bad endpoint, or 0 with *op:
 * done() then runs once from the loop with rc 0 and the credentials, 1
 * when IMDS has none or cannot be reached (botocore then moves on:
 * "unable to locate credentials"), -1 on a configuration error. net and
 * ic are copied; ic's strings must outlive the lookup.
 */
int imds_credentials_start(const struct credsnet *, const struct imds_conf *,
    cred_done_cb done, void *arg, struct imds_op **op, char **cause);
/* Cancel a lookup whose done() has not run. Accepts NULL. */
void imds_op_cancel(struct imds_op *);
/*
 * The instance's region: 0 with *region set (caller frees), 1 when not
 * available, -1 on a configuration error. Runs the loop until the lookup
 * ends: for the command layer only, outside any callback.
 */
int imds_region_sync(const struct credsnet *, const struct imds_conf *,
    char **region, char **cause);

#endif
