/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz sigv4_sign(). Input layout: one flag byte, then method, path and
 * query, each ended by a NUL or newline byte; then headers "name:value"
 * each ended by a NUL byte (so values may hold CR and LF); an empty header
 * ends the list and the remaining bytes are the body. On success the
 * canonical request must have the expected shape and signing again must
 * give the same signature.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sigv4.h"
#include "core/xmalloc.h"

#define MAXHDR 64

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Take the next field, ended by a byte in seps or by a NUL (strchr() finds
 * the terminator too); NULL at the end of the input. Caller frees.
 */
static char *
field(const uint8_t **p, const uint8_t *end, const char *seps)
{
	const uint8_t *s = *p;
	char *f;

	if (s >= end)
		return (NULL);
	while (*p < end && strchr(seps, **p) == NULL)
		(*p)++;
	f = xstrndup((const char *)s, (size_t)(*p - s));
	if (*p < end)
		(*p)++;
	return (f);
}

/* Check the shape of a canonical request; trap if it is wrong. */
static void
check_creq(const struct sigv4_output *out)
{
	const char *c = out->canonical_request, *sh;
	size_t lines = 1, names = 1;

	for (; *c != '\0'; c++) {
		if (*c == '\n')
			lines++;
		else if ((unsigned char)*c < ' ' || *c == 0x7f)
			__builtin_trap();
	}
	sh = strstr(out->authorization, "SignedHeaders=");
	if (sh == NULL)
		__builtin_trap();
	for (; *sh != ',' && *sh != '\0'; sh++)
		names += (*sh == ';');
	/* method, path, query, headers, blank, signed names, hash */
	if (lines != 3 + names + 3)
		__builtin_trap();
	if (strlen(out->amz_date) != 16 || strlen(out->signature) != 64)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_header h[MAXHDR + 1];
	struct sigv4_input in;
	struct sigv4_output out, again;
	const uint8_t *p, *end = data + size;
	char *method, *path, *query, *hf[MAXHDR];
	char *cause = NULL, *colon;
	size_t nh = 0, nf = 0, i;
	uint8_t flags;

	if (size < 1)
		return (0);
	flags = data[0];
	p = data + 1;
	method = field(&p, end, "\n");
	path = field(&p, end, "\n");
	query = field(&p, end, "\n");
	if (flags & 0x08)
		h[nh++] = (struct sigv4_header){"Host", "example.com"};
	while (nf < MAXHDR && p < end && *p != '\0') {
		hf[nf] = field(&p, end, "");
		colon = strchr(hf[nf], ':');
		if (colon != NULL) {
			*colon = '\0';
			h[nh++] = (struct sigv4_header){hf[nf], colon + 1};
		} else
			h[nh++] = (struct sigv4_header){hf[nf], NULL};
		nf++;
	}
	if (p < end)
		p++;
	memset(&in, 0, sizeof in);
	in.method = method;
	in.path = path;
	in.query = query != NULL && *query != '\0' ? query : NULL;
	in.headers = h;
	in.nheaders = nh;
	in.body = p;
	in.body_len = (size_t)(end - p);
	in.region = "us-east-1";
	in.service = (flags & 0x20) ? "s3" : "logs";
	in.access_key = "AKIDEXAMPLE";
	in.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	in.session_token = (flags & 0x10) ? "token==" : NULL;
	in.now = (flags & 0x40) ? (time_t)-1 : (time_t)1440938160;
	in.flags = flags & 0x07;
	if (sigv4_sign(&in, &out, &cause) == 0) {
		check_creq(&out);
		if (sigv4_sign(&in, &again, &cause) != 0 ||
		    strcmp(out.signature, again.signature) != 0)
			__builtin_trap();
		sigv4_output_free(&again);
		sigv4_output_free(&out);
	} else {
		if (cause == NULL || out.authorization != NULL)
			__builtin_trap();
		free(cause);
	}
	for (i = 0; i < nf; i++)
		free(hf[i]);
	free(method);
	free(path);
	free(query);
	return (0);
}
