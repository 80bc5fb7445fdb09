/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small file helpers shared by config and the credential providers:
 * botocore-style path expansion, bounded whole-file reads that wipe what
 * they read, and atomic private (0600) writes for credential caches.
 */
#ifndef APILOGS_FILE_H
#define APILOGS_FILE_H

#include <stddef.h>

#include "core/buf.h"

/* Expand $VAR / ${VAR} then a leading ~ or ~user, like Python's
 * os.path.expandvars + expanduser. Caller frees with free(). */
char *file_expand_path(const char *);

/*
 * Read a whole regular file into b (initialised by the caller, whose cap
 * bounds the size). A path that does not exist or is not a regular file
 * sets *missing (when missing is non-NULL; otherwise it is an error). Other
 * failures, including a file past the cap, return -1 with "path: reason".
 * Wipe b with file_wipe() when it held a secret.
 */
int file_read(const char *path, struct buf *b, int *missing, char **cause);
/* OPENSSL_cleanse the contents of b, then free it. */
void file_wipe(struct buf *b);

/*
 * Write len bytes to path atomically with mode 0600: a temporary file in
 * the same directory (created with mode 0700 if missing), fsync, rename.
 */
int file_write_private(
    const char *path, const void *data, size_t len, char **cause);

#endif
