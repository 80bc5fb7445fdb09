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
#include "core/xmalloc.h"

#define CREDCACHE_MAX_FILE (1024 * 1024)

/* Decode one UTF-8 sequence at *p; invalid bytes decode as themselves. */
static unsigned long
credcache_utf8(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned long cp;
	int n, i;

	if (s[0] < 0x80) {
		*p += 1;
		return (s[0]);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 1;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 2;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 3;
		cp = s[0] & 0x07;
	} else {
		*p += 1;
		return (s[0]);
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p += 1;
			return (s[0]);
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p += n + 1;
	return (cp);
}

/* A JSON string as Python's json.dumps(ensure_ascii=True) writes it. */
static void
credcache_pystr(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;

	buf_putc(b, '"');
	while (*p != '\0') {
		cp = credcache_utf8(&p);
		switch (cp) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\b':
			buf_puts(b, "\\b");
			break;
		case '\f':
			buf_puts(b, "\\f");
			break;
		default:
			if (cp >= 0x20 && cp <= 0x7e)
				buf_putc(b, (char)cp);
			else if (cp >= 0x10000) {
				cp -= 0x10000;
				buf_putf(b, "\\u%04lx\\u%04lx",
				    0xd800 | (cp >> 10), 0xdc00 | (cp & 0x3ff));
			} else
				buf_putf(b, "\\u%04lx", cp);
		}
	}
	buf_putc(b, '"');
}

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
	struct buf b;
	size_t i;

	sorted = xcalloc(n + 1, sizeof *sorted);
	memcpy(sorted, args, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, credcache_cmp);
	buf_init(&b, BUF_NOCAP);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, compact ? "," : ", ");
		credcache_pystr(&b, sorted[i].name);
		buf_puts(&b, compact ? ":" : ": ");
		if (sorted[i].str != NULL)
			credcache_pystr(&b, sorted[i].str);
		else
			buf_putf(&b, "%lld", sorted[i].num);
	}
	buf_putc(&b, '}');
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

/* Write a cache entry. */
int
credcache_store(const char *key, const struct credcache_entry *e, char **cause)
{
	json_t *root, *c, *u;
	char *path, *exp, *text;
	int rc;

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
	json_object_set_new(c, "SessionToken",
	    json_string(e->creds->session_token != NULL
			    ? e->creds->session_token
			    : ""));
	json_object_set_new(c, "Expiration", json_string(exp));
	if (e->creds->account_id != NULL)
		json_object_set_new(
		    c, "AccountId", json_string(e->creds->account_id));
	json_object_set_new(root, "Credentials", c);
	if (e->role_arn != NULL) {
		u = json_object();
		if (e->role_id != NULL)
			json_object_set_new(
			    u, "AssumedRoleId", json_string(e->role_id));
		json_object_set_new(u, "Arn", json_string(e->role_arn));
		json_object_set_new(root, "AssumedRoleUser", u);
	}
	text = json_dumps(root, JSON_PRESERVE_ORDER);
	json_decref(root);
	path = credcache_path(key);
	rc = file_write_private(path, text, strlen(text), cause);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	free(path);
	free(exp);
	return (rc);
}
