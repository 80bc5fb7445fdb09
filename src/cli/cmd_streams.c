/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs streams GROUP: list streams active in a time window. */

#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "logs/logs.h"

struct streams_ctx {
	struct out *o;
	int64_t start;
	int64_t end;
};

/* Print a stream active in the window (logs_stream_in_window()). */
static int
streams_print(void *arg, const struct logs_stream *s)
{
	struct streams_ctx *c = arg;

	if (!logs_stream_in_window(s, c->start, c->end))
		return (0);
	return (cmd_put_line(c->o, s->name));
}

/* List the streams of a group that overlap the window (default 1h). */
int
cmd_streams(struct app *a)
{
	struct aws_client *c;
	struct aws_result res;
	struct streams_ctx sc;
	struct out o;
	int rc;

	rc = cmd_time_window(a, "1h", &sc.start, &sc.end);
	if (rc == 0)
		rc = cmd_list_start(a, &c, &o);
	if (rc != 0)
		return (rc);
	sc.o = &o;
	if (logs_list_streams(c, a->o->group, NULL, streams_print, &sc, &res) !=
	    0) {
		out_flush(&o);
		if (logs_error(&res) == LOGS_ERR_NOT_FOUND) {
			errorf("log group '%s' does not exist", a->o->group);
			rc = EXIT_NOTFOUND;
		} else
			rc = cmd_aws_error("DescribeLogStreams", &res);
	}
	return (cmd_list_end(&o, &res, rc));
}
