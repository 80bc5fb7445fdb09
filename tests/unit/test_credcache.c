/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tests for the credential cache keys and entries, timestamps and the STS
 * XML extractor. Keys were computed once with botocore 1.43:
 * AssumeRoleCredentialFetcher(...)._cache_key and
 * SSOCredentialFetcher(...)._cache_key.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testmain.h"
#include "tmphome.h"

#include "aws/cred.h"
#include "aws/creds/credcache.h"
#include "core/xmltag.h"

#define ROLE "arn:aws:iam::123456789012:role/dev"

static void
test_credcache_keys(void **state)
{
	struct credcache_arg a[5];
	char *s;

	(void)state;
	memset(a, 0, sizeof a);
	a[0].name = "RoleArn";
	a[0].str = ROLE;
	s = credcache_args_json(a, 1, 0);
	assert_string_equal(s, "{\"RoleArn\": \"" ROLE "\"}");
	free(s);
	s = credcache_key(a, 1, 0);
	assert_string_equal(s, "af854889538ac1a069a8274d5ee4dc500f8b1f91");
	free(s);

	/* Every argument; sorted; an int; escapes. */
	a[0].name = "SerialNumber";
	a[0].str = "arn:aws:iam::123456789012:mfa/user";
	a[1].name = "RoleArn";
	a[1].str = ROLE;
	a[2].name = "DurationSeconds";
	a[2].num = 3600;
	a[3].name = "ExternalId";
	a[3].str = "ext\"id\\x";
	a[4].name = "RoleSessionName";
	a[4].str = "sess";
	s = credcache_args_json(a, 5, 0);
	assert_string_equal(s,
	    "{\"DurationSeconds\": 3600, \"ExternalId\": "
	    "\"ext\\\"id\\\\x\", \"RoleArn\": \"" ROLE "\", "
	    "\"RoleSessionName\": \"sess\", \"SerialNumber\": "
	    "\"arn:aws:iam::123456789012:mfa/user\"}");
	free(s);
	s = credcache_key(a, 5, 0);
	assert_string_equal(s, "23c1fe4e3668451e2d342d2876a667fb2b259474");
	free(s);

	/* Non-ASCII as \uXXXX with surrogate pairs, control characters. */
	memset(a, 0, sizeof a);
	a[0].name = "RoleArn";
	a[0].str = ROLE;
	a[1].name = "RoleSessionName";
	a[1].str = "caf\xc3\xa9-\xf0\x9f\x98\x80\n\x7f";
	s = credcache_args_json(a, 2, 0);
	assert_string_equal(s, "{\"RoleArn\": \"" ROLE "\", \"RoleSessionName\""
			       ": \"caf\\u00e9-\\ud83d\\ude00\\n\\u007f\"}");
	free(s);
	s = credcache_key(a, 2, 0);
	assert_string_equal(s, "27c9338653446dd4781604c20d5a9782bc731ff3");
	free(s);

	/* Every escape class; the key is Python's hashlib.sha1(json.dumps(
	 * {"k\u00e9y": "a\"b\\c\x01\x1f\x7f\u0080\u009b\uffff"
	 * "\U0010ffff/<>", "n": 5}, sort_keys=True).encode()).hexdigest(). */
	memset(a, 0, sizeof a);
	a[0].name = "n";
	a[0].num = 5;
	a[1].name = "k\xc3\xa9y";
	a[1].str = "a\"b\\c\x01\x1f\x7f\xc2\x80\xc2\x9b\xef\xbf\xbf"
		   "\xf4\x8f\xbf\xbf/<>";
	s = credcache_key(a, 2, 0);
	assert_string_equal(s, "da633b3f61d8f1612f0a26dcf0dc9fd923fde8e3");
	free(s);

	/* SSO: compact separators. */
	memset(a, 0, sizeof a);
	a[0].name = "roleName";
	a[0].str = "ReadOnly";
	a[1].name = "accountId";
	a[1].str = "123456789012";
	a[2].name = "sessionName";
	a[2].str = "corp";
	s = credcache_args_json(a, 3, 1);
	assert_string_equal(s, "{\"accountId\":\"123456789012\",\"roleName\":"
			       "\"ReadOnly\",\"sessionName\":\"corp\"}");
	free(s);
	s = credcache_key(a, 3, 1);
	assert_string_equal(s, "999fa299c534d8ffbe1215f572353203fbe5c4b7");
	free(s);
	a[2].name = "startUrl";
	a[2].str = "https://corp.awsapps.com/start";
	s = credcache_key(a, 3, 1);
	assert_string_equal(s, "f24afd510cdcb6bc33a7ae5b3b4273acf5e58b49");
	free(s);
	s = credcache_sha1_hex("corp");
	assert_string_equal(s, "ee0bfd2552fbd840c02cc48b6e823320543c450f");
	free(s);
}

/* An entry as the cache was written before jsonw: jansson's json_dumps
 * of the same members. Caller frees. */
static char *
jansson_entry(const struct credcache_entry *e)
{
	json_t *root, *c, *u;
	char *exp, *s;

	exp = cred_time_format(e->creds->expires_ms, e->exp_suffix);
	root = json_object();
	if (e->provider_type != NULL)
		json_object_set_new(
		    root, "ProviderType", json_string(e->provider_type));
	c = json_object();
	json_object_set_new(
	    c, "AccessKeyId", json_string(e->creds->access_key));
	json_object_set_new(
	    c, "SecretAccessKey", json_string(e->creds->secret_key));
	json_object_set_new(
	    c, "SessionToken", json_string(e->creds->session_token));
	json_object_set_new(c, "Expiration", json_string(exp));
	json_object_set_new(c, "AccountId", json_string(e->creds->account_id));
	json_object_set_new(root, "Credentials", c);
	u = json_object();
	json_object_set_new(u, "AssumedRoleId", json_string(e->role_id));
	json_object_set_new(u, "Arn", json_string(e->role_arn));
	json_object_set_new(root, "AssumedRoleUser", u);
	s = json_dumps(root, JSON_PRESERVE_ORDER);
	json_decref(root);
	free(exp);
	return (s);
}

static void
test_credcache_roundtrip(void **state)
{
	struct aws_creds c, out;
	struct credcache_entry e;
	char *cause = NULL, *path, *text, *want;
	int64_t now = 1750000000000LL;

	(void)state;
	tmphome_begin();
	memset(&c, 0, sizeof c);
	memset(&out, 0, sizeof out);
	cred_set(&c, "ASIAX", "secret", "token", "123456789012");
	c.expires_ms = now + 3600000;
	memset(&e, 0, sizeof e);
	e.creds = &c;
	e.exp_suffix = "UTC";
	e.role_arn = "arn:aws:sts::123456789012:assumed-role/r/s";
	assert_int_equal(credcache_load("k", now, &out), 1);
	assert_int_equal(credcache_store("k", &e, &cause), 0);
	path = tmphome_path(".aws/cli/cache/k.json");
	text = tmphome_read(path);
	assert_string_equal(text,
	    "{\"Credentials\": {\"AccessKeyId\": "
	    "\"ASIAX\", \"SecretAccessKey\": \"secret\", \"SessionToken\": "
	    "\"token\", \"Expiration\": \"2025-06-15T16:06:40UTC\", "
	    "\"AccountId\": \"123456789012\"}, \"AssumedRoleUser\": {\"Arn\": "
	    "\"arn:aws:sts::123456789012:assumed-role/r/s\"}}");
	free(text);
	/* Every member, UTF-8 and escapes: the bytes jansson's json_dumps
	 * (what the cache was written with before) gives. */
	e.provider_type = "sso";
	e.role_id = "AROA\xc3\xa9:s\"\\/";
	assert_int_equal(credcache_store("k2", &e, &cause), 0);
	free(path);
	path = tmphome_path(".aws/cli/cache/k2.json");
	text = tmphome_read(path);
	want = jansson_entry(&e);
	assert_string_equal(text, want);
	free(want);
	free(text);
	e.provider_type = NULL;
	e.role_id = NULL;
	assert_int_equal(credcache_load("k", now, &out), 0);
	assert_string_equal(out.access_key, "ASIAX");
	assert_string_equal(out.secret_key, "secret");
	assert_string_equal(out.session_token, "token");
	assert_string_equal(out.account_id, "123456789012");
	assert_int_equal(out.expires_ms, now + 3600000);
	cred_clear(&out);
	/* Inside the 15-minute window: not used. */
	assert_int_equal(credcache_load("k", now + 46 * 60000, &out), 1);
	/* What the aws command itself writes (ISO offsets, extra keys). */
	free(tmphome_write(".aws/cli/cache/cli.json",
	    "{\"Credentials\": "
	    "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", "
	    "\"SessionToken\": \"T\", \"Expiration\": "
	    "\"2025-06-15T17:06:40+00:00\"}, \"AssumedRoleUser\": {}, "
	    "\"ResponseMetadata\": {\"RequestId\": \"x\"}}",
	    0600));
	assert_int_equal(credcache_load("cli", now, &out), 0);
	assert_int_equal(out.expires_ms, now + 2 * 3600000);
	cred_clear(&out);
	free(tmphome_write(
	    ".aws/cli/cache/bad.json", "{\"Credentials\":", 0600));
	assert_int_equal(credcache_load("bad", now, &out), 1);
	cred_clear(&c);
	free(path);
	tmphome_end();
}

static void
test_cred_time(void **state)
{
	static const struct {
		const char *in;
		int64_t ms;
	} good[] = {
	    {"2025-06-15T15:06:40Z", 1750000000000LL},
	    {"2025-06-15T15:06:40UTC", 1750000000000LL},
	    {"2025-06-15T15:06:40+00:00", 1750000000000LL},
	    {"2025-06-15T17:06:40+02:00", 1750000000000LL},
	    {"2025-06-15T14:36:40-0030", 1750000000000LL},
	    {"2025-06-15 15:06:40.123456Z", 1750000000123LL},
	    {"2025-06-15T15:06:40.5", 1750000000500LL},
	    {" 2025-06-15T15:06:40Z ", 1750000000000LL},
	};
	static const char *bad[] = {"", "2025-06-15", "2025-13-01T00:00:00Z",
	    "2025-06-15T15:06:40Zjunk", "2025-06-15T15:06:40+2", "soon",
	    "2025-06-15T25:00:00Z", "2025-06-15T15:06:40."};
	int64_t ms;
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(cred_time_parse(good[i].in, &ms), 0);
		assert_int_equal(ms, good[i].ms);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(cred_time_parse(bad[i], &ms), -1);
	s = cred_time_format(1750000000999LL, "Z");
	assert_string_equal(s, "2025-06-15T15:06:40Z");
	free(s);
}

static void
test_xmltag(void **state)
{
	const char *x = "<?xml version=\"1.0\"?><R xmlns=\"u\"><Result>"
			"<Credentials><AccessKeyId>AK</AccessKeyId>"
			"<Secret>a&amp;b&lt;c&gt;&quot;&apos;&#65;&#x263A;"
			"&bogus;&#0;</Secret><Empty/><Blank></Blank>"
			"</Credentials><Credentials><AccessKeyId>2nd"
			"</AccessKeyId></Credentials><Nest><Nest>in</Nest>"
			"<Nest/>after</Nest></Result></R>";
	char *v;

	(void)state;
	v = xmltag_get(x, strlen(x), "R/Result/Credentials/AccessKeyId");
	assert_string_equal(v, "AK");
	free(v);
	v = xmltag_get(x, strlen(x), "Result/Credentials/Secret");
	assert_string_equal(v, "a&b<c>\"'A\xe2\x98\xba&bogus;&#0;");
	free(v);
	v = xmltag_get(x, strlen(x), "Credentials/Empty");
	assert_string_equal(v, "");
	free(v);
	v = xmltag_get(x, strlen(x), "Credentials/Blank");
	assert_string_equal(v, "");
	free(v);
	v = xmltag_get(x, strlen(x), "Result/Nest");
	assert_string_equal(v, "<Nest>in</Nest><Nest/>after");
	free(v);
	assert_null(xmltag_get(x, strlen(x), "Result/Missing"));
	assert_null(xmltag_get(x, strlen(x), "Credentials/AccessKey"));
	assert_null(xmltag_get(x, strlen(x), ""));
	assert_null(xmltag_get(x, strlen(x), "Result//Nest"));
	/* Truncated input stays inside its bounds. */
	assert_null(xmltag_get(x, 60, "R/Result/Credentials/AccessKeyId"));
	assert_null(xmltag_get("<a>x", 4, "a"));
	assert_null(xmltag_get("<a", 2, "a"));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_credcache_keys),
    cmocka_unit_test(test_credcache_roundtrip),
    cmocka_unit_test(test_cred_time),
    cmocka_unit_test(test_xmltag),
};

TEST_MAIN(tests)
