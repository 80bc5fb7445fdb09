/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for the providers that talk to metadata or SSO endpoints: SSO
 * (token cache, GetRoleCredentials, expiry), container credentials and
 * EC2 instance metadata. Cache keys were computed once with botocore 1.43.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credstest.h"
#include "fakehttp.h"
#include "testmain.h"
#include "tmphome.h"

#include "aws/creds/container.h"
#include "aws/creds/creds.h"

/* botocore SSOTokenLoader keys: sha1("corp"), sha1(start URL). */
#define TOKEN_SESSION "ee0bfd2552fbd840c02cc48b6e823320543c450f"
#define TOKEN_LEGACY "a51746d4aa793ae07b25e90c3a5db96fc7832bd7"
/* botocore SSOCredentialFetcher keys for account/role with each. */
#define CREDS_SESSION "999fa299c534d8ffbe1215f572353203fbe5c4b7"
#define CREDS_LEGACY "f24afd510cdcb6bc33a7ae5b3b4273acf5e58b49"

static const char *sso_config =
    "[profile corp]\n"
    "sso_session = corp\n"
    "sso_account_id = 123456789012\n"
    "sso_role_name = ReadOnly\n"
    "[sso-session corp]\n"
    "sso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
    "sso_registration_scopes = sso:account:access\n"
    "[profile legacy]\n"
    "sso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-west-1\n"
    "sso_account_id = 123456789012\n"
    "sso_role_name = ReadOnly\n"
    "[profile clash]\n"
    "sso_session = corp\n"
    "sso_region = us-east-1\n"
    "sso_account_id = 1\n"
    "sso_role_name = R\n"
    "[profile nosession]\n"
    "sso_session = gone\n"
    "sso_account_id = 1\n"
    "sso_role_name = R\n"
    "[profile incomplete]\n"
    "sso_account_id = 1\n";

#define ROLE_CREDS                                                             \
	"{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO\", "                \
	"\"secretAccessKey\": \"sso-secret\", \"sessionToken\": "              \
	"\"sso-token\", \"expiration\": 1750003600000}}"

static void
test_sso_session(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *path, *cache, *d;

	(void)state;
	credstest_home(sso_config, NULL);
	free(tmphome_write(".aws/sso/cache/" TOKEN_SESSION ".json",
	    "{\"startUrl\": \"https://corp.awsapps.com/start\", \"region\": "
	    "\"eu-west-1\", \"accessToken\": \"the-access-token\", "
	    "\"expiresAt\": \"2025-06-15T20:00:00Z\"}",
	    0600));
	fakehttp_push(
	    "GET https://portal.sso.eu-west-1.amazonaws.com/"
	    "federation/credentials?account_id=123456789012&role_name="
	    "ReadOnly",
	    200, ROLE_CREDS);
	credstest_chain_ok(&t, "corp");
	d = creds_chain_describe(t.chain);
	assert_string_equal(
	    d, "sso (profile corp, account 123456789012, role ReadOnly)");
	free(d);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIASSO");
	assert_string_equal(c->session_token, "sso-token");
	assert_int_equal(c->expires_ms, 1750003600000LL);
	assert_string_equal(c->account_id, "123456789012");
	assert_string_equal(c->provider, "sso");
	assert_string_equal(
	    fakehttp_header(0, "x-amz-sso_bearer_token"), "the-access-token");
	assert_null(fakehttp_header(0, "Authorization"));
	assert_int_equal(fakehttp_mismatches(), 0);
	assert_null(strstr(buf_str(&t.trace), "the-access-token"));
	assert_null(strstr(buf_str(&t.trace), "sso-secret"));
	/* Cached like the AWS CLI v2 does it. */
	path = tmphome_path(".aws/cli/cache/" CREDS_SESSION ".json");
	cache = tmphome_read(path);
	assert_non_null(cache);
	assert_non_null(strstr(cache, "\"ProviderType\": \"sso\""));
	assert_non_null(
	    strstr(cache, "\"Expiration\": \"2025-06-15T16:06:40Z\""));
	free(cache);
	free(path);
	credstest_free(&t);
	/* AWS_ENDPOINT_URL_SSO moves the portal. */
	fakehttp_reset();
	path = tmphome_path(".aws/cli/cache/" CREDS_SESSION ".json");
	remove(path);
	free(path);
	setenv("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9", 1);
	fakehttp_push(
	    "GET http://127.0.0.1:9/federation/credentials", 200, ROLE_CREDS);
	credstest_chain_ok(&t, "corp");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIASSO");
	assert_int_equal(fakehttp_mismatches(), 0);
	credstest_free(&t);
	tmphome_end();
}

static void
test_sso_errors(void **state)
{
	struct credstest t;
	char *cause;

	(void)state;
	credstest_home(sso_config, NULL);
	/* No token at all. */
	credstest_chain_ok(&t, "legacy");
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "no SSO token for start URL "
	    "https://corp.awsapps.com/start: run `aws sso login --profile "
	    "legacy`");
	free(cause);
	credstest_free(&t);
	/* An expired token (the legacy file name is sha1 of the URL). */
	free(tmphome_write(".aws/sso/cache/" TOKEN_LEGACY ".json",
	    "{\"accessToken\": \"old\", \"expiresAt\": "
	    "\"2025-06-15T15:00:00UTC\"}",
	    0600));
	credstest_chain_ok(&t, "legacy");
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "the SSO token for start URL "
	    "https://corp.awsapps.com/start has expired: run `aws sso login "
	    "--profile legacy`");
	free(cause);
	credstest_free(&t);
	/* A token the portal rejects. */
	free(tmphome_write(".aws/sso/cache/" TOKEN_LEGACY ".json",
	    "{\"accessToken\": \"revoked\", \"expiresAt\": "
	    "\"2025-06-15T18:00:00Z\"}",
	    0600));
	fakehttp_push("GET https://portal.sso.eu-west-1.amazonaws.com/", 401,
	    "{\"message\": \"Session token not found or invalid\"}");
	credstest_chain_ok(&t, "legacy");
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "the SSO session has expired or is "
	    "otherwise invalid: run `aws sso login --profile legacy`");
	free(cause);
	credstest_free(&t);
	/* Configuration errors, found before any request. */
	assert_int_equal(credstest_chain(&t, "clash", &cause), -1);
	assert_string_equal(cause,
	    "the value for sso_region is inconsistent "
	    "between profile (us-east-1) and sso-session (eu-west-1)");
	free(cause);
	credstest_free(&t);
	assert_int_equal(credstest_chain(&t, "nosession", &cause), -1);
	assert_string_equal(
	    cause, "the specified sso-session does not exist: \"gone\"");
	free(cause);
	credstest_free(&t);
	assert_int_equal(credstest_chain(&t, "incomplete", &cause), -1);
	assert_string_equal(cause,
	    "the profile \"incomplete\" is configured "
	    "to use SSO but is missing required configuration: "
	    "sso_role_name, sso_start_url, sso_region");
	free(cause);
	credstest_free(&t);
	tmphome_end();
}

static void
test_container(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *tok, *cause;

	(void)state;
	credstest_home(NULL, NULL);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI",
	    "http://169.254.170.23/v1/credentials", 1);
	tok = tmphome_write("pod-token", "pod-identity-token", 0600);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tok, 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored", 1);
	/* Two failures a second apart, then success: three tries. */
	fakehttp_push_err(
	    "GET http://169.254.170.23/v1/credentials", HTTP_ERR_TIMEOUT);
	fakehttp_push("GET", 500, "busy");
	fakehttp_push("GET", 200,
	    "{\"AccessKeyId\": \"ASIAPOD\", "
	    "\"SecretAccessKey\": \"pod-s\", \"Token\": \"pod-t\", "
	    "\"AccountId\": \"444455556666\", "
	    "\"Expiration\": \"2025-06-15T21:00:00Z\"}");
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAPOD");
	assert_int_equal(credstest_now, 1750000000000LL + 2000);
	assert_string_equal(c->account_id, "444455556666");
	assert_string_equal(c->provider, "container");
	assert_int_equal(fakehttp_count(), 3);
	assert_string_equal(
	    fakehttp_header(2, "Authorization"), "pod-identity-token");
	assert_string_equal(fakehttp_header(2, "Accept"), "application/json");
	credstest_free(&t);
	/* Three failures are an error. */
	fakehttp_reset();
	fakehttp_push("GET", 500, "");
	fakehttp_push("GET", 500, "");
	fakehttp_push("GET", 503, "");
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "container credentials from "
	    "http://169.254.170.23/v1/credentials: HTTP 503");
	free(cause);
	credstest_free(&t);
	/* A token with a line break is refused. */
	remove(tok);
	free(tok);
	tok = tmphome_write("pod-token", "a\r\nX-Evil: 1", 0600);
	fakehttp_reset();
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "not a legal header value"));
	free(cause);
	assert_int_equal(fakehttp_count(), 0);
	credstest_free(&t);
	/* Hosts other than the allowed ones are refused. */
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/c", 1);
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "host '10.0.0.1' is not allowed"));
	free(cause);
	credstest_free(&t);
	free(tok);
	tmphome_end();
}

static void
test_container_hosts(void **state)
{
	static const char *ok[] = {"https://example.com/creds",
	    "http://127.0.0.1:8080/c", "http://127.1.2.3/c",
	    "http://[::1]:80/c", "http://localhost/c", "http://LOCALHOST:1/",
	    "http://169.254.170.2/v2", "http://user@169.254.170.23/x",
	    "http://[fd00:ec2::23]/v1"};
	static const char *bad[] = {"http://10.0.0.1/c",
	    "http://169.254.169.254/", "http://localhost.evil.com/",
	    "ftp://127.0.0.1/", "http://[::2]/", "http://127.0.0.1.nip.io/"};
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cause = NULL;
		if (!container_url_allowed(ok[i], &cause))
			fail_msg("%s refused: %s", ok[i], cause);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		if (container_url_allowed(bad[i], &cause))
			fail_msg("%s allowed", bad[i]);
		free(cause);
	}
	/* The relative URI always goes to 169.254.170.2 and wins. */
	credstest_home(NULL, NULL);
	setenv(
	    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x", 1);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.0.0.1/c", 1);
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-token", 1);
	fakehttp_push("GET http://169.254.170.2/v2/credentials/x", 200,
	    "{\"AccessKeyId\": \"ASIAECS\", \"SecretAccessKey\": \"s\", "
	    "\"Token\": \"t\", \"Expiration\": \"2025-06-15T21:00:00Z\"}");
	{
		struct credstest t;
		const struct aws_creds *c;

		credstest_chain_ok(&t, NULL);
		c = credstest_get(&t);
		assert_string_equal(c->access_key, "ASIAECS");
		assert_string_equal(
		    fakehttp_header(0, "Authorization"), "env-token");
		credstest_free(&t);
	}
	tmphome_end();
}

static void
test_imds_credentials(void **state)
{
	struct credstest t;
	const struct aws_creds *c;

	(void)state;
	credstest_home("[default]\nec2_metadata_service_endpoint = "
		       "http://127.0.0.1:1338\n",
	    NULL);
	/* IMDSv2 token refused with 403: IMDSv1. */
	fakehttp_push("PUT http://127.0.0.1:1338/latest/api/token", 403, "");
	fakehttp_push("GET http://127.0.0.1:1338/latest/meta-data/iam/"
		      "security-credentials/",
	    200, "web-role\n");
	fakehttp_push("GET http://127.0.0.1:1338/latest/meta-data/iam/"
		      "security-credentials/web-role",
	    200,
	    "{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAIMDS\", "
	    "\"SecretAccessKey\": \"imds-s\", \"Token\": \"imds-t\", "
	    "\"Expiration\": \"2025-06-15T21:00:00Z\"}");
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAIMDS");
	assert_string_equal(c->provider, "imds");
	assert_null(fakehttp_header(1, "x-aws-ec2-metadata-token"));
	assert_int_equal(fakehttp_mismatches(), 0);
	/* Refreshed from IMDS when the advisory window starts. */
	fakehttp_push("PUT", 200, "TOKEN2");
	fakehttp_push("GET", 200, "web-role");
	fakehttp_push("GET", 200,
	    "{\"AccessKeyId\": \"ASIAIMDS2\", "
	    "\"SecretAccessKey\": \"s\", \"Token\": \"t\", "
	    "\"Expiration\": \"2025-06-15T23:00:00Z\"}");
	credstest_advance_to(1750017600000LL); /* 20:00, one hour left */
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAIMDS");
	assert_int_equal(fakehttp_count(), 3);
	credstest_advance_to(1750019400000LL); /* 20:30, 30 minutes left */
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAIMDS");
	credstest_advance_to(1750020600000LL); /* 20:50, 10 minutes left */
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAIMDS");
	credstest_settle(&t);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAIMDS2");
	assert_string_equal(
	    fakehttp_header(4, "x-aws-ec2-metadata-token"), "TOKEN2");
	credstest_free(&t);
	tmphome_end();
}

static void
test_imds_v1_disabled(void **state)
{
	struct credstest t;
	char *cause;

	(void)state;
	credstest_home(NULL, NULL);
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	fakehttp_push("PUT http://169.254.169.254/latest/api/token", 404, "");
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "unable to get an IMDSv2 token and IMDSv1 "
	    "is disabled (AWS_EC2_METADATA_V1_DISABLED)");
	free(cause);
	credstest_free(&t);
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sso_session),
    cmocka_unit_test(test_sso_errors),
    cmocka_unit_test(test_container),
    cmocka_unit_test(test_container_hosts),
    cmocka_unit_test(test_imds_credentials),
    cmocka_unit_test(test_imds_v1_disabled),
};

TEST_MAIN(tests)
