/* SPDX-License-Identifier: Apache-2.0 */
/* ~/.aws/cli/cache: keys like botocore, entries like the AWS CLI. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "aws/cred.h"
#include "aws/creds/credcache.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/jsonw.h"
#include "core/xmalloc.h"

#define CREDCACHE_MAX_FILE (1024 * 1024)

static int
credcache_cmp(const void *a, const void *b)
{
	const struct credcache_arg *x = a, *y = b;

	return (strcmp(x->name, y->name));
}

/* json.dumps(args, sort_keys=True[, separators=(',', ':')]). */
char *
credcache_args_json(const struct credcache_arg *args, size_t n, int compact)
{
	struct credcache_arg *sorted;
	struct jsonw w;
	struct buf b;
	size_t i;

	sorted = xcalloc(n + 1, sizeof *sorted);
	memcpy(sorted, args, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, credcache_cmp);
	buf_init(&b, BUF_NOCAP);
	jsonw_init_flags(&w, &b, JSONW_ASCII | (compact ? 0 : JSONW_SPACED));
	jsonw_object(&w);
	for (i = 0; i < n; i++) {
		jsonw_key(&w, sorted[i].name);
		if (sorted[i].str != NULL)
			jsonw_stringz(&w, sorted[i].str);
		else
			jsonw_int(&w, sorted[i].num);
	}
	jsonw_end(&w);
	free(sorted);
	return (buf_take(&b, NULL));
}

/* SHA-1 hex of a string. */
char *
credcache_sha1_hex(const char *s)
{
	unsigned char md[SHA_DIGEST_LENGTH];
	char *hex;
	size_t i;

	SHA1((const unsigned char *)s, strlen(s), md);
	hex = xmalloc(2 * SHA_DIGEST_LENGTH + 1);
	for (i = 0; i < SHA_DIGEST_LENGTH; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return (hex);
}

/* The cache key of a set of arguments. */
char *
credcache_key(const struct credcache_arg *args, size_t n, int compact)
{
	char *json, *key;

	json = credcache_args_json(args, n, compact);
	key = credcache_sha1_hex(json);
	OPENSSL_cleanse(json, strlen(json));
	free(json);
	return (key);
}

/* The file of a key. */
char *
credcache_path(const char *key)
{
	char *dir, *path;

	dir = file_expand_path("~/.aws/cli/cache");
	path = xprintf("%s/%s.json", dir, key);
	free(dir);
	return (path);
}

/* Load a fresh cache entry. */
int
credcache_load(const char *key, int64_t now_ms, struct aws_creds *out)
{
	struct buf b;
	json_t *j = NULL, *c;
	const char *ak, *sk, *tok, *exp, *acct;
	char *path, *cause = NULL;
	int64_t ms;
	int missing, rc = 1;

	path = credcache_path(key);
	buf_init(&b, CREDCACHE_MAX_FILE);
	if (file_read(path, &b, &missing, &cause) != 0 || missing)
		goto out;
	j = json_loadb(buf_str(&b), b.len, 0, NULL);
	c = json_object_get(j, "Credentials");
	ak = json_string_value(json_object_get(c, "AccessKeyId"));
	sk = json_string_value(json_object_get(c, "SecretAccessKey"));
	tok = json_string_value(json_object_get(c, "SessionToken"));
	exp = json_string_value(json_object_get(c, "Expiration"));
	acct = json_string_value(json_object_get(c, "AccountId"));
	if (ak == NULL || sk == NULL || exp == NULL ||
	    cred_time_parse(exp, &ms) != 0 || ms - now_ms < CREDCACHE_WINDOW_MS)
		goto out;
	cred_set(out, ak, sk, tok, acct);
	out->expires_ms = ms;
	rc = 0;
out:
	if (j != NULL)
		json_decref(j);
	free(cause);
	file_wipe(&b);
	free(path);
	return (rc);
}

/* A string member. */
static void
credcache_member(struct jsonw *w, const char *key, const char *v)
{
	jsonw_key(w, key);
	jsonw_stringz(w, v);
}

/*
 * Write a cache entry: the layout jansson's json_dumps (and the AWS CLI)
 * give, {"a": "b", "c": {...}}. The text holds secrets: it is written in
 * one reserved buffer and wiped.
 */
int
credcache_store(const char *key, const struct credcache_entry *e, char **cause)
{
	const struct aws_creds *c = e->creds;
	struct jsonw w;
	struct buf b;
	char *path, *exp;
	int rc;

	exp = cred_time_format(c->expires_ms, e->exp_suffix);
	buf_init(&b, BUF_NOCAP);
	buf_reserve(&b,
	    4096 +
		(c->session_token != NULL ? 2 * strlen(c->session_token) : 0));
	jsonw_init_flags(&w, &b, JSONW_SPACED);
	jsonw_object(&w);
	if (e->provider_type != NULL)
		credcache_member(&w, "ProviderType", e->provider_type);
	jsonw_key(&w, "Credentials");
	jsonw_object(&w);
	credcache_member(&w, "AccessKeyId", c->access_key);
	credcache_member(&w, "SecretAccessKey", c->secret_key);
	credcache_member(&w, "SessionToken",
	    c->session_token != NULL ? c->session_token : "");
	credcache_member(&w, "Expiration", exp);
	if (c->account_id != NULL)
		credcache_member(&w, "AccountId", c->account_id);
	jsonw_end(&w);
	if (e->role_arn != NULL) {
		jsonw_key(&w, "AssumedRoleUser");
		jsonw_object(&w);
		if (e->role_id != NULL)
			credcache_member(&w, "AssumedRoleId", e->role_id);
		credcache_member(&w, "Arn", e->role_arn);
		jsonw_end(&w);
	}
	jsonw_end(&w);
	path = credcache_path(key);
	rc = file_write_private(path, b.data, b.len, cause);
	file_wipe(&b);
	free(path);
	free(exp);
	return (rc);
}
