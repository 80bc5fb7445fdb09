/* Helpers shared by the commands. */

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "aws.h"
#include "cli.h"
#include "cmd.h"
#include "logs.h"
#include "loop.h"
#include "msg.h"
#include "timeexpr.h"

/* Parse the time window; see cmd.h. */
int
cmd_time_window(
    struct app *a, const char *def_start, int64_t *start, int64_t *end)
{
	const char *s = a->o->start ? a->o->start : def_start;
	char *cause = NULL;
	int64_t now = loop_now(a->loop);
	int flags = a->o->local ? TIMEEXPR_LOCAL : 0;

	*start = LOGS_TIME_UNSET;
	*end = LOGS_TIME_UNSET;
	/* An empty --start means "from the beginning", as in awslogs. */
	if (s != NULL && *s != '\0' &&
	    timeexpr_parse(s, now, flags, start, &cause) != 0) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_TIME);
	}
	if (a->o->end != NULL && *a->o->end != '\0' &&
	    timeexpr_parse(a->o->end, now, flags, end, &cause) != 0) {
		errorf("%s", cause);
		free(cause);
		return (EXIT_TIME);
	}
	if (*start != LOGS_TIME_UNSET && *end != LOGS_TIME_UNSET &&
	    *end < *start) {
		errorf("the end time ('%s') is before the start time ('%s')",
		    a->o->end, s);
		return (EXIT_TIME);
	}
	return (0);
}

/* Print a failed call and map it to an exit code. */
int
cmd_aws_error(const char *what, const struct aws_result *r)
{
	char *d;

	if (r->status == AWS_ERR_STOPPED)
		return (EXIT_OK);
	d = aws_result_describe(r);
	errorf("%s: %s", what, d);
	free(d);
	return (app_exit_code(r));
}
