/* SPDX-License-Identifier: Apache-2.0 */
/* Help texts for apilogs and each command. */
#ifndef APILOGS_HELP_H
#define APILOGS_HELP_H

#include <stdio.h>

#include "cli/opts.h"

/* Print the help of cmd (CMD_NONE: the overview) to fp. */
void help_print(FILE *, enum cmd);
/* The short help of a bare `apilogs`: usage, commands, where to look. */
void help_short(FILE *);

#endif
