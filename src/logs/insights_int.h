/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the GetQueryResults decoders: the envelope of a stats table
 * (insights_decode.c, insights_table.c) and the streaming decoder of the
 * reader's rows (insights_rows.c, insights_rowread.c). */
#ifndef APILOGS_LOGS_INSIGHTS_INT_H
#define APILOGS_LOGS_INSIGHTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
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

/* The streaming decoder of GetQueryResults rows (insights_rows.c cuts the
 * body into units, insights_rowread.c reads them). */
#define RD_INTERN_SLOTS 1024 /* a power of two */
#define RD_INTERN_MAX 512    /* names kept once; the others as they come */

/* A block of strings: the answer's mem is a chain of them. */
struct rd_block {
	struct rd_block *next;
	size_t size, used;
	char data[];
};

/* A name kept once (a group or a stream). */
struct rd_name {
	uint32_t hash;
	uint32_t len;
	const char *s;
};

enum rd_state {
	RD_OPEN,       /* before the '{' */
	RD_FIRST,      /* after it: a key or '}' */
	RD_MEMBER,     /* after ',': a key */
	RD_KEY,        /* inside a key (a unit) */
	RD_COLON,      /* before ':' */
	RD_VALUE,      /* before a member's value */
	RD_UNIT,       /* inside a member's value (a unit) */
	RD_NEXT,       /* after a member: ',' or '}' */
	RD_ROWS_FIRST, /* after "results": [ : a row or ']' */
	RD_ROW_START,  /* after ',' in results: a row */
	RD_ROW,        /* inside a row (a unit) */
	RD_ROW_NEXT,   /* after a row: ',' or ']' */
	RD_END,        /* after the object: blanks only */
	RD_FAILED
};

enum rd_key { K_OTHER, K_STATUS, K_TOKEN, K_STATS, K_RESULTS };

struct insights_rowdec {
	int complete_only;
	size_t hint;     /* rows expected at most (maxItems), or 0 */
	size_t max_unit; /* the longest unit (a row) */
	enum rd_state st;
	enum rd_key key;
	/* The unit being cut: how it started, how deep it is, where in a
	 * string, and its bytes so far (only those of earlier chunks are in
	 * tail). */
	int kind; /* '"', '{' (any container) or 's' (a scalar) */
	int depth, in_str, esc;
	size_t ulen;
	struct buf tail;
	const char *why; /* why it failed (RD_FAILED) */
	int too_long;    /* ...a unit longer than max_unit */
	int status_set, had_results;
	struct insights_answer a;
	size_t cap;                  /* rows a->ev can hold */
	struct rd_block *blk, *last; /* a.mem: first and current block */
	struct rd_name names[RD_INTERN_SLOTS];
	size_t nnames;
	char status[16];
};

/* Read a whole unit in d's answer: a member's key (d->key), its value,
 * one row of results. 0, or -1 when it is not what it must be. */
int rowread_key(struct insights_rowdec *d, const char *u, size_t len);
int rowread_value(struct insights_rowdec *d, const char *u, size_t len);
int rowread_row(struct insights_rowdec *d, const char *u, size_t len);
/* Free an answer's blocks of strings (its mem). Accepts NULL. */
void rowread_blocks_free(void *mem);

#endif
