/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX shell-like word splitting exactly as Python's shlex.split() does it
 * (posix=True, no comments). botocore uses it for credential_process command
 * lines and for "[profile NAME]" section headers, so we must agree with it
 * on quotes and backslashes.
 */
#ifndef APILOGS_SHLEX_H
#define APILOGS_SHLEX_H

#include <stddef.h>

/*
 * Split s into words. On success *argv is a NULL-terminated array of
 * *argc words; the caller frees it with shlex_free(). On error (an
 * unclosed quote or a trailing backslash) return -1 and set *cause.
 */
int shlex_split(const char *s, char ***argv, size_t *argc, char **cause);
/* Free an array from shlex_split(). Accepts NULL. */
void shlex_free(char **argv);

#endif
