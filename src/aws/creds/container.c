/* SPDX-License-Identifier: Apache-2.0 */
/* Container credential endpoint (ECS, EKS Pod Identity). */

#include <arpa/inet.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/creds/container.h"
#include "aws/credsnet.h"
#include "aws/loop.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"

#define CONTAINER_HOST "169.254.170.2"
#define CONTAINER_TIMEOUT_MS 2000
#define CONTAINER_ATTEMPTS 3

/* Is a URI variable set? */
int
container_configured(void)
{
	return (getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != NULL ||
		getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != NULL);
}

/* The host of a URL as Python's urlparse().hostname gives it. */
static char *
container_host(const char *url)
{
	const char *p, *end, *at;
	char *h;
	size_t i;

	p = strstr(url, "://");
	if (p == NULL)
		return (NULL);
	p += 3;
	end = p + strcspn(p, "/?#");
	for (at = p; at < end; at++) {
		if (*at == '@')
			p = at + 1;
	}
	if (*p == '[') {
		at = memchr(p, ']', (size_t)(end - p));
		if (at == NULL)
			return (NULL);
		h = xstrndup(p + 1, (size_t)(at - p - 1));
	} else {
		at = memchr(p, ':', (size_t)(end - p));
		h = xstrndup(p, (size_t)((at != NULL ? at : end) - p));
	}
	for (i = 0; h[i] != '\0'; i++)
		h[i] = (char)tolower((unsigned char)h[i]);
	return (h);
}

/* Is host a loopback IP address (127/8 or ::1)? */
static int
container_loopback(const char *host)
{
	unsigned char a[16];
	static const unsigned char one[16] = {[15] = 1};

	if (inet_pton(AF_INET, host, a) == 1)
		return (a[0] == 127);
	if (inet_pton(AF_INET6, host, a) == 1)
		return (memcmp(a, one, 16) == 0);
	return (0);
}

/* Check a full URI against botocore's allowed hosts. */
int
container_url_allowed(const char *url, char **cause)
{
	static const char *allowed[] = {
	    CONTAINER_HOST, "169.254.170.23", "fd00:ec2::23", "localhost"};
	char *host;
	size_t i;
	int ok = 0;

	if (strncasecmp(url, "https://", 8) == 0)
		return (1);
	host = container_host(url);
	if (host != NULL && strncasecmp(url, "http://", 7) == 0) {
		ok = container_loopback(host);
		for (i = 0; !ok && i < sizeof allowed / sizeof allowed[0]; i++)
			ok = strcmp(host, allowed[i]) == 0;
	}
	if (!ok)
		*cause = xprintf(
		    "AWS_CONTAINER_CREDENTIALS_FULL_URI: host '%s' "
		    "is not allowed: use https, a loopback address or one of "
		    "169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost",
		    host != NULL ? host : "");
	free(host);
	return (ok);
}

/* The Authorization header value, or NULL. */
static int
container_auth(char **hdr, char **cause)
{
	struct buf b;
	const char *file, *tok;
	char *why = NULL;

	*hdr = NULL;
	file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	tok = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	buf_init(&b, 64 * 1024);
	if (file != NULL) {
		if (file_read(file, &b, NULL, &why) != 0) {
			*cause = xprintf("AWS_CONTAINER_AUTHORIZATION_TOKEN_"
					 "FILE: %s",
			    why);
			free(why);
			file_wipe(&b);
			return (-1);
		}
		tok = buf_str(&b);
	}
	if (tok != NULL && strpbrk(tok, "\r\n") != NULL) {
		*cause = xstrdup("the container authorization token is not a "
				 "legal header value (it holds a line break)");
		file_wipe(&b);
		return (-1);
	}
	if (tok != NULL)
		*hdr = xprintf("Authorization: %s", tok);
	file_wipe(&b);
	return (0);
}

/* Parse the endpoint's JSON. */
static int
container_parse(const struct buf *body, struct aws_creds *out, char **cause)
{
	json_t *j;
	const char *ak, *sk, *tok, *exp, *acct;
	int64_t ms;
	int rc = -1;

	j = json_loadb(buf_str(body), body->len, 0, NULL);
	ak = json_string_value(json_object_get(j, "AccessKeyId"));
	sk = json_string_value(json_object_get(j, "SecretAccessKey"));
	tok = json_string_value(json_object_get(j, "Token"));
	exp = json_string_value(json_object_get(j, "Expiration"));
	acct = json_string_value(json_object_get(j, "AccountId"));
	if (j == NULL)
		*cause = xstrdup("container credentials: the endpoint did not "
				 "return JSON");
	else if (ak == NULL || sk == NULL || tok == NULL || exp == NULL)
		*cause = xprintf("container credentials: the response has no "
				 "%s",
		    ak == NULL    ? "AccessKeyId"
		    : sk == NULL  ? "SecretAccessKey"
		    : tok == NULL ? "Token"
				  : "Expiration");
	else if (cred_time_parse(exp, &ms) != 0)
		*cause = xstrdup("container credentials: bad Expiration");
	else {
		cred_set(out, ak, sk, tok, acct);
		out->expires_ms = ms;
		rc = 0;
	}
	if (j != NULL)
		json_decref(j);
	return (rc);
}

struct container_op {
	struct credsnet net;
	char *url;
	char *auth; /* "Authorization: ..." or NULL */
	char *last; /* the last failure */
	int attempt;
	struct credsnet_req *req;
	uint64_t pause;
	cred_done_cb done;
	void *arg;
};

static void container_send(void *);

/* Free an op, cancelling what it still has in flight. */
static void
container_op_free(struct container_op *op)
{
	credsnet_cancel(op->req);
	loop_timer_cancel(op->net.loop, op->pause);
	if (op->auth != NULL) {
		OPENSSL_cleanse(op->auth, strlen(op->auth));
		free(op->auth);
	}
	free(op->last);
	free(op->url);
	free(op);
}

/* Cancel a fetch; see container.h. */
void
container_op_cancel(struct container_op *op)
{
	if (op != NULL)
		container_op_free(op);
}

/* The endpoint answered: parse, or try again after a pause. */
static void
container_on_response(void *arg, struct http_response *r)
{
	struct container_op *op = arg;
	struct aws_creds c;
	char *cause = NULL;
	int rc;

	op->req = NULL;
	free(op->last);
	op->last = NULL;
	if (r->err != HTTP_OK)
		op->last = xprintf("%s", r->errmsg);
	else if (r->status != 200)
		op->last = xprintf("HTTP %ld", r->status);
	else {
		memset(&c, 0, sizeof c);
		rc = container_parse(&r->body, &c, &cause);
		op->done(op->arg, rc, &c, cause);
		cred_clear(&c);
		free(cause);
		container_op_free(op);
		return;
	}
	credsnet_trace(&op->net, 2, "container: %s", op->last);
	if (++op->attempt < CONTAINER_ATTEMPTS) {
		op->pause = loop_timer_in(op->net.loop,
		    op->net.retry_pause_ms >= 0 ? op->net.retry_pause_ms : 1000,
		    container_send, op);
		return;
	}
	cause = xprintf("container credentials from %s: %s", op->url, op->last);
	op->done(op->arg, -1, NULL, cause);
	free(cause);
	container_op_free(op);
}

/* Send one attempt. */
static void
container_send(void *arg)
{
	struct container_op *op = arg;
	struct http_request req;
	const char *hdrs[4];
	int n = 0;

	op->pause = 0;
	hdrs[n++] = "Accept: application/json";
	hdrs[n++] = "User-Agent: apilogs/" APILOGS_VERSION;
	if (op->auth != NULL)
		hdrs[n++] = op->auth;
	hdrs[n] = NULL;
	memset(&req, 0, sizeof req);
	req.method = "GET";
	req.url = op->url;
	req.headers = hdrs;
	req.connect_timeout_ms = CONTAINER_TIMEOUT_MS;
	req.read_timeout_ms = CONTAINER_TIMEOUT_MS;
	req.max_body = 64 * 1024;
	req.no_proxy = 1;
	credsnet_trace(&op->net, 3, "container: GET %s (attempt %d)", op->url,
	    op->attempt + 1);
	op->req = credsnet_submit(&op->net, &req, container_on_response, op);
}

/* Start fetching container credentials; see container.h. */
int
container_start(const struct credsnet *net, cred_done_cb done, void *arg,
    struct container_op **out, char **cause)
{
	struct container_op *op;
	const char *rel;
	char *url, *auth = NULL;

	*out = NULL;
	rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	if (rel != NULL)
		url = xprintf("http://%s%s", CONTAINER_HOST, rel);
	else {
		url = xstrdup(getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
		if (!container_url_allowed(url, cause)) {
			free(url);
			return (-1);
		}
	}
	if (container_auth(&auth, cause) != 0) {
		free(url);
		return (-1);
	}
	op = xcalloc(1, sizeof *op);
	op->net = *net;
	op->url = url;
	op->auth = auth;
	op->done = done;
	op->arg = arg;
	container_send(op);
	*out = op;
	return (0);
}
