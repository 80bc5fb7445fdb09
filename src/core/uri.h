/* SPDX-License-Identifier: Apache-2.0 */
/*
 * URI helpers for building AWS requests: RFC 3986 percent-encoding as SigV4
 * and the rest-json serializers want it (only A-Za-z0-9-._~ unescaped), a
 * sorted query-string builder, form bodies for the STS query protocol, and
 * a strict endpoint URL parser.
 */
#ifndef APILOGS_URI_H
#define APILOGS_URI_H

#include <stddef.h>

/*
 * Percent-encode len bytes of s, leaving A-Za-z0-9-._~ (and '/' when
 * keep_slash) as they are; hex digits are upper case. Caller frees with
 * free().
 */
char *uri_encode(const char *s, size_t len, int keep_slash);

/*
 * Decode %XX escapes in len bytes of s. '+' stays '+'; a '%' not followed
 * by two hex digits is kept as it is. The result is NUL-terminated but may
 * hold NUL bytes; its length goes to *outlen when outlen is not NULL.
 * Caller frees with free().
 */
char *uri_decode(const char *s, size_t len, size_t *outlen);

struct uri_pair {
	char *key;   /* decoded */
	char *value; /* decoded; "" for a valueless key */
};

/* Query or form parameters, kept in the order they were added. */
struct uri_query {
	struct uri_pair *pairs;
	size_t n;
	size_t size;
};

void uri_query_init(struct uri_query *);
/* Order two struct uri_pair by key, then by value (for qsort). */
int uri_pair_cmp(const void *, const void *);
/* Add a decoded key and value (NULL value means ""); both are copied. */
void uri_query_add(struct uri_query *, const char *key, const char *value);
/*
 * The wire query "k=v&k2=v2" (no '?'): keys and values percent-encoded,
 * sorted by encoded key then encoded value, as SigV4 canonicalises it.
 * "" when empty. Caller frees with free().
 */
char *uri_query_string(const struct uri_query *);
/*
 * An application/x-www-form-urlencoded body ("Action=AssumeRole&..."), in
 * the order added, with ' ' as '+'. Caller frees with free().
 */
char *uri_query_form(const struct uri_query *);
/* Free the pairs; the query can be reused after uri_query_init. */
void uri_query_free(struct uri_query *);

/* An endpoint URL split into parts; every string is owned. */
struct uri_url {
	char *scheme;      /* "http" or "https" */
	char *host;        /* lower case; IPv6 without brackets */
	int port;          /* explicit or the scheme default */
	char *path;        /* base path, no trailing '/'; "" for the root */
	char *host_header; /* host[:port], port only when not default */
};

/*
 * Parse an endpoint URL such as "https://logs.us-east-1.amazonaws.com" or
 * "http://[::1]:9000/base". Rejects other schemes, user info, queries,
 * fragments, bad ports, empty hosts, spaces and control characters. On
 * success fill *out (free with uri_url_free()) and return 0; on error
 * return -1 with *cause set (caller frees).
 */
int uri_parse_url(const char *url, struct uri_url *out, char **cause);
/* Free the parts of a parsed URL. Accepts NULL. */
void uri_url_free(struct uri_url *);
/*
 * url with the password of its user info replaced by "<redacted>"
 * ("http://user:<redacted>@host/"), for messages; other text is kept as it
 * is. Caller frees with free().
 */
char *uri_redact_password(const char *url);

#endif
