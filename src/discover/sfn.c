/* SPDX-License-Identifier: Apache-2.0 */
/* Step Functions DescribeStateMachine (awsJson1_0). */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/loop.h"
#include "core/xmalloc.h"
#include "discover/sfn.h"

#define SFN_RATE 5 /* requests/s; well under the control-plane quota */
#define SFN_MAX_DESTINATIONS 16

/* Set up a client; see sfn.h. */
void
sfn_init(struct sfn *f, struct aws_client *c)
{
	memset(f, 0, sizeof *f);
	f->c = c;
	ratelimit_init(&f->rl, SFN_RATE, loop_mono(c->ctx->loop));
}

/* Decode a DescribeStateMachine answer; see sfn.h. */
int
sfn_decode_machine(json_t *o, struct sfn_machine *out, char **cause)
{
	json_t *lc, *dests, *d;
	const char *arn;
	size_t i;

	memset(out, 0, sizeof *out);
	out->name = restjson_strdup(o, "name");
	if (out->name == NULL) {
		*cause = xstrdup("bad DescribeStateMachine response: no name");
		return (-1);
	}
	lc = restjson_obj(o, "loggingConfiguration");
	out->level = restjson_strdup(lc, "level");
	dests = restjson_arr(lc, "destinations");
	json_array_foreach(dests, i, d)
	{
		arn = restjson_str(
		    restjson_obj(d, "cloudWatchLogsLogGroup"), "logGroupArn");
		if (arn == NULL || *arn == '\0' ||
		    out->ngroup_arns >= SFN_MAX_DESTINATIONS)
			continue;
		out->group_arns = xreallocarray(out->group_arns,
		    out->ngroup_arns + 1, sizeof *out->group_arns);
		out->group_arns[out->ngroup_arns++] = xstrdup(arn);
	}
	return (0);
}

static int
sfn_page(json_t *root, void *out, char **cause)
{
	return (sfn_decode_machine(root, out, cause));
}

/* DescribeStateMachine; see sfn.h. */
struct restjson_op *
sfn_describe(struct sfn *f, const char *arn, struct sfn_machine *out,
    restjson_done_cb done, void *arg)
{
	struct restjson_req rq;
	struct restjson_op *op;
	json_t *body;
	char *text;

	body = json_pack("{s:s}", "stateMachineArn", arn);
	text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (text == NULL) /* not UTF-8: the service says what is wrong */
		text = xstrdup("{}");
	memset(&rq, 0, sizeof rq);
	rq.op = "DescribeStateMachine";
	rq.path = "/";
	rq.rl[0] = &f->rl;
	rq.target = "AWSStepFunctions.DescribeStateMachine";
	rq.body = text;
	rq.page = sfn_page;
	rq.out = out;
	op = restjson_start(f->c, &rq, done, arg);
	free(text);
	return (op);
}

/* Free a state machine. Accepts NULL. */
void
sfn_machine_free(struct sfn_machine *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->name);
	free(m->level);
	for (i = 0; i < m->ngroup_arns; i++)
		free(m->group_arns[i]);
	free(m->group_arns);
	memset(m, 0, sizeof *m);
}
