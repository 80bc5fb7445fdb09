/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line entry point: parses argv, runs a command, maps exit codes. */
#ifndef APILOGS_CLI_H
#define APILOGS_CLI_H

/* Exit codes; documented in README.md and --help. */
enum {
	EXIT_OK = 0,
	EXIT_AWS = 1,      /* AWS or network failure after retries */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_TIME = 3,     /* bad time expression */
	EXIT_CREDS = 4,    /* credentials or access */
	EXIT_NOTFOUND = 5, /* log group, API or stage not found */
	EXIT_NOSTREAM = 7  /* no stream matches the pattern */
};

int cli_main(int, char **);

#endif
