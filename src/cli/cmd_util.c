/* Helpers shared by the commands. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/aws.h"
#include "aws/loop.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/msg.h"
#include "core/timeexpr.h"
#include "core/xmalloc.h"
#include "logs/logs.h"
#include "logs/source.h"

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
	/* Without --end a read ends now (unless it follows). */
	if (*start != LOGS_TIME_UNSET && *end == LOGS_TIME_UNSET &&
	    !a->o->watch && *start > now) {
		errorf("the start time ('%s') is in the future and the read "
		       "ends now; give --end or --watch",
		    s);
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

/* Colour decision: always, never, or auto (termcolor's rules). */
int
cmd_use_color(enum color_when w)
{
	const char *v;

	if (w == COLOR_ALWAYS)
		return (1);
	if (w == COLOR_NEVER)
		return (0);
	v = getenv("ANSI_COLORS_DISABLED");
	if (v != NULL && *v != '\0')
		return (0);
	v = getenv("NO_COLOR");
	if (v != NULL && *v != '\0')
		return (0);
	v = getenv("FORCE_COLOR");
	if (v != NULL && *v != '\0')
		return (1);
	v = getenv("TERM");
	if (v != NULL && strcmp(v, "dumb") == 0)
		return (0);
	return (isatty(STDOUT_FILENO));
}

struct cmd_srcs {
	struct source ***v;
	size_t *n;
};

static void
cmd_add_group(struct cmd_srcs *c, const char *group)
{
	struct source *s;
	size_t i;

	for (i = 0; i < *c->n; i++) {
		if (strcmp((*c->v)[i]->group, group) == 0)
			return;
	}
	s = xcalloc(1, sizeof *s);
	s->group = xstrdup(group);
	s->stream_width = 10;
	*c->v = xreallocarray(*c->v, *c->n + 1, sizeof **c->v);
	(*c->v)[(*c->n)++] = s;
}

static int
cmd_add_cb(void *arg, const struct logs_group *g)
{
	cmd_add_group(arg, g->name);
	return (0);
}

/* -g groups, with NAME* prefixes expanded; see cmd.h. */
int
cmd_sources_for(struct app *a, struct source ***srcs, size_t *n)
{
	struct cmd_srcs c = {srcs, n};
	struct aws_client *logs;
	struct aws_result res;
	char *cause = NULL, *prefix;
	size_t i, len, before;
	int rc = 0;

	for (i = 0; i < a->o->groups.n && rc == 0; i++) {
		len = strlen(a->o->groups.v[i]);
		if (len < 2 || a->o->groups.v[i][len - 1] != '*') {
			cmd_add_group(&c, a->o->groups.v[i]);
			continue;
		}
		logs = app_client(a, AWS_LOGS, &cause);
		if (logs == NULL) {
			errorf("%s", cause);
			free(cause);
			return (EXIT_USAGE);
		}
		prefix = xstrndup(a->o->groups.v[i], len - 1);
		before = *n;
		if (logs_list_groups(logs, prefix, cmd_add_cb, &c, &res) != 0)
			rc = cmd_aws_error("DescribeLogGroups", &res);
		else if (*n == before) {
			errorf("no log group matches '%s'", a->o->groups.v[i]);
			rc = EXIT_NOTFOUND;
		}
		aws_result_free(&res);
		free(prefix);
	}
	return (rc);
}
