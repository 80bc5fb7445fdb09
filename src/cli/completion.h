/* SPDX-License-Identifier: Apache-2.0 */
/* Shell completion: the scripts and their dynamic helper. */
#ifndef APILOGS_COMPLETION_H
#define APILOGS_COMPLETION_H

#include <stdio.h>

struct opts;

/* Print the completion script of shell ("bash", "zsh", "fish"). Returns
 * the exit code (EXIT_USAGE for another shell). */
int completion_print(FILE *, const char *shell);
/* apilogs __complete KIND WORD (cmd_complete.c); returns the exit code. */
int cmd_complete(struct opts *);

#endif
