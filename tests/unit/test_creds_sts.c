/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for assume role (source_profile chains, cycles, credential_source,
 * MFA), web identity and the ~/.aws/cli/cache shared with the AWS CLI.
 * STS is the scripted fake transport; cache keys were computed once with
 * botocore 1.43 (AssumeRoleCredentialFetcher._cache_key).
 */

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credstest.h"
#include "fakehttp.h"
#include "testmain.h"
#include "tmphome.h"

#include "aws/creds/creds.h"

#define ROLE_DEV "arn:aws:iam::123456789012:role/dev"
/* botocore: {"RoleArn": ROLE_DEV} */
#define KEY_DEV "af854889538ac1a069a8274d5ee4dc500f8b1f91"
#define ROLE_WEB "arn:aws:iam::123456789012:role/web"
/* botocore: {"RoleArn": ROLE_WEB, "RoleSessionName": "pod"} */
#define KEY_WEB "6d4fff0703781516fd1fcf068fb533995989784e"

static const char *sts_config =
    "[profile base]\n"
    "region = eu-west-1\n"
    "[profile dev]\n"
    "role_arn = " ROLE_DEV "\n"
    "source_profile = base\n"
    "[profile mid]\n"
    "role_arn = arn:aws:iam::123456789012:role/mid\n"
    "source_profile = dev\n"
    "role_session_name = mid-session\n"
    "external_id = ext-1\n"
    "duration_seconds = 1800\n"
    "[profile top]\n"
    "role_arn = arn:aws:iam::123456789012:role/top\n"
    "source_profile = mid\n"
    "[profile loop-a]\n"
    "role_arn = arn:aws:iam::1:role/a\n"
    "source_profile = loop-b\n"
    "[profile loop-b]\n"
    "role_arn = arn:aws:iam::1:role/b\n"
    "source_profile = loop-a\n"
    "[profile self]\n"
    "role_arn = arn:aws:iam::1:role/self\n"
    "source_profile = self\n"
    "aws_access_key_id = SELFKEY\n"
    "aws_secret_access_key = self-secret\n"
    "[profile selfloop]\n"
    "role_arn = arn:aws:iam::1:role/selfloop\n"
    "source_profile = selfloop\n"
    "[profile both]\n"
    "role_arn = arn:aws:iam::1:role/both\n"
    "source_profile = base\n"
    "credential_source = Environment\n"
    "[profile neither]\n"
    "role_arn = arn:aws:iam::1:role/neither\n"
    "[profile ghost]\n"
    "role_arn = arn:aws:iam::1:role/ghost\n"
    "source_profile = nowhere\n"
    "[profile nocreds]\n"
    "role_arn = arn:aws:iam::1:role/nocreds\n"
    "source_profile = empty\n"
    "[profile empty]\n"
    "region = us-east-1\n"
    "[profile fromenv]\n"
    "role_arn = arn:aws:iam::1:role/fromenv\n"
    "credential_source = Environment\n"
    "[profile lower]\n"
    "role_arn = arn:aws:iam::1:role/lower\n"
    "credential_source = environment\n"
    "[profile mfa]\n"
    "role_arn = arn:aws:iam::1:role/mfa\n"
    "source_profile = base\n"
    "mfa_serial = arn:aws:iam::1:mfa/me\n";

static const char *sts_credentials =
    "[base]\n"
    "aws_access_key_id = AKIABASE\n"
    "aws_secret_access_key = base-secret-key\n";

/* Queue an AssumeRole answer. */
static void
push_assume(const char *ak, const char *sk, const char *tok, int64_t exp)
{
	char *xml;

	xml = credstest_sts_xml("AssumeRole", ak, sk, tok, exp);
	fakehttp_push("POST https://sts.us-east-1.amazonaws.com/", 200, xml);
	free(xml);
}

static void
test_sts_source_profile(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	struct stat sb;
	char *path, *cache, *d;
	const char *auth, *body;

	(void)state;
	credstest_home(sts_config, sts_credentials);
	push_assume(
	    "ASIADEV", "dev-secret", "dev-token", credstest_now + 3600000);
	credstest_chain_ok(&t, "dev");
	d = creds_chain_describe(t.chain);
	assert_string_equal(d, "assume-role (profile dev, role " ROLE_DEV
			       ") <- shared-credentials-file (profile base)");
	free(d);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIADEV");
	assert_string_equal(c->secret_key, "dev-secret");
	assert_string_equal(c->session_token, "dev-token");
	assert_string_equal(c->account_id, "111122223333");
	assert_string_equal(c->provider, "assume-role");
	assert_int_equal(fakehttp_count(), 1);
	/* Signed with the source credentials, as a query-protocol form. */
	auth = fakehttp_header(0, "Authorization");
	assert_non_null(auth);
	assert_non_null(strstr(auth, "Credential=AKIABASE/20250615/us-east-1/"
				     "sts/aws4_request"));
	body = fakehttp_body(0);
	assert_non_null(strstr(body, "Action=AssumeRole&Version=2011-06-15"));
	assert_non_null(strstr(body, "RoleArn=arn%3Aaws%3Aiam%3A%3A"
				     "123456789012%3Arole%2Fdev"));
	assert_non_null(strstr(body, "RoleSessionName=botocore-session-"
				     "1750000000"));
	assert_string_equal(fakehttp_header(0, "Content-Type"),
	    "application/x-www-form-urlencoded; charset=utf-8");
	/* Cached for the aws command, mode 0600, at botocore's key. */
	path = tmphome_path(".aws/cli/cache/" KEY_DEV ".json");
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	cache = tmphome_read(path);
	assert_non_null(strstr(cache, "\"AccessKeyId\": \"ASIADEV\""));
	assert_non_null(strstr(cache, "\"Expiration\": "
				      "\"2025-06-15T16:06:40UTC\""));
	assert_non_null(
	    strstr(cache, "\"Arn\": "
			  "\"arn:aws:sts::111122223333:assumed-role/r/s\""));
	free(cache);
	/* Secrets never reach the trace. */
	assert_null(strstr(buf_str(&t.trace), "base-secret-key"));
	assert_null(strstr(buf_str(&t.trace), "dev-secret"));
	assert_null(strstr(buf_str(&t.trace), "dev-token"));
	credstest_free(&t);
	/* A second run reuses the cache: no STS call. */
	fakehttp_reset();
	credstest_chain_ok(&t, "dev");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIADEV");
	assert_int_equal(fakehttp_count(), 0);
	credstest_free(&t);
	/* Too close to expiry (botocore's 15-minute window): called again. */
	credstest_advance(50 * 60000);
	push_assume(
	    "ASIADEV2", "dev-secret-2", "dev-token-2", credstest_now + 3600000);
	credstest_chain_ok(&t, "dev");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIADEV2");
	assert_int_equal(fakehttp_count(), 1);
	credstest_free(&t);
	free(path);
	tmphome_end();
}

static void
test_sts_chain_depth(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	const char *body;
	char *d;

	(void)state;
	credstest_home(sts_config, sts_credentials);
	/* top <- mid <- dev <- base: three calls, innermost first. */
	push_assume(
	    "ASIADEV", "dev-secret", "dev-token", credstest_now + 3600000);
	push_assume(
	    "ASIAMID", "mid-secret", "mid-token", credstest_now + 3600000);
	push_assume(
	    "ASIATOP", "top-secret", "top-token", credstest_now + 3600000);
	credstest_chain_ok(&t, "top");
	d = creds_chain_describe(t.chain);
	assert_non_null(strstr(d,
	    "role/top) <- assume-role (profile mid, "
	    "role arn:aws:iam::123456789012:role/mid) <- assume-role (profile "
	    "dev"));
	free(d);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIATOP");
	assert_int_equal(fakehttp_count(), 3);
	assert_non_null(
	    strstr(fakehttp_header(0, "Authorization"), "AKIABASE/"));
	assert_non_null(
	    strstr(fakehttp_header(1, "Authorization"), "ASIADEV/"));
	assert_non_null(
	    strstr(fakehttp_header(2, "Authorization"), "ASIAMID/"));
	assert_string_equal(
	    fakehttp_header(2, "X-Amz-Security-Token"), "mid-token");
	body = fakehttp_body(1);
	assert_non_null(strstr(body, "RoleSessionName=mid-session"));
	assert_non_null(strstr(body, "ExternalId=ext-1"));
	assert_non_null(strstr(body, "DurationSeconds=1800"));
	assert_int_equal(fakehttp_mismatches(), 0);
	credstest_free(&t);
	tmphome_end();
}

/* Expect building the chain for profile to fail with want. */
static void
chain_fails(const char *profile, const char *want)
{
	struct credstest t;
	char *cause = NULL;

	assert_int_equal(credstest_chain(&t, profile, &cause), -1);
	assert_non_null(cause);
	if (strcmp(cause, want) != 0)
		fail_msg("profile %s: got \"%s\"", profile, cause);
	free(cause);
	credstest_free(&t);
}

static void
test_sts_config_errors(void **state)
{
	struct credstest t;
	const struct aws_creds *c;

	(void)state;
	credstest_home(sts_config, sts_credentials);
	chain_fails("loop-a",
	    "infinite loop in credential configuration: "
	    "source_profile cycle loop-a -> loop-b -> loop-a");
	chain_fails("selfloop", "infinite loop in credential configuration: "
				"source_profile cycle selfloop -> selfloop");
	chain_fails("both", "the profile \"both\" contains both "
			    "source_profile and credential_source");
	chain_fails("neither", "partial credentials found in assume-role "
			       "(profile neither), missing: source_profile or "
			       "credential_source");
	chain_fails("ghost", "the source_profile \"nowhere\" referenced in "
			     "the profile \"ghost\" does not exist");
	chain_fails("nocreds", "the source profile \"empty\" must have "
			       "credentials");
	chain_fails("fromenv", "no credentials found in credential_source "
			       "Environment referenced in profile fromenv");
	chain_fails("lower",
	    "the credential source \"environment\" "
	    "referenced in profile \"lower\" is not valid (use Environment, "
	    "Ec2InstanceMetadata or EcsContainer)");
	/* A profile naming itself uses its own static keys. */
	push_assume("ASIASELF", "s", "t", credstest_now + 3600000);
	credstest_chain_ok(&t, "self");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIASELF");
	assert_non_null(
	    strstr(fakehttp_header(0, "Authorization"), "SELFKEY/"));
	credstest_free(&t);
	tmphome_end();
}

static void
test_sts_credential_source(void **state)
{
	struct credstest t;
	const struct aws_creds *c;

	(void)state;
	credstest_home(sts_config, sts_credentials);
	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	/* --profile turns the env provider off, but not as a source. */
	push_assume("ASIAFROMENV", "s", "t", credstest_now + 3600000);
	credstest_chain_ok(&t, "fromenv");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAFROMENV");
	assert_non_null(
	    strstr(fakehttp_header(0, "Authorization"), "AKIAENV/"));
	credstest_free(&t);
	tmphome_end();

	credstest_home("[default]\nrole_arn = arn:aws:iam::1:role/ecs\n"
		       "credential_source = EcsContainer\n",
	    NULL);
	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds/abc", 1);
	fakehttp_push("GET http://169.254.170.2/v2/creds/abc", 200,
	    "{\"AccessKeyId\": \"ASIATASK\", \"SecretAccessKey\": \"task-s\", "
	    "\"Token\": \"task-t\", \"Expiration\": \"2025-06-15T18:00:00Z\"}");
	push_assume("ASIAECS", "s", "t", credstest_now + 3600000);
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAECS");
	assert_non_null(
	    strstr(fakehttp_header(1, "Authorization"), "ASIATASK/"));
	credstest_free(&t);
	tmphome_end();

	credstest_home("[default]\nrole_arn = arn:aws:iam::1:role/ec2\n"
		       "credential_source = Ec2InstanceMetadata\n",
	    NULL);
	fakehttp_push("PUT http://169.254.169.254/latest/api/token", 200, "T");
	fakehttp_push("GET http://169.254.169.254/latest/meta-data/iam/"
		      "security-credentials/",
	    200, "inst-role");
	fakehttp_push("GET http://169.254.169.254/latest/meta-data/iam/"
		      "security-credentials/inst-role",
	    200,
	    "{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAINST\", "
	    "\"SecretAccessKey\": \"i-s\", \"Token\": \"i-t\", "
	    "\"Expiration\": \"2025-06-15T18:00:00Z\"}");
	push_assume("ASIAEC2ROLE", "s", "t", credstest_now + 3600000);
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAEC2ROLE");
	assert_non_null(
	    strstr(fakehttp_header(3, "Authorization"), "ASIAINST/"));
	assert_int_equal(fakehttp_mismatches(), 0);
	credstest_free(&t);
	tmphome_end();
}

static void
test_sts_mfa(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *cause, *path;

	(void)state;
	credstest_home(sts_config, sts_credentials);
	push_assume("ASIAMFA", "s", "t", credstest_now + 3600000);
	credstest_chain_ok(&t, "mfa");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAMFA");
	assert_int_equal(t.prompts, 1);
	assert_string_equal(
	    t.last_prompt, "Enter MFA code for arn:aws:iam::1:mfa/me: ");
	assert_non_null(
	    strstr(fakehttp_body(0), "SerialNumber=arn%3Aaws%3A"
				     "iam%3A%3A1%3Amfa%2Fme&TokenCode=123456"));
	/*
	 * Two minutes left: the refresh needs a new code, which cannot be
	 * asked again, so the current credentials stay until a minute
	 * before they expire; then it is an error.
	 */
	path = tmphome_path(".aws/cli/cache");
	credstest_advance(58 * 60000);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAMFA");
	credstest_advance(90000);
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "cannot refresh credentials: MFA token "
	    "required (profile mfa, arn:aws:iam::1:mfa/me)");
	free(cause);
	assert_int_equal(t.prompts, 1);
	credstest_free(&t);
	/* Without a prompt callback it is an error at once. */
	credstest_chain_ok(&t, "mfa");
	creds_chain_free(t.chain);
	t.opts.prompt = NULL;
	assert_int_equal(creds_chain_new(&t.chain, &t.opts, &cause), 0);
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "profile mfa needs an MFA code for "
	    "arn:aws:iam::1:mfa/me, but there is no terminal to ask for it");
	free(cause);
	credstest_free(&t);
	free(path);
	tmphome_end();
}

static void
test_sts_errors(void **state)
{
	struct credstest t;
	char *cause;

	(void)state;
	credstest_home(sts_config, sts_credentials);
	fakehttp_push("POST", 403,
	    "<ErrorResponse><Error><Type>Sender</Type>"
	    "<Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/u is "
	    "not authorized to perform: sts:AssumeRole</Message></Error>"
	    "<RequestId>r</RequestId></ErrorResponse>");
	credstest_chain_ok(&t, "dev");
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "AssumeRole " ROLE_DEV ": AccessDenied: "
	    "User: arn:aws:iam::1:user/u is not authorized to perform: "
	    "sts:AssumeRole");
	free(cause);
	credstest_free(&t);
	fakehttp_reset();
	fakehttp_push("POST", 200,
	    "<AssumeRoleResponse><AssumeRoleResult>"
	    "</AssumeRoleResult></AssumeRoleResponse>");
	credstest_chain_ok(&t, "dev");
	cause = credstest_get_err(&t);
	assert_string_equal(
	    cause, "AssumeRole: the response has no AccessKeyId");
	free(cause);
	credstest_free(&t);
	/* The source failing is reported as is. */
	tmphome_end();
	credstest_home(
	    "[profile dev]\nrole_arn = r\nsource_profile = p\n"
	    "[profile p]\ncredential_process = /nonexistent/helper\n",
	    NULL);
	credstest_chain_ok(&t, "dev");
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "credential_process: cannot run "
	    "/nonexistent/helper: No such file or directory");
	free(cause);
	assert_int_equal(fakehttp_count(), 0);
	credstest_free(&t);
	tmphome_end();
}

static void
test_sts_web_identity(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *tok, *path, *cause, *xml;

	(void)state;
	credstest_home(NULL, NULL);
	tok = tmphome_write("token", "eyJhbGciOi.payload.sig", 0600);
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_ARN", ROLE_WEB, 1);
	setenv("AWS_ROLE_SESSION_NAME", "pod", 1);
	xml = credstest_sts_xml("AssumeRoleWithWebIdentity", "ASIAWEB",
	    "web-secret", "web-token", credstest_now + 3600000);
	fakehttp_push("POST https://sts.us-east-1.amazonaws.com/", 200, xml);
	free(xml);
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ASIAWEB");
	assert_string_equal(c->provider, "web-identity");
	assert_null(fakehttp_header(0, "Authorization"));
	assert_non_null(strstr(fakehttp_body(0),
	    "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"));
	assert_non_null(strstr(
	    fakehttp_body(0), "WebIdentityToken=eyJhbGciOi.payload.sig"));
	assert_non_null(strstr(fakehttp_body(0), "RoleSessionName=pod"));
	path = tmphome_path(".aws/cli/cache/" KEY_WEB ".json");
	xml = tmphome_read(path);
	assert_non_null(xml);
	assert_non_null(strstr(xml, "\"AccessKeyId\": \"ASIAWEB\""));
	free(xml);
	free(path);
	assert_null(strstr(buf_str(&t.trace), "payload"));
	credstest_free(&t);
	/* --profile ignores the environment's web identity settings. */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	assert_int_equal(credstest_chain(&t, "default", &cause), -1);
	assert_non_null(strstr(cause, "unable to locate credentials"));
	free(cause);
	credstest_free(&t);
	/* A missing token file. */
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token", 1);
	remove(tok);
	credstest_advance(59 * 60000);
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_string_equal(cause,
	    "web identity token file "
	    "/nonexistent/token: No such file or directory");
	free(cause);
	credstest_free(&t);
	free(tok);
	tmphome_end();
	/* The profile form, and a missing role_arn. */
	credstest_home("[default]\nweb_identity_token_file = /t\n", NULL);
	chain_fails(NULL,
	    "web identity is configured (profile default or "
	    "AWS_WEB_IDENTITY_TOKEN_FILE) but no role ARN: set role_arn or "
	    "AWS_ROLE_ARN");
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sts_source_profile),
    cmocka_unit_test(test_sts_chain_depth),
    cmocka_unit_test(test_sts_config_errors),
    cmocka_unit_test(test_sts_credential_source),
    cmocka_unit_test(test_sts_mfa),
    cmocka_unit_test(test_sts_errors),
    cmocka_unit_test(test_sts_web_identity),
};

TEST_MAIN(tests)
