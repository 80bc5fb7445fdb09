/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for the credential chain: order of providers, static keys,
 * environment, credential_process and refreshing on a fake clock.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "credstest.h"
#include "fakehttp.h"
#include "testmain.h"
#include "tmphome.h"

#include "aws/creds/creds.h"

static const char *files_config =
    "[default]\n"
    "aws_access_key_id = CONFIGDEFAULT\n"
    "aws_secret_access_key = config-default-secret\n"
    "[profile dev]\n"
    "aws_access_key_id = CONFIGDEV\n"
    "aws_secret_access_key = config-dev-secret\n"
    "aws_session_token = config-dev-token\n"
    "aws_account_id = 111111111111\n"
    "[profile proc]\n"
    "credential_process = ~/never-run\n"
    "aws_access_key_id = CONFIGPROC\n"
    "aws_secret_access_key = config-proc-secret\n"
    "[profile half]\n"
    "aws_access_key_id = HALF\n";

static const char *files_credentials =
    "[dev]\n"
    "aws_access_key_id = CREDSDEV\n"
    "aws_secret_access_key = creds-dev-secret\n"
    "aws_security_token = creds-dev-legacy-token\n"
    "aws_session_token = creds-dev-token\n";

static void
test_creds_files(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *cause, *d;

	(void)state;
	credstest_home(files_config, files_credentials);
	/* The credentials file wins; aws_security_token before the other. */
	credstest_chain_ok(&t, "dev");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "CREDSDEV");
	assert_string_equal(c->secret_key, "creds-dev-secret");
	assert_string_equal(c->session_token, "creds-dev-legacy-token");
	assert_int_equal(c->expires_ms, 0);
	assert_string_equal(c->provider, "shared-credentials-file");
	assert_string_equal(
	    creds_chain_provider(t.chain), "shared-credentials-file");
	d = creds_chain_describe(t.chain);
	assert_string_equal(d, "shared-credentials-file (profile dev)");
	free(d);
	credstest_free(&t);
	/* The config file's keys for the default profile. */
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "CONFIGDEFAULT");
	assert_null(c->session_token);
	assert_string_equal(c->provider, "config-file");
	credstest_free(&t);
	/* Half a key pair is an error naming the missing key. */
	assert_int_equal(credstest_chain(&t, "half", &cause), -1);
	assert_string_equal(cause,
	    "partial credentials found in config-file "
	    "(profile half), missing: aws_secret_access_key");
	free(cause);
	credstest_free(&t);
	tmphome_end();
}

static void
test_creds_env(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *cause;

	(void)state;
	credstest_home(files_config, files_credentials);
	setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	setenv("AWS_SESSION_TOKEN", "env-session", 1);
	setenv("AWS_SECURITY_TOKEN", "env-security", 1);
	setenv("AWS_ACCOUNT_ID", "222222222222", 1);
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ENVKEY");
	assert_string_equal(c->session_token, "env-security");
	assert_string_equal(c->account_id, "222222222222");
	assert_string_equal(c->provider, "env");
	credstest_free(&t);
	/* AWS_PROFILE only picks the profile: env keys still win. */
	setenv("AWS_PROFILE", "dev", 1);
	unsetenv("AWS_SECURITY_TOKEN");
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "ENVKEY");
	assert_string_equal(c->session_token, "env-session");
	credstest_free(&t);
	/* --profile turns the environment provider off. */
	credstest_chain_ok(&t, "dev");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "CREDSDEV");
	credstest_free(&t);
	unsetenv("AWS_PROFILE");
	/* Expiring environment credentials. */
	setenv("AWS_CREDENTIAL_EXPIRATION", "2025-06-15T16:00:00Z", 1);
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_int_equal(c->expires_ms, 1750003200000LL);
	credstest_free(&t);
	setenv("AWS_CREDENTIAL_EXPIRATION", "soon", 1);
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_string_equal(
	    cause, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time");
	free(cause);
	credstest_free(&t);
	unsetenv("AWS_CREDENTIAL_EXPIRATION");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	assert_int_equal(credstest_chain(&t, NULL, &cause), -1);
	assert_string_equal(cause, "partial credentials found in env, "
				   "missing: AWS_SECRET_ACCESS_KEY");
	free(cause);
	credstest_free(&t);
	tmphome_end();
}

static void
test_creds_explicit(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *cause = NULL;

	(void)state;
	credstest_home(files_config, NULL);
	setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
	memset(&t, 0, sizeof t);
	credstest_chain_ok(&t, NULL);
	credstest_free(&t);
	/* Build again with flags: they beat the environment. */
	assert_int_equal(credstest_chain(&t, NULL, &cause), 0);
	creds_chain_free(t.chain);
	t.opts.access_key = "FLAGKEY";
	t.opts.secret_key = "flag-secret";
	t.opts.session_token = "flag-token";
	assert_int_equal(creds_chain_new(&t.chain, &t.opts, &cause), 0);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "FLAGKEY");
	assert_string_equal(c->session_token, "flag-token");
	assert_string_equal(c->provider, "explicit");
	creds_chain_free(t.chain);
	t.opts.secret_key = NULL;
	assert_int_equal(creds_chain_new(&t.chain, &t.opts, &cause), -1);
	assert_string_equal(cause, "partial credentials on the command line, "
				   "missing: --aws-secret-access-key");
	free(cause);
	t.chain = NULL;
	credstest_free(&t);
	tmphome_end();
}

static void
test_creds_none(void **state)
{
	struct credstest t;
	char *cause = NULL;

	(void)state;
	credstest_home(NULL, NULL);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	assert_int_equal(credstest_chain(&t, NULL, &cause), -1);
	assert_string_equal(cause,
	    "unable to locate credentials: set "
	    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a "
	    "profile (aws configure)");
	free(cause);
	credstest_free(&t);
	/* With IMDS enabled and unreachable: the same, one line. */
	unsetenv("AWS_EC2_METADATA_DISABLED");
	credstest_chain_ok(&t, NULL);
	fakehttp_push_err(
	    "PUT http://169.254.169.254/latest/api/token", HTTP_ERR_CONNECT);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "unable to locate credentials"));
	free(cause);
	assert_int_equal(fakehttp_pending(), 0);
	credstest_free(&t);
	tmphome_end();
}

static void
test_creds_process(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *script, *cfg, *cause;
	int fd;

	(void)state;
	credstest_home(NULL, NULL);
	script = credstest_script("bin/creds-helper",
	    "[ \"$1\" = --arg ] || exit 9\n"
	    "[ \"$2\" = 'two words' ] || exit 8\n"
	    "echo 'from the helper' >&2\n"
	    "cat <<'X'\n"
	    "{\"Version\": 1, \"AccessKeyId\": \"PROCKEY\",\n"
	    " \"SecretAccessKey\": \"proc-secret\",\n"
	    " \"SessionToken\": \"proc-token\",\n"
	    " \"Expiration\": \"2025-06-15T17:06:40Z\"}\n"
	    "X\n");
	cfg = malloc(strlen(script) + 200);
	sprintf(cfg,
	    "[default]\ncredential_process = %s --arg "
	    "\"two words\"\naws_account_id = 333333333333\n",
	    script);
	free(tmphome_write(".aws/config", cfg, 0600));
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "PROCKEY");
	assert_string_equal(c->session_token, "proc-token");
	assert_int_equal(c->expires_ms, credstest_now + 2 * 3600 * 1000);
	assert_string_equal(c->account_id, "333333333333");
	assert_string_equal(c->provider, "credential-process");
	credstest_free(&t);
	free(cfg);
	free(script);

	/* Failures: exit status, bad JSON, bad version, missing key. */
	script = credstest_script("bin/fail", "exit 3\n");
	free(tmphome_write(".aws/config",
	    "[default]\n"
	    "credential_process = ~/bin/fail\n",
	    0600));
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "cannot run ~/bin/fail"));
	free(cause);
	credstest_free(&t);
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = %s\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "exited with status 3"));
	free(cause);
	credstest_free(&t);
	free(cfg);
	free(script);

	script = credstest_script("bin/bad",
	    "echo '{\"Version\": 1, "
	    "\"AccessKeyId\": \"K\", \"SecretAccessKey\": \"SEKRIT\"'\n");
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = %s\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "printed invalid JSON"));
	assert_null(strstr(cause, "SEKRIT"));
	free(cause);
	credstest_free(&t);
	free(cfg);
	free(script);

	script = credstest_script("bin/v2",
	    "echo '{\"Version\": 2, "
	    "\"AccessKeyId\": \"K\", \"SecretAccessKey\": \"S\"}'\n");
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = %s\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "unsupported Version 2"));
	free(cause);
	credstest_free(&t);
	free(cfg);
	free(script);

	script = credstest_script("bin/nokey", "echo '{\"Version\": 1, "
					       "\"AccessKeyId\": \"K\"}'\n");
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = '%s'\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "missing required key "
				      "SecretAccessKey"));
	free(cause);
	credstest_free(&t);
	free(cfg);
	free(script);

	/* The helper inherits no descriptor but 0, 1 and 2. */
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd > 2);
	script = credstest_script("bin/fds",
	    "f=$(ls /proc/self/fd | tr -d '\\n')\n"
	    "printf '{\"Version\": 1, \"AccessKeyId\": \"K%s\", "
	    "\"SecretAccessKey\": \"S\"}' \"$f\"\n");
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = %s\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	/* ls itself holds fd 3 for the directory it lists. */
	assert_string_equal(c->access_key, "K0123");
	credstest_free(&t);
	close(fd);
	free(cfg);
	free(script);

	free(tmphome_write(".aws/config",
	    "[default]\ncredential_process = "
	    "\"unclosed\n",
	    0600));
	credstest_chain_ok(&t, NULL);
	cause = credstest_get_err(&t);
	assert_string_equal(cause, "credential_process: no closing quotation");
	free(cause);
	credstest_free(&t);
	tmphome_end();
}

static void
test_creds_refresh(void **state)
{
	struct credstest t;
	const struct aws_creds *c;
	char *script, *cfg, *cause, *flag;
	const char *msg;
	long left;
	int64_t start;

	(void)state;
	credstest_home(NULL, NULL);
	/*
	 * Each run prints the next key; it fails while ~/fail exists. Its
	 * credentials last 20 minutes from the fake clock's start.
	 */
	script = credstest_script("bin/counter",
	    "[ -e \"$HOME/fail\" ] && exit 1\n"
	    "n=$(cat \"$HOME/n\" 2>/dev/null || echo 0); n=$((n+1))\n"
	    "echo $n > \"$HOME/n\"\n"
	    "echo \"{\\\"Version\\\":1,\\\"AccessKeyId\\\":\\\"K$n\\\","
	    "\\\"SecretAccessKey\\\":\\\"S\\\",\\\"Expiration\\\":\\\"$EXP\\\"}"
	    "\"\n");
	cfg = malloc(strlen(script) + 64);
	sprintf(cfg, "[default]\ncredential_process = %s\n", script);
	free(tmphome_write(".aws/config", cfg, 0600));
	start = credstest_now;
	setenv("EXP", "2025-06-15T15:26:40Z", 1); /* start + 20 min */
	credstest_chain_ok(&t, NULL);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K1");
	/* 4 minutes in: 16 minutes left, no refresh. */
	credstest_advance_to(start + 4 * 60000);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K1");
	/*
	 * 6 minutes in: 14 left, inside the advisory window: the current
	 * ones at once while one refresh runs in the background.
	 */
	setenv("EXP", "2025-06-15T16:06:40Z", 1); /* start + 60 min */
	credstest_advance_to(start + 6 * 60000);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K1");
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K1");
	credstest_settle(&t);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K2");
	assert_int_equal(c->expires_ms, start + 60 * 60000);
	/* The next refresh fails: the current ones are kept (traced). */
	flag = tmphome_write("fail", "", 0600);
	credstest_advance_to(start + 50 * 60000); /* 10 minutes left */
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K2");
	credstest_settle(&t);
	/*
	 * About 600 s: without pidfd (APILOGS_PORTABLE, old kernels) the
	 * helper is reaped by a 10 ms poll timer, and each tick moves the
	 * virtual clock while the real helper takes its time to exit.
	 */
	msg = strstr(buf_str(&t.trace),
	    "refreshing credential-process failed, the current ones last ");
	assert_non_null(msg);
	left = strtol(strstr(msg, " last ") + 6, NULL, 10);
	assert_true(left > 590 && left <= 600);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K2");
	/* Retried only after a pause, then an error once they expire. */
	credstest_advance(10000);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K2");
	credstest_advance_to(start + 59 * 60000 + 30000); /* 30 s left */
	cause = credstest_get_err(&t);
	assert_non_null(strstr(cause, "exited with status 1"));
	free(cause);
	/* Recovery. */
	remove(flag);
	setenv("EXP", "2025-06-15T17:06:40Z", 1);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K3");
	/*
	 * A process returning credentials that already expired: a failed
	 * refresh, so the current ones (5 minutes left) are kept, then it
	 * is an error.
	 */
	setenv("EXP", "2025-06-15T15:00:00Z", 1);
	credstest_advance_to(start + 115 * 60000);
	c = credstest_get(&t);
	assert_string_equal(c->access_key, "K3");
	assert_non_null(strstr(buf_str(&t.trace),
	    "credential-process: the credentials it returned have already "
	    "expired"));
	credstest_advance_to(start + 119 * 60000 + 30000);
	cause = credstest_get_err(&t);
	assert_string_equal(cause, "credential-process: the credentials it "
				   "returned have already expired");
	free(cause);
	unsetenv("EXP");
	credstest_free(&t);
	free(flag);
	free(cfg);
	free(script);
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_creds_files),
    cmocka_unit_test(test_creds_env),
    cmocka_unit_test(test_creds_explicit),
    cmocka_unit_test(test_creds_none),
    cmocka_unit_test(test_creds_process),
    cmocka_unit_test(test_creds_refresh),
};

TEST_MAIN(tests)
