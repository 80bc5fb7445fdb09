/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helpers: a private temporary HOME with no AWS_* variables set, and
 * small file utilities. Linked into every unit test binary.
 */
#ifndef APILOGS_TMPHOME_H
#define APILOGS_TMPHOME_H

#include <sys/types.h>

/*
 * Create a fresh directory under $TMPDIR, point HOME at it, and unset every
 * AWS_* variable so the host's settings cannot leak into a test. Returns
 * the directory (static storage, valid until tmphome_end()).
 */
const char *tmphome_begin(void);
/* Remove the directory tree made by tmphome_begin(). */
void tmphome_end(void);
/* The path home/rel. Caller frees with free(). */
char *tmphome_path(const char *rel);
/* Write text to home/rel (creating directories) with mode; returns the
 * absolute path, which the caller frees with free(). */
char *tmphome_write(const char *rel, const char *text, mode_t mode);
/* Read a whole file into a NUL-terminated string, or NULL. Caller frees. */
char *tmphome_read(const char *path);

#endif
