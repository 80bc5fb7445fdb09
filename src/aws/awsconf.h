/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AWS CLI's view of configuration for one run: which profile, the
 * settings read from environment and profile (retries, CA bundle, FIPS,
 * dual-stack, instance metadata), the region and each service's endpoint.
 * Every resolver also reports where its answer came from, for -v.
 *
 * Order of precedence (aws-cli v2, botocore configprovider.py):
 *   profile:  --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, "default"
 *   region:   --region, AWS_REGION, AWS_DEFAULT_REGION, profile region, IMDS
 *   endpoint: --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
 *             [services X] "<service> = / endpoint_url = ...", profile
 *             endpoint_url (all but the flag off when
 *             AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_
 *             endpoint_urls is true), else the partition's default.
 * Every error from this module is a configuration error (exit code 4).
 */
#ifndef APILOGS_AWSCONF_H
#define APILOGS_AWSCONF_H

#include "aws/aws.h"
#include "aws/imds.h"

struct config;
struct credsnet;

struct awsconf_settings {
	int max_attempts;       /* AWS_MAX_ATTEMPTS: 3 */
	const char *retry_mode; /* standard|adaptive|legacy */
	const char *ca_bundle;  /* AWS_CA_BUNDLE, or NULL */
	int use_fips;           /* AWS_USE_FIPS_ENDPOINT */
	int use_dualstack;      /* AWS_USE_DUALSTACK_ENDPOINT */
	int ignore_endpoints;   /* ..._CONFIGURED_ENDPOINT_URLS */
	struct imds_conf imds;
};

struct awsconf;

/*
 * Select the profile (flag_profile is --profile, or NULL) and read the
 * settings. A selected profile that exists in neither file is an error,
 * "the config profile (X) could not be found", except "default". cfg is
 * borrowed and must outlive the awsconf. Caller frees with awsconf_free().
 */
int awsconf_new(struct awsconf **, struct config *cfg, const char *flag_profile,
    char **cause);
void awsconf_free(struct awsconf *);
/*
 * config_load() then awsconf_new(); the awsconf owns the configuration and
 * frees it. Every error (unreadable or malformed files, unknown profile,
 * bad settings) is a configuration error.
 */
int awsconf_load(struct awsconf **, const char *flag_profile, char **cause);

const char *awsconf_profile(const struct awsconf *);
/* "--profile", "AWS_PROFILE", "AWS_DEFAULT_PROFILE" or "default". */
const char *awsconf_profile_source(const struct awsconf *);
/* Was --profile given? (It turns off the environment credentials.) */
int awsconf_profile_explicit(const struct awsconf *);
struct config *awsconf_config(const struct awsconf *);
const struct awsconf_settings *awsconf_settings(const struct awsconf *);
/* A key of the selected profile (credentials file first). Borrowed. */
const char *awsconf_get(const struct awsconf *, const char *key);

/*
 * Resolve the region. net is used for the IMDS step (NULL: skip it). On
 * success set *region and *source ("--region", "AWS_REGION", "profile dev",
 * "imds", ...); the caller frees both. None found: "no region: pass
 * --aws-region or set AWS_REGION".
 */
int awsconf_region(struct awsconf *, const char *flag_region,
    const struct credsnet *net, char **region, char **source, char **cause);
/*
 * Resolve the endpoint URL of svc in region. flag_url is --endpoint-url
 * (pass NULL for STS and SSO, which the flag does not cover in the CLI).
 * Sets *url and *source (e.g. "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
 * "services local", "profile dev", "default"); caller frees both.
 */
int awsconf_endpoint(struct awsconf *, enum aws_service, const char *region,
    const char *flag_url, char **url, char **source, char **cause);
/* The default endpoint of svc in region. Caller frees with free(). */
char *awsconf_default_endpoint(
    enum aws_service, const char *region, int fips, int dualstack);
/* Is region a valid region name (a host label, not all digits)? */
int awsconf_region_valid(const char *);

#endif
