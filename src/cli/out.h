/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Buffered stdout. Flushed when the buffer fills, when apilogs is about to
 * wait for the network (so no line ever sits in the buffer while we wait),
 * and after every line in watch mode when stdout is not a terminal. EPIPE
 * (| head) is remembered and reported so the caller can end quietly.
 * Lines can be rendered straight into the buffer (out.b) and then ended
 * with out_eol().
 */
#ifndef APILOGS_OUT_H
#define APILOGS_OUT_H

#include <stddef.h>

#include "core/buf.h"

struct out {
	int fd;
	struct buf b;   /* pending bytes */
	size_t cap;     /* flush at this many bytes */
	int closed;     /* EPIPE or another write error */
	int line_flush; /* flush after each line */
	int shares_tty; /* fd is the terminal stderr shows progress on */
};

/*
 * Make sure descriptors 0-2 are open before anything else opens a file or
 * a socket: a closed stdout would otherwise be reused, and our output would
 * go into a temp file or a connection. A closed stdout is replaced by
 * /dev/null and remembered as a write error (EBADF).
 */
void out_guard_stdio(void);
/*
 * The first write error on standard output other than EPIPE (ENOSPC for
 * /dev/full, EBADF for a closed descriptor, EIO...), or 0. EPIPE means the
 * reader went away: a quiet, successful end.
 */
int out_error(void);
/* Record a write error of stdio's stdout (after fflush/ferror). */
void out_note_error(int err);

void out_init(struct out *, int fd, size_t cap);
void out_free(struct out *);
/* Append bytes; -1 once the output is closed. */
int out_write(struct out *, const void *, size_t);
/* Mark the end of a line (flushes in line mode or when full). */
int out_eol(struct out *);
int out_flush(struct out *);

#endif
