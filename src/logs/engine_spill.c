/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read-ahead on disk. A time slice that is not being printed yet keeps
 * fetching, and its decoded pages go to an unlinked temporary file (mode
 * 0600 in TMPDIR) instead of memory; they are read back in order when the
 * slice's turn comes. Memory stays bounded whatever the read-ahead. When
 * the disk refuses (no TMPDIR, read-only, full), the engine reads ahead in
 * memory only, a few pages per slice (see hist_park).
 *
 * Record: a header {n, strbytes}, n fixed-size event records, then the
 * strings (stream, id, message of each event, each NUL-terminated).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "logs/engine_int.h"

struct spill_hdr {
	uint64_t n;
	uint64_t strbytes;
};

struct spill_ev {
	int64_t ts;
	int64_t ingest;
	uint32_t slen, ilen, mlen, pad;
};

static int
spill_open(struct feed *f)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	path = xprintf("%s/apilogs-spill-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd != -1)
		unlink(path);
	free(path);
	f->spill_fd = fd;
	return (fd == -1 ? -1 : 0);
}

static int
spill_pwrite(int fd, const void *p, size_t n, uint64_t off)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = pwrite(fd, s, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return (-1);
		s += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return (0);
}

static int
spill_pread(int fd, void *p, size_t n, uint64_t off)
{
	char *s = p;
	ssize_t r;

	while (n > 0) {
		r = pread(fd, s, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		s += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return (0);
}

/* Append a page to f's spill file; -1 with errno set when the disk
 * refuses (a partial record is past spill_w: never read). */
int
spill_write(struct engine *e, struct feed *f, const struct page *p)
{
	struct spill_hdr h;
	struct spill_ev *ev;
	char *strs, *s;
	size_t i, strbytes = 0, total;
	int rc = -1, saved;

	if (f->spill_fd < 0 && spill_open(f) != 0)
		return (-1);
	for (i = 0; i < p->n; i++)
		strbytes += p->ev[i].stream_len + p->ev[i].id_len +
			    p->ev[i].msg_len + 3;
	ev = xcalloc(p->n ? p->n : 1, sizeof *ev);
	strs = s = xmalloc(strbytes ? strbytes : 1);
	for (i = 0; i < p->n; i++) {
		ev[i].ts = p->ev[i].ts;
		ev[i].ingest = p->ev[i].ingest;
		ev[i].slen = (uint32_t)p->ev[i].stream_len;
		ev[i].ilen = (uint32_t)p->ev[i].id_len;
		ev[i].mlen = (uint32_t)p->ev[i].msg_len;
		memcpy(s, p->ev[i].stream, p->ev[i].stream_len + 1);
		s += p->ev[i].stream_len + 1;
		memcpy(s, p->ev[i].id, p->ev[i].id_len + 1);
		s += p->ev[i].id_len + 1;
		memcpy(s, p->ev[i].msg, p->ev[i].msg_len);
		s[p->ev[i].msg_len] = '\0';
		s += p->ev[i].msg_len + 1;
	}
	h.n = p->n;
	h.strbytes = strbytes;
	total = sizeof h + p->n * sizeof *ev + strbytes;
	if (spill_pwrite(f->spill_fd, &h, sizeof h, f->spill_w) != 0 ||
	    spill_pwrite(f->spill_fd, ev, p->n * sizeof *ev,
		f->spill_w + sizeof h) != 0 ||
	    spill_pwrite(f->spill_fd, strs, strbytes,
		f->spill_w + sizeof h + p->n * sizeof *ev) != 0)
		goto out;
	f->spill_w += total;
	f->nspilled++;
	e->spill_bytes += total;
	e->st.spilled++;
	rc = 0;
out:
	saved = errno;
	free(ev);
	free(strs);
	errno = saved; /* the caller reports why */
	return (rc);
}

static void
spill_page_free(void *p)
{
	free(p);
}

/* Read the oldest spilled page of f back. Caller owns the page. */
struct page *
spill_read(struct engine *e, struct feed *f, char **cause)
{
	struct spill_hdr h;
	struct spill_ev *ev = NULL;
	struct page *p;
	char *strs = NULL, *s;
	uint64_t total;
	size_t i;

	if (spill_pread(f->spill_fd, &h, sizeof h, f->spill_r) != 0 ||
	    h.n > SIZE_MAX / sizeof *ev || h.strbytes > SIZE_MAX)
		goto fail;
	ev = xcalloc(h.n ? h.n : 1, sizeof *ev);
	strs = xmalloc(h.strbytes ? h.strbytes : 1);
	if (spill_pread(f->spill_fd, ev, h.n * sizeof *ev,
		f->spill_r + sizeof h) != 0 ||
	    spill_pread(f->spill_fd, strs, h.strbytes,
		f->spill_r + sizeof h + h.n * sizeof *ev) != 0)
		goto fail;
	total = sizeof h + h.n * sizeof *ev + h.strbytes;
	f->spill_r += total;
	f->nspilled--;
	e->spill_bytes -= total;
	p = xcalloc(1, sizeof *p);
	p->ev = xcalloc(h.n ? h.n : 1, sizeof *p->ev);
	p->n = h.n;
	p->mem = strs;
	p->mem_free = spill_page_free;
	s = strs;
	for (i = 0; i < h.n; i++) {
		p->ev[i].ts = ev[i].ts;
		p->ev[i].ingest = ev[i].ingest;
		p->ev[i].stream = s;
		p->ev[i].stream_len = ev[i].slen;
		s += ev[i].slen + 1;
		p->ev[i].id = s;
		p->ev[i].id_len = ev[i].ilen;
		s += ev[i].ilen + 1;
		p->ev[i].msg = s;
		p->ev[i].msg_len = ev[i].mlen;
		s += ev[i].mlen + 1;
		p->ev[i].src = f->srcidx;
		p->ev[i].seq = e->seq++;
	}
	free(ev);
	if (f->nspilled == 0) {
		/* Empty again: start the file over. */
		if (ftruncate(f->spill_fd, 0) != 0) {
			/* Only disk space is lost; keep going. */
		}
		f->spill_r = f->spill_w = 0;
	}
	return (p);
fail:
	free(ev);
	free(strs);
	*cause = xprintf("cannot read back spilled events: %s",
	    strerror(errno ? errno : EIO));
	return (NULL);
}

/* Close f's spill file, forgetting what it held. */
void
spill_close(struct engine *e, struct feed *f)
{
	if (f->spill_fd >= 0)
		close(f->spill_fd);
	f->spill_fd = -1;
	e->spill_bytes -= f->spill_w - f->spill_r;
	f->spill_r = f->spill_w = 0;
	f->nspilled = 0;
}
