/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Redaction of secrets in text that is about to be shown: a server or a
 * proxy that echoes a request back must not make us print a secret key, a
 * session token, a signature or a bearer token (SSO, web identity).
 */
#ifndef APILOGS_REDACT_H
#define APILOGS_REDACT_H

#include <stddef.h>

/*
 * Replace in *text every occurrence of each of the n secrets (NULL entries
 * and secrets shorter than 8 bytes are skipped) by "<redacted>", and also a
 * tail of *text that is the start of a secret (6 bytes or more): what is
 * left of a secret when a message was cut. The old text is wiped and freed
 * and *text replaced when anything changed. Returns how many were redacted.
 */
int redact_text(char **text, const char *const *secrets, size_t n);

#endif
