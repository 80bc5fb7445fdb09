/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the two GetQueryResults decoders (insights_decode.c for the
 * reader's rows, insights_table.c for stats tables). */
#ifndef APILOGS_LOGS_INSIGHTS_INT_H
#define APILOGS_LOGS_INSIGHTS_INT_H

#include <stddef.h>

#include <jansson.h>

#include "logs/insights.h"

/* What every GetQueryResults answer says besides its rows. */
struct insights_meta {
	enum insights_status status;
	int has_stats;
	double matched, scanned, bytes; /* statistics */
};

/*
 * Parse a GetQueryResults body and check its envelope: a status, optional
 * statistics, and results that are null, absent or an array of arrays.
 * Returns the parsed root, owned by the caller (json_decref), with
 * *results pointing into it (NULL when absent or null); on error NULL and
 * *cause (caller frees).
 */
json_t *insights_envelope(const char *body, size_t len, struct insights_meta *m,
    json_t **results, char **cause);

#endif
