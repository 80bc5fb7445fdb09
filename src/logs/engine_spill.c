/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pages on disk. A feed's decoded pages go to an unlinked temporary file
 * (mode 0600 in TMPDIR) instead of memory when they are not its turn yet
 * (a time slice that is not being printed) or when the history's memory
 * budget is spent (engine_opts.max_mem_pages, see engine_hist.c). They are
 * read back in order, in chunks of a few kilobytes, so a feed whose pages
 * are on disk holds only its current chunk in memory. When the disk
 * refuses (no TMPDIR, read-only, full), the engine goes on in memory only
 * (see hist_park).
 *
 * Record: a header {n, strbytes}, n fixed-size event records, then the
 * strings (stream, id, message of each event, each NUL-terminated). Writes
 * go through a fixed staging buffer, so spilling a page needs no copy of
 * it in memory.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "logs/engine_int.h"

#define SPILL_STAGE_BYTES 65536

struct spill_hdr {
	uint64_t n;
	uint64_t strbytes;
};

struct spill_ev {
	int64_t ts;
	int64_t ingest;
	uint32_t slen, ilen, mlen, pad;
};

/* Appending to a spill file through the engine's staging buffer. */
struct spill_out {
	struct engine *e;
	int fd;
	uint64_t off; /* where the staged bytes go */
	size_t len;   /* staged */
	int failed;
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
		if (r == 0)
			errno = EIO; /* the file is shorter than its records */
		if (r <= 0)
			return (-1);
		s += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return (0);
}

/* Write out what is staged. */
static void
spill_out_flush(struct spill_out *o)
{
	if (!o->failed && o->len > 0 &&
	    spill_pwrite(o->fd, o->e->spill_stage, o->len, o->off) != 0)
		o->failed = 1;
	o->off += o->len;
	o->len = 0;
}

/* Stage n bytes of p, writing out whenever the buffer is full. */
static void
spill_out_add(struct spill_out *o, const void *p, size_t n)
{
	const char *s = p;
	size_t k;

	while (n > 0 && !o->failed) {
		k = SPILL_STAGE_BYTES - o->len;
		if (k > n)
			k = n;
		memcpy(o->e->spill_stage + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
		if (o->len == SPILL_STAGE_BYTES)
			spill_out_flush(o);
	}
}

/* Append the events of p (all of them) to f's spill file; -1 with errno
 * set when the disk refuses (a partial record is past spill_w: never
 * read). */
int
spill_write(struct engine *e, struct feed *f, const struct page *p)
{
	struct spill_out o;
	struct spill_hdr h;
	struct spill_ev ev;
	const struct event *x;
	size_t i, strbytes = 0;

	if (f->spill_fd < 0 && spill_open(f) != 0)
		return (-1);
	if (e->spill_stage == NULL)
		e->spill_stage = xmalloc(SPILL_STAGE_BYTES);
	for (i = 0; i < p->n; i++)
		strbytes += p->ev[i].stream_len + p->ev[i].id_len +
			    p->ev[i].msg_len + 3;
	memset(&o, 0, sizeof o);
	o.e = e;
	o.fd = f->spill_fd;
	o.off = f->spill_w;
	h.n = p->n;
	h.strbytes = strbytes;
	spill_out_add(&o, &h, sizeof h);
	memset(&ev, 0, sizeof ev);
	for (i = 0; i < p->n; i++) {
		x = &p->ev[i];
		ev.ts = x->ts;
		ev.ingest = x->ingest;
		ev.slen = (uint32_t)x->stream_len;
		ev.ilen = (uint32_t)x->id_len;
		ev.mlen = (uint32_t)x->msg_len;
		spill_out_add(&o, &ev, sizeof ev);
	}
	/* Stream and id are NUL-terminated where they are; the message may
	 * be followed by anything. */
	for (i = 0; i < p->n; i++) {
		x = &p->ev[i];
		spill_out_add(&o, x->stream, x->stream_len + 1);
		spill_out_add(&o, x->id, x->id_len + 1);
		spill_out_add(&o, x->msg, x->msg_len);
		spill_out_add(&o, "", 1);
	}
	spill_out_flush(&o);
	if (o.failed)
		return (-1); /* errno from pwrite: the caller reports why */
	e->spill_bytes += o.off - f->spill_w;
	f->spill_w = o.off;
	f->nspilled++;
	e->st.spilled++;
	return (0);
}

static void
spill_page_free(void *p)
{
	free(p);
}

/* The oldest record of f is read: drop it, and empty the file when it was
 * the last. */
static void
spill_record_done(struct engine *e, struct feed *f)
{
	uint64_t total;

	total = sizeof(struct spill_hdr) + f->rec_n * sizeof(struct spill_ev) +
		f->rec_strbytes;
	f->spill_r += total;
	e->spill_bytes -= total;
	f->nspilled--;
	f->rec_n = 0;
	if (f->nspilled == 0) {
		/* Empty again: start the file over. */
		if (ftruncate(f->spill_fd, 0) != 0) {
			/* Only disk space is lost; keep going. */
		}
		f->spill_r = f->spill_w = 0;
	}
}

/*
 * Read the next events of f's oldest spilled page back: a chunk of about
 * max_bytes of strings (at least one event, never past the page). Returns
 * a page with chunk set, owned by the caller (page_free), or NULL with
 * *cause (caller frees).
 */
struct page *
spill_read(struct engine *e, struct feed *f, size_t max_bytes, char **cause)
{
	struct spill_hdr h;
	struct spill_ev *ev = NULL;
	struct page *p;
	char *strs = NULL, *s;
	uint64_t base;
	size_t i, k, kmax, strbytes, b;

	if (f->rec_n == 0) {
		if (spill_pread(f->spill_fd, &h, sizeof h, f->spill_r) != 0)
			goto fail;
		if (h.n == 0 || h.n > SIZE_MAX / sizeof *ev ||
		    h.strbytes < h.n * 3) {
			errno = EIO;
			goto fail;
		}
		f->rec_n = h.n;
		f->rec_k = 0;
		f->rec_str = 0;
		f->rec_strbytes = h.strbytes;
	}
	/* Events carry at least 3 bytes of strings (their NULs). */
	kmax = (size_t)(f->rec_n - f->rec_k);
	if (kmax > max_bytes / 64 + 1)
		kmax = max_bytes / 64 + 1;
	ev = xcalloc(kmax, sizeof *ev);
	base = f->spill_r + sizeof h;
	if (spill_pread(f->spill_fd, ev, kmax * sizeof *ev,
		base + f->rec_k * sizeof *ev) != 0)
		goto fail;
	strbytes = 0;
	for (k = 0; k < kmax; k++) {
		b = (size_t)ev[k].slen + ev[k].ilen + ev[k].mlen + 3;
		if (k > 0 && strbytes + b > max_bytes)
			break;
		strbytes += b;
	}
	if (strbytes > f->rec_strbytes - f->rec_str) {
		errno = EIO;
		goto fail;
	}
	strs = xmalloc(strbytes);
	if (spill_pread(f->spill_fd, strs, strbytes,
		base + f->rec_n * sizeof *ev + f->rec_str) != 0)
		goto fail;
	p = xcalloc(1, sizeof *p);
	p->ev = xcalloc(k, sizeof *p->ev);
	p->n = k;
	p->mem = strs;
	p->mem_free = spill_page_free;
	p->chunk = 1;
	p->bytes = strbytes + k * sizeof *p->ev;
	s = strs;
	for (i = 0; i < k; i++) {
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
	f->rec_k += k;
	f->rec_str += strbytes;
	if (f->rec_k == f->rec_n)
		spill_record_done(e, f);
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
	f->rec_n = 0;
}
