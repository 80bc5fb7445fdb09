/* SPDX-License-Identifier: Apache-2.0 */
/* Tests for the URI encoders, the query builders and uri_parse_url(). */

#include <stdlib.h>
#include <string.h>

#include "testmain.h"

#include "core/uri.h"

static void
test_encode(void **state)
{
	char *s;

	(void)state;
	s = uri_encode("a b/c~-._%+=:$", 14, 0);
	assert_string_equal(s, "a%20b%2Fc~-._%25%2B%3D%3A%24");
	free(s);
	s = uri_encode("a b/c", 5, 1);
	assert_string_equal(s, "a%20b/c");
	free(s);
	s = uri_encode("\xe1\x88\xb4", 3, 0);
	assert_string_equal(s, "%E1%88%B4");
	free(s);
	s = uri_encode("a\0b", 3, 0);
	assert_string_equal(s, "a%00b");
	free(s);
	s = uri_encode("", 0, 0);
	assert_string_equal(s, "");
	free(s);
}

static void
test_decode(void **state)
{
	char *s;
	size_t len;

	(void)state;
	s = uri_decode("a%20b+c%2f%zz%4", 15, &len);
	assert_string_equal(s, "a b+c/%zz%4");
	assert_int_equal(len, 11);
	free(s);
	s = uri_decode("x%00y%", 6, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(s, "x\0y%", 4);
	free(s);
	s = uri_decode("%E1%88%b4", 9, NULL);
	assert_string_equal(s, "\xe1\x88\xb4");
	free(s);
}

static void
test_query_string(void **state)
{
	struct uri_query q;
	char *s;

	(void)state;
	uri_query_init(&q);
	s = uri_query_string(&q);
	assert_string_equal(s, "");
	free(s);
	uri_query_add(&q, "position", "ab+c=");
	uri_query_add(&q, "limit", "500");
	uri_query_add(&q, "embed", "methods");
	uri_query_add(&q, "a-b", "1");
	uri_query_add(&q, "a", "z");
	uri_query_add(&q, "a", "y y");
	uri_query_add(&q, "k", NULL);
	s = uri_query_string(&q);
	assert_string_equal(s, "a=y%20y&a=z&a-b=1&embed=methods&k=&limit=500"
			       "&position=ab%2Bc%3D");
	free(s);
	uri_query_free(&q);
	uri_query_free(NULL);
}

static void
test_query_form(void **state)
{
	struct uri_query q;
	char *s;

	(void)state;
	uri_query_init(&q);
	uri_query_add(&q, "Action", "AssumeRole");
	uri_query_add(&q, "Version", "2011-06-15");
	uri_query_add(&q, "RoleArn", "arn:aws:iam::123456789012:role/demo");
	uri_query_add(&q, "RoleSessionName", "apilogs session~*");
	s = uri_query_form(&q);
	/* Python's urllib.parse.urlencode() gives the same bytes. */
	assert_string_equal(s, "Action=AssumeRole&Version=2011-06-15&RoleArn="
			       "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
			       "&RoleSessionName=apilogs+session~%2A");
	free(s);
	uri_query_free(&q);
}

static void
test_parse_url_good(void **state)
{
	static const struct {
		const char *url, *scheme, *host;
		int port;
		const char *path, *host_header;
	} c[] = {
	    {"https://logs.us-east-1.amazonaws.com", "https",
		"logs.us-east-1.amazonaws.com", 443, "",
		"logs.us-east-1.amazonaws.com"},
	    {"http://127.0.0.1:4566/", "http", "127.0.0.1", 4566, "",
		"127.0.0.1:4566"},
	    {"http://[::1]:9000/base", "http", "::1", 9000, "/base",
		"[::1]:9000"},
	    {"http://[::1]/", "http", "::1", 80, "", "[::1]"},
	    {"HTTPS://Example.COM:443/a/b/", "https", "example.com", 443,
		"/a/b", "example.com"},
	    {"http://localhost:80", "http", "localhost", 80, "", "localhost"},
	    {"https://h:8443/x%20y//", "https", "h", 8443, "/x%20y", "h:8443"},
	    {"http://[fd00:ec2::254]", "http", "fd00:ec2::254", 80, "",
		"[fd00:ec2::254]"},
	};
	struct uri_url u;
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		if (uri_parse_url(c[i].url, &u, &cause) != 0)
			fail_msg("%s: %s", c[i].url, cause);
		assert_string_equal(u.scheme, c[i].scheme);
		assert_string_equal(u.host, c[i].host);
		assert_int_equal(u.port, c[i].port);
		assert_string_equal(u.path, c[i].path);
		assert_string_equal(u.host_header, c[i].host_header);
		uri_url_free(&u);
	}
	uri_url_free(NULL);
}

static void
test_parse_url_bad(void **state)
{
	static const struct {
		const char *url, *want;
	} c[] = {
	    {"logs.us-east-1.amazonaws.com", "no scheme"},
	    {"://h", "no scheme"},
	    {"ftp://h", "unsupported scheme 'ftp'"},
	    {"http://", "empty host"},
	    {"http:///x", "empty host"},
	    {"http://:80", "empty host"},
	    {"http://h:0", "bad port '0'"},
	    {"http://h:65536", "bad port '65536'"},
	    {"http://h:abc", "bad port 'abc'"},
	    {"http://h:80x", "bad port '80x'"},
	    {"http://h:+80", "bad port"},
	    {"http://h:", "empty port"},
	    {"http://h:1:2", "bad port"},
	    {"http://user:pw@h", "user info"},
	    {"http://h@", "user info"},
	    {"http://h/?x=1", "query or fragment"},
	    {"http://h?x=1", "query or fragment"},
	    {"http://h#f", "query or fragment"},
	    {"http://h/a#f", "query or fragment"},
	    {"http://h/a b", "spaces"},
	    {"http://h /", "spaces"},
	    {" http://h", "spaces"},
	    {"http://h\t", "spaces"},
	    {"http://h\xc3\xa9", "non-ASCII"},
	    {"http://[::1", "unterminated IPv6"},
	    {"http://[]:80", "empty IPv6"},
	    {"http://[::1]x", "after IPv6"},
	    {"http://[g::1]", "in IPv6"},
	    {"http://[1]", "invalid IPv6"},
	    {"http://h_a!b", "invalid character '!' in host"},
	    {"http://h/%zz", "percent escape"},
	    {"http://h/a%2", "percent escape"},
	    {"http://h/a\"b", "invalid character"},
	    {"", "no scheme"},
	};
	struct uri_url u;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		cause = NULL;
		if (uri_parse_url(c[i].url, &u, &cause) != -1)
			fail_msg("%s: accepted", c[i].url);
		if (cause == NULL || strstr(cause, c[i].want) == NULL)
			fail_msg("%s: cause '%s', want '%s'", c[i].url,
			    cause == NULL ? "(null)" : cause, c[i].want);
		assert_null(u.host);
		assert_null(u.scheme);
		free(cause);
	}
}

/* Messages never show the password of an endpoint URL. */
static void
test_redact_password(void **state)
{
	static const struct {
		const char *in, *want;
	} c[] = {
	    {"http://user:pw@host:9/p", "http://user:<redacted>@host:9/p"},
	    {"https://u:p@ss:w@rd@h", "https://u:<redacted>@h"},
	    {"http://user@host/", "http://user@host/"},
	    {"http://host:9/a@b", "http://host:9/a@b"},
	    {"http://:secret@h?q@x", "http://:<redacted>@h?q@x"},
	    {"no scheme:pw@h", "no scheme:pw@h"},
	    {"", ""},
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		s = uri_redact_password(c[i].in);
		assert_string_equal(s, c[i].want);
		free(s);
	}
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_redact_password),
    cmocka_unit_test(test_encode),
    cmocka_unit_test(test_decode),
    cmocka_unit_test(test_query_string),
    cmocka_unit_test(test_query_form),
    cmocka_unit_test(test_parse_url_good),
    cmocka_unit_test(test_parse_url_bad),
};

TEST_MAIN(tests)
