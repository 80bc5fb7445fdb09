/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs --version [-v]. */
#ifndef APILOGS_VERSION_H
#define APILOGS_VERSION_H

#include <stdio.h>

/*
 * Print "apilogs VERSION"; with verbose > 0 also the versions of the
 * libraries in use: libcurl (loaded for this, with the file it came from),
 * OpenSSL, jansson and PCRE2, each as the running library reports it.
 */
void version_print(FILE *, int verbose);

#endif
