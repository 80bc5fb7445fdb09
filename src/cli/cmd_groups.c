/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs groups: list log group names. */

#include "cli/app.h"
#include "cli/cmd.h"
#include "cli/out.h"
#include "logs/logs.h"

static int
groups_print(void *arg, const struct logs_group *g)
{
	struct out *o = arg;

	return (cmd_put_line(o, g->name)); /* 1: stdout closed, stop */
}

/* List every log group (optionally with a prefix), one per line. */
int
cmd_groups(struct app *a)
{
	struct aws_client *c;
	struct aws_result res;
	struct out o;
	int rc;

	rc = cmd_list_start(a, &c, &o);
	if (rc != 0)
		return (rc);
	if (logs_list_groups(c, a->o->prefix, groups_print, &o, &res) != 0) {
		out_flush(&o);
		rc = cmd_aws_error("DescribeLogGroups", &res);
	}
	return (cmd_list_end(&o, &res, rc));
}
