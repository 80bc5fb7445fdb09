/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Messages to the user on stderr: the only place (with cmd_*.c output to
 * stdout) where apilogs prints. One line each, prefixed "apilogs: ".
 * Formats never contain '\n'.
 */
#ifndef APILOGS_MSG_H
#define APILOGS_MSG_H

/* Set the verbosity (-v count) and whether stderr shows progress. */
void msg_init(int verbosity);
/* Is TERM unset, empty or "dumb" (no cursor control sequences)? */
int msg_dumb_term(void);
int msg_verbosity(void);
void errorf(const char *, ...) __attribute__((format(printf, 1, 2)));
void warnf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Information the user must see that is neither an error nor a warning
 * (an empty window), "apilogs: " and the text. */
void notef(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Shown when the verbosity is at least level. */
void verbosef(int level, const char *, ...)
    __attribute__((format(printf, 2, 3)));
/* A transient status line (progress); cleared by the next message. */
void msg_status(const char *);
void msg_status_clear(void);

#endif
