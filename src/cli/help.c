/* SPDX-License-Identifier: Apache-2.0 */
/* Help texts. Kept in step with README.md and docs/apilogs.1. */

#include <stdio.h>

#include "cli/help.h"

static const char help_common[] =
    "Common options (before or after the command):\n"
    "  --profile NAME             use a profile from ~/.aws/config\n"
    "  --aws-region, --region R   AWS region\n"
    "  --aws-endpoint-url, --endpoint-url URL\n"
    "                             endpoint for every service (e.g. a local\n"
    "                             emulator)\n"
    "  --aws-access-key-id ID, --aws-secret-access-key KEY,\n"
    "  --aws-session-token TOKEN  explicit credentials\n"
    "  --cli-connect-timeout S, --cli-read-timeout S\n"
    "                             network timeouts in seconds (default 10, "
    "60)\n"
    "  --color[=WHEN]             auto (default), always or never (on, off)\n"
    "  --no-color                 same as --color=never\n"
    "  --local                    read and show times in local time, not UTC\n"
    "  -v, --verbose              more detail on stderr (repeatable: -vvv)\n"
    "  -h, --help                 help; --version prints the version\n";

static const char help_exit[] =
    "Exit codes:\n"
    "  0 success             1 AWS or network failure after retries\n"
    "  2 usage error         3 bad time expression\n"
    "  4 credentials/access  5 not found (log group, API, stage, request,\n"
    "                          stack, logical id)\n"
    "  7 no stream matches the pattern\n";

#define HELP_USAGE "usage: apilogs [OPTIONS] COMMAND [ARGS]\n"
#define HELP_COMMANDS                                                          \
	"Commands:\n"                                                          \
	"  get      print log events of groups, of an API (--api-id, "         \
	"--stage) "                                                            \
	"or\n"                                                                 \
	"           of a CloudFormation stack (--stack-name)\n"                \
	"  groups   list log groups\n"                                         \
	"  streams  list the streams of a log group\n"                         \
	"  sources  show the log groups behind an API or a stack and why\n"    \
	"  trace    follow one request across API Gateway and Lambda\n"        \
	"  stats    an API's health: requests, errors, latency and Lambda\n"   \
	"           duration over time, as charts and a table\n"               \
	"  help     show help for a command: apilogs help get\n"               \
	"  completion  print a completion script: apilogs completion bash\n"

static const char help_overview[] = HELP_USAGE
    "\n"
    "Read the CloudWatch logs of a serverless API (API Gateway + Lambda) or "
    "of\n"
    "any log groups, merged in time order, historical or live.\n"
    "\n" HELP_COMMANDS "\n"
    "Examples:\n"
    "  apilogs get --api-id a1b2c3d4e5 --stage prod --watch\n"
    "  apilogs get /aws/lambda/orders --start '1h ago' -f ERROR\n"
    "  apilogs trace 6f1c2e9a-2b7d-4c11-9a3e-0f5b7c8d9e01 -a a1b2c3d4e5 -t "
    "prod\n"
    "\n";

/* --stack-name and --name, the same for get, sources and trace. */
#define STACK_HELP                                                             \
	"      --stack-name NAME      read every log group of a "              \
	"CloudFormation\n"                                                     \
	"                             stack and its nested stacks: "           \
	"functions,\n"                                                         \
	"                             APIs (every stage, or --stage), state\n" \
	"                             machines, AWS::Logs::LogGroup "          \
	"resources\n"                                                          \
	"      --name LOGICAL_ID      only these resources of the stack, or "  \
	"of\n"                                                                 \
	"                             a nested stack (repeatable)\n"

static const char help_get[] =
    "usage: apilogs get [GROUP [STREAM_REGEX]] [OPTIONS]\n"
    "       apilogs get --api-id ID [--stage NAME] [OPTIONS]\n"
    "       apilogs get --stack-name NAME [--name LOGICAL_ID]... [OPTIONS]\n"
    "\n"
    "Print the events of one or more log groups, merged in time order.\n"
    "STREAM_REGEX is ALL (default) or a regular expression anchored at the\n"
    "start of the stream name, for every group; with -g, --api-id or\n"
    "--stack-name one argument is the STREAM_REGEX.\n"
    "\n"
    "  -g, --group NAME           add a log group (repeatable); NAME* adds "
    "every\n"
    "                             group with that prefix; a regex (any of\n"
    "                             *?+()[]{}|^$\\) every group it matches "
    "whole;\n"
    "                             an ARN reads by logGroupIdentifier;\n"
    "                             NAME:STREAM_REGEX sets its own streams\n"
    "  -a, --api-id ID            read every log group behind an API Gateway "
    "API\n"
    "  -t, --stage NAME           its stage (optional when it has only "
    "one)\n" STACK_HELP
    "  -f, --filter-pattern P     CloudWatch Logs filter pattern\n"
    "  -s, --start TIME           start (default 5m): 30s, 1h30m, '2 days "
    "ago',\n"
    "                             today, 2024-05-01T10:00Z, '23/1/2015 "
    "14:23',\n"
    "                             10:00, an epoch... (see the man page)\n"
    "  -e, --end TIME             end (default: now)\n"
    "  -w, --watch                keep printing new events\n"
    "  -i, --watch-interval S     seconds between polls (default 1)\n"
    "      --hold-back auto|S     with --watch and several groups, hold "
    "events\n"
    "                             for time order: auto (default) as long as "
    "the\n"
    "                             groups polled most often need; S: for "
    "every\n"
    "                             group, at most S seconds\n"
    "      --overlap S            re-read the last S seconds each poll to "
    "catch\n"
    "                             late events (default 5)\n"
    "      --follow-mode M        how --watch follows: auto (default: Live "
    "Tail,\n"
    "                             polling if it is refused), live (Live Tail "
    "or\n"
    "                             fail) or poll (FilterLogEvents only). Live "
    "Tail\n"
    "                             is billed per session-minute: poll opts "
    "out\n"
    "  -G, --no-group             do not print the group column\n"
    "  -S, --no-stream            do not print the stream column\n"
    "      --timestamp            print the event timestamp\n"
    "      --ingestion-time       print the ingestion time\n"
    "      --request-ids          print the API request id of each line\n"
    "      --request-id ID        only the lines of one API or Lambda request\n"
    "  -H, --highlight TEXT       highlight TEXT (repeatable)\n"
    "  -q, --query EXPR           JMESPath expression over JSON messages\n"
    "      --query-keep-null      print lines whose query result is null\n"
    "  -o, --output FORMAT        text (default) or json (one object per "
    "line)\n"
    "      --raw                  print control characters in messages as is\n"
    "      --slices N             split a long read into up to N time slices\n"
    "                             fetched in parallel (default 4; 1: off)\n"
    "      --page-size N          events per request (default: the service's,\n"
    "                             up to 10000 or 1 MB)\n"
    "      --max-rps N            FilterLogEvents requests per second for all\n"
    "                             groups together (default 5)\n"
    "      --stream-reads N       a long read of a group with at most N "
    "streams\n"
    "                             active in the window goes on stream by\n"
    "                             stream with GetLogEvents (its own quota)\n"
    "                             when that reads it sooner (a request per\n"
    "                             stream plus its pages); not with a filter\n"
    "                             pattern (default 25; 0: off)\n"
    "      --max-get-rps N        GetLogEvents requests per second (default "
    "10)\n"
    "      --max-describe-rps N   DescribeLogStreams requests per second\n"
    "                             (default 25)\n"
    "      --engine E             how the history is read: auto (default;\n"
    "                             a big window through Logs Insights,\n"
    "                             FilterLogEvents and GetLogEvents at once,\n"
    "                             each group through one), filter\n"
    "                             (FilterLogEvents and GetLogEvents) or\n"
    "                             insights (Logs Insights alone, billed per\n"
    "                             GB scanned)\n"
    "      --insights-threshold SIZE\n"
    "                             auto reads through Logs Insights from this\n"
    "                             estimated size of a window longer than 10\n"
    "                             minutes (default 32M; k, M, G, T)\n"
    "      --no-progress          no progress line on stderr\n"
    "      --last N               the N newest events, however old, in time\n"
    "                             order (then new ones with --watch)\n"
    "      --grep REGEX           only lines matching REGEX (PCRE2; "
    "repeatable:\n"
    "                             any of them)\n"
    "      --exclude REGEX        not the lines matching REGEX (repeatable)\n"
    "      --level LEVEL          only LEVEL and worse: trace, debug, info,\n"
    "                             warn, error, fatal; lines with no level "
    "are\n"
    "                             dropped, failures without one are error\n"
    "      --expand               pretty-print JSON messages\n"
    "      --max-length N         cut messages after N characters\n"
    "      --event-id             print the event id\n"
    "A read that prints nothing says on stderr when the newest event was.\n"
    "The spellings of aws logs tail:\n"
    "      --follow               the same as --watch\n"
    "      --since TIME           the same as --start\n"
    "      --log-stream-names NAME...\n"
    "                             only these streams (up to the next "
    "option)\n"
    "      --log-stream-name-prefix P\n"
    "                             only streams whose name starts with P\n"
    "      --format F             detailed, short or json: aws logs tail's\n"
    "                             layouts\n"
    "\n";

static const char help_groups[] =
    "usage: apilogs groups [-p PREFIX] [OPTIONS]\n"
    "\n"
    "List log group names, one per line.\n"
    "\n"
    "  -p, --log-group-prefix P   only groups whose name starts with P\n"
    "\n";

static const char help_streams[] =
    "usage: apilogs streams GROUP [-s START] [-e END] [OPTIONS]\n"
    "\n"
    "List the streams of GROUP that have events in the time window.\n"
    "\n"
    "  -s, --start TIME           start (default 1h)\n"
    "  -e, --end TIME             end (default: now)\n"
    "\n";

static const char help_sources[] =
    "usage: apilogs sources --api-id ID [--stage NAME] [-o text|json]\n"
    "       apilogs sources --stack-name NAME [--name LOGICAL_ID]... [-o ...]\n"
    "\n"
    "Show every log group behind an API Gateway REST, HTTP or WebSocket API\n"
    "stage (execution and access logs, Lambda integrations and authorizers)\n"
    "and why each is there, without reading events. With --stack-name: every\n"
    "log group of a CloudFormation stack, with the logical id and type of\n"
    "the resource it comes from.\n"
    "\n"
    "  -a, --api-id ID            the API id\n"
    "  -t, --stage NAME           the stage (optional when there is only "
    "one)\n" STACK_HELP "  -o, --output FORMAT        text (default) or json\n"
    "\n";

static const char help_trace[] =
    "usage: apilogs trace REQUEST_ID [-a ID [-t STAGE] | --stack-name NAME |\n"
    "                     -g GROUP...]\n"
    "                     [-s START] [-e END] [-o text|json] [--max-rps N]\n"
    "\n"
    "Follow one request across API Gateway and Lambda. REQUEST_ID is an API\n"
    "Gateway request id or a Lambda request id. Prints the request's lines in\n"
    "time order, then a summary (status, latency, function, duration,\n"
    "memory, cold start, errors).\n"
    "\n"
    "  -a, --api-id ID            the API (needed to find its log groups)\n"
    "  -t, --stage NAME           its stage\n" STACK_HELP
    "  -s, --start TIME           search from (default 24h)\n"
    "  -e, --end TIME             search to (default: now)\n"
    "  -g, --group NAME           search this log group too (repeatable)\n"
    "  -o, --output FORMAT        text (default) or json\n"
    "      --max-rps N            FilterLogEvents requests per second for all\n"
    "                             groups together (default 5)\n"
    "      --engine E             how the request is found: auto (default:\n"
    "                             Logs Insights over more than 10 minutes),\n"
    "                             filter (FilterLogEvents) or insights (one\n"
    "                             query per 50 groups, billed per GB scanned)\n"
    "      --expand, --max-length N, --event-id   as in get\n"
    "\n"
    "The summary includes the X-Ray trace id when the logs have one.\n"
    "\n";

static const char help_stats[] =
    "usage: apilogs stats [-a ID [-t STAGE] | --stack-name NAME | -g "
    "GROUP...]\n"
    "                     [-s START] [-e END] [--by route|status|function]\n"
    "                     [--bin DURATION] [--engine auto|filter|insights]\n"
    "                     [-o text|json]\n"
    "\n"
    "An API's health at a glance: requests, 4xx, 5xx, error rate, total and\n"
    "integration latency (p50/p95/p99) from the access log, Lambda duration\n"
    "(p50/p95/p99), cold starts, timeouts and throttles from the Lambda\n"
    "REPORT lines and the execution log, per time bin and in total. A\n"
    "terminal gets charts that fit its width and a table; -o json gives one\n"
    "document for scripts. Percentiles are nearest-rank (a value seen).\n"
    "\n"
    "  -a, --api-id ID            the API\n"
    "  -t, --stage NAME           its stage\n" STACK_HELP
    "  -g, --group NAME           read this log group too (repeatable)\n"
    "  -s, --start TIME           from (default 1h)\n"
    "  -e, --end TIME             to (default: now)\n"
    "      --by KEY               a row per route, status or function\n"
    "      --bin DURATION         the time bin: 30s, 1m, 5m, 1h, 1d (default:\n"
    "                             about 60 bins over the window)\n"
    "      --engine ENGINE        auto (default): Logs Insights stats "
    "queries,\n"
    "                             counted locally when Insights cannot or is\n"
    "                             denied; insights: only Insights; filter:\n"
    "                             read the events and count them here\n"
    "  -o, --output FORMAT        text (default) or json\n"
    "      --max-rps N, --page-size N, --no-progress   as in get\n"
    "\n"
    "Metrics the access-log format has no field for are named on stderr.\n"
    "\n";

static const char help_completion[] =
    "usage: apilogs completion bash|zsh|fish\n"
    "\n"
    "Print a completion script for the shell: commands, options, option\n"
    "values, profiles and log group names (one DescribeLogGroups request\n"
    "for the prefix typed, cached for a minute). To use it now:\n"
    "  source <(apilogs completion bash)      # bash\n"
    "  source <(apilogs completion zsh)       # zsh, after compinit\n"
    "  apilogs completion fish | source       # fish\n"
    "make install puts them where each shell looks.\n"
    "\n";

static const char help_bare[] = HELP_USAGE
    "\n" HELP_COMMANDS "\n"
    "'apilogs --help' shows the options, 'apilogs help COMMAND' a command's.\n";

/* The short help; see help.h. */
void
help_short(FILE *fp)
{
	fputs(help_bare, fp);
}

/* Print the help of a command. */
void
help_print(FILE *fp, enum cmd cmd)
{
	switch (cmd) {
	case CMD_GET:
		fputs(help_get, fp);
		break;
	case CMD_GROUPS:
		fputs(help_groups, fp);
		break;
	case CMD_STREAMS:
		fputs(help_streams, fp);
		break;
	case CMD_SOURCES:
		fputs(help_sources, fp);
		break;
	case CMD_TRACE:
		fputs(help_trace, fp);
		break;
	case CMD_STATS:
		fputs(help_stats, fp);
		break;
	case CMD_COMPLETION:
		fputs(help_completion, fp);
		break;
	default:
		fputs(help_overview, fp);
		break;
	}
	fputs(help_common, fp);
	fputc('\n', fp);
	fputs(help_exit, fp);
}
