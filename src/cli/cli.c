/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line entry point: parse, dispatch, map errors to exit codes. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/completion.h"
#include "cli/filter.h"
#include "cli/help.h"
#include "cli/msg.h"
#include "cli/opts.h"
#include "cli/out.h"
#include "cli/version.h"
#include "query/query.h"

/* A message --query could not be applied to: said with -v. */
static void
cli_query_notice(void *arg, const char *msg)
{
	(void)arg;
	verbosef(1, "%s", msg);
}

/* Parse argv and run the command; returns the process exit code. */
int
cli_main(int argc, char **argv)
{
	struct opts o;
	struct app a;
	struct query *q = NULL;
	struct filter *f = NULL;
	char *cause = NULL;
	int rc = EXIT_OK;
	enum cmd topic;

	opts_init(&o);
	rc = opts_parse(&o, argc, argv, &cause);
	if (rc == OPTS_NO_COMMAND) {
		/* A bare `apilogs`: the short help, on stderr since it is a
		 * usage error (awslogs prints its help on stdout, exit 1). */
		msg_init(0);
		errorf("no command given");
		help_short(stderr);
		free(cause);
		opts_free(&o);
		return (EXIT_USAGE);
	}
	if (rc != 0) {
		msg_init(0);
		errorf("%s", cause);
		free(cause);
		opts_free(&o);
		return (EXIT_USAGE);
	}
	msg_init(o.verbose);
	if (o.version) {
		version_print(stdout, o.verbose);
		goto out;
	}
	if (o.help || o.cmd == CMD_HELP) {
		topic = o.cmd;
		if (o.cmd == CMD_HELP && o.help_topic != NULL) {
			for (topic = CMD_GET; topic <= CMD_COMPLETION;
			     topic++) {
				if (topic != CMD_HELP &&
				    strcmp(o.help_topic,
					opts_cmd_name(topic)) == 0)
					break;
			}
			if (topic > CMD_COMPLETION) {
				errorf("no help for '%s' (commands: get, "
				       "groups, streams, sources, trace, "
				       "stats, completion)",
				    o.help_topic);
				rc = EXIT_USAGE;
				goto out;
			}
		} else if (o.cmd == CMD_HELP)
			topic = CMD_NONE;
		help_print(stdout, topic);
		goto out;
	}
	if (o.cmd == CMD_COMPLETION) {
		rc = completion_print(stdout, o.shell);
		goto out;
	}
	if (o.cmd == CMD_COMPLETE) {
		rc = cmd_complete(&o);
		goto out;
	}
	/* A bad --query is a usage error before any request is sent; the
	 * commands use this compiled one. */
	if (o.query != NULL) {
		q = query_new(o.query, o.query_keep_null, &cause);
		if (q == NULL) {
			errorf("%s", cause);
			free(cause);
			rc = EXIT_USAGE;
			goto out;
		}
		query_set_notice(q, cli_query_notice, NULL);
	}
	/* So is a bad --grep or --exclude. */
	f = filter_new(&o, &cause);
	if (cause != NULL) {
		errorf("%s", cause);
		free(cause);
		rc = EXIT_USAGE;
		goto out;
	}
	if (app_init(&a, &o, &cause, &rc) != 0) {
		errorf("%s", cause);
		free(cause);
		app_free(&a);
		goto out;
	}
	a.query = q;
	a.filter = f;
	switch (o.cmd) {
	case CMD_GROUPS:
		rc = cmd_groups(&a);
		break;
	case CMD_STREAMS:
		rc = cmd_streams(&a);
		break;
	case CMD_GET:
		rc = cmd_get(&a);
		break;
	case CMD_SOURCES:
		rc = cmd_sources(&a);
		break;
	case CMD_TRACE:
		rc = cmd_trace(&a);
		break;
	case CMD_STATS:
		rc = cmd_stats(&a);
		break;
	default:
		rc = EXIT_USAGE;
		break;
	}
	app_free(&a);
out:
	/* Help and --version go through stdio: its errors count too. */
	if (fflush(stdout) != 0 || ferror(stdout))
		out_note_error(errno);
	if (out_error() != 0) {
		errorf("error writing to standard output: %s",
		    strerror(out_error()));
		rc = EXIT_AWS;
	}
	query_free(q);
	filter_free(f);
	opts_free(&o);
	return (rc);
}
