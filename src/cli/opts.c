/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line parsing. Options may appear before or after the command
 * (awslogs silently drops misplaced ones; we don't). Supported forms:
 * --name value, --name=value, unique prefixes of long names, -x value,
 * -xvalue, bundles of flags (-GS, -vvv), and "--" to end options.
 */

#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"
#include "cli/opts_int.h"
#include "core/xmalloc.h"

/* A value that an optional --color takes from the next argument. */
static int
opts_is_color_word(const char *s)
{
	return (strcmp(s, "auto") == 0 || strcmp(s, "always") == 0 ||
		strcmp(s, "never") == 0 || strcmp(s, "on") == 0 ||
		strcmp(s, "off") == 0);
}

/* Parse argv; see opts.h. */
int
opts_parse(struct opts *o, int argc, char **argv, char **cause)
{
	const struct opt_def *d, *early = NULL;
	const char *arg, *eq, *v, *early_arg = NULL;
	size_t npos = 0, j;
	int i, only_pos = 0;

	*cause = NULL;
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			if (o->cmd == CMD_NONE) {
				o->cmd = opts_lookup_cmd(arg);
				if (o->cmd == CMD_NONE) {
					*cause = opts_unknown_cmd(arg);
					return (-1);
				}
				continue;
			}
			if (opts_positional(o, arg, &npos, cause) != 0)
				return (-1);
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			d = opts_find_long(arg, arg + 2,
			    eq ? (size_t)(eq - arg - 2) : strlen(arg + 2),
			    o->cmd, cause);
			if (d == NULL) {
				/* Options may precede the command: retry as
				 * any command's option, checked later. */
				if (o->cmd != CMD_NONE)
					return (-1);
				free(*cause);
				*cause = NULL;
				for (j = CMD_GET; d == NULL && j <= CMD_STATS;
				     j++) {
					d = opts_find_long(arg, arg + 2,
					    eq ? (size_t)(eq - arg - 2)
					       : strlen(arg + 2),
					    (enum cmd)j, cause);
					free(*cause);
					*cause = NULL;
				}
				if (d == NULL) {
					opts_find_long(arg, arg + 2,
					    eq ? (size_t)(eq - arg - 2)
					       : strlen(arg + 2),
					    CMD_NONE, cause);
					return (-1);
				}
			}
			v = NULL;
			if (d->arg == ARG_NONE && eq != NULL) {
				*cause = xprintf(
				    "option '--%s' takes no value", d->lng);
				return (-1);
			}
			if (d->arg == ARG_REQ) {
				if (eq != NULL)
					v = eq + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else {
					*cause = xprintf("option '--%s' needs "
							 "a value",
					    d->lng);
					return (-1);
				}
			} else if (d->arg == ARG_COLOR) {
				if (eq != NULL)
					v = eq + 1;
				else if (i + 1 < argc &&
					 opts_is_color_word(argv[i + 1]))
					v = argv[++i];
			} else if (d->arg == ARG_MULTI && eq == NULL) {
				/* nargs '+': every value up to the next
				 * option (as the AWS CLI reads them). */
				if (i + 1 >= argc || argv[i + 1][0] == '-') {
					*cause = xprintf("option '--%s' needs "
							 "a value",
					    d->lng);
					return (-1);
				}
				while (i + 2 < argc && argv[i + 2][0] != '-') {
					if (opts_apply(
						o, d, argv[++i], cause) != 0)
						return (-1);
				}
				v = argv[++i];
			} else if (d->arg == ARG_MULTI)
				v = eq + 1;
			if (d->cmds != C_ALL && o->cmd != CMD_NONE &&
			    !(d->cmds & C(o->cmd))) {
				*cause = opts_unknown(arg, d->lng, 1, o->cmd);
				return (-1);
			}
			if (o->cmd == CMD_NONE && early == NULL &&
			    d->cmds != C_ALL) {
				early = d;
				early_arg = arg;
			}
			if (opts_apply(o, d, v, cause) != 0)
				return (-1);
			continue;
		}
		/* A bundle of short options. */
		for (j = 1; arg[j] != '\0'; j++) {
			d = opts_find_short(arg[j], o->cmd);
			if (d == NULL && o->cmd == CMD_NONE) {
				enum cmd c;

				for (c = CMD_GET; d == NULL && c <= CMD_STATS;
				     c++)
					d = opts_find_short(arg[j], c);
			}
			if (d == NULL) {
				char name[3] = {'-', arg[j], '\0'};

				*cause =
				    opts_unknown(name, name + 1, 0, o->cmd);
				return (-1);
			}
			v = NULL;
			if (d->arg == ARG_REQ) {
				if (arg[j + 1] != '\0')
					v = arg + j + 1;
				else if (i + 1 < argc)
					v = argv[++i];
				else {
					*cause = xprintf("option '-%c' needs a "
							 "value",
					    arg[j]);
					return (-1);
				}
			}
			if (o->cmd == CMD_NONE && early == NULL &&
			    d->cmds != C_ALL) {
				early = d;
				early_arg = arg;
			}
			if (opts_apply(o, d, v, cause) != 0)
				return (-1);
			if (v != NULL)
				break;
		}
	}
	if (early != NULL && o->cmd != CMD_NONE && !(early->cmds & C(o->cmd))) {
		*cause = opts_unknown(early_arg, early->lng, 1, o->cmd);
		return (-1);
	}
	return (opts_validate(o, cause));
}
