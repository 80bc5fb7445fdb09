/* SPDX-License-Identifier: Apache-2.0 */
/* AWS clients: the services' static facts, clients and call results. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws.h"
#include "aws/loop.h"
#include "aws/retry.h"
#include "core/uri.h"
#include "core/xmalloc.h"

static const struct aws_service_info aws_services[AWS_NSERVICES] = {
    [AWS_LOGS] = {"logs", "logs", "logs", "CLOUDWATCH_LOGS", "cloudwatch_logs"},
    [AWS_APIGATEWAY] = {"apigateway", "apigateway", "apigateway", "API_GATEWAY",
	"api_gateway"},
    [AWS_APIGATEWAYV2] = {"apigatewayv2", "apigateway", "apigateway",
	"APIGATEWAYV2", "apigatewayv2"},
    [AWS_LAMBDA] = {"lambda", "lambda", "lambda", "LAMBDA", "lambda"},
    [AWS_STS] = {"sts", "sts", "sts", "STS", "sts"},
    [AWS_SSO] = {"sso", "awsssoportal", "portal.sso", "SSO", "sso"},
    [AWS_CLOUDFORMATION] = {"cloudformation", "cloudformation",
	"cloudformation", "CLOUDFORMATION", "cloudformation"},
    [AWS_SFN] = {"states", "states", "states", "SFN", "sfn"},
};

/* Access errors: exit code 4 rather than 1. */
static const char *aws_access_codes[] = {"AccessDenied",
    "AccessDeniedException", "UnrecognizedClientException",
    "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
    "ExpiredTokenException", "InvalidSignatureException",
    "MissingAuthenticationToken", "MissingAuthenticationTokenException",
    "IncompleteSignature", "IncompleteSignatureException",
    "UnauthorizedException", "UnauthorizedOperation", "AuthFailure",
    "NotAuthorized", "RequestExpired", "InvalidAccessKeyId",
    "UnauthorizedSSOTokenError", "ForbiddenException", NULL};

/* Static facts about a service. */
const struct aws_service_info *
aws_service_info(enum aws_service svc)
{
	return (&aws_services[svc]);
}

/* Is code an access/credentials error? */
int
aws_code_is_access(const char *code)
{
	size_t i;

	if (code == NULL)
		return (0);
	for (i = 0; aws_access_codes[i] != NULL; i++) {
		if (strcmp(code, aws_access_codes[i]) == 0)
			return (1);
	}
	return (0);
}

/* Create a client for one service; see aws.h. */
int
aws_client_new(struct aws_client **out, struct aws_ctx *ctx,
    enum aws_service svc, const char *region, const char *endpoint,
    char **cause)
{
	struct aws_client *c;
	struct uri_url u;
	size_t len;

	*out = NULL;
	if (uri_parse_url(endpoint, &u, cause) != 0)
		return (-1);
	c = xcalloc(1, sizeof *c);
	c->ctx = ctx;
	c->svc = svc;
	c->region = xstrdup(region);
	c->host = xstrdup(u.host_header);
	c->base_path = xstrdup(u.path);
	len = strlen(c->base_path);
	while (len > 0 && c->base_path[len - 1] == '/')
		c->base_path[--len] = '\0';
	xasprintf(&c->endpoint, "%s://%s", u.scheme, u.host_header);
	uri_url_free(&u);
	if (!ctx->quota_ready) {
		ctx->retry_quota = RETRY_QUOTA_INITIAL;
		ctx->quota_ready = 1;
	}
	if (ctx->rng == 0)
		ctx->rng =
		    (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)(uintptr_t)c;
	*out = c;
	return (0);
}

/* Free a client. Accepts NULL. */
void
aws_client_free(struct aws_client *c)
{
	if (c == NULL)
		return;
	free(c->region);
	free(c->endpoint);
	free(c->host);
	free(c->base_path);
	free(c);
}

/* Free the contents of a result. */
void
aws_result_free(struct aws_result *r)
{
	if (r == NULL)
		return;
	xfree(&r->code);
	xfree(&r->message);
	xfree(&r->request_id);
	buf_free(&r->body);
}

/* One line describing a failed result. Caller frees. */
char *
aws_result_describe(const struct aws_result *r)
{
	switch (r->status) {
	case AWS_OK:
		return (xstrdup("ok"));
	case AWS_ERR_SERVICE:
		if (r->message != NULL)
			return (xprintf(
			    "%s: %s", r->code ? r->code : "error", r->message));
		/* No code in the answer (an HTML error page): the status. */
		if (r->code == NULL ||
		    strtol(r->code, NULL, 10) == r->http_status)
			return (xprintf("HTTP %ld", r->http_status));
		return (xprintf("%s (HTTP %ld)", r->code, r->http_status));
	default:
		return (xstrdup(r->message ? r->message : "request failed"));
	}
}

struct aws_sync {
	struct aws_result out;
	int done;
};

static void
aws_sync_done(struct aws_result *r, void *arg)
{
	struct aws_sync *s = arg;

	s->out = *r;
	memset(r, 0, sizeof *r);
	s->done = 1;
}

/*
 * Perform a call, running the loop until it completes; see aws.h. For the
 * command layer only, outside any callback: it runs the loop. When the
 * loop is stopped first, the call is cancelled.
 */
int
aws_call_sync(
    struct aws_client *c, const struct aws_call *call, struct aws_result *out)
{
	struct aws_sync s;
	struct aws_op *op;

	memset(out, 0, sizeof *out);
	memset(&s, 0, sizeof s);
	op = aws_call_async(c, call, aws_sync_done, &s);
	if (!s.done)
		loop_run_until(c->ctx->loop, &s.done);
	if (!s.done) {
		aws_op_cancel(op);
		out->status = AWS_ERR_STOPPED;
		out->message = xstrdup("interrupted");
		return (-1);
	}
	*out = s.out;
	return (out->status == AWS_OK ? 0 : -1);
}
