/* SPDX-License-Identifier: Apache-2.0 */
/* EC2 instance metadata: IMDSv2 tokens, role credentials, region. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/credsnet.h"
#include "aws/imds.h"
#include "aws/loop.h"
#include "core/uri.h"
#include "core/xmalloc.h"

#define IMDS_TOKEN_TTL "21600"
#define IMDS_ROLE_PATH "latest/meta-data/iam/security-credentials/"
#define IMDS_AZ_PATH "latest/meta-data/placement/availability-zone/"

/* The request an op sends next. */
enum imds_phase {
	IMDS_TOKEN, /* PUT latest/api/token */
	IMDS_ROLE,  /* GET the role name */
	IMDS_CREDS, /* GET the role's credentials (JSON) */
	IMDS_AZ     /* GET the availability zone */
};

typedef void (*imds_region_cb)(
    void *arg, int rc, char *region, const char *cause);

struct imds_op {
	struct credsnet net;
	struct imds_conf ic;
	char *base;
	char *token; /* NULL: IMDSv1 */
	char *role;
	char *path; /* of the GET in flight */
	enum imds_phase phase;
	enum imds_phase after_token; /* IMDS_ROLE or IMDS_AZ */
	int attempt;
	int attempts;
	int unreachable; /* the token request found no route */
	struct credsnet_req *req;
	cred_done_cb done;        /* credentials */
	imds_region_cb region_cb; /* or region */
	void *arg;
};

static void imds_send(struct imds_op *);

/* The base URL, always ending in '/'. */
char *
imds_base_url(const struct imds_conf *ic)
{
	const char *base;
	size_t len;

	if (ic->endpoint != NULL && *ic->endpoint != '\0')
		base = ic->endpoint;
	else if (ic->ipv6)
		base = "http://[fd00:ec2::254]/";
	else
		base = "http://169.254.169.254/";
	len = strlen(base);
	return (
	    xprintf("%s%s", base, len > 0 && base[len - 1] == '/' ? "" : "/"));
}

/* Wipe and free a token or body. */
static void
imds_wipe(char *s)
{
	if (s != NULL) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* Free an op (its request already gone or cancelled here). */
static void
imds_op_free(struct imds_op *op)
{
	credsnet_cancel(op->req);
	imds_wipe(op->token);
	free(op->role);
	free(op->path);
	free(op->base);
	free(op);
}

/* End a lookup: tell the owner, then free the op. */
static void
imds_finish(struct imds_op *op, int rc, struct aws_creds *c, char *region,
    const char *cause)
{
	op->req = NULL;
	if (op->done != NULL)
		op->done(op->arg, rc, c, cause);
	else
		op->region_cb(op->arg, rc, region, cause);
	imds_op_free(op);
}

/* Cancel a lookup; see imds.h. */
void
imds_op_cancel(struct imds_op *op)
{
	if (op != NULL)
		imds_op_free(op);
}

/* Parse the role's credentials and end the lookup. */
static void
imds_got_creds(struct imds_op *op, const char *body)
{
	struct aws_creds c;
	json_t *j;
	const char *ak, *sk, *tok, *exp;
	int64_t ms;

	memset(&c, 0, sizeof c);
	j = json_loads(body, 0, NULL);
	ak = json_string_value(json_object_get(j, "AccessKeyId"));
	sk = json_string_value(json_object_get(j, "SecretAccessKey"));
	tok = json_string_value(json_object_get(j, "Token"));
	exp = json_string_value(json_object_get(j, "Expiration"));
	if (ak == NULL || sk == NULL || tok == NULL || exp == NULL ||
	    cred_time_parse(exp, &ms) != 0) {
		credsnet_trace(&op->net, 2,
		    "imds: role %s: no usable credentials", op->role);
		if (j != NULL)
			json_decref(j);
		imds_finish(op, 1, NULL, NULL, NULL);
		return;
	}
	cred_set(&c, ak, sk, tok, NULL);
	c.expires_ms = ms;
	json_decref(j);
	credsnet_trace(&op->net, 2, "imds: credentials of role %s", op->role);
	imds_finish(op, 0, &c, NULL, NULL);
	cred_clear(&c);
}

/* The availability zone answered: the region is the zone minus a letter. */
static void
imds_got_az(struct imds_op *op, char *az)
{
	size_t len;

	az[strcspn(az, "\r\n")] = '\0';
	len = strlen(az);
	if (len < 2) {
		imds_finish(op, 1, NULL, NULL, NULL);
		return;
	}
	az[len - 1] = '\0';
	imds_finish(op, 0, NULL, az, NULL);
}

/* Move to the GET after the token (or end the lookup). */
static void
imds_token_done(struct imds_op *op)
{
	if (op->unreachable) {
		imds_finish(op, 1, NULL, NULL, NULL);
		return;
	}
	if (op->token == NULL && op->ic.v1_disabled) {
		imds_finish(op, -1, NULL, NULL,
		    "unable to get an IMDSv2 token and IMDSv1 is disabled "
		    "(AWS_EC2_METADATA_V1_DISABLED)");
		return;
	}
	op->phase = op->after_token;
	op->attempt = 0;
	imds_send(op);
}

/*
 * The token request answered. A read timeout skips to IMDSv1 (as
 * botocore does); no route on the last attempt, or a 400, means IMDS is
 * not there; 403, 404 and 405 mean IMDSv1.
 */
static void
imds_on_token(struct imds_op *op, struct http_response *r)
{
	if (r->err != HTTP_OK) {
		credsnet_trace(&op->net, 2, "imds: token: %s", r->errmsg);
		if (r->err == HTTP_ERR_TIMEOUT) {
			imds_token_done(op);
			return;
		}
		if (r->err == HTTP_ERR_CONNECT &&
		    op->attempt + 1 >= op->attempts)
			op->unreachable = 1;
	} else if (r->status == 200) {
		/* An empty token counts as none (IMDSv1). */
		if (r->body.len > 0)
			op->token = buf_take(&r->body, NULL);
		imds_token_done(op);
		return;
	} else {
		credsnet_trace(&op->net, 2, "imds: token: HTTP %ld", r->status);
		if (r->status == 400)
			op->unreachable = 1;
		if (r->status == 400 || r->status == 403 || r->status == 404 ||
		    r->status == 405) {
			imds_token_done(op);
			return;
		}
	}
	if (++op->attempt < op->attempts)
		imds_send(op);
	else
		imds_token_done(op);
}

/* A GET answered: retry a failed, empty or (for credentials) non-JSON
 * answer; otherwise go on. */
static void
imds_on_get(struct imds_op *op, struct http_response *r)
{
	json_t *j;
	char *body;
	int ok = 0;

	if (r->err != HTTP_OK)
		credsnet_trace(
		    &op->net, 2, "imds: %s: %s", op->path, r->errmsg);
	else if (r->status != 200 || r->body.len == 0)
		credsnet_trace(
		    &op->net, 2, "imds: %s: HTTP %ld", op->path, r->status);
	else if (op->phase == IMDS_CREDS) {
		j = json_loadb(r->body.data, r->body.len, 0, NULL);
		ok = j != NULL;
		if (j != NULL)
			json_decref(j);
	} else
		ok = 1;
	if (!ok) {
		if (++op->attempt < op->attempts)
			imds_send(op);
		else
			imds_finish(op, 1, NULL, NULL, NULL);
		return;
	}
	body = buf_take(&r->body, NULL);
	switch (op->phase) {
	case IMDS_ROLE:
		body[strcspn(body, "\r\n")] = '\0';
		op->role = body;
		op->phase = IMDS_CREDS;
		op->attempt = 0;
		imds_send(op);
		return;
	case IMDS_CREDS:
		imds_got_creds(op, body);
		break;
	default:
		imds_got_az(op, body);
		break;
	}
	imds_wipe(body);
}

/* A request of the op answered. */
static void
imds_on_response(void *arg, struct http_response *r)
{
	struct imds_op *op = arg;

	op->req = NULL;
	if (op->phase == IMDS_TOKEN)
		imds_on_token(op, r);
	else
		imds_on_get(op, r);
}

/* Send the request of the current phase, with IMDS's short timeouts and
 * no proxy. */
static void
imds_send(struct imds_op *op)
{
	struct http_request req;
	const char *hdrs[3], *method = "GET";
	char *url, *hdr = NULL;
	long ms = op->ic.timeout_ms > 0 ? op->ic.timeout_ms : 1000;
	int n = 0;

	free(op->path);
	if (op->phase == IMDS_TOKEN) {
		method = "PUT";
		op->path = xstrdup("latest/api/token");
		hdrs[n++] = "x-aws-ec2-metadata-token-ttl-seconds: "
			    "" IMDS_TOKEN_TTL;
	} else {
		if (op->phase == IMDS_ROLE)
			op->path = xstrdup(IMDS_ROLE_PATH);
		else if (op->phase == IMDS_CREDS)
			op->path = xprintf("%s%s", IMDS_ROLE_PATH, op->role);
		else
			op->path = xstrdup(IMDS_AZ_PATH);
		if (op->token != NULL) {
			hdr =
			    xprintf("x-aws-ec2-metadata-token: %s", op->token);
			hdrs[n++] = hdr;
		}
	}
	hdrs[n++] = "User-Agent: apilogs/" APILOGS_VERSION;
	hdrs[n] = NULL;
	url = xprintf("%s%s", op->base, op->path);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.url = url;
	req.headers = hdrs;
	req.connect_timeout_ms = ms;
	req.read_timeout_ms = ms;
	req.max_body = 64 * 1024;
	req.no_proxy = 1;
	credsnet_trace(&op->net, 3, "imds: %s %s", method, url);
	op->req = credsnet_submit(&op->net, &req, imds_on_response, op);
	imds_wipe(hdr);
	free(url);
}

/* Check the endpoint and start with the token request. */
static int
imds_start(const struct credsnet *net, const struct imds_conf *ic,
    enum imds_phase after_token, struct imds_op **out, char **cause)
{
	struct imds_op *op;
	struct uri_url u;
	char *base, *why = NULL;

	*out = NULL;
	if (ic->disabled)
		return (1);
	base = imds_base_url(ic);
	if (uri_parse_url(base, &u, &why) != 0) {
		free(why);
		*cause = xprintf("invalid EC2 metadata endpoint %s", base);
		free(base);
		return (-1);
	}
	uri_url_free(&u);
	op = xcalloc(1, sizeof *op);
	op->net = *net;
	op->ic = *ic;
	op->base = base;
	op->attempts = ic->attempts > 0 ? ic->attempts : 1;
	op->phase = IMDS_TOKEN;
	op->after_token = after_token;
	*out = op;
	return (0);
}

/* Start the credentials lookup; see imds.h. */
int
imds_credentials_start(const struct credsnet *net, const struct imds_conf *ic,
    cred_done_cb done, void *arg, struct imds_op **out, char **cause)
{
	int rc;

	rc = imds_start(net, ic, IMDS_ROLE, out, cause);
	if (rc != 0)
		return (rc);
	(*out)->done = done;
	(*out)->arg = arg;
	imds_send(*out);
	return (0);
}

struct imds_sync {
	int done;
	int rc;
	char *region;
	char *cause;
};

/* The region lookup ended. */
static void
imds_sync_done(void *arg, int rc, char *region, const char *cause)
{
	struct imds_sync *s = arg;

	s->done = 1;
	s->rc = rc;
	if (region != NULL)
		s->region = xstrdup(region);
	if (cause != NULL)
		s->cause = xstrdup(cause);
}

/* The region of the instance, blocking; see imds.h. */
int
imds_region_sync(const struct credsnet *net, const struct imds_conf *ic,
    char **region, char **cause)
{
	struct imds_op *op;
	struct imds_sync s;
	int rc;

	*region = NULL;
	rc = imds_start(net, ic, IMDS_AZ, &op, cause);
	if (rc != 0)
		return (rc);
	memset(&s, 0, sizeof s);
	op->region_cb = imds_sync_done;
	op->arg = &s;
	imds_send(op);
	if (loop_run_until(net->loop, &s.done) != 0 && !s.done) {
		imds_op_cancel(op);
		*cause = xstrdup("interrupted");
		return (-1);
	}
	if (s.rc < 0)
		*cause = s.cause;
	else
		free(s.cause);
	*region = s.region;
	return (s.rc);
}
