/* SPDX-License-Identifier: Apache-2.0 */
/* `get --engine`: FilterLogEvents or Logs Insights for the history. */
#ifndef APILOGS_CMD_GET_ENGINE_H
#define APILOGS_CMD_GET_ENGINE_H

#include <stddef.h>

struct app;
struct aws_client;
struct cmd_source;
struct engine_opts;

/*
 * Decide how the history of srcs is read (--engine, --insights-threshold,
 * the estimate): sets eo->insights and what goes with it (eo->start and
 * eo->end hold the window). May mark sources whose group does not exist
 * (src.missing) when Insights reads them. Blocking (one DescribeLogGroups
 * per 50 groups): call it before the engine runs. Returns 0, or prints
 * the error and returns the exit code.
 */
int get_choose_engine(struct app *, struct aws_client *logs,
    struct cmd_source **srcs, size_t nsrc, struct engine_opts *eo);

#endif
