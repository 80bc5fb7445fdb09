/* SPDX-License-Identifier: Apache-2.0 */
/* CloudWatch Logs client internals shared by logs.c and logs_get.c. */
#ifndef APILOGS_LOGS_INT_H
#define APILOGS_LOGS_INT_H

#include <stddef.h>

#include "logs/logs.h"

#define LOGS_TARGET "Logs_20140328."

/* The member that names a group: logGroupIdentifier for an ARN,
 * logGroupName otherwise. */
const char *logs_group_key(const char *group);
/*
 * Start one page call: FilterLogEvents, or GetLogEvents when get is set,
 * with the JSON body given (copied; the caller keeps it). The answer is
 * decoded as that operation's page; see logs_filter_async.
 */
struct logs_op *logs_page_async(struct aws_client *, int get, const char *body,
    size_t len, logs_filter_cb, void *);

#endif
