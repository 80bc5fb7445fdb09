/* Buffered output with EPIPE detection. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "xmalloc.h"

/* Start an output buffer of cap bytes on fd. */
void
out_init(struct out *o, int fd, size_t cap)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	o->cap = cap ? cap : 65536;
	o->buf = xmalloc(o->cap);
}

/* Free the buffer (without flushing). */
void
out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}

/* Write everything buffered; -1 when the reader went away. */
int
out_flush(struct out *o)
{
	size_t off = 0;
	ssize_t n;

	while (off < o->len && !o->closed) {
		n = write(o->fd, o->buf + off, o->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->closed = 1;
			break;
		}
		off += (size_t)n;
	}
	o->len = 0;
	return (o->closed ? -1 : 0);
}

/* Append bytes, flushing when full. */
int
out_write(struct out *o, const void *p, size_t n)
{
	const char *s = p;
	size_t k;

	while (n > 0 && !o->closed) {
		if (o->len == o->cap && out_flush(o) != 0)
			break;
		k = o->cap - o->len;
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
	return (o->closed ? -1 : 0);
}

/* End of a line: flush in line mode. */
int
out_eol(struct out *o)
{
	if (o->line_flush)
		return (out_flush(o));
	return (o->closed ? -1 : 0);
}
