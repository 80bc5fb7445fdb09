/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apilogs completion bash|zsh|fish: print a completion script. The option
 * lists come from the parser's own table (opts_info), so a new option
 * completes without touching this file; the value completions (--color,
 * --output, --profile, log groups) are in the script bodies below. Log
 * group names come from `apilogs __complete groups` (cmd_complete.c).
 */

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/completion.h"
#include "cli/opts.h"

/* The commands a user can type (not __complete). */
static const enum cmd comp_cmds[] = {CMD_GET, CMD_GROUPS, CMD_STREAMS,
    CMD_SOURCES, CMD_TRACE, CMD_STATS, CMD_HELP, CMD_COMPLETION};
#define COMP_NCMDS (sizeof comp_cmds / sizeof comp_cmds[0])

static const char comp_bash_body[] =
    "\n"
    "# The log groups whose names start with $1, from apilogs itself (one\n"
    "# DescribeLogGroups request, cached for a minute, at most 3 seconds). "
    "The\n"
    "# profile, region and endpoint typed on the line are passed on.\n"
    "_apilogs_groups()\n"
    "{\n"
    "\t\"$_apilogs_bin\" \"${_apilogs_common[@]}\" __complete groups -- \"$1\" "
    "\\\n"
    "\t    </dev/null 2>/dev/null\n"
    "}\n"
    "\n"
    "_apilogs_profiles()\n"
    "{\n"
    "\t\"$_apilogs_bin\" __complete profiles -- \"$1\" </dev/null 2>/dev/null\n"
    "}\n"
    "\n"
    "# Candidates for the value of option $1, the value typed so far being "
    "$2.\n"
    "_apilogs_value()\n"
    "{\n"
    "\tcase $1 in\n"
    "\t--color) compgen -W 'auto always never on off' -- \"$2\" ;;\n"
    "\t-o | --output) compgen -W 'text json' -- \"$2\" ;;\n"
    "\t--follow-mode) compgen -W 'auto live poll' -- \"$2\" ;;\n"
    "\t--format) compgen -W 'detailed short json' -- \"$2\" ;;\n"
    "\t--engine) compgen -W 'auto filter insights' -- \"$2\" ;;\n"
    "\t--by) compgen -W 'route status function' -- \"$2\" ;;\n"
    "\t--bin) compgen -W '30s 1m 5m 15m 1h 1d' -- \"$2\" ;;\n"
    "\t--hold-back) compgen -W 'auto' -- \"$2\" ;;\n"
    "\t-g | --group | -p | --log-group-prefix) _apilogs_groups \"$2\" ;;\n"
    "\t--profile) _apilogs_profiles \"$2\" ;;\n"
    "\t-s | --start | --since) compgen -W '5m 15m 1h 6h 1d 1w today "
    "yesterday' -- \"$2\" "
    ";;\n"
    "\t-e | --end) compgen -W 'now' -- \"$2\" ;;\n"
    "\t--level) compgen -W 'trace debug info warn error fatal' -- \"$2\" "
    ";;\n"
    "\tesac\n"
    "}\n"
    "\n"
    "_apilogs()\n"
    "{\n"
    "\tlocal line=${COMP_LINE:0:COMP_POINT}\n"
    "\tlocal -a w\n"
    "\tlocal cur prev=\"\" cmd=\"\" a v i npos=0 skip=0 opt\n"
    "\tlocal _apilogs_bin\n"
    "\tlocal -a _apilogs_common=()\n"
    "\n"
    "\tread -r -a w <<<\"$line\"\n"
    "\tif [[ -z $line || $line == *[[:space:]] ]]; then\n"
    "\t\tw+=(\"\")\n"
    "\tfi\n"
    "\tcur=${w[${#w[@]} - 1]}\n"
    "\t((${#w[@]} > 1)) && prev=${w[${#w[@]} - 2]}\n"
    "\t_apilogs_bin=${w[0]:-apilogs}\n"
    "\tfor ((i = 1; i < ${#w[@]} - 1; i++)); do\n"
    "\t\ta=${w[i]}\n"
    "\t\tif ((skip)); then\n"
    "\t\t\tskip=0\n"
    "\t\t\tcontinue\n"
    "\t\tfi\n"
    "\t\tcase $a in\n"
    "\t\t--profile | --region | --aws-region | --endpoint-url | "
    "--aws-endpoint-url)\n"
    "\t\t\t_apilogs_common+=(\"$a\" \"${w[i + 1]}\")\n"
    "\t\t\tskip=1\n"
    "\t\t\tcontinue\n"
    "\t\t\t;;\n"
    "\t\t--profile=* | --region=* | --aws-region=* | --endpoint-url=* | "
    "--aws-endpoint-url=*)\n"
    "\t\t\t_apilogs_common+=(\"$a\")\n"
    "\t\t\tcontinue\n"
    "\t\t\t;;\n"
    "\t\t-*)\n"
    "\t\t\tif [[ $a != *=* && $_apilogs_valued == *\" $a \"* ]]; then\n"
    "\t\t\t\tskip=1\n"
    "\t\t\tfi\n"
    "\t\t\tcontinue\n"
    "\t\t\t;;\n"
    "\t\tesac\n"
    "\t\tif [[ -z $cmd ]]; then\n"
    "\t\t\tcmd=$a\n"
    "\t\telse\n"
    "\t\t\tnpos=$((npos + 1))\n"
    "\t\tfi\n"
    "\tdone\n"
    "\tCOMPREPLY=()\n"
    "\tif ((skip)); then\n"
    "\t\tmapfile -t COMPREPLY < <(_apilogs_value \"$prev\" \"$cur\")\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\tif [[ $cur == --*=* ]]; then\n"
    "\t\topt=${cur%%=*}\n"
    "\t\tmapfile -t COMPREPLY < <(_apilogs_value \"$opt\" \"${cur#*=}\")\n"
    "\t\t# Bash replaces only what follows '=' when '=' breaks words.\n"
    "\t\tif [[ $COMP_WORDBREAKS != *=* ]]; then\n"
    "\t\t\tCOMPREPLY=(\"${COMPREPLY[@]/#/$opt=}\")\n"
    "\t\tfi\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\tif [[ $cur == -* ]]; then\n"
    "\t\tv=_apilogs_opts_${cmd:-none}\n"
    "\t\tv=${v//-/_}\n"
    "\t\tmapfile -t COMPREPLY < <(compgen -W \"${!v}\" -- \"$cur\")\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\tif [[ -z $cmd ]]; then\n"
    "\t\tmapfile -t COMPREPLY < <(compgen -W \"$_apilogs_cmds\" -- \"$cur\")\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\tcase $cmd:$npos in\n"
    "\tget:0 | streams:0)\n"
    "\t\tmapfile -t COMPREPLY < <(_apilogs_groups \"$cur\")\n"
    "\t\t;;\n"
    "\tget:1)\n"
    "\t\tmapfile -t COMPREPLY < <(compgen -W 'ALL' -- \"$cur\")\n"
    "\t\t;;\n"
    "\thelp:0)\n"
    "\t\tmapfile -t COMPREPLY < <(compgen -W \"$_apilogs_cmds\" -- \"$cur\")\n"
    "\t\t;;\n"
    "\tcompletion:0)\n"
    "\t\tmapfile -t COMPREPLY < <(compgen -W 'bash zsh fish' -- \"$cur\")\n"
    "\t\t;;\n"
    "\tesac\n"
    "\treturn 0\n"
    "}\n"
    "\n"
    "complete -F _apilogs apilogs\n";

static const char comp_zsh_body[] =
    "\n"
    "# The log groups whose names start with $1, from apilogs itself (one\n"
    "# DescribeLogGroups request, cached for a minute, at most 3 seconds). "
    "The\n"
    "# profile, region and endpoint typed on the line are passed on.\n"
    "_apilogs_groups()\n"
    "{\n"
    "\tlocal -a g\n"
    "\tg=(${(f)\"$(\"$_apilogs_bin\" \"${_apilogs_common[@]}\" __complete "
    "groups -- \"$1\" </dev/null 2>/dev/null)\"})\n"
    "\t(( ${#g} )) && compadd -Q -- \"${g[@]}\"\n"
    "}\n"
    "\n"
    "_apilogs_value()\n"
    "{\n"
    "\tcase $1 in\n"
    "\t--color) compadd -- auto always never on off ;;\n"
    "\t-o | --output) compadd -- text json ;;\n"
    "\t--follow-mode) compadd -- auto live poll ;;\n"
    "\t--format) compadd -- detailed short json ;;\n"
    "\t--engine) compadd -- auto filter insights ;;\n"
    "\t--by) compadd -- route status function ;;\n"
    "\t--bin) compadd -- 30s 1m 5m 15m 1h 1d ;;\n"
    "\t--hold-back) compadd -- auto ;;\n"
    "\t-g | --group | -p | --log-group-prefix) _apilogs_groups \"$2\" ;;\n"
    "\t--profile)\n"
    "\t\tlocal -a p\n"
    "\t\tp=(${(f)\"$(\"$_apilogs_bin\" __complete profiles -- \"$2\" "
    "</dev/null 2>/dev/null)\"})\n"
    "\t\t(( ${#p} )) && compadd -- \"${p[@]}\"\n"
    "\t\t;;\n"
    "\t-s | --start | --since) compadd -- 5m 15m 1h 6h 1d 1w today "
    "yesterday ;;\n"
    "\t-e | --end) compadd -- now ;;\n"
    "\t--level) compadd -- trace debug info warn error fatal ;;\n"
    "\tesac\n"
    "}\n"
    "\n"
    "_apilogs()\n"
    "{\n"
    "\tlocal cur=${words[CURRENT]} prev=${words[CURRENT-1]} cmd= a v opt\n"
    "\tlocal -i i npos=0 skip=0\n"
    "\tlocal _apilogs_bin=${words[1]}\n"
    "\tlocal -a _apilogs_common\n"
    "\n"
    "\tfor ((i = 2; i < CURRENT; i++)); do\n"
    "\t\ta=${words[i]}\n"
    "\t\tif (( skip )); then\n"
    "\t\t\tskip=0\n"
    "\t\t\tcontinue\n"
    "\t\tfi\n"
    "\t\tcase $a in\n"
    "\t\t--profile | --region | --aws-region | --endpoint-url | "
    "--aws-endpoint-url)\n"
    "\t\t\t_apilogs_common+=(\"$a\" \"${words[i+1]}\")\n"
    "\t\t\tskip=1\n"
    "\t\t\tcontinue\n"
    "\t\t\t;;\n"
    "\t\t--profile=* | --region=* | --aws-region=* | --endpoint-url=* | "
    "--aws-endpoint-url=*)\n"
    "\t\t\t_apilogs_common+=(\"$a\")\n"
    "\t\t\tcontinue\n"
    "\t\t\t;;\n"
    "\t\t-*)\n"
    "\t\t\tif [[ $a != *=* && $_apilogs_valued == *\" $a \"* ]]; then\n"
    "\t\t\t\tskip=1\n"
    "\t\t\tfi\n"
    "\t\t\tcontinue\n"
    "\t\t\t;;\n"
    "\t\tesac\n"
    "\t\tif [[ -z $cmd ]]; then\n"
    "\t\t\tcmd=$a\n"
    "\t\telse\n"
    "\t\t\tnpos=$((npos + 1))\n"
    "\t\tfi\n"
    "\tdone\n"
    "\tif (( skip )); then\n"
    "\t\t_apilogs_value \"$prev\" \"$cur\"\n"
    "\t\treturn\n"
    "\tfi\n"
    "\tif [[ $cur == --*=* ]]; then\n"
    "\t\topt=${cur%%=*}\n"
    "\t\tcompset -P '*='\n"
    "\t\t_apilogs_value \"$opt\" \"${cur#*=}\"\n"
    "\t\treturn\n"
    "\tfi\n"
    "\tif [[ $cur == -* ]]; then\n"
    "\t\tv=_apilogs_opts_${cmd:-none}\n"
    "\t\tv=${v//-/_}\n"
    "\t\tcompadd -- ${=${(P)v}}\n"
    "\t\treturn\n"
    "\tfi\n"
    "\tif [[ -z $cmd ]]; then\n"
    "\t\tcompadd -- ${=_apilogs_cmds}\n"
    "\t\treturn\n"
    "\tfi\n"
    "\tcase $cmd:$npos in\n"
    "\tget:0 | streams:0) _apilogs_groups \"$cur\" ;;\n"
    "\tget:1) compadd -- ALL ;;\n"
    "\thelp:0) compadd -- ${=_apilogs_cmds} ;;\n"
    "\tcompletion:0) compadd -- bash zsh fish ;;\n"
    "\tesac\n"
    "}\n"
    "\n"
    "if [[ $zsh_eval_context[-1] == loadautoload ]]; then\n"
    "\t_apilogs \"$@\"\n"
    "else\n"
    "\tcompdef _apilogs apilogs\n"
    "fi\n";

static const char comp_fish_body[] =
    "\n"
    "# The log groups whose names start with the token being completed, from\n"
    "# apilogs itself (one DescribeLogGroups request, cached for a minute, at\n"
    "# most 3 seconds). The profile, region and endpoint typed are passed on.\n"
    "function __apilogs_groups\n"
    "    set -l words (commandline -opc)\n"
    "    set -l common\n"
    "    set -l n (count $words)\n"
    "    set -l i 2\n"
    "    while test $i -le $n\n"
    "        switch $words[$i]\n"
    "            case --profile --region --aws-region --endpoint-url "
    "--aws-endpoint-url\n"
    "                if test $i -lt $n\n"
    "                    set -a common $words[$i] $words[(math $i + 1)]\n"
    "                end\n"
    "                set i (math $i + 1)\n"
    "            case '--profile=*' '--region=*' '--aws-region=*' "
    "'--endpoint-url=*' '--aws-endpoint-url=*'\n"
    "                set -a common $words[$i]\n"
    "        end\n"
    "        set i (math $i + 1)\n"
    "    end\n"
    "    set -l tok (commandline -ct)\n"
    "    string match -q -- '*=*' $tok; and set tok (string replace -r -- "
    "'^[^=]*=' '' $tok)\n"
    "    $words[1] $common __complete groups -- $tok </dev/null 2>/dev/null\n"
    "end\n"
    "\n"
    "function __apilogs_profiles\n"
    "    set -l words (commandline -opc)\n"
    "    $words[1] __complete profiles -- (commandline -ct) </dev/null "
    "2>/dev/null\n"
    "end\n"
    "\n"
    "function __apilogs_no_command\n"
    "    set -l words (commandline -opc)\n"
    "    for w in $words[2..-1]\n"
    "        if contains -- $w $__apilogs_cmds\n"
    "            return 1\n"
    "        end\n"
    "    end\n"
    "    return 0\n"
    "end\n"
    "\n"
    "complete -c apilogs -f\n"
    "complete -c apilogs -n __apilogs_no_command -a get -d 'print log events "
    "of groups or of an API'\n"
    "complete -c apilogs -n __apilogs_no_command -a groups -d 'list log "
    "groups'\n"
    "complete -c apilogs -n __apilogs_no_command -a streams -d 'list the "
    "streams of a log group'\n"
    "complete -c apilogs -n __apilogs_no_command -a sources -d 'show the log "
    "groups behind an API'\n"
    "complete -c apilogs -n __apilogs_no_command -a trace -d 'follow one "
    "request across API Gateway and Lambda'\n"
    "complete -c apilogs -n __apilogs_no_command -a stats -d 'requests, "
    "errors, latency and Lambda duration over time'\n"
    "complete -c apilogs -n __apilogs_no_command -a help -d 'show help for a "
    "command'\n"
    "complete -c apilogs -n __apilogs_no_command -a completion -d 'print a "
    "shell completion script'\n"
    "complete -c apilogs -n '__fish_seen_subcommand_from get streams' -a "
    "'(__apilogs_groups)'\n"
    "complete -c apilogs -n '__fish_seen_subcommand_from help' -a "
    "\"$__apilogs_cmds\"\n"
    "complete -c apilogs -n '__fish_seen_subcommand_from completion' -a 'bash "
    "zsh fish'\n";

/*
 * The options of a command as one word list ("--watch -w ..."); before a
 * command (CMD_NONE), only the common ones.
 */
static void
comp_opts_words(FILE *fp, enum cmd c)
{
	struct opts_info in;
	size_t i;
	int r, first = 1;

	for (i = 0; (r = opts_info(i, c, &in)) >= 0; i++) {
		if (r == 0 || (c == CMD_NONE && !in.common))
			continue;
		fprintf(fp, "%s--%s", first ? "" : " ", in.lng);
		first = 0;
		if (in.shrt != 0)
			fprintf(fp, " -%c", in.shrt);
	}
}

/* Option i if a typed command takes it: 1 (in *in), 0 if none, -1 past the
 * last. */
static int
comp_opt_any(size_t i, struct opts_info *in)
{
	size_t k;
	int r = 0;

	for (k = 0; k < COMP_NCMDS; k++) {
		r = opts_info(i, comp_cmds[k], in);
		if (r != 0)
			return (r);
	}
	return (r);
}

/* The variables both bash and zsh read: commands, options per command,
 * options that take a value. */
static void
comp_sh_vars(FILE *fp)
{
	struct opts_info in;
	size_t i;
	int r;

	fputs("_apilogs_cmds='", fp);
	for (i = 0; i < COMP_NCMDS; i++)
		fprintf(fp, "%s%s", i ? " " : "", opts_cmd_name(comp_cmds[i]));
	fputs("'\n_apilogs_opts_none='", fp);
	comp_opts_words(fp, CMD_NONE);
	fputs("'\n", fp);
	for (i = 0; i < COMP_NCMDS; i++) {
		fprintf(fp, "_apilogs_opts_%s='", opts_cmd_name(comp_cmds[i]));
		comp_opts_words(fp, comp_cmds[i]);
		fputs("'\n", fp);
	}
	/* Space on both sides of each, for *" $a "* matching. */
	fputs("_apilogs_valued=' ", fp);
	for (i = 0; (r = comp_opt_any(i, &in)) >= 0; i++) {
		if (r == 0 || in.value != 1)
			continue;
		fprintf(fp, "--%s ", in.lng);
		if (in.shrt != 0)
			fprintf(fp, "-%c ", in.shrt);
	}
	fputs("'\n", fp);
}

/* The values a fish option completes with, or NULL. */
static const char *
comp_fish_values(const char *lng)
{
	if (strcmp(lng, "color") == 0)
		return ("auto always never on off");
	if (strcmp(lng, "output") == 0)
		return ("text json");
	if (strcmp(lng, "follow-mode") == 0)
		return ("auto live poll");
	if (strcmp(lng, "format") == 0)
		return ("detailed short json");
	if (strcmp(lng, "engine") == 0)
		return ("auto filter insights");
	if (strcmp(lng, "by") == 0)
		return ("route status function");
	if (strcmp(lng, "bin") == 0)
		return ("30s 1m 5m 15m 1h 1d");
	if (strcmp(lng, "hold-back") == 0)
		return ("auto");
	if (strcmp(lng, "group") == 0 || strcmp(lng, "log-group-prefix") == 0)
		return ("(__apilogs_groups)");
	if (strcmp(lng, "profile") == 0)
		return ("(__apilogs_profiles)");
	if (strcmp(lng, "start") == 0 || strcmp(lng, "since") == 0)
		return ("5m 15m 1h 6h 1d 1w today yesterday");
	if (strcmp(lng, "end") == 0)
		return ("now");
	if (strcmp(lng, "level") == 0)
		return ("trace debug info warn error fatal");
	return (NULL);
}

/* One `complete` line per option, limited to the commands it applies to. */
static void
comp_fish_opts(FILE *fp)
{
	struct opts_info in;
	const char *vals;
	size_t i, k, n;
	int r, common;

	for (i = 0;; i++) {
		char cmds[128] = "";

		n = 0;
		common = 0;
		r = -1;
		for (k = 0; k < COMP_NCMDS; k++) {
			r = opts_info(i, comp_cmds[k], &in);
			if (r < 0)
				break;
			if (r == 0)
				continue;
			common = in.common;
			n++;
			strncat(cmds, " ", sizeof cmds - strlen(cmds) - 1);
			strncat(cmds, opts_cmd_name(comp_cmds[k]),
			    sizeof cmds - strlen(cmds) - 1);
		}
		if (r < 0)
			break;
		if (n == 0)
			continue;
		fputs("complete -c apilogs", fp);
		if (!common)
			fprintf(
			    fp, " -n '__fish_seen_subcommand_from%s'", cmds);
		fprintf(fp, " -l %s", in.lng);
		if (in.shrt != 0)
			fprintf(fp, " -s %c", in.shrt);
		if (in.value == 1)
			fputs(" -x", fp);
		vals = comp_fish_values(in.lng);
		if (vals != NULL)
			fprintf(fp, " -a '%s'", vals);
		fputc('\n', fp);
	}
}

/* Print the script for shell; see completion.h. */
int
completion_print(FILE *fp, const char *shell)
{
	if (strcmp(shell, "bash") == 0) {
		fprintf(fp,
		    "# bash completion for apilogs   -*- shell-script -*-\n"
		    "# SPDX-License-Identifier: Apache-2.0\n"
		    "# Generated by 'apilogs completion bash' (apilogs %s).\n"
		    "# Install as .../bash-completion/completions/apilogs, or:"
		    " source <(apilogs completion bash)\n\n",
		    APILOGS_VERSION);
		comp_sh_vars(fp);
		fputs(comp_bash_body, fp);
	} else if (strcmp(shell, "zsh") == 0) {
		fprintf(fp,
		    "#compdef apilogs\n"
		    "# SPDX-License-Identifier: Apache-2.0\n"
		    "# zsh completion for apilogs, generated by 'apilogs "
		    "completion zsh' (apilogs %s).\n"
		    "# Install as _apilogs in a folder of $fpath, or: source "
		    "<(apilogs completion zsh)\n\n",
		    APILOGS_VERSION);
		comp_sh_vars(fp);
		fputs(comp_zsh_body, fp);
	} else if (strcmp(shell, "fish") == 0) {
		fprintf(fp,
		    "# SPDX-License-Identifier: Apache-2.0\n"
		    "# fish completion for apilogs, generated by 'apilogs "
		    "completion fish' (apilogs %s).\n"
		    "# Install as apilogs.fish in vendor_completions.d, or: "
		    "apilogs completion fish | source\n\n",
		    APILOGS_VERSION);
		fputs("set -g __apilogs_cmds", fp);
		for (size_t i = 0; i < COMP_NCMDS; i++)
			fprintf(fp, " %s", opts_cmd_name(comp_cmds[i]));
		fputc('\n', fp);
		fputs(comp_fish_body, fp);
		comp_fish_opts(fp);
	} else
		return (EXIT_USAGE);
	return (EXIT_OK);
}
