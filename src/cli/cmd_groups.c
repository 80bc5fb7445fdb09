/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs groups: list log group names. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "core/xmalloc.h"
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
	char *cause = NULL;
	int rc = EXIT_OK;

	c = app_client(a, AWS_LOGS, &cause);
	if (c == NULL) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	out_init(&o, STDOUT_FILENO, 0);
	o.line_flush = !isatty(STDOUT_FILENO);
	if (logs_list_groups(c, a->o->prefix, groups_print, &o, &res) != 0) {
		out_flush(&o);
		rc = cmd_aws_error("DescribeLogGroups", &res);
	}
	aws_result_free(&res);
	out_flush(&o);
	out_free(&o);
	return (rc);
}
