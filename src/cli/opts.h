/* SPDX-License-Identifier: Apache-2.0 */
/* Parsed command-line options for every command. */
#ifndef APILOGS_OPTS_H
#define APILOGS_OPTS_H

#include <stddef.h>
#include <stdint.h>

enum cmd {
	CMD_NONE,
	CMD_GET,
	CMD_GROUPS,
	CMD_STREAMS,
	CMD_SOURCES,
	CMD_TRACE,
	CMD_STATS,
	CMD_HELP,
	CMD_COMPLETION, /* completion SHELL: print a completion script */
	CMD_COMPLETE    /* __complete KIND WORD: hidden, for those scripts */
};

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

enum output_fmt { OUTPUT_TEXT, OUTPUT_JSON };

/* --format: the layouts of `aws logs tail` (FORMAT_NONE: apilogs' own). */
enum tail_format { FORMAT_NONE, FORMAT_DETAILED, FORMAT_SHORT, FORMAT_JSON };

/* How `get` reads the history (--engine). */
enum read_engine { READ_AUTO, READ_FILTER, READ_INSIGHTS };

/* --insights-threshold by default: 32 MB, about 7 s of FilterLogEvents at
 * its account quota (5 pages of 1 MB a second), more than Logs Insights
 * takes to start and read that many rows in pages of 10 000, and 0.016 US
 * cents scanned ($0.005 per GB). */
#define OPTS_INSIGHTS_THRESHOLD 32e6

struct strlist {
	char **v;
	size_t n;
};

struct opts {
	enum cmd cmd;
	/* Common. */
	char *profile;
	char *region;
	char *endpoint_url;
	char *access_key;
	char *secret_key;
	char *session_token;
	int verbose;
	enum color_when color;
	long connect_timeout_ms; /* 0: default */
	long read_timeout_ms;    /* 0: default */
	int local;               /* --local */
	int help;                /* --help seen */
	int version;             /* --version seen */

	/* get / streams / trace. */
	char *group;           /* positional GROUP */
	char *stream_regex;    /* positional STREAM_REGEX */
	struct strlist groups; /* -g/--group */
	char *filter_pattern;
	int watch;
	int64_t watch_interval_ms;
	char *start; /* NULL: command default */
	char *end;
	int no_group;
	int no_stream;
	int timestamp;
	int ingestion_time;
	struct strlist highlights;
	enum output_fmt output;
	double max_rps;
	double max_get_rps;      /* --max-get-rps (GetLogEvents) */
	double max_describe_rps; /* --max-describe-rps (DescribeLogStreams) */
	int stream_reads;        /* --stream-reads (0: off) */
	char *query;
	int query_keep_null;
	int raw;
	int64_t hold_back_ms;
	int64_t overlap_ms;
	int request_ids;  /* --request-ids column */
	char *request_id; /* --request-id filter */
	char *api_id;
	char *stage;
	char *stack_name;     /* --stack-name */
	struct strlist names; /* --name: logical ids of the stack */
	int no_progress;
	int slices;                /* --slices: time slices of a long read */
	int page_size;             /* --page-size: FilterLogEvents limit */
	enum read_engine engine;   /* --engine */
	double insights_threshold; /* --insights-threshold, bytes */
	/* What users ask for (issue 16). */
	size_t last;             /* --last N: the N newest events, 0 off */
	int event_id;            /* --event-id column */
	int expand;              /* --expand: pretty-print JSON messages */
	size_t max_length;       /* --max-length N characters, 0 off */
	struct strlist greps;    /* --grep REGEX (any) */
	struct strlist excludes; /* --exclude REGEX (none) */
	int level;               /* --level: enum logline_level, 0 off */
	int follow_mode; /* --follow-mode: enum engine_follow (0: auto) */
	/* `aws logs tail` spellings (issue 16). */
	struct strlist stream_names; /* --log-stream-names */
	char *stream_prefix;         /* --log-stream-name-prefix */
	enum tail_format format;     /* --format */
	int output_set;              /* -o given (excludes --format) */

	/* groups. */
	char *prefix;

	/* trace. */
	char *trace_id;

	/* stats. */
	int stats_by;   /* --by: enum stats_by, 0 none */
	int64_t bin_ms; /* --bin, 0: chosen from the window */

	/* help. */
	char *help_topic;

	/* completion, __complete. */
	char *shell;         /* bash, zsh or fish */
	char *complete_kind; /* "groups" */
	char *complete_word; /* the word typed so far */
};

void opts_init(struct opts *);
void opts_free(struct opts *);
/* Parse argv into o. On a usage error return -1 with *cause set (caller
 * frees); the message names the option and how to get help. Without a
 * command (and without --help or --version) return OPTS_NO_COMMAND, with
 * *cause set too. */
#define OPTS_NO_COMMAND (-2)
int opts_parse(struct opts *, int argc, char **argv, char **cause);
/* The name of a command ("get"), or NULL for CMD_NONE. */
const char *opts_cmd_name(enum cmd);

/* One option as the completion scripts see it. */
struct opts_info {
	const char *lng; /* long name without "--" */
	char shrt;       /* short letter, 0 if none */
	int value;       /* 0 flag, 1 needs a value, 2 optional (=WHEN) */
	int common;      /* applies to every command */
};
/*
 * The i-th option definition (from 0). Returns -1 past the last, 0 when
 * it does not apply to cmd, 1 when it does (and *out is filled).
 */
int opts_info(size_t i, enum cmd, struct opts_info *out);

#endif
