/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Turn events into bytes: awslogs-compatible text lines (columns group,
 * stream, timestamp, ingestion time, event id, message; colours;
 * highlights; error lines in red; JSON messages pretty-printed with
 * --expand; long ones cut with --max-length; control characters escaped)
 * or one JSON object per line (messages always whole).
 */
#ifndef APILOGS_RENDER_H
#define APILOGS_RENDER_H

#include <stddef.h>

#include "core/buf.h"
#include "logs/event.h"

struct corr_tag;
struct jsonw;

enum render_fmt {
	RENDER_TEXT,
	RENDER_JSON,
	/* --format: the layouts of `aws logs tail` (render_tail.c). */
	RENDER_TAIL_DETAILED,
	RENDER_TAIL_SHORT,
	RENDER_TAIL_JSON
};

/* How one source is shown; the command fills it and keeps it alive while
 * it renders that source's events. */
struct render_src {
	const char *group;
	const char *role;    /* JSON "source" ("lambda:orders"), or NULL */
	int color;           /* SGR colour of the group column */
	size_t stream_width; /* padding of the stream column (chars) */
};

/* The settings (filled by the command) and a cache of cells. */
struct render {
	enum render_fmt fmt;
	int color;
	int show_group;
	int show_stream;
	int show_ts;
	int show_ingest;
	int time_flags;     /* TIMEEXPR_LOCAL */
	int raw;            /* keep control characters */
	size_t group_width; /* pad the group column (chars) */
	int show_reqids;    /* --request-ids column */
	int show_event_id;  /* --event-id column */
	int expand;         /* --expand: pretty-print JSON messages */
	size_t max_length;  /* --max-length: characters shown, 0 all */
	char **hl;          /* -H values */
	size_t nhl;
	/* Cells that repeat (group, last stream) per source: render.c. */
	struct render_cache *cache;
	size_t ncache;
	/* Message transform (JMESPath --query): returns 1 and sets *out
	 * (caller of the hook frees) to replace, 0 to keep, -1 to skip. */
	int (*transform)(
	    void *arg, const char *msg, size_t len, char **out, size_t *outlen);
	void *transform_arg;
};

/* Append the rendering of ev (one line with '\n', or nothing when the
 * transform skips it) to b. tag (request ids) may be NULL. */
void render_event(struct render *, const struct event *,
    const struct render_src *, const struct corr_tag *, struct buf *b);
/*
 * JSON: open ev's object in w and write its members, which the caller may
 * add to before it closes the object with jsonw_end(). Returns -1, having
 * written nothing, when the transform skips the event.
 */
int render_event_json(struct render *, const struct event *,
    const struct render_src *, const struct corr_tag *, struct jsonw *);
/* Free what render_event cached. */
void render_free(struct render *);
/* Text of a message with Python's str.rstrip(): the new length. */
size_t render_rstrip(const char *, size_t);
/* A stable SGR colour for a group name (never red). */
int render_group_color(const char *);

/* For render_tail.c: the message column (trailing white space stripped,
 * --expand, --max-length, escapes, highlights, error colour, dim when
 * late), and a padded cell followed by a space. */
void render_message_text(
    struct render *, struct buf *, const char *, size_t, int late);
void render_cell(struct render *, struct buf *, int color, const char *,
    size_t len, size_t width);
/* One event in an `aws logs tail` layout (render_tail.c). */
void render_tail(struct render *, const struct event *,
    const struct render_src *, const char *msg, size_t len, struct buf *);

#endif
