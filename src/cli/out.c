/* SPDX-License-Identifier: Apache-2.0 */
/* Buffered output with EPIPE detection. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/msg.h"
#include "cli/out.h"

static int out_errno; /* first write error on stdout other than EPIPE */

/* Keep descriptors 0-2 open; see out.h. */
void
out_guard_stdio(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* open() takes the lowest free number: this one. */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			abort();
		if (fd == 1)
			out_errno = EBADF;
	}
}

/* The first write error on stdout other than EPIPE, or 0. */
int
out_error(void)
{
	return (out_errno);
}

/* Remember a write error (EPIPE is not one). */
void
out_note_error(int err)
{
	if (err != 0 && err != EPIPE && out_errno == 0)
		out_errno = err;
}

/* Are a and b the same terminal? */
static int
out_same_tty(int a, int b)
{
	struct stat sa, sb;

	if (!isatty(a) || !isatty(b) || fstat(a, &sa) != 0 ||
	    fstat(b, &sb) != 0)
		return (0);
	return (sa.st_rdev == sb.st_rdev);
}

/* Start an output buffer flushed at cap bytes on fd. */
void
out_init(struct out *o, int fd, size_t cap)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	o->cap = cap ? cap : 65536;
	o->shares_tty = out_same_tty(fd, 2);
	buf_init(&o->b, 0);
	buf_reserve(&o->b, o->cap + 4096);
}

/* Free the buffer (without flushing). */
void
out_free(struct out *o)
{
	buf_free(&o->b);
}

/* Write everything buffered; -1 when the reader went away. */
int
out_flush(struct out *o)
{
	size_t off = 0;
	ssize_t n;

	if (o->fd == 1 && out_errno != 0)
		o->closed = 1; /* stdout was closed when we started */
	/* Lines must not land after the progress text on its line. */
	if (o->shares_tty && o->b.len > 0)
		msg_status_clear();
	while (off < o->b.len && !o->closed) {
		n = write(o->fd, o->b.data + off, o->b.len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			out_note_error(errno);
			o->closed = 1;
			break;
		}
		off += (size_t)n;
	}
	buf_reset(&o->b);
	return (o->closed ? -1 : 0);
}

/* Append bytes, flushing when full. */
int
out_write(struct out *o, const void *p, size_t n)
{
	if (o->closed)
		return (-1);
	buf_put(&o->b, p, n);
	if (o->b.len >= o->cap)
		return (out_flush(o));
	return (0);
}

/* End of a line: flush in line mode or when the buffer is full. */
int
out_eol(struct out *o)
{
	if (o->closed) {
		buf_reset(&o->b);
		return (-1);
	}
	if (o->line_flush || o->b.len >= o->cap)
		return (out_flush(o));
	return (0);
}
