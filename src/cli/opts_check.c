/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checks of the option parser that need the whole command line:
 * what each command requires, the options that exclude each other, and
 * get's single argument read as STREAM_REGEX when -g, --api-id or
 * --stack-name name the groups.
 */

#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "cli/opts_int.h"
#include "core/xmalloc.h"

/* The stream selections and layouts that exclude each other (get). */
static int
opts_validate_streams(struct opts *o, const char *hint, char **cause)
{
	if (o->stream_names.n > 0 && o->stream_prefix != NULL)
		*cause = xprintf("--log-stream-names and "
				 "--log-stream-name-prefix exclude each other "
				 "(%s)",
		    hint);
	else if ((o->stream_names.n > 0 || o->stream_prefix != NULL) &&
		 o->stream_regex != NULL)
		*cause = xprintf("give STREAM_REGEX or --log-stream-names or "
				 "--log-stream-name-prefix, not both (%s)",
		    hint);
	else if (o->stream_names.n > 100)
		*cause = xprintf("--log-stream-names: %zu names; the service "
				 "takes at most 100 (%s)",
		    o->stream_names.n, hint);
	else if (o->format != FORMAT_NONE && o->output_set)
		*cause = xprintf("--format and --output exclude each other "
				 "(%s)",
		    hint);
	return (*cause == NULL ? 0 : -1);
}

/* --stack-name and --name: -1 with *cause when they do not fit. */
static int
opts_validate_stack(struct opts *o, const char *hint, char **cause)
{
	if (o->stack_name != NULL && *o->stack_name == '\0')
		*cause = xprintf("--stack-name: empty stack name (%s)", hint);
	else if (o->stack_name != NULL && o->api_id != NULL)
		*cause = xprintf("--api-id and --stack-name cannot be used "
				 "together (%s)",
		    hint);
	else if (o->names.n > 0 && o->stack_name == NULL)
		*cause = xprintf("--name needs --stack-name (%s)", hint);
	return (*cause == NULL ? 0 : -1);
}

/* Checks that need the whole command line. */
int
opts_validate(struct opts *o, char **cause)
{
	char *hint;

	if (o->help || o->version)
		return (0);
	hint = opts_help_hint(o->cmd);
	if (opts_validate_stack(o, hint, cause) != 0) {
		free(hint);
		return (-1);
	}
	switch (o->cmd) {
	case CMD_NONE:
		*cause = xprintf("no command given (%s)", hint);
		break;
	case CMD_GET:
		/* With -g, --api-id or --stack-name naming the groups, one
		 * positional is the STREAM_REGEX of them all (issue 16). */
		if (o->group != NULL && o->stream_regex == NULL &&
		    (o->groups.n > 0 || o->api_id != NULL ||
			o->stack_name != NULL)) {
			o->stream_regex = o->group;
			o->group = NULL;
		}
		if (opts_validate_streams(o, hint, cause) != 0)
			break;
		if (o->group == NULL && o->groups.n == 0 && o->api_id == NULL &&
		    o->stack_name == NULL)
			*cause = xprintf("get needs a log group (GROUP or "
					 "--group), an API (--api-id) or a "
					 "stack (--stack-name) (%s)",
			    hint);
		else if (o->group != NULL && *o->group == '\0')
			*cause = xprintf("empty log group name (%s)", hint);
		else if (o->stage != NULL && o->api_id == NULL &&
			 o->stack_name == NULL)
			*cause = xprintf("--stage needs --api-id or "
					 "--stack-name (%s)",
			    hint);
		break;
	case CMD_STREAMS:
		if (o->group == NULL)
			*cause =
			    xprintf("streams needs a log group (%s)", hint);
		break;
	case CMD_SOURCES:
		if (o->api_id == NULL && o->stack_name == NULL)
			*cause = xprintf("sources needs --api-id or "
					 "--stack-name (%s)",
			    hint);
		break;
	case CMD_COMPLETION:
		if (o->shell == NULL || (strcmp(o->shell, "bash") != 0 &&
					    strcmp(o->shell, "zsh") != 0 &&
					    strcmp(o->shell, "fish") != 0))
			*cause = xprintf("completion needs a shell: bash, zsh "
					 "or fish (%s)",
			    hint);
		break;
	case CMD_COMPLETE:
		if (o->complete_kind == NULL)
			*cause = xprintf("__complete needs a kind (%s)", hint);
		break;
	case CMD_STATS:
		if (o->api_id == NULL && o->stack_name == NULL &&
		    o->groups.n == 0)
			*cause = xprintf("stats needs an API (--api-id), a "
					 "stack (--stack-name) or log groups "
					 "(--group) (%s)",
			    hint);
		else if (o->stage != NULL && o->api_id == NULL &&
			 o->stack_name == NULL)
			*cause = xprintf("--stage needs --api-id or "
					 "--stack-name (%s)",
			    hint);
		break;
	case CMD_TRACE:
		if (o->trace_id == NULL)
			*cause = xprintf("trace needs a request id (%s)", hint);
		else if (o->api_id == NULL && o->stack_name == NULL &&
			 o->groups.n == 0)
			*cause = xprintf("trace needs an API (--api-id), a "
					 "stack (--stack-name) or log groups "
					 "(--group) to search (%s)",
			    hint);
		break;
	default:
		break;
	}
	free(hint);
	if (o->cmd == CMD_NONE && *cause != NULL)
		return (OPTS_NO_COMMAND);
	return (*cause == NULL ? 0 : -1);
}
