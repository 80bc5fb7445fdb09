/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the --expand pretty-printer. The input is handed
 * over in a buffer of exactly its size. When it is accepted: the output
 * holds the same tokens (white space outside strings aside), every key
 * span is a quoted string inside the output, and pretty-printing the
 * output again gives it back unchanged.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jsonfmt.h"
#include "core/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* s without the white space outside strings. Caller frees. */
static char *
squeeze(const char *s, size_t len, size_t *outlen)
{
	char *o = xmalloc(len + 1);
	size_t i, n = 0;
	int in = 0, esc = 0;

	for (i = 0; i < len; i++) {
		if (in) {
			if (esc)
				esc = 0;
			else if (s[i] == '\\')
				esc = 1;
			else if (s[i] == '"')
				in = 0;
		} else if (s[i] == '"')
			in = 1;
		else if (strchr(" \t\r\n", s[i]) != NULL)
			continue;
		o[n++] = s[i];
	}
	*outlen = n;
	return (o);
}

/* Entry point: the input is one message. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonfmt_span *keys = NULL, *k2 = NULL;
	struct buf out, again;
	size_t nkeys = 0, n2 = 0, i, la, lb;
	char *msg, *a, *b;

	if (size > 65536)
		return (0);
	msg = xmalloc(size == 0 ? 1 : size);
	memcpy(msg, data, size);
	buf_init(&out, 0);
	buf_putc(&out, '>'); /* offsets count from the buffer's start */
	if (jsonfmt_pretty(msg, size, 2, &out, &keys, &nkeys) != 0) {
		if (out.len != 1 || keys != NULL)
			abort();
		goto done;
	}
	a = squeeze(msg, size, &la);
	b = squeeze(out.data + 1, out.len - 1, &lb);
	if (la != lb || memcmp(a, b, la) != 0)
		abort();
	free(a);
	free(b);
	for (i = 0; i < nkeys; i++) {
		if (keys[i].off < 1 || keys[i].len < 2 ||
		    keys[i].off + keys[i].len > out.len ||
		    out.data[keys[i].off] != '"' ||
		    out.data[keys[i].off + keys[i].len - 1] != '"')
			abort();
	}
	buf_init(&again, 0);
	if (jsonfmt_pretty(out.data + 1, out.len - 1, 2, &again, &k2, &n2) !=
		0 ||
	    again.len != out.len - 1 ||
	    memcmp(again.data, out.data + 1, again.len) != 0 || n2 != nkeys)
		abort();
	free(k2);
	buf_free(&again);
done:
	free(keys);
	buf_free(&out);
	free(msg);
	return (0);
}
