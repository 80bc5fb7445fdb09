/* SPDX-License-Identifier: Apache-2.0 */
/* Profile, settings, region and endpoint resolution like the AWS CLI. */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/awsconf.h"
#include "aws/config.h"
#include "aws/credsnet.h"
#include "aws/imds.h"
#include "core/num.h"
#include "core/uri.h"
#include "core/xmalloc.h"

struct awsconf {
	struct config *cfg;
	int own_cfg; /* awsconf_load(): free cfg too */
	char *profile;
	const char *profile_source;
	int explicit;
	struct awsconf_settings set;
};

/* A partition: which regions, and its DNS suffixes. */
struct awsconf_partition {
	const char *prefix; /* region prefix before "\w+-\d+" */
	const char *suffix;
	const char *dualstack_suffix;
	int gov;
};

/* botocore data/partitions.json; the first match wins, else "aws". */
static const struct awsconf_partition awsconf_partitions[] = {
    {"cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn", 0},
    {"eusc-de-", "amazonaws.eu", "api.amazonwebservices.eu", 0},
    {"us-iso-", "c2s.ic.gov", "api.aws.ic.gov", 0},
    {"us-isob-", "sc2s.sgov.gov", "api.aws.scloud", 0},
    {"eu-isoe-", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", 0},
    {"us-isof-", "csp.hci.ic.gov", "api.aws.hci.ic.gov", 0},
    {"us-gov-", "amazonaws.com", "api.aws", 1},
};
static const struct awsconf_partition awsconf_aws = {
    "", "amazonaws.com", "api.aws", 0};

/* An environment variable, or NULL when unset or empty. */
static const char *
awsconf_env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

/* A setting: the environment variable, else the profile's key. */
static const char *
awsconf_setting(const struct awsconf *c, const char *env, const char *key,
    const char **from)
{
	const char *v = NULL;

	if (env != NULL)
		v = awsconf_env(env);
	if (v != NULL) {
		*from = env;
		return (v);
	}
	*from = key;
	return (key != NULL ? config_get(c->cfg, c->profile, key) : NULL);
}

/* botocore's ensure_boolean: only "true" (any case) is true. */
static int
awsconf_bool(const struct awsconf *c, const char *env, const char *key)
{
	const char *from, *v;

	v = awsconf_setting(c, env, key, &from);
	return (v != NULL && strcasecmp(v, "true") == 0);
}

/* An integer setting in [min, max], or def when unset. */
static int
awsconf_int(const struct awsconf *c, const char *env, const char *key,
    long long min, long long max, int def, int *out, char **cause)
{
	const char *from, *v, *errstr;
	long long n;

	v = awsconf_setting(c, env, key, &from);
	if (v == NULL) {
		*out = def;
		return (0);
	}
	n = num_parse(v, min, max, &errstr);
	if (errstr != NULL) {
		*cause = xprintf("%s%s%s: value '%s' is %s", from,
		    from == key ? " in profile " : "",
		    from == key ? c->profile : "", v, errstr);
		return (-1);
	}
	*out = (int)n;
	return (0);
}

/* Read the settings of the selected profile. */
static int
awsconf_read_settings(struct awsconf *c, char **cause)
{
	struct awsconf_settings *s = &c->set;
	const char *from, *v;
	int secs;

	if (awsconf_int(c, "AWS_MAX_ATTEMPTS", "max_attempts", 1, 100, 3,
		&s->max_attempts, cause) != 0)
		return (-1);
	s->retry_mode =
	    awsconf_setting(c, "AWS_RETRY_MODE", "retry_mode", &from);
	if (s->retry_mode == NULL)
		s->retry_mode = "standard";
	else if (strcmp(s->retry_mode, "standard") != 0 &&
		 strcmp(s->retry_mode, "adaptive") != 0 &&
		 strcmp(s->retry_mode, "legacy") != 0) {
		*cause = xprintf("%s: invalid retry mode '%s' (use standard, "
				 "adaptive or legacy)",
		    from, s->retry_mode);
		return (-1);
	}
	s->ca_bundle = awsconf_setting(c, "AWS_CA_BUNDLE", "ca_bundle", &from);
	s->use_fips =
	    awsconf_bool(c, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
	s->use_dualstack = awsconf_bool(
	    c, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
	s->ignore_endpoints =
	    awsconf_bool(c, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
		"ignore_configured_endpoint_urls");

	s->imds.endpoint =
	    awsconf_setting(c, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
		"ec2_metadata_service_endpoint", &from);
	v = awsconf_setting(c, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
	    "ec2_metadata_service_endpoint_mode", &from);
	if (v != NULL) {
		if (strcasecmp(v, "ipv6") == 0)
			s->imds.ipv6 = 1;
		else if (strcasecmp(v, "ipv4") != 0) {
			*cause = xprintf("%s: invalid endpoint mode '%s' (use "
					 "IPv4 or IPv6)",
			    from, v);
			return (-1);
		}
	} else
		s->imds.ipv6 =
		    awsconf_bool(c, "AWS_IMDS_USE_IPV6", "imds_use_ipv6");
	s->imds.v1_disabled = awsconf_bool(
	    c, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled");
	v = getenv("AWS_EC2_METADATA_DISABLED");
	s->imds.disabled = v != NULL && strcasecmp(v, "true") == 0;
	if (awsconf_int(c, "AWS_METADATA_SERVICE_TIMEOUT",
		"metadata_service_timeout", 1, 3600, 1, &secs, cause) != 0)
		return (-1);
	s->imds.timeout_ms = secs * 1000L;
	return (awsconf_int(c, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
	    "metadata_service_num_attempts", 1, 100, 1, &s->imds.attempts,
	    cause));
}

/* Select the profile and read the settings; see awsconf.h. */
int
awsconf_new(struct awsconf **out, struct config *cfg, const char *flag_profile,
    char **cause)
{
	struct awsconf *c;
	const char *p = NULL;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->cfg = cfg;
	c->profile_source = "default";
	if (flag_profile != NULL && *flag_profile != '\0') {
		p = flag_profile;
		c->profile_source = "--profile";
		c->explicit = 1;
	}
	if (p == NULL) {
		p = awsconf_env("AWS_PROFILE");
		c->profile_source = "AWS_PROFILE";
	}
	if (p == NULL) {
		p = awsconf_env("AWS_DEFAULT_PROFILE");
		c->profile_source = "AWS_DEFAULT_PROFILE";
	}
	if (p == NULL) {
		p = "default";
		c->profile_source = "default";
	}
	c->profile = xstrdup(p);
	if (strcmp(p, "default") != 0 && !config_profile_exists(cfg, p)) {
		if (config_skipped(cfg) != NULL)
			*cause = xprintf("the config profile (%s) could not be "
					 "found (skipped %s)",
			    p, config_skipped(cfg));
		else
			*cause = xprintf(
			    "the config profile (%s) could not be found", p);
		goto fail;
	}
	if (awsconf_read_settings(c, cause) != 0)
		goto fail;
	*out = c;
	return (0);
fail:
	awsconf_free(c);
	return (-1);
}

/* Free an awsconf. Accepts NULL. */
void
awsconf_free(struct awsconf *c)
{
	if (c == NULL)
		return;
	if (c->own_cfg)
		config_free(c->cfg);
	free(c->profile);
	free(c);
}

/* Load the files and select the profile; the awsconf owns the config. */
int
awsconf_load(struct awsconf **out, const char *flag_profile, char **cause)
{
	struct config *cfg;

	*out = NULL;
	if (config_load(&cfg, cause) != 0)
		return (-1);
	if (awsconf_new(out, cfg, flag_profile, cause) != 0) {
		config_free(cfg);
		return (-1);
	}
	(*out)->own_cfg = 1;
	return (0);
}

/* The selected profile. */
const char *
awsconf_profile(const struct awsconf *c)
{
	return (c->profile);
}

/* Where the profile came from. */
const char *
awsconf_profile_source(const struct awsconf *c)
{
	return (c->profile_source);
}

/* Was the profile given with --profile? */
int
awsconf_profile_explicit(const struct awsconf *c)
{
	return (c->explicit);
}

/* The configuration files. */
struct config *
awsconf_config(const struct awsconf *c)
{
	return (c->cfg);
}

/* The settings. */
const struct awsconf_settings *
awsconf_settings(const struct awsconf *c)
{
	return (&c->set);
}

/* A key of the selected profile. */
const char *
awsconf_get(const struct awsconf *c, const char *key)
{
	return (config_get(c->cfg, c->profile, key));
}

/* botocore validate_region_name: a host label that is not all digits. */
int
awsconf_region_valid(const char *r)
{
	size_t i, n = strlen(r);
	int digits = 1;

	if (n == 0 || n > 63 || r[0] == '-' || r[n - 1] == '-')
		return (0);
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)r[i]) && r[i] != '-')
			return (0);
		if (!isdigit((unsigned char)r[i]))
			digits = 0;
	}
	return (!digits);
}

/* Resolve the region; see awsconf.h. */
int
awsconf_region(struct awsconf *c, const char *flag_region,
    const struct credsnet *net, char **region, char **source, char **cause)
{
	const char *v;
	char *r = NULL, *src = NULL;
	int rc;

	static const char *envs[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};
	size_t i;

	*region = *source = NULL;
	if (flag_region != NULL && *flag_region != '\0') {
		r = xstrdup(flag_region);
		src = xstrdup("--region");
	}
	for (i = 0; r == NULL && i < 2; i++) {
		v = awsconf_env(envs[i]);
		if (v != NULL) {
			r = xstrdup(v);
			src = xstrdup(envs[i]);
		}
	}
	v = config_get(c->cfg, c->profile, "region");
	if (r == NULL && v != NULL && *v != '\0') {
		r = xstrdup(v);
		src = xprintf("profile %s", c->profile);
	}
	if (r == NULL && net != NULL) {
		rc = imds_region_sync(net, &c->set.imds, &r, cause);
		if (rc < 0)
			return (-1);
		if (rc == 0)
			src = xstrdup("imds");
	}
	if (r == NULL) {
		*cause = xstrdup("no region: pass --aws-region or set "
				 "AWS_REGION");
		return (-1);
	}
	if (!awsconf_region_valid(r)) {
		*cause = xprintf("invalid region '%s' (from %s)", r, src);
		free(r);
		free(src);
		return (-1);
	}
	*region = r;
	*source = src;
	return (0);
}

/* Does s match "\w+-\d+" to its end? */
static int
awsconf_tail_ok(const char *s)
{
	const char *p = s;

	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == s || *p++ != '-' || !isdigit((unsigned char)*p))
		return (0);
	while (isdigit((unsigned char)*p))
		p++;
	return (*p == '\0');
}

/* The partition of a region. */
static const struct awsconf_partition *
awsconf_partition(const char *region)
{
	size_t i, n;

	for (i = 0;
	     i < sizeof awsconf_partitions / sizeof awsconf_partitions[0];
	     i++) {
		n = strlen(awsconf_partitions[i].prefix);
		if (strncmp(region, awsconf_partitions[i].prefix, n) == 0 &&
		    awsconf_tail_ok(region + n))
			return (&awsconf_partitions[i]);
	}
	return (&awsconf_aws);
}

/* The default endpoint of a service (botocore's endpoint rules). */
char *
awsconf_default_endpoint(
    enum aws_service svc, const char *region, int fips, int dualstack)
{
	const struct aws_service_info *si = aws_service_info(svc);
	const struct awsconf_partition *p = awsconf_partition(region);
	const char *f = "";

	/*
	 * In GovCloud, logs, STS and the SSO portal endpoints are FIPS
	 * already: without dual-stack their FIPS name has no "-fips".
	 */
	if (fips) {
		f = "-fips";
		if (p->gov && !dualstack &&
		    (svc == AWS_LOGS || svc == AWS_STS || svc == AWS_SSO))
			f = "";
	}
	return (xprintf("https://%s%s.%s.%s", si->endpoint_prefix, f, region,
	    dualstack ? p->dualstack_suffix : p->suffix));
}

/* The configured endpoint (env, [services], profile), or NULL. */
static int
awsconf_configured(struct awsconf *c, const struct aws_service_info *si,
    char **url, char **source, char **cause)
{
	const char *v, *sect;
	char *name;

	name = xprintf("AWS_ENDPOINT_URL_%s", si->env_id);
	v = awsconf_env(name);
	if (v != NULL) {
		*url = xstrdup(v);
		*source = name;
		return (0);
	}
	free(name);
	v = awsconf_env("AWS_ENDPOINT_URL");
	if (v != NULL) {
		*url = xstrdup(v);
		*source = xstrdup("AWS_ENDPOINT_URL");
		return (0);
	}
	sect = config_get(c->cfg, c->profile, "services");
	if (sect != NULL) {
		if (config_section_keys(c->cfg, "services", sect) <= 0) {
			*cause = xprintf("profile %s uses the services section "
					 "\"%s\", which does not exist",
			    c->profile, sect);
			return (-1);
		}
		v = config_services_get(
		    c->cfg, sect, si->config_key, "endpoint_url");
		if (v != NULL && *v != '\0') {
			*url = xstrdup(v);
			*source = xprintf("services %s", sect);
			return (0);
		}
	}
	v = config_get(c->cfg, c->profile, "endpoint_url");
	if (v != NULL && *v != '\0') {
		*url = xstrdup(v);
		*source = xprintf("profile %s", c->profile);
	}
	return (0);
}

/* Resolve a service endpoint; see awsconf.h. */
int
awsconf_endpoint(struct awsconf *c, enum aws_service svc, const char *region,
    const char *flag_url, char **url, char **source, char **cause)
{
	struct uri_url u;
	char *why = NULL, *shown;

	*url = *source = NULL;
	if (flag_url != NULL && *flag_url != '\0') {
		*url = xstrdup(flag_url);
		*source = xstrdup("--endpoint-url");
	} else if (!c->set.ignore_endpoints &&
		   awsconf_configured(
		       c, aws_service_info(svc), url, source, cause) != 0)
		return (-1);
	if (*url == NULL) {
		*url = awsconf_default_endpoint(
		    svc, region, c->set.use_fips, c->set.use_dualstack);
		*source = xstrdup("default");
	}
	if (uri_parse_url(*url, &u, &why) != 0) {
		shown = uri_redact_password(*url);
		*cause = xprintf("invalid endpoint URL '%s' (from %s): %s",
		    shown, *source, why);
		free(shown);
		free(why);
		xfree(url);
		xfree(source);
		return (-1);
	}
	uri_url_free(&u);
	return (0);
}
