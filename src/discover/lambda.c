/* Lambda GetFunctionConfiguration. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "aws/restjson.h"
#include "core/uri.h"
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

/* GetFunctionConfiguration; see lambda.h. */
int
lambda_get_config(struct lambda *l, const char *function, const char *qualifier,
    struct lambda_config *out, struct aws_result *res)
{
	struct restjson_req rq;
	struct uri_query q;
	json_t *root;
	char *ef, *path, *query = NULL, *cause = NULL;
	int rc = 0;

	memset(out, 0, sizeof *out);
	ef = uri_encode(function, strlen(function), 0);
	path = xprintf("/2015-03-31/functions/%s/configuration", ef);
	free(ef);
	if (qualifier != NULL) {
		uri_query_init(&q);
		uri_query_add(&q, "Qualifier", qualifier);
		query = uri_query_string(&q);
		uri_query_free(&q);
	}
	memset(&rq, 0, sizeof rq);
	rq.op = "GetFunctionConfiguration";
	rq.path = path;
	rq.query = query;
	rq.rl[0] = &l->rl;
	root = restjson_get(l->c, &rq, res);
	free(path);
	free(query);
	if (root == NULL)
		return (-1);
	if (lambda_decode_config(root, out, &cause) != 0) {
		res->status = AWS_ERR_TRANSPORT;
		free(res->message);
		res->message = cause;
		rc = -1;
	}
	json_decref(root);
	return (rc);
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
