/* SPDX-License-Identifier: Apache-2.0 */
/* JSON pretty-printing that keeps every token as written. */

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/jsonfmt.h"
#include "core/xmalloc.h"

struct jsonfmt {
	const char *p;
	const char *end;
	int indent;
	struct buf *out;
	struct jsonfmt_span *keys;
	size_t nkeys;
	int want_keys;
};

static void
jf_ws(struct jsonfmt *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\t' ||
				    *f->p == '\n' || *f->p == '\r'))
		f->p++;
}

static void
jf_newline(struct jsonfmt *f, int depth)
{
	buf_putc(f->out, '\n');
	for (int i = 0; i < depth * f->indent; i++)
		buf_putc(f->out, ' ');
}

static int
jf_hex(char c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		(c >= 'A' && c <= 'F'));
}

/* A string, copied as written; the span it took in out when key. */
static int
jf_string(struct jsonfmt *f, int key)
{
	const char *start = f->p;
	size_t off = f->out->len;
	int i;

	f->p++; /* the opening quote */
	while (f->p < f->end && *f->p != '"') {
		if ((unsigned char)*f->p < 0x20)
			return (-1);
		if (*f->p == '\\') {
			f->p++;
			if (f->p >= f->end)
				return (-1);
			if (*f->p == 'u') {
				for (i = 1; i <= 4; i++) {
					if (f->p + i >= f->end ||
					    !jf_hex(f->p[i]))
						return (-1);
				}
				f->p += 4;
			} else if (strchr("\"\\/bfnrt", *f->p) == NULL)
				return (-1);
		}
		f->p++;
	}
	if (f->p >= f->end)
		return (-1);
	f->p++;
	buf_put(f->out, start, (size_t)(f->p - start));
	if (key && f->want_keys) {
		f->keys = xreallocarray(f->keys, f->nkeys + 1, sizeof *f->keys);
		f->keys[f->nkeys].off = off;
		f->keys[f->nkeys].len = f->out->len - off;
		f->nkeys++;
	}
	return (0);
}

static int
jf_digits(struct jsonfmt *f)
{
	const char *s = f->p;

	while (f->p < f->end && *f->p >= '0' && *f->p <= '9')
		f->p++;
	return (f->p > s ? 0 : -1);
}

/* A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
jf_number(struct jsonfmt *f)
{
	const char *start = f->p;

	if (*f->p == '-')
		f->p++;
	if (f->p < f->end && *f->p == '0')
		f->p++;
	else if (jf_digits(f) != 0)
		return (-1);
	if (f->p < f->end && *f->p == '.') {
		f->p++;
		if (jf_digits(f) != 0)
			return (-1);
	}
	if (f->p < f->end && (*f->p == 'e' || *f->p == 'E')) {
		f->p++;
		if (f->p < f->end && (*f->p == '+' || *f->p == '-'))
			f->p++;
		if (jf_digits(f) != 0)
			return (-1);
	}
	buf_put(f->out, start, (size_t)(f->p - start));
	return (0);
}

static int
jf_literal(struct jsonfmt *f, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(f->end - f->p) < n || memcmp(f->p, word, n) != 0)
		return (-1);
	buf_put(f->out, word, n);
	f->p += n;
	return (0);
}

static int jf_value(struct jsonfmt *, int depth);

/* An object or an array, f->p at its opening bracket. */
static int
jf_container(struct jsonfmt *f, int depth)
{
	char close = *f->p == '{' ? '}' : ']';
	int object = close == '}', n = 0;

	if (depth >= JSONFMT_MAXDEPTH)
		return (-1);
	buf_putc(f->out, *f->p);
	f->p++;
	jf_ws(f);
	if (f->p < f->end && *f->p == close) {
		f->p++;
		buf_putc(f->out, close);
		return (0);
	}
	for (;;) {
		if (n++ > 0)
			buf_putc(f->out, ',');
		jf_newline(f, depth + 1);
		if (object) {
			if (f->p >= f->end || *f->p != '"' ||
			    jf_string(f, 1) != 0)
				return (-1);
			jf_ws(f);
			if (f->p >= f->end || *f->p != ':')
				return (-1);
			f->p++;
			buf_puts(f->out, ": ");
			jf_ws(f);
		}
		if (jf_value(f, depth + 1) != 0)
			return (-1);
		jf_ws(f);
		if (f->p >= f->end)
			return (-1);
		if (*f->p == ',') {
			f->p++;
			jf_ws(f);
			continue;
		}
		if (*f->p != close)
			return (-1);
		f->p++;
		jf_newline(f, depth);
		buf_putc(f->out, close);
		return (0);
	}
}

static int
jf_value(struct jsonfmt *f, int depth)
{
	if (f->p >= f->end)
		return (-1);
	switch (*f->p) {
	case '{':
	case '[':
		return (jf_container(f, depth));
	case '"':
		return (jf_string(f, 0));
	case 't':
		return (jf_literal(f, "true"));
	case 'f':
		return (jf_literal(f, "false"));
	case 'n':
		return (jf_literal(f, "null"));
	default:
		if (*f->p == '-' || (*f->p >= '0' && *f->p <= '9'))
			return (jf_number(f));
		return (-1);
	}
}

/* Pretty-print one value; see jsonfmt.h. */
int
jsonfmt_pretty(const char *s, size_t len, int indent, struct buf *out,
    struct jsonfmt_span **keys, size_t *nkeys)
{
	struct jsonfmt f;
	size_t before = out->len;

	memset(&f, 0, sizeof f);
	f.p = s;
	f.end = s + len;
	f.indent = indent;
	f.out = out;
	f.want_keys = keys != NULL;
	jf_ws(&f);
	if (jf_value(&f, 0) != 0)
		goto fail;
	jf_ws(&f);
	if (f.p != f.end)
		goto fail;
	if (keys != NULL) {
		*keys = f.keys;
		*nkeys = f.nkeys;
	}
	return (0);
fail:
	free(f.keys);
	out->len = before;
	if (out->data != NULL)
		out->data[before] = '\0';
	return (-1);
}
