/* SPDX-License-Identifier: Apache-2.0 */
/* Lambda GetFunctionConfiguration. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "aws/restjson.h"
#include "core/xmalloc.h"
#include "discover/lambda.h"

#define LAMBDA_RATE 10 /* requests/s; well under the control-plane quota */

/* Set up a client; see lambda.h. */
void
lambda_init(struct lambda *l, struct aws_client *c)
{
	memset(l, 0, sizeof *l);
	l->c = c;
	ratelimit_init(&l->rl, LAMBDA_RATE, loop_mono(c->ctx->loop));
}

/* Decode a FunctionConfiguration; see lambda.h. */
int
lambda_decode_config(json_t *o, struct lambda_config *out, char **cause)
{
	json_t *lc;

	memset(out, 0, sizeof *out);
	out->name = restjson_strdup(o, "FunctionName");
	if (out->name == NULL) {
		*cause = xstrdup("bad GetFunctionConfiguration response: no "
				 "FunctionName");
		return (-1);
	}
	out->arn = restjson_strdup(o, "FunctionArn");
	lc = restjson_obj(o, "LoggingConfig");
	out->log_group = restjson_strdup(lc, "LogGroup");
	if (out->log_group != NULL && *out->log_group == '\0')
		xfree(&out->log_group);
	out->log_format = restjson_strdup(lc, "LogFormat");
	return (0);
}

static int
lambda_config_page(json_t *root, void *out, char **cause)
{
	return (lambda_decode_config(root, out, cause));
}

/* GetFunctionConfiguration; see lambda.h. */
struct restjson_op *
lambda_get_config(struct lambda *l, const char *function, const char *qualifier,
    struct lambda_config *out, restjson_done_cb done, void *arg)
{
	struct restjson_req rq;
	struct restjson_op *op;
	char *path;

	path = restjson_path(
	    "2015-03-31", "functions", function, "configuration", NULL);
	memset(&rq, 0, sizeof rq);
	rq.op = "GetFunctionConfiguration";
	rq.path = path;
	if (qualifier != NULL) {
		rq.params[0] = "Qualifier";
		rq.params[1] = qualifier;
	}
	rq.rl[0] = &l->rl;
	rq.page = lambda_config_page;
	rq.out = out;
	op = restjson_start(l->c, &rq, done, arg);
	free(path);
	return (op);
}

/* The default log group of a function. Caller frees. */
char *
lambda_default_group(const char *name)
{
	return (xprintf("/aws/lambda/%s", name));
}

/* The log group a function writes to. Caller frees. */
char *
lambda_log_group(const struct lambda_config *c)
{
	if (c->log_group != NULL)
		return (xstrdup(c->log_group));
	return (lambda_default_group(c->name));
}

/* Free a configuration. Accepts NULL. */
void
lambda_config_free(struct lambda_config *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->arn);
	free(c->log_group);
	free(c->log_format);
	memset(c, 0, sizeof *c);
}
