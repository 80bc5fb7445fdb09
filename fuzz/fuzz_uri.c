/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz uri_parse_url() on the input as a string, check the parts of any
 * URL it accepts, and check that uri_decode() undoes uri_encode() and that
 * the query and form builders handle any bytes.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/uri.h"
#include "core/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check the parts of an accepted URL; trap if one is wrong. */
static void
check_url(const struct uri_url *u)
{
	size_t hl = strlen(u->host), pl = strlen(u->path);

	if (strcmp(u->scheme, "http") != 0 && strcmp(u->scheme, "https") != 0)
		__builtin_trap();
	if (hl == 0 || u->port < 1 || u->port > 65535)
		__builtin_trap();
	if (pl > 0 && (u->path[0] != '/' || u->path[pl - 1] == '/'))
		__builtin_trap();
	if (strstr(u->host_header, u->host) == NULL ||
	    strpbrk(u->host, "@/?# ") != NULL)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uri_url u;
	struct uri_query q;
	char *s, *enc, *dec, *cause = NULL, *qs, *form;
	size_t dlen, half;

	s = xstrndup((const char *)data, size);
	if (uri_parse_url(s, &u, &cause) == 0) {
		check_url(&u);
		uri_url_free(&u);
	} else {
		if (cause == NULL || u.host != NULL)
			__builtin_trap();
		free(cause);
	}

	enc = uri_encode((const char *)data, size, size & 1);
	dec = uri_decode(enc, strlen(enc), &dlen);
	if (dlen != size || memcmp(dec, data, size) != 0)
		__builtin_trap();
	free(enc);
	free(dec);

	half = strlen(s) / 2;
	uri_query_init(&q);
	uri_query_add(&q, s + half, s);
	uri_query_add(&q, s, NULL);
	qs = uri_query_string(&q);
	form = uri_query_form(&q);
	if (strpbrk(qs, " +\n") != NULL || strpbrk(form, " \n") != NULL)
		__builtin_trap();
	free(qs);
	free(form);
	uri_query_free(&q);
	free(s);
	return (0);
}
