/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for profile selection, settings, region and endpoint resolution.
 * Default endpoints were computed once with botocore 1.43 (its endpoint
 * rule sets) and are hardcoded below.
 */

#include <stdlib.h>
#include <string.h>

#include "fakehttp.h"
#include "testmain.h"
#include "tmphome.h"

#include "aws/awsconf.h"
#include "aws/config.h"
#include "aws/credsnet.h"
#include "aws/loop.h"

static int64_t fake_now = 1750000000000LL;

static int64_t
fake_clock_now(void *arg)
{
	(void)arg;
	return (fake_now);
}

static const struct clock fake_clock = {
    .now_ms = fake_clock_now, .mono_ms = fake_clock_now};

/* Load the config files from a fresh HOME with these contents. */
static struct config *
home_config(const char *config, const char *credentials)
{
	struct config *cfg;
	char *cause = NULL;

	tmphome_begin();
	if (config != NULL)
		free(tmphome_write(".aws/config", config, 0600));
	if (credentials != NULL)
		free(tmphome_write(".aws/credentials", credentials, 0600));
	if (config_load(&cfg, &cause) != 0)
		fail_msg("config_load: %s", cause);
	return (cfg);
}

static struct awsconf *
conf_ok(struct config *cfg, const char *flag_profile)
{
	struct awsconf *c;
	char *cause = NULL;

	if (awsconf_new(&c, cfg, flag_profile, &cause) != 0)
		fail_msg("awsconf_new: %s", cause);
	return (c);
}

static char *
conf_err(struct config *cfg, const char *flag_profile)
{
	struct awsconf *c = NULL;
	char *cause = NULL;

	assert_int_equal(awsconf_new(&c, cfg, flag_profile, &cause), -1);
	assert_null(c);
	assert_non_null(cause);
	return (cause);
}

static void
test_awsconf_profile(void **state)
{
	struct config *cfg;
	struct awsconf *c;
	char *cause;

	(void)state;
	cfg = home_config("[profile a]\nregion = r\n[profile b]\n",
	    "[c]\naws_access_key_id = x\n");
	c = conf_ok(cfg, NULL);
	assert_string_equal(awsconf_profile(c), "default");
	assert_string_equal(awsconf_profile_source(c), "default");
	assert_false(awsconf_profile_explicit(c));
	awsconf_free(c);
	setenv("AWS_DEFAULT_PROFILE", "a", 1);
	c = conf_ok(cfg, NULL);
	assert_string_equal(awsconf_profile(c), "a");
	assert_string_equal(awsconf_profile_source(c), "AWS_DEFAULT_PROFILE");
	assert_string_equal(awsconf_get(c, "region"), "r");
	awsconf_free(c);
	setenv("AWS_PROFILE", "b", 1);
	c = conf_ok(cfg, NULL);
	assert_string_equal(awsconf_profile(c), "b");
	assert_string_equal(awsconf_profile_source(c), "AWS_PROFILE");
	assert_false(awsconf_profile_explicit(c));
	awsconf_free(c);
	c = conf_ok(cfg, "c");
	assert_string_equal(awsconf_profile(c), "c");
	assert_string_equal(awsconf_profile_source(c), "--profile");
	assert_true(awsconf_profile_explicit(c));
	awsconf_free(c);
	/* An empty variable is ignored. */
	setenv("AWS_PROFILE", "", 1);
	c = conf_ok(cfg, NULL);
	assert_string_equal(awsconf_profile(c), "a");
	awsconf_free(c);
	cause = conf_err(cfg, "nope");
	assert_string_equal(
	    cause, "the config profile (nope) could not be found");
	free(cause);
	setenv("AWS_PROFILE", "gone", 1);
	cause = conf_err(cfg, NULL);
	assert_string_equal(
	    cause, "the config profile (gone) could not be found");
	free(cause);
	config_free(cfg);
	tmphome_end();
	/* No files at all: "default" is fine. */
	cfg = home_config(NULL, NULL);
	c = conf_ok(cfg, NULL);
	assert_string_equal(awsconf_profile(c), "default");
	awsconf_free(c);
	c = conf_ok(cfg, "default");
	assert_true(awsconf_profile_explicit(c));
	awsconf_free(c);
	config_free(cfg);
	tmphome_end();
}

static void
test_awsconf_settings(void **state)
{
	struct config *cfg;
	struct awsconf *c;
	const struct awsconf_settings *s;
	char *cause;

	(void)state;
	cfg = home_config(
	    "[default]\n"
	    "max_attempts = 7\nretry_mode = adaptive\nca_bundle = /p/ca.pem\n"
	    "use_fips_endpoint = TRUE\nuse_dualstack_endpoint = yes\n"
	    "ec2_metadata_service_endpoint_mode = IPv6\n"
	    "metadata_service_timeout = 2\n"
	    "[profile bad]\nmax_attempts = many\n"
	    "[profile badmode]\nretry_mode = fast\n"
	    "[profile badimds]\nec2_metadata_service_endpoint_mode = ipv5\n",
	    NULL);
	c = conf_ok(cfg, NULL);
	s = awsconf_settings(c);
	assert_int_equal(s->max_attempts, 7);
	assert_string_equal(s->retry_mode, "adaptive");
	assert_string_equal(s->ca_bundle, "/p/ca.pem");
	assert_true(s->use_fips);
	assert_false(s->use_dualstack);
	assert_false(s->ignore_endpoints);
	assert_true(s->imds.ipv6);
	assert_int_equal(s->imds.timeout_ms, 2000);
	assert_int_equal(s->imds.attempts, 1);
	assert_false(s->imds.disabled);
	awsconf_free(c);
	/* The environment wins over the profile. */
	setenv("AWS_MAX_ATTEMPTS", "2", 1);
	setenv("AWS_RETRY_MODE", "legacy", 1);
	setenv("AWS_CA_BUNDLE", "/env/ca.pem", 1);
	setenv("AWS_USE_FIPS_ENDPOINT", "false", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "True", 1);
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1", 1);
	c = conf_ok(cfg, NULL);
	s = awsconf_settings(c);
	assert_int_equal(s->max_attempts, 2);
	assert_string_equal(s->retry_mode, "legacy");
	assert_string_equal(s->ca_bundle, "/env/ca.pem");
	assert_false(s->use_fips);
	assert_true(s->imds.disabled);
	assert_true(s->imds.v1_disabled);
	assert_string_equal(s->imds.endpoint, "http://127.0.0.1:1");
	awsconf_free(c);
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_RETRY_MODE");
	cause = conf_err(cfg, "bad");
	assert_string_equal(
	    cause, "max_attempts in profile bad: value 'many' is invalid");
	free(cause);
	cause = conf_err(cfg, "badmode");
	assert_string_equal(cause, "retry_mode: invalid retry mode 'fast' "
				   "(use standard, adaptive or legacy)");
	free(cause);
	cause = conf_err(cfg, "badimds");
	assert_non_null(strstr(cause, "'ipv5'"));
	free(cause);
	setenv("AWS_MAX_ATTEMPTS", "0", 1);
	cause = conf_err(cfg, NULL);
	assert_string_equal(cause, "AWS_MAX_ATTEMPTS: value '0' is too small");
	free(cause);
	config_free(cfg);
	tmphome_end();
}

/* Resolve the region, asserting success. */
static void
region_is(struct awsconf *c, const char *flag, const struct credsnet *net,
    const char *want, const char *want_source)
{
	char *r, *src, *cause = NULL;

	if (awsconf_region(c, flag, net, &r, &src, &cause) != 0)
		fail_msg("awsconf_region: %s", cause);
	assert_string_equal(r, want);
	assert_string_equal(src, want_source);
	free(r);
	free(src);
}

static void
test_awsconf_region(void **state)
{
	struct config *cfg;
	struct awsconf *c;
	char *r = NULL, *src = NULL, *cause = NULL;

	(void)state;
	cfg = home_config("[profile dev]\nregion = eu-west-1\n"
			  "[profile bad]\nregion = eu_west_1\n",
	    "[dev]\naws_access_key_id = x\n");
	c = conf_ok(cfg, "dev");
	region_is(c, NULL, NULL, "eu-west-1", "profile dev");
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	region_is(c, NULL, NULL, "us-west-1", "AWS_DEFAULT_REGION");
	setenv("AWS_REGION", "us-west-2", 1);
	region_is(c, NULL, NULL, "us-west-2", "AWS_REGION");
	region_is(c, "ap-south-1", NULL, "ap-south-1", "--region");
	setenv("AWS_REGION", "", 1);
	region_is(c, NULL, NULL, "us-west-1", "AWS_DEFAULT_REGION");
	awsconf_free(c);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	c = conf_ok(cfg, "bad");
	assert_int_equal(awsconf_region(c, NULL, NULL, &r, &src, &cause), -1);
	assert_string_equal(
	    cause, "invalid region 'eu_west_1' (from profile bad)");
	assert_null(r);
	free(cause);
	cause = NULL;
	awsconf_free(c);
	c = conf_ok(cfg, NULL);
	assert_int_equal(awsconf_region(c, NULL, NULL, &r, &src, &cause), -1);
	assert_string_equal(
	    cause, "no region: pass --aws-region or set AWS_REGION");
	free(cause);
	awsconf_free(c);
	config_free(cfg);
	tmphome_end();
	assert_true(awsconf_region_valid("us-east-1"));
	assert_true(awsconf_region_valid("local"));
	assert_false(awsconf_region_valid("123"));
	assert_false(awsconf_region_valid("-x"));
	assert_false(awsconf_region_valid(""));
	assert_false(awsconf_region_valid("a.b"));
}

static void
test_awsconf_region_imds(void **state)
{
	struct config *cfg;
	struct awsconf *c;
	struct credsnet net;
	char *r = NULL, *src = NULL, *cause = NULL;

	(void)state;
	cfg = home_config(NULL, NULL);
	memset(&net, 0, sizeof net);
	net.loop = loop_new(&fake_clock, NULL);
	net.transport = fakehttp_transport;
	fakehttp_reset();
	fakehttp_push(
	    "PUT http://169.254.169.254/latest/api/token", 200, "TOKEN123");
	fakehttp_push("GET http://169.254.169.254/latest/meta-data/placement/"
		      "availability-zone/",
	    200, "eu-central-1b");
	c = conf_ok(cfg, NULL);
	region_is(c, NULL, &net, "eu-central-1", "imds");
	assert_string_equal(
	    fakehttp_header(0, "x-aws-ec2-metadata-token-ttl-seconds"),
	    "21600");
	assert_string_equal(
	    fakehttp_header(1, "x-aws-ec2-metadata-token"), "TOKEN123");
	assert_int_equal(fakehttp_pending(), 0);
	assert_int_equal(fakehttp_mismatches(), 0);
	awsconf_free(c);
	/* IMDSv1 fallback when the token is refused. */
	fakehttp_reset();
	fakehttp_push("PUT", 403, "");
	fakehttp_push("GET", 200, "us-east-2a");
	c = conf_ok(cfg, NULL);
	region_is(c, NULL, &net, "us-east-2", "imds");
	assert_null(fakehttp_header(1, "x-aws-ec2-metadata-token"));
	awsconf_free(c);
	/* Unreachable: no region, one request only. */
	fakehttp_reset();
	fakehttp_push_err("PUT", HTTP_ERR_CONNECT);
	c = conf_ok(cfg, NULL);
	assert_int_equal(awsconf_region(c, NULL, &net, &r, &src, &cause), -1);
	assert_string_equal(
	    cause, "no region: pass --aws-region or set AWS_REGION");
	free(cause);
	cause = NULL;
	assert_int_equal(fakehttp_count(), 1);
	awsconf_free(c);
	/* Disabled: no request at all. */
	fakehttp_reset();
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	c = conf_ok(cfg, NULL);
	assert_int_equal(awsconf_region(c, NULL, &net, &r, &src, &cause), -1);
	free(cause);
	assert_int_equal(fakehttp_count(), 0);
	awsconf_free(c);
	fakehttp_reset();
	loop_free(net.loop);
	config_free(cfg);
	tmphome_end();
}

/* Resolve an endpoint, asserting success. */
static void
endpoint_is(struct awsconf *c, enum aws_service svc, const char *flag,
    const char *want, const char *want_source)
{
	char *url, *src, *cause = NULL;

	if (awsconf_endpoint(c, svc, "us-east-1", flag, &url, &src, &cause) !=
	    0)
		fail_msg("awsconf_endpoint: %s", cause);
	assert_string_equal(url, want);
	assert_string_equal(src, want_source);
	free(url);
	free(src);
}

static void
test_awsconf_endpoint_order(void **state)
{
	struct config *cfg;
	struct awsconf *c;
	char *url = NULL, *src = NULL, *cause = NULL;

	(void)state;
	cfg = home_config("[profile dev]\n"
			  "services = local\n"
			  "endpoint_url = http://profile:1\n"
			  "[services local]\n"
			  "cloudwatch_logs =\n"
			  "  endpoint_url = http://services-logs:2\n"
			  "api_gateway =\n"
			  "  endpoint_url = http://services-apigw:3\n"
			  "[profile broken]\n"
			  "services = nowhere\n"
			  "[profile badurl]\n"
			  "endpoint_url = ftp://x\n",
	    NULL);
	c = conf_ok(cfg, "dev");
	endpoint_is(c, AWS_LAMBDA, NULL, "http://profile:1", "profile dev");
	endpoint_is(
	    c, AWS_LOGS, NULL, "http://services-logs:2", "services local");
	endpoint_is(c, AWS_APIGATEWAY, NULL, "http://services-apigw:3",
	    "services local");
	/* apigatewayv2's key is "apigatewayv2", not api_gateway. */
	endpoint_is(
	    c, AWS_APIGATEWAYV2, NULL, "http://profile:1", "profile dev");
	setenv("AWS_ENDPOINT_URL", "http://global:4", 1);
	endpoint_is(c, AWS_LOGS, NULL, "http://global:4", "AWS_ENDPOINT_URL");
	setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://env-logs:5", 1);
	setenv("AWS_ENDPOINT_URL_API_GATEWAY", "http://env-apigw:6", 1);
	setenv("AWS_ENDPOINT_URL_STS", "http://env-sts:7", 1);
	setenv("AWS_ENDPOINT_URL_SSO", "http://env-sso:8", 1);
	setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", "http://env-cfn:10", 1);
	setenv("AWS_ENDPOINT_URL_SFN", "http://env-sfn:11", 1);
	endpoint_is(c, AWS_CLOUDFORMATION, NULL, "http://env-cfn:10",
	    "AWS_ENDPOINT_URL_CLOUDFORMATION");
	endpoint_is(
	    c, AWS_SFN, NULL, "http://env-sfn:11", "AWS_ENDPOINT_URL_SFN");
	endpoint_is(c, AWS_LOGS, NULL, "http://env-logs:5",
	    "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
	endpoint_is(c, AWS_APIGATEWAY, NULL, "http://env-apigw:6",
	    "AWS_ENDPOINT_URL_API_GATEWAY");
	endpoint_is(
	    c, AWS_STS, NULL, "http://env-sts:7", "AWS_ENDPOINT_URL_STS");
	endpoint_is(
	    c, AWS_SSO, NULL, "http://env-sso:8", "AWS_ENDPOINT_URL_SSO");
	endpoint_is(c, AWS_LAMBDA, NULL, "http://global:4", "AWS_ENDPOINT_URL");
	endpoint_is(c, AWS_LOGS, "https://flag:9/", "https://flag:9/",
	    "--endpoint-url");
	awsconf_free(c);
	/* Ignoring configured endpoints leaves only the flag. */
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	c = conf_ok(cfg, "dev");
	endpoint_is(c, AWS_LOGS, NULL, "https://logs.us-east-1.amazonaws.com",
	    "default");
	endpoint_is(
	    c, AWS_LOGS, "http://flag:9", "http://flag:9", "--endpoint-url");
	awsconf_free(c);
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
	unsetenv("AWS_ENDPOINT_URL_CLOUDFORMATION");
	unsetenv("AWS_ENDPOINT_URL_SFN");
	c = conf_ok(cfg, "broken");
	assert_int_equal(awsconf_endpoint(c, AWS_LOGS, "us-east-1", NULL, &url,
			     &src, &cause),
	    -1);
	assert_string_equal(cause, "profile broken uses the services section "
				   "\"nowhere\", which does not exist");
	free(cause);
	cause = NULL;
	awsconf_free(c);
	c = conf_ok(cfg, "badurl");
	assert_int_equal(awsconf_endpoint(c, AWS_LOGS, "us-east-1", NULL, &url,
			     &src, &cause),
	    -1);
	assert_non_null(strstr(cause, "invalid endpoint URL 'ftp://x' (from "
				      "profile badurl)"));
	assert_null(url);
	free(cause);
	awsconf_free(c);
	config_free(cfg);
	tmphome_end();
}

struct endpoint_case {
	enum aws_service svc;
	const char *region;
	int fips;
	int dualstack;
	const char *want;
};

/* From botocore 1.43's endpoint rule sets (see the file comment). */
static const struct endpoint_case endpoint_cases[] = {
    {AWS_LOGS, "us-east-1", 0, 0, "logs.us-east-1.amazonaws.com"},
    {AWS_LOGS, "us-east-1", 0, 1, "logs.us-east-1.api.aws"},
    {AWS_LOGS, "us-east-1", 1, 0, "logs-fips.us-east-1.amazonaws.com"},
    {AWS_LOGS, "us-east-1", 1, 1, "logs-fips.us-east-1.api.aws"},
    {AWS_LOGS, "cn-north-1", 0, 0, "logs.cn-north-1.amazonaws.com.cn"},
    {AWS_LOGS, "cn-north-1", 0, 1,
	"logs.cn-north-1.api.amazonwebservices.com.cn"},
    {AWS_LOGS, "cn-northwest-1", 1, 0,
	"logs-fips.cn-northwest-1.amazonaws.com.cn"},
    {AWS_LOGS, "us-gov-west-1", 0, 0, "logs.us-gov-west-1.amazonaws.com"},
    {AWS_LOGS, "us-gov-west-1", 1, 0, "logs.us-gov-west-1.amazonaws.com"},
    {AWS_LOGS, "us-gov-east-1", 1, 1, "logs-fips.us-gov-east-1.api.aws"},
    {AWS_LOGS, "us-iso-east-1", 0, 0, "logs.us-iso-east-1.c2s.ic.gov"},
    {AWS_LOGS, "us-isob-east-1", 1, 1,
	"logs-fips.us-isob-east-1.api.aws.scloud"},
    {AWS_LOGS, "eu-isoe-west-1", 1, 0,
	"logs-fips.eu-isoe-west-1.cloud.adc-e.uk"},
    {AWS_LOGS, "us-isof-south-1", 0, 0, "logs.us-isof-south-1.csp.hci.ic.gov"},
    {AWS_LOGS, "eusc-de-east-1", 0, 1,
	"logs.eusc-de-east-1.api.amazonwebservices.eu"},
    {AWS_LOGS, "mars-1", 0, 0, "logs.mars-1.amazonaws.com"},
    {AWS_LOGS, "xx-made-up-1", 1, 1, "logs-fips.xx-made-up-1.api.aws"},
    {AWS_APIGATEWAY, "eu-west-1", 0, 0, "apigateway.eu-west-1.amazonaws.com"},
    {AWS_APIGATEWAY, "us-gov-west-1", 1, 0,
	"apigateway-fips.us-gov-west-1.amazonaws.com"},
    {AWS_APIGATEWAYV2, "ap-southeast-7", 1, 1,
	"apigateway-fips.ap-southeast-7.api.aws"},
    {AWS_APIGATEWAYV2, "cn-north-1", 0, 0,
	"apigateway.cn-north-1.amazonaws.com.cn"},
    {AWS_LAMBDA, "us-gov-east-1", 1, 0,
	"lambda-fips.us-gov-east-1.amazonaws.com"},
    {AWS_LAMBDA, "mx-central-1", 0, 1, "lambda.mx-central-1.api.aws"},
    {AWS_STS, "us-east-1", 0, 0, "sts.us-east-1.amazonaws.com"},
    {AWS_STS, "us-gov-west-1", 1, 0, "sts.us-gov-west-1.amazonaws.com"},
    {AWS_STS, "us-gov-west-1", 1, 1, "sts-fips.us-gov-west-1.api.aws"},
    {AWS_STS, "us-iso-west-1", 1, 0, "sts-fips.us-iso-west-1.c2s.ic.gov"},
    {AWS_SSO, "eu-west-1", 0, 0, "portal.sso.eu-west-1.amazonaws.com"},
    {AWS_SSO, "us-east-1", 1, 0, "portal.sso-fips.us-east-1.amazonaws.com"},
    {AWS_SSO, "us-gov-east-1", 1, 0, "portal.sso.us-gov-east-1.amazonaws.com"},
    {AWS_SSO, "us-gov-east-1", 1, 1, "portal.sso-fips.us-gov-east-1.api.aws"},
    {AWS_CLOUDFORMATION, "eu-west-1", 0, 0,
	"cloudformation.eu-west-1.amazonaws.com"},
    {AWS_SFN, "us-east-1", 0, 0, "states.us-east-1.amazonaws.com"},
};

static void
test_awsconf_default_endpoints(void **state)
{
	char *url, *want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof endpoint_cases / sizeof endpoint_cases[0]; i++) {
		url = awsconf_default_endpoint(endpoint_cases[i].svc,
		    endpoint_cases[i].region, endpoint_cases[i].fips,
		    endpoint_cases[i].dualstack);
		want = malloc(strlen(endpoint_cases[i].want) + 9);
		strcpy(want, "https://");
		strcat(want, endpoint_cases[i].want);
		assert_string_equal(url, want);
		free(want);
		free(url);
	}
}

static void
test_awsconf_fips_dualstack_settings(void **state)
{
	struct config *cfg;
	struct awsconf *c;

	(void)state;
	cfg = home_config("[default]\nuse_dualstack_endpoint = true\n", NULL);
	setenv("AWS_USE_FIPS_ENDPOINT", "true", 1);
	c = conf_ok(cfg, NULL);
	endpoint_is(c, AWS_LAMBDA, NULL,
	    "https://lambda-fips.us-east-1.api.aws", "default");
	awsconf_free(c);
	config_free(cfg);
	tmphome_end();
}

static void
test_awsconf_load(void **state)
{
	struct awsconf *c;
	char *cause = NULL;

	(void)state;
	tmphome_begin();
	free(tmphome_write(".aws/config", "[profile p]\nregion = r-1\n", 0600));
	assert_int_equal(awsconf_load(&c, "p", &cause), 0);
	assert_string_equal(awsconf_get(c, "region"), "r-1");
	awsconf_free(c);
	assert_int_equal(awsconf_load(&c, "q", &cause), -1);
	assert_null(c);
	assert_string_equal(cause, "the config profile (q) could not be found");
	free(cause);
	cause = NULL;
	free(tmphome_write(".aws/config", "[profile p]\nbroken\n", 0600));
	assert_int_equal(awsconf_load(&c, "p", &cause), -1);
	assert_non_null(strstr(cause, "/.aws/config:2: "));
	free(cause);
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_awsconf_load),
    cmocka_unit_test(test_awsconf_profile),
    cmocka_unit_test(test_awsconf_settings),
    cmocka_unit_test(test_awsconf_region),
    cmocka_unit_test(test_awsconf_region_imds),
    cmocka_unit_test(test_awsconf_endpoint_order),
    cmocka_unit_test(test_awsconf_default_endpoints),
    cmocka_unit_test(test_awsconf_fips_dualstack_settings),
};

TEST_MAIN(tests)
