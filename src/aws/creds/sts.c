/* SPDX-License-Identifier: Apache-2.0 */
/* STS AssumeRole / AssumeRoleWithWebIdentity (query protocol). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/creds/sts.h"
#include "core/uri.h"
#include "core/xmalloc.h"
#include "core/xmltag.h"

/* The form body of the call. Caller frees (it may hold secrets). */
static char *
sts_body(const struct sts_request *r, const char *action)
{
	struct uri_query q;
	char num[32], *body;

	uri_query_init(&q);
	uri_query_add(&q, "Action", action);
	uri_query_add(&q, "Version", "2011-06-15");
	uri_query_add(&q, "RoleArn", r->role_arn);
	uri_query_add(&q, "RoleSessionName", r->session_name);
	if (r->has_duration) {
		snprintf(num, sizeof num, "%d", r->duration);
		uri_query_add(&q, "DurationSeconds", num);
	}
	if (r->web_identity != NULL)
		uri_query_add(&q, "WebIdentityToken", r->web_identity);
	if (r->external_id != NULL)
		uri_query_add(&q, "ExternalId", r->external_id);
	if (r->serial != NULL) {
		uri_query_add(&q, "SerialNumber", r->serial);
		if (r->token_code != NULL)
			uri_query_add(&q, "TokenCode", r->token_code);
	}
	body = uri_query_form(&q);
	uri_query_free(&q);
	return (body);
}

/* The account id field of an ARN (arn:partition:service:region:acct:...). */
static char *
sts_arn_account(const char *arn)
{
	const char *p = arn;
	size_t i, n;

	if (arn == NULL || strncmp(arn, "arn:", 4) != 0)
		return (NULL);
	for (i = 0; i < 4; i++) {
		p = strchr(p, ':');
		if (p == NULL)
			return (NULL);
		p++;
	}
	n = strcspn(p, ":");
	if (n == 0 || p[n] != ':')
		return (NULL);
	return (xstrndup(p, n));
}

/* Wipe and free a string. */
static void
sts_wipe(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* Pull the credentials out of the XML response. */
static int
sts_parse(const char *action, const struct buf *body, struct sts_result *out,
    char **cause)
{
	char path[128], *v[4] = {NULL, NULL, NULL, NULL};
	char *acct = NULL;
	static const char *keys[] = {
	    "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"};
	size_t i;
	int64_t ms;
	int rc = -1;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%sResult/Credentials/%s", action,
		    keys[i]);
		v[i] = xmltag_get(buf_str(body), body->len, path);
		if (v[i] == NULL) {
			*cause = xprintf(
			    "%s: the response has no %s", action, keys[i]);
			goto out;
		}
	}
	if (cred_time_parse(v[3], &ms) != 0) {
		*cause = xprintf("%s: bad Expiration in the response", action);
		goto out;
	}
	snprintf(path, sizeof path, "%sResult/AssumedRoleUser/Arn", action);
	out->role_arn = xmltag_get(buf_str(body), body->len, path);
	snprintf(path, sizeof path, "%sResult/AssumedRoleUser/AssumedRoleId",
	    action);
	out->role_id = xmltag_get(buf_str(body), body->len, path);
	acct = sts_arn_account(out->role_arn);
	cred_set(&out->creds, v[0], v[1], v[2], acct);
	out->creds.expires_ms = ms;
	rc = 0;
out:
	for (i = 0; i < 4; i++)
		sts_wipe(v[i]);
	free(acct);
	return (rc);
}

struct sts_op {
	struct aws_ctx ctx;
	struct aws_client *client;
	struct aws_op *call;
	char *action; /* static in practice; copied for simplicity */
	char *role_arn;
	sts_done_cb done;
	void *arg;
};

/* Free an op, cancelling its call. */
static void
sts_op_free(struct sts_op *op)
{
	aws_op_cancel(op->call);
	aws_client_free(op->client);
	free(op->action);
	free(op->role_arn);
	free(op);
}

/* Cancel a call; see sts.h. */
void
sts_op_cancel(struct sts_op *op)
{
	if (op != NULL)
		sts_op_free(op);
}

/* STS answered (or the call failed after its retries). */
static void
sts_on_result(struct aws_result *res, void *arg)
{
	struct sts_op *op = arg;
	struct sts_result out;
	char *cause = NULL, *why;

	op->call = NULL;
	memset(&out, 0, sizeof out);
	if (res->status != AWS_OK) {
		if (res->status == AWS_ERR_CREDS)
			cause = xstrdup(res->message != NULL
					    ? res->message
					    : "no source credentials");
		else {
			why = aws_result_describe(res);
			cause =
			    xprintf("%s %s: %s", op->action, op->role_arn, why);
			free(why);
		}
	} else if (sts_parse(op->action, &res->body, &out, &cause) != 0)
		sts_result_free(&out);
	if (res->body.data != NULL)
		OPENSSL_cleanse(res->body.data, res->body.len);
	op->done(op->arg, cause == NULL ? &out : NULL, cause);
	sts_result_free(&out);
	free(cause);
	sts_op_free(op);
}

/* Start a call; see sts.h. */
int
sts_assume_start(const struct aws_ctx *ctx, const char *region,
    const char *endpoint, const struct sts_request *r, sts_done_cb done,
    void *arg, struct sts_op **out, char **cause)
{
	struct sts_op *op;
	struct aws_call call;
	const char *action, *secrets[3] = {NULL, NULL, NULL};
	char *body, *enc = NULL;

	*out = NULL;
	action = r->web_identity != NULL ? "AssumeRoleWithWebIdentity"
					 : "AssumeRole";
	op = xcalloc(1, sizeof *op);
	op->ctx = *ctx;
	op->action = xstrdup(action);
	op->role_arn = xstrdup(r->role_arn);
	op->done = done;
	op->arg = arg;
	if (aws_client_new(
		&op->client, &op->ctx, AWS_STS, region, endpoint, cause) != 0) {
		sts_op_free(op);
		return (-1);
	}
	body = sts_body(r, action);
	memset(&call, 0, sizeof call);
	call.op = action;
	call.method = "POST";
	call.path = "/";
	call.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	call.body = body;
	call.body_len = strlen(body);
	call.flags = r->web_identity != NULL ? AWS_CALL_UNSIGNED : 0;
	if (r->web_identity != NULL) {
		/* An echoed body shows the token form-encoded. */
		enc = uri_encode(r->web_identity, strlen(r->web_identity), 0);
		secrets[0] = r->web_identity;
		secrets[1] = enc;
		call.secrets = secrets;
	}
	call.max_body = 1024 * 1024;
	op->call = aws_call_async(op->client, &call, sts_on_result, op);
	sts_wipe(body);
	sts_wipe(enc);
	*out = op;
	return (0);
}

/* Free a result, wiping its secrets. Accepts NULL. */
void
sts_result_free(struct sts_result *r)
{
	if (r == NULL)
		return;
	cred_clear(&r->creds);
	free(r->role_arn);
	free(r->role_id);
	r->role_arn = r->role_id = NULL;
}
