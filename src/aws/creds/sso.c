/* SPDX-License-Identifier: Apache-2.0 */
/* SSO: cached access token and GetRoleCredentials. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/creds/credcache.h"
#include "aws/creds/sso.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/uri.h"
#include "core/xmalloc.h"

#define SSO_MAX_FILE (1024 * 1024)

/* The advice every token problem ends with. */
static char *
sso_login_hint(const struct sso_profile *p, const char *what)
{
	return (
	    xprintf("%s: run `aws sso login --profile %s`", what, p->profile));
}

/* Read the access token from the SSO token cache. */
int
sso_token(
    const struct sso_profile *p, int64_t now_ms, char **token, char **cause)
{
	struct buf b;
	json_t *j = NULL;
	const char *tok, *exp, *name;
	char *key, *dir, *path, *what, *why = NULL;
	int64_t ms;
	int missing, rc = -1;

	*token = NULL;
	name = p->session != NULL ? p->session : p->start_url;
	key = credcache_sha1_hex(name);
	dir = file_expand_path("~/.aws/sso/cache");
	path = xprintf("%s/%s.json", dir, key);
	buf_init(&b, SSO_MAX_FILE);
	if (file_read(path, &b, &missing, &why) != 0) {
		*cause = xprintf("SSO token cache: %s", why);
		goto out;
	}
	if (missing) {
		what = xprintf("no SSO token for %s %s",
		    p->session != NULL ? "sso-session" : "start URL", name);
		*cause = sso_login_hint(p, what);
		free(what);
		goto out;
	}
	j = json_loadb(buf_str(&b), b.len, 0, NULL);
	tok = json_string_value(json_object_get(j, "accessToken"));
	exp = json_string_value(json_object_get(j, "expiresAt"));
	if (tok == NULL || exp == NULL || cred_time_parse(exp, &ms) != 0) {
		what = xprintf("the SSO token in %s is invalid", path);
		*cause = sso_login_hint(p, what);
		free(what);
		goto out;
	}
	if (ms <= now_ms) {
		what = xprintf("the SSO token for %s %s has expired",
		    p->session != NULL ? "sso-session" : "start URL", name);
		*cause = sso_login_hint(p, what);
		free(what);
		goto out;
	}
	*token = xstrdup(tok);
	rc = 0;
out:
	if (j != NULL)
		json_decref(j);
	free(why);
	file_wipe(&b);
	free(path);
	free(dir);
	free(key);
	return (rc);
}

/* The CLI cache key of the role credentials (compact JSON). */
char *
sso_cache_key(const struct sso_profile *p)
{
	struct credcache_arg a[3];

	memset(a, 0, sizeof a);
	a[0].name = "roleName";
	a[0].str = p->role_name;
	a[1].name = "accountId";
	a[1].str = p->account_id;
	if (p->session != NULL) {
		a[2].name = "sessionName";
		a[2].str = p->session;
	} else {
		a[2].name = "startUrl";
		a[2].str = p->start_url;
	}
	return (credcache_key(a, 3, 1));
}

/* Parse the GetRoleCredentials response. */
static int
sso_parse(const struct sso_profile *p, const struct buf *body,
    struct aws_creds *out, char **cause)
{
	json_t *j, *rc;
	const char *ak, *sk, *tok;
	json_t *exp;

	j = json_loadb(buf_str(body), body->len, 0, NULL);
	rc = json_object_get(j, "roleCredentials");
	ak = json_string_value(json_object_get(rc, "accessKeyId"));
	sk = json_string_value(json_object_get(rc, "secretAccessKey"));
	tok = json_string_value(json_object_get(rc, "sessionToken"));
	exp = json_object_get(rc, "expiration");
	if (ak == NULL || sk == NULL || !json_is_integer(exp)) {
		*cause = xprintf("GetRoleCredentials for %s in %s: malformed "
				 "response",
		    p->role_name, p->account_id);
		if (j != NULL)
			json_decref(j);
		return (-1);
	}
	cred_set(out, ak, sk, tok, p->account_id);
	out->expires_ms = (int64_t)json_integer_value(exp);
	json_decref(j);
	return (0);
}

struct sso_op {
	struct aws_ctx ctx;
	struct aws_client *client;
	struct aws_op *call;
	struct sso_profile p; /* strings owned */
	cred_done_cb done;
	void *arg;
};

/* Free an op, cancelling its call. */
static void
sso_op_free(struct sso_op *op)
{
	aws_op_cancel(op->call);
	aws_client_free(op->client);
	free((char *)op->p.profile);
	free((char *)op->p.region);
	free((char *)op->p.account_id);
	free((char *)op->p.role_name);
	free(op);
}

/* Cancel a call; see sso.h. */
void
sso_op_cancel(struct sso_op *op)
{
	if (op != NULL)
		sso_op_free(op);
}

/* The portal answered (or the call failed after its retries). */
static void
sso_on_result(struct aws_result *res, void *arg)
{
	struct sso_op *op = arg;
	const struct sso_profile *p = &op->p;
	struct aws_creds c;
	char *cause = NULL, *why;
	int rc = -1;

	op->call = NULL;
	memset(&c, 0, sizeof c);
	if (res->status == AWS_OK)
		rc = sso_parse(p, &res->body, &c, &cause);
	else if (res->status == AWS_ERR_SERVICE &&
		 (res->http_status == 401 ||
		     (res->code != NULL &&
			 strcmp(res->code, "UnauthorizedException") == 0)))
		cause = sso_login_hint(
		    p, "the SSO session has expired or is otherwise invalid");
	else {
		why = aws_result_describe(res);
		cause = xprintf("GetRoleCredentials for %s in %s: %s",
		    p->role_name, p->account_id, why);
		free(why);
	}
	if (res->body.data != NULL)
		OPENSSL_cleanse(res->body.data, res->body.len);
	op->done(op->arg, rc, &c, cause);
	cred_clear(&c);
	free(cause);
	sso_op_free(op);
}

/* Start GetRoleCredentials; see sso.h. */
int
sso_role_credentials_start(const struct aws_ctx *ctx, const char *endpoint,
    const struct sso_profile *p, const char *token, cred_done_cb done,
    void *arg, struct sso_op **out, char **cause)
{
	struct sso_op *op;
	struct aws_call call;
	struct uri_query q;
	const char *hdrs[2], *secrets[2] = {NULL, NULL};
	char *query, *hdr;

	*out = NULL;
	op = xcalloc(1, sizeof *op);
	op->ctx = *ctx;
	op->p.profile = xstrdup(p->profile);
	op->p.region = xstrdup(p->region);
	op->p.account_id = xstrdup(p->account_id);
	op->p.role_name = xstrdup(p->role_name);
	op->done = done;
	op->arg = arg;
	if (aws_client_new(&op->client, &op->ctx, AWS_SSO, p->region, endpoint,
		cause) != 0) {
		sso_op_free(op);
		return (-1);
	}
	uri_query_init(&q);
	uri_query_add(&q, "role_name", p->role_name);
	uri_query_add(&q, "account_id", p->account_id);
	query = uri_query_string(&q);
	uri_query_free(&q);
	hdr = xprintf("x-amz-sso_bearer_token: %s", token);
	hdrs[0] = hdr;
	hdrs[1] = NULL;
	memset(&call, 0, sizeof call);
	call.op = "GetRoleCredentials";
	call.method = "GET";
	call.path = "/federation/credentials";
	call.query = query;
	call.headers = hdrs;
	call.flags = AWS_CALL_UNSIGNED;
	secrets[0] = token;
	call.secrets = secrets;
	op->call = aws_call_async(op->client, &call, sso_on_result, op);
	OPENSSL_cleanse(hdr, strlen(hdr));
	free(hdr);
	free(query);
	*out = op;
	return (0);
}
