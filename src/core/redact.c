/* SPDX-License-Identifier: Apache-2.0 */
/* Redaction of secrets in messages (see redact.h). */

#include <string.h>

#include <openssl/crypto.h>

#include "core/buf.h"
#include "core/redact.h"
#include "core/xmalloc.h"

#define REDACT_MIN 8      /* shorter "secrets" would hit ordinary text */
#define REDACT_MIN_TAIL 6 /* the shortest cut-off start that is redacted */

/* Swap *text for the contents of b, wiping the old text. */
static void
redact_swap(char **text, struct buf *b)
{
	OPENSSL_cleanse(*text, strlen(*text));
	free(*text);
	*text = buf_take(b, NULL);
}

/* Replace whole occurrences of secret; returns how many. */
static int
redact_whole(char **text, const char *secret, size_t n)
{
	struct buf b;
	const char *s, *hit;
	int count = 0;

	if (strstr(*text, secret) == NULL)
		return (0);
	buf_init(&b, BUF_NOCAP);
	for (s = *text; (hit = strstr(s, secret)) != NULL; s = hit + n) {
		buf_put(&b, s, (size_t)(hit - s));
		buf_puts(&b, "<redacted>");
		count++;
	}
	buf_puts(&b, s);
	redact_swap(text, &b);
	return (count);
}

/* Replace a tail of *text that starts secret; returns 1 if there was. */
static int
redact_tail(char **text, const char *secret, size_t n)
{
	struct buf b;
	size_t len = strlen(*text), k;

	for (k = n - 1; k >= REDACT_MIN_TAIL; k--) {
		if (k > len || memcmp(*text + len - k, secret, k) != 0)
			continue;
		buf_init(&b, BUF_NOCAP);
		buf_put(&b, *text, len - k);
		buf_puts(&b, "<redacted>");
		redact_swap(text, &b);
		return (1);
	}
	return (0);
}

/* Redact secrets in *text; see redact.h. */
int
redact_text(char **text, const char *const *secrets, size_t n)
{
	size_t i, len;
	int count = 0;

	for (i = 0; i < n && *text != NULL; i++) {
		if (secrets[i] == NULL)
			continue;
		len = strlen(secrets[i]);
		if (len < REDACT_MIN)
			continue;
		count += redact_whole(text, secrets[i], len);
		count += redact_tail(text, secrets[i], len);
	}
	return (count);
}
