/* SPDX-License-Identifier: Apache-2.0 */
/* The record of one call: made from the caller's call, freed with every
 * secret it held wiped. */

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws/aws_int.h"
#include "core/redact.h"
#include "core/xmalloc.h"

/* A new op for call (copied), not started; see aws_int.h. */
struct aws_op *
aws_op_new(struct aws_client *c, const struct aws_call *call, aws_done_cb cb,
    void *arg)
{
	struct aws_op *p;
	size_t i, n = 0;

	p = xcalloc(1, sizeof *p);
	p->client = c;
	p->cb = cb;
	p->arg = arg;
	p->op = xstrdup(call->op ? call->op : "request");
	if (call->method != NULL)
		p->method = xstrdup(call->method);
	else
		p->method = xstrdup(call->target ? "POST" : "GET");
	p->path = xstrdup(call->path ? call->path : "/");
	p->query = call->query ? xstrdup(call->query) : NULL;
	p->target = call->target ? xstrdup(call->target) : NULL;
	if (call->content_type != NULL)
		p->content_type = xstrdup(call->content_type);
	else if (call->target != NULL)
		p->content_type = xstrdup("application/x-amz-json-1.1");
	p->body = xmemdup(call->body ? call->body : "", call->body_len);
	p->body_len = call->body_len;
	while (call->headers != NULL && call->headers[n] != NULL)
		n++;
	p->headers = xcalloc(n + 1, sizeof *p->headers);
	for (i = 0; i < n; i++)
		p->headers[i] = xstrdup(call->headers[i]);
	p->flags = call->flags;
	p->restart = call->restart;
	p->max_body = call->max_body;
	for (n = 0; call->secrets != NULL && call->secrets[n] != NULL; n++)
		continue;
	p->extra = xcalloc(n + 1, sizeof *p->extra);
	for (i = 0; i < n; i++)
		p->extra[p->nextra++] = xstrdup(call->secrets[i]);
	if (call->host_prefix != NULL)
		p->host_prefix = xstrdup(call->host_prefix);
	buf_init(&p->res.body, 0);
	return (p);
}

/* Free an op and wipe its secrets. */
void
aws_op_free(struct aws_op *p)
{
	size_t i;

	free(p->op);
	free(p->method);
	free(p->path);
	free(p->query);
	free(p->target);
	free(p->content_type);
	free(p->body);
	free(p->host_prefix);
	for (i = 0; p->headers != NULL && p->headers[i] != NULL; i++)
		free(p->headers[i]);
	free(p->headers);
	aws_result_free(&p->res);
	aws_forget_secrets(p);
	for (i = 0; i < p->nextra; i++) {
		OPENSSL_cleanse(p->extra[i], strlen(p->extra[i]));
		free(p->extra[i]);
	}
	free(p->extra);
	free(p);
}

/* See aws_int.h. */
void
aws_forget_secrets(struct aws_op *p)
{
	size_t i;

	for (i = 0; i < 3; i++) {
		if (p->secrets[i] != NULL)
			OPENSSL_cleanse(p->secrets[i], strlen(p->secrets[i]));
		xfree(&p->secrets[i]);
	}
}

/*
 * A server (or a proxy) that echoes the request back must not make us
 * print a secret: replace any of them in a message by "<redacted>".
 */
void
aws_scrub(struct aws_op *p, char **msg)
{
	const char **all;
	size_t i;

	if (*msg == NULL)
		return;
	all = xcalloc(3 + p->nextra, sizeof *all);
	for (i = 0; i < 3; i++)
		all[i] = p->secrets[i];
	for (i = 0; i < p->nextra; i++)
		all[3 + i] = p->extra[i];
	redact_text(msg, all, 3 + p->nextra);
	free(all);
}
