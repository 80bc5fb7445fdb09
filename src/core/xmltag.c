/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded element-text extraction for query-protocol XML responses. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "core/xmltag.h"

/* Is p (bounded by e) the tag name n followed by a delimiter? */
static int
xmltag_name_at(const char *p, const char *e, const char *n, size_t nlen)
{
	if ((size_t)(e - p) <= nlen || memcmp(p, n, nlen) != 0)
		return (0);
	p += nlen;
	return (*p == '>' || *p == '/' || *p == ' ' || *p == '\t' ||
		*p == '\r' || *p == '\n');
}

/* The end of the tag starting at p ('<'): the byte after '>', or NULL. */
static const char *
xmltag_tag_end(const char *p, const char *e)
{
	const char *gt;

	gt = memchr(p, '>', (size_t)(e - p));
	return (gt == NULL ? NULL : gt + 1);
}

/*
 * Find element n inside [*s, *e); on success narrow [*s, *e) to its
 * content and return 0.
 */
static int
xmltag_find(const char **s, const char **e, const char *n, size_t nlen)
{
	const char *p = *s, *end = *e, *open, *content;
	int depth = 0;

	for (;;) {
		p = memchr(p, '<', (size_t)(end - p));
		if (p == NULL)
			return (-1);
		if (xmltag_name_at(p + 1, end, n, nlen))
			break;
		p++;
	}
	open = p;
	content = xmltag_tag_end(open, end);
	if (content == NULL)
		return (-1);
	if (content - open >= 2 && content[-2] == '/') {
		*s = *e = content; /* <Name/> */
		return (0);
	}
	for (p = content; p < end;) {
		p = memchr(p, '<', (size_t)(end - p));
		if (p == NULL)
			return (-1);
		if (p + 1 < end && p[1] == '/' &&
		    xmltag_name_at(p + 2, end, n, nlen)) {
			if (depth == 0) {
				*s = content;
				*e = p;
				return (0);
			}
			depth--;
		} else if (xmltag_name_at(p + 1, end, n, nlen)) {
			open = xmltag_tag_end(p, end);
			if (open == NULL)
				return (-1);
			if (!(open - p >= 2 && open[-2] == '/'))
				depth++;
		}
		p++;
	}
	return (-1);
}

/* Decode one "&...;" reference at p; return its length, 0 if none. */
static size_t
xmltag_entity(struct buf *b, const char *p, const char *e)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'},
	    {"&quot;", '"'}, {"&apos;", '\''}};
	size_t i, n;
	uint32_t cp = 0;
	char u8[4];
	int hex;

	for (i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		n = strlen(ents[i].name);
		if ((size_t)(e - p) >= n && memcmp(p, ents[i].name, n) == 0) {
			buf_putc(b, ents[i].c);
			return (n);
		}
	}
	if (e - p < 4 || p[1] != '#')
		return (0);
	hex = p[2] == 'x' || p[2] == 'X';
	for (i = hex ? 3 : 2; p + i < e && i < 12; i++) {
		if (p[i] == ';')
			break;
		if (p[i] >= '0' && p[i] <= '9')
			cp = cp * (hex ? 16 : 10) + (uint32_t)(p[i] - '0');
		else if (hex && p[i] >= 'a' && p[i] <= 'f')
			cp = cp * 16 + (uint32_t)(p[i] - 'a' + 10);
		else if (hex && p[i] >= 'A' && p[i] <= 'F')
			cp = cp * 16 + (uint32_t)(p[i] - 'A' + 10);
		else
			return (0);
	}
	if (p + i >= e || p[i] != ';' || i == (size_t)(hex ? 3 : 2) ||
	    cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	buf_put(b, u8, utf8_encode(cp, u8));
	return (i + 1);
}

/* Narrow [*s, *e) to the content of the element at path; -1 if absent. */
static int
xmltag_path(const char **s, const char **e, const char *path)
{
	const char *p, *slash;
	size_t n;

	if (*path == '\0')
		return (-1);
	for (p = path; *p != '\0'; p = slash + 1) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || xmltag_find(s, e, p, n) != 0)
			return (-1);
		if (slash == NULL)
			break;
	}
	return (0);
}

/* The elements of a list; see xmltag.h. */
int
xmltag_list(const char *xml, size_t len, const char *path, const char *child,
    size_t max, struct xmltag_span **out, size_t *n)
{
	const char *s = xml, *e = xml + len, *cs, *ce;
	size_t clen = strlen(child);

	*out = NULL;
	*n = 0;
	if (xmltag_path(&s, &e, path) != 0)
		return (-1);
	while (clen > 0 && *n < max && s < e) {
		cs = s;
		ce = e;
		if (xmltag_find(&cs, &ce, child, clen) != 0)
			break;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[*n].p = cs;
		(*out)[*n].len = (size_t)(ce - cs);
		(*n)++;
		/* On past "<child/>" (its content is empty and ends the
		 * tag) or past the closing tag. */
		s = ce;
		if (cs == ce && ce - xml >= 2 && ce[-2] == '/' && ce[-1] == '>')
			continue;
		s = xmltag_tag_end(ce, e);
		if (s == NULL)
			break;
	}
	return (0);
}

/* The decoded text at a path; see xmltag.h. */
char *
xmltag_get(const char *xml, size_t len, const char *path)
{
	const char *s = xml, *e = xml + len, *p;
	struct buf b;
	size_t n;

	if (xmltag_path(&s, &e, path) != 0)
		return (NULL);
	buf_init(&b, BUF_NOCAP);
	for (p = s; p < e;) {
		if (*p == '&') {
			n = xmltag_entity(&b, p, e);
			if (n > 0) {
				p += n;
				continue;
			}
		}
		buf_putc(&b, *p++);
	}
	return (buf_take(&b, NULL));
}
