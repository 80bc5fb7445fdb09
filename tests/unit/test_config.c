/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for the ~/.aws/config and ~/.aws/credentials reader. The expected
 * values follow botocore's raw_config_parse/build_profile_map; the parser
 * was also checked against botocore on random files during development.
 */

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testmain.h"
#include "tmphome.h"

#include "aws/config.h"

/* Parse text as one file; assert success. */
static struct config *
parse_ok(enum config_which which, const char *text)
{
	struct config *cfg = config_new();
	char *cause = NULL;

	if (config_parse(cfg, which, "f", text, strlen(text), &cause) != 0)
		fail_msg("unexpected error: %s", cause);
	return (cfg);
}

/* Parse text as one file; assert failure and return the message. */
static char *
parse_err(enum config_which which, const char *text)
{
	struct config *cfg = config_new();
	char *cause = NULL;

	assert_int_equal(
	    config_parse(cfg, which, "f", text, strlen(text), &cause), -1);
	assert_non_null(cause);
	config_free(cfg);
	return (cause);
}

static void
test_config_profiles(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = parse_ok(CONFIG_FILE_CONFIG,
	    "[default]\n"
	    "region = us-east-1\n"
	    "[profile dev]\n"
	    "Region = eu-west-1\n"
	    "output: json\n"
	    "[dev]\n"
	    "region = not-a-profile-in-the-config-file\n"
	    "[profile \"with space\"]\n"
	    "region = ap-south-1\n"
	    "[profile a b]\n"
	    "region = ignored\n"
	    "[profiles x]\n"
	    "region = botocore-quirk\n"
	    "[ default ]\n"
	    "region = not-default\n");
	assert_string_equal(config_get(cfg, "default", "region"), "us-east-1");
	assert_string_equal(config_get(cfg, "dev", "region"), "eu-west-1");
	assert_string_equal(config_get(cfg, "dev", "REGION"), "eu-west-1");
	assert_string_equal(config_get(cfg, "dev", "output"), "json");
	assert_string_equal(
	    config_get(cfg, "with space", "region"), "ap-south-1");
	/* botocore only checks the "profile" prefix and the word count. */
	assert_string_equal(config_get(cfg, "x", "region"), "botocore-quirk");
	assert_false(config_profile_exists(cfg, "a b"));
	assert_false(config_profile_exists(cfg, "a"));
	assert_true(config_profile_exists(cfg, "dev"));
	assert_false(config_profile_exists(cfg, "nope"));
	assert_null(config_get(cfg, "dev", "missing"));
	assert_null(config_get(cfg, "nope", "region"));
	config_free(cfg);
}

static void
test_config_credentials_win(void **state)
{
	struct config *cfg = config_new();
	char *cause = NULL;
	const char *c = "[profile dev]\nregion = eu-west-1\n"
			"aws_access_key_id = CONFIGKEY\n";
	const char *k = "[dev]\naws_access_key_id = CREDKEY\n"
			"[profile dev]\naws_access_key_id = RAWNAME\n"
			"[only]\nregion = us-west-2\n";

	(void)state;
	assert_int_equal(
	    config_parse(cfg, CONFIG_FILE_CONFIG, "c", c, strlen(c), &cause),
	    0);
	assert_int_equal(config_parse(cfg, CONFIG_FILE_CREDENTIALS, "k", k,
			     strlen(k), &cause),
	    0);
	assert_string_equal(
	    config_get(cfg, "dev", "aws_access_key_id"), "CREDKEY");
	assert_string_equal(config_get(cfg, "dev", "region"), "eu-west-1");
	assert_string_equal(config_file_get(cfg, CONFIG_FILE_CONFIG, "dev",
				"aws_access_key_id"),
	    "CONFIGKEY");
	/* In the credentials file the header is the name as written. */
	assert_string_equal(
	    config_get(cfg, "profile dev", "aws_access_key_id"), "RAWNAME");
	assert_true(config_profile_exists(cfg, "only"));
	assert_false(config_file_has_profile(cfg, CONFIG_FILE_CONFIG, "only"));
	assert_string_equal(config_get(cfg, "only", "region"), "us-west-2");
	config_free(cfg);
}

static void
test_config_comments_and_whitespace(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = parse_ok(CONFIG_FILE_CONFIG,
	    "# leading comment\n"
	    "; another\n"
	    "\n"
	    "[default]\n"
	    "   # indented comment\n"
	    "region = us-east-1 # not a comment for botocore\n"
	    "output=text ; nor this\n"
	    "\tcli_pager   =   less   \n"
	    "empty =\n"
	    "[profile indented]\n"
	    "  k = 1\n"
	    "  j = 2\n");
	assert_string_equal(config_get(cfg, "default", "region"),
	    "us-east-1 # not a comment for botocore");
	/* A line indented deeper than the key before it continues it. */
	assert_string_equal(config_get(cfg, "default", "output"),
	    "text ; nor this\ncli_pager   =   less");
	assert_null(config_get(cfg, "default", "cli_pager"));
	/* An indented first key is a key, and so are its peers. */
	assert_string_equal(config_get(cfg, "indented", "k"), "1");
	assert_string_equal(config_get(cfg, "indented", "j"), "2");
	assert_string_equal(config_get(cfg, "default", "empty"), "");
	config_free(cfg);
}

static void
test_config_continuation_and_nested(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = parse_ok(CONFIG_FILE_CONFIG,
	    "[profile dev]\n"
	    "services = local\n"
	    "multi = first\n"
	    "  second\n"
	    "\n"
	    "  third\n"
	    "s3 =\n"
	    "  addressing_style = path\n"
	    "[services local]\n"
	    "cloudwatch_logs =\n"
	    "  endpoint_url = http://127.0.0.1:4566\n"
	    "  # a comment inside the block\n"
	    "\n"
	    "    Endpoint_URL = case-kept\n"
	    "lambda =\n"
	    "  endpoint_url=http://lambda:1\n"
	    "[sso-session corp]\n"
	    "sso_start_url = https://corp.awsapps.com/start\n"
	    "sso_region = eu-west-1\n"
	    "[sso-session empty]\n");
	assert_string_equal(
	    config_get(cfg, "dev", "multi"), "first\nsecond\n\nthird");
	/* A nested block is not a string value. */
	assert_null(config_get(cfg, "dev", "s3"));
	assert_string_equal(config_services_get(cfg, "local", "cloudwatch_logs",
				"endpoint_url"),
	    "http://127.0.0.1:4566");
	assert_string_equal(config_services_get(cfg, "local", "cloudwatch_logs",
				"Endpoint_URL"),
	    "case-kept");
	assert_string_equal(
	    config_services_get(cfg, "local", "lambda", "endpoint_url"),
	    "http://lambda:1");
	assert_null(config_services_get(cfg, "local", "sts", "endpoint_url"));
	assert_null(
	    config_services_get(cfg, "other", "lambda", "endpoint_url"));
	assert_true(config_section_exists(cfg, "services", "local"));
	assert_int_equal(config_section_keys(cfg, "services", "local"), 2);
	assert_int_equal(config_section_keys(cfg, "services", "none"), -1);
	assert_string_equal(
	    config_section_get(cfg, "sso-session", "corp", "sso_region"),
	    "eu-west-1");
	assert_null(
	    config_section_get(cfg, "sso-session", "nope", "sso_region"));
	/* An empty section exists but has no keys. */
	assert_true(config_section_exists(cfg, "sso-session", "empty"));
	assert_int_equal(config_section_keys(cfg, "sso-session", "empty"), 0);
	assert_false(config_section_exists(cfg, "services", "dev"));
	config_free(cfg);
}

static void
test_config_line_endings_and_default(void **state)
{
	struct config *cfg;

	(void)state;
	cfg = parse_ok(CONFIG_FILE_CREDENTIALS,
	    "[DEFAULT]\r\nregion = from-defaults\r\n"
	    "[a]\r\nk = 1\rj = 2\n"
	    "[b]\nregion = own\n");
	assert_string_equal(config_get(cfg, "a", "k"), "1");
	assert_string_equal(config_get(cfg, "a", "j"), "2");
	assert_string_equal(config_get(cfg, "a", "region"), "from-defaults");
	assert_string_equal(config_get(cfg, "b", "region"), "own");
	/* [DEFAULT] is not a profile. */
	assert_false(config_profile_exists(cfg, "DEFAULT"));
	config_free(cfg);
}

static void
test_config_last_section_wins(void **state)
{
	struct config *cfg;

	(void)state;
	/* Two headers naming one profile: botocore keeps the last whole. */
	cfg = parse_ok(CONFIG_FILE_CONFIG,
	    "[profile a]\nregion = one\noutput = json\n"
	    "[profile  a]\nregion = two\n");
	assert_string_equal(config_get(cfg, "a", "region"), "two");
	assert_null(config_get(cfg, "a", "output"));
	config_free(cfg);
}

static void
test_config_errors(void **state)
{
	char *c;

	(void)state;
	c = parse_err(CONFIG_FILE_CONFIG, "region = x\n[default]\n");
	assert_string_equal(c, "f:1: line before any [section]");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "[a]\nk=1\n\n[a]\n");
	assert_string_equal(c, "f:4: duplicate section [a]");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "[a]\nREGION = 1\nregion = 2\n");
	assert_string_equal(c, "f:3: duplicate key 'region'");
	free(c);
	c = parse_err(CONFIG_FILE_CREDENTIALS,
	    "[a]\naws_secret_access_key = SECRETVALUE\njunk\n");
	assert_string_equal(c, "f:3: line is neither [section] nor "
			       "'key = value'");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "[a]\n= 1\n");
	assert_string_equal(c, "f:2: empty key");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "[a]\nk =\n  sub = 1\n  TOKEN\n");
	assert_string_equal(c, "f:4: nested line under 'k' is not "
			       "'key = value'");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "[a]\nk = \xc3(\n");
	assert_string_equal(c, "f:2: invalid UTF-8");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "[a]\r\n\r\nk = \xed\xa0\x80\n");
	assert_string_equal(c, "f:3: invalid UTF-8");
	free(c);
	c = parse_err(CONFIG_FILE_CONFIG, "\xef\xbb\xbf[a]\n");
	assert_string_equal(c, "f:1: line before any [section]");
	free(c);
}

static void
test_config_nul_byte(void **state)
{
	struct config *cfg = config_new();
	char *cause = NULL;

	(void)state;
	assert_int_equal(config_parse(cfg, CONFIG_FILE_CONFIG, "f",
			     "[a]\nk = 1\0\n", 11, &cause),
	    -1);
	assert_string_equal(cause, "f:2: NUL byte");
	free(cause);
	config_free(cfg);
}

static void
test_config_long_token(void **state)
{
	struct config *cfg;
	char *token, *text, *path, *cause = NULL;
	size_t i;

	(void)state;
	tmphome_begin();
	token = malloc(1201);
	for (i = 0; i < 1200; i++)
		token[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/="[i % 39];
	token[1200] = '\0';
	text = malloc(1400);
	snprintf(text, 1400,
	    "[default]\naws_access_key_id = AKIA\n"
	    "aws_session_token = %s\n",
	    token);
	path = tmphome_write(".aws/credentials", text, 0600);
	assert_int_equal(config_load(&cfg, &cause), 0);
	assert_string_equal(
	    config_get(cfg, "default", "aws_session_token"), token);
	assert_int_equal(
	    strlen(config_get(cfg, "default", "aws_session_token")), 1200);
	assert_string_equal(
	    config_file_path(cfg, CONFIG_FILE_CREDENTIALS), path);
	assert_null(config_file_path(cfg, CONFIG_FILE_CONFIG));
	config_free(cfg);
	free(path);
	free(text);
	free(token);
	tmphome_end();
}

static void
test_config_load_env_paths(void **state)
{
	struct config *cfg;
	char *cpath, *dir, *cause = NULL;

	(void)state;
	tmphome_begin();
	/* Default files are ignored once the variables point elsewhere. */
	free(tmphome_write(".aws/config", "[default]\nregion = home\n", 0600));
	cpath =
	    tmphome_write("elsewhere/cfg", "[default]\nregion = env\n", 0600);
	setenv("APILOGS_TEST_DIR", "elsewhere", 1);
	setenv("AWS_CONFIG_FILE", "~/$APILOGS_TEST_DIR/cfg", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/missing", 1);
	assert_int_equal(config_load(&cfg, &cause), 0);
	assert_string_equal(config_get(cfg, "default", "region"), "env");
	assert_string_equal(config_file_path(cfg, CONFIG_FILE_CONFIG), cpath);
	config_free(cfg);
	/* A directory where the file should be counts as missing. */
	dir = tmphome_path("elsewhere");
	setenv("AWS_CONFIG_FILE", dir, 1);
	assert_int_equal(config_load(&cfg, &cause), 0);
	assert_null(config_get(cfg, "default", "region"));
	config_free(cfg);
	/* An empty variable means no file at all. */
	setenv("AWS_CONFIG_FILE", "", 1);
	assert_int_equal(config_load(&cfg, &cause), 0);
	config_free(cfg);
	unsetenv("APILOGS_TEST_DIR");
	free(dir);
	free(cpath);
	tmphome_end();
}

static void
test_config_load_errors(void **state)
{
	struct config *cfg = NULL;
	char *path, *loop, *cause = NULL;

	(void)state;
	tmphome_begin();
	path = tmphome_write(".aws/config",
	    "[default]\nregion = x\n"
	    "aws_secret_access_key = TOPSECRET\nbroken line\n",
	    0600);
	assert_int_equal(config_load(&cfg, &cause), -1);
	assert_null(cfg);
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, ":4: "));
	assert_null(strstr(cause, "TOPSECRET"));
	assert_null(strchr(cause, '\n'));
	free(cause);
	cause = NULL;
	free(path);
	/*
	 * Unreadable (a symlink loop, even for root; no permission): skipped
	 * like a missing file, as the AWS CLI does, and named.
	 */
	loop = tmphome_path("loop");
	assert_int_equal(symlink(loop, loop), 0);
	setenv("AWS_CONFIG_FILE", loop, 1);
	assert_int_equal(config_load(&cfg, &cause), 0);
	assert_non_null(config_skipped(cfg));
	assert_non_null(strstr(config_skipped(cfg), loop));
	assert_non_null(
	    strstr(config_skipped(cfg), "Too many levels of symbolic links"));
	assert_false(config_profile_exists(cfg, "default"));
	config_free(cfg);
	cfg = NULL;
	if (geteuid() != 0) {
		path = tmphome_write("noperm", "[default]\n", 0000);
		setenv("AWS_CONFIG_FILE", path, 1);
		assert_int_equal(config_load(&cfg, &cause), 0);
		assert_non_null(
		    strstr(config_skipped(cfg), "Permission denied"));
		config_free(cfg);
		cfg = NULL;
		free(path);
	}
	/* A readable file leaves nothing skipped. */
	path = tmphome_write("fine", "[default]\nregion = x\n", 0600);
	setenv("AWS_CONFIG_FILE", path, 1);
	assert_int_equal(config_load(&cfg, &cause), 0);
	assert_null(config_skipped(cfg));
	config_free(cfg);
	free(path);
	free(loop);
	tmphome_end();
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_config_profiles),
    cmocka_unit_test(test_config_credentials_win),
    cmocka_unit_test(test_config_comments_and_whitespace),
    cmocka_unit_test(test_config_continuation_and_nested),
    cmocka_unit_test(test_config_line_endings_and_default),
    cmocka_unit_test(test_config_last_section_wins),
    cmocka_unit_test(test_config_errors),
    cmocka_unit_test(test_config_nul_byte),
    cmocka_unit_test(test_config_long_token),
    cmocka_unit_test(test_config_load_env_paths),
    cmocka_unit_test(test_config_load_errors),
};

TEST_MAIN(tests)
