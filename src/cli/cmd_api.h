/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command side of API discovery (get, sources, trace with --api-id,
 * or with --stack-name for the log groups of a CloudFormation stack):
 * runs discovery (blocking, at the start of a command, outside any
 * callback), prints its warnings (and notes with -v), maps failures to
 * exit codes, hands the sources to the command, and in --watch runs
 * discovery again every few minutes to pick up new integrations.
 */
#ifndef APILOGS_CMD_API_H
#define APILOGS_CMD_API_H

#include <stdint.h>

struct app;
struct cmd_api;
struct discover_result;
struct discover_source;

/* Receives a discovered source (borrowed: copy what is kept). */
typedef void (*cmd_api_add_cb)(void *arg, const struct discover_source *);

#define CMD_API_INTERVAL_MS (5 * 60 * 1000) /* re-discovery in --watch */

/*
 * Discover the sources of --api-id and --stage (or of --stack-name, with
 * --name and --stage), printing warnings. On success return 0 with *out
 * set (free with cmd_api_free()). On failure print the error and return
 * the exit code (5 for an unknown API, stage, stack or --name) with *out
 * NULL; an interrupted discovery returns 0 with *out
 * NULL.
 */
int cmd_api_run(struct app *, struct cmd_api **out);
/* The result of the first discovery. */
const struct discover_result *cmd_api_result(const struct cmd_api *);
/*
 * Hand every discovered source to add. Returns 0, or prints an error and
 * returns EXIT_NOTFOUND when there is nothing to read (no source, and no
 * group named on the command line).
 */
int cmd_api_add_sources(struct cmd_api *, cmd_api_add_cb add, void *arg);
/*
 * While the loop runs, discover again every interval_ms (<= 0: the
 * default, or APILOGS_REDISCOVER_SECONDS) and hand sources reading new
 * groups to the add callback given to cmd_api_add_sources(). Each
 * re-discovery is an operation on the loop (following goes on while it
 * waits for API Gateway); the next one is scheduled interval_ms after
 * the previous one is over, so at most one is in flight.
 */
void cmd_api_watch(struct cmd_api *, int64_t interval_ms);
/* Free (and stop re-discovering: a re-discovery in flight is
 * cancelled). Accepts NULL. */
void cmd_api_free(struct cmd_api *);

#endif
