/* SPDX-License-Identifier: Apache-2.0 */
/* configparser-compatible INI parsing (see ini.h). */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/buf.h"
#include "core/ini.h"
#include "core/utf8.h"
#include "core/xmalloc.h"

/* Python's str.isspace() for ASCII bytes. */
static int
ini_isspace(unsigned char c)
{
	return (
	    c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f));
}

/* Wipe and free a string that may hold a secret. */
static void
ini_wipe(char *s)
{
	if (s == NULL)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

/* Free the key/values of a list. */
static void
ini_kv_free(struct ini_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		ini_wipe(kv[i].value);
		ini_kv_free(kv[i].sub, kv[i].nsub);
		if (kv[i].text.data != NULL)
			OPENSSL_cleanse(kv[i].text.data, kv[i].text.len);
		buf_free(&kv[i].text);
		free(kv[i].lines);
		free(kv[i].err);
	}
	free(kv);
}

/* Find a key in a list (the last one wins, as in a dict update). */
static const struct ini_kv *
ini_kv_find(const struct ini_kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = n; i > 0; i--) {
		if (strcmp(kv[i - 1].key, key) == 0)
			return (&kv[i - 1]);
	}
	return (NULL);
}

/* Add a continuation or first value line to a key. */
static void
ini_kv_addline(struct ini_kv *kv, const char *s, size_t n, int line)
{
	if (kv->nlines > 0)
		buf_putc(&kv->text, '\n');
	buf_put(&kv->text, s, n);
	kv->lines = xreallocarray(kv->lines, kv->nlines + 1, sizeof(int));
	kv->lines[kv->nlines++] = line;
}

/*
 * Turn the collected lines of a key into its value: joined with newlines
 * and right-stripped; a value that starts with a newline is a nested block
 * of "k = v" lines (botocore's _parse_nested).
 */
static int
ini_kv_finish(struct ini_kv *kv, const char *name, char **cause)
{
	char *text, *line, *next, *eq, *k, *v, *end;
	size_t len, i = 0;
	struct ini_kv *sub;

	text = buf_take(&kv->text, &len);
	while (len > 0 && ini_isspace((unsigned char)text[len - 1]))
		text[--len] = '\0';
	if (text[0] != '\n') {
		kv->value = text;
		goto done;
	}
	for (line = text; line != NULL; line = next, i++) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		while (ini_isspace((unsigned char)*line))
			line++;
		end = line + strlen(line);
		while (end > line && ini_isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*line == '\0')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			*cause = xprintf("%s:%d: nested line under '%s' is not "
					 "'key = value'",
			    name, kv->lines[i], kv->key);
			OPENSSL_cleanse(text, len);
			free(text);
			return (-1);
		}
		*eq = '\0';
		k = line;
		v = eq + 1;
		end = eq;
		while (end > k && ini_isspace((unsigned char)end[-1]))
			*--end = '\0';
		while (ini_isspace((unsigned char)*v))
			v++;
		kv->sub = xreallocarray(kv->sub, kv->nsub + 1, sizeof *sub);
		sub = &kv->sub[kv->nsub++];
		memset(sub, 0, sizeof *sub);
		sub->key = xstrdup(k);
		sub->value = xstrdup(v);
	}
	OPENSSL_cleanse(text, len);
	free(text);
done:
	free(kv->lines);
	kv->lines = NULL;
	kv->nlines = 0;
	return (0);
}

/* Finish every key of a section. */
static int
ini_section_finish(struct ini_section *sec, const char *name, char **cause)
{
	size_t i;

	for (i = 0; i < sec->nkv; i++) {
		if (ini_kv_finish(&sec->kv[i], name, cause) != 0)
			return (-1);
	}
	return (0);
}

/*
 * Finish the [DEFAULT] keys. botocore only parses a nested default when
 * some section inherits it, so a bad block is an error only then.
 */
static int
ini_defaults_finish(struct ini *f, const char *name, char **cause)
{
	struct ini_kv *kv;
	size_t i, j;

	for (i = 0; i < f->defaults.nkv; i++) {
		kv = &f->defaults.kv[i];
		if (ini_kv_finish(kv, name, &kv->err) == 0)
			continue;
		for (j = 0; j < f->nsec; j++) {
			if (ini_kv_find(f->sec[j].kv, f->sec[j].nkv, kv->key) ==
			    NULL) {
				*cause = kv->err;
				kv->err = NULL;
				return (-1);
			}
		}
	}
	return (0);
}

/* Start a new "[header]" section, or fail on a duplicate. */
static struct ini_section *
ini_section_open(struct ini *f, const char *h, size_t n, const char *name,
    int line, char **cause)
{
	struct ini_section *sec;
	size_t i;

	if (n == 7 && memcmp(h, "DEFAULT", 7) == 0)
		return (&f->defaults);
	for (i = 0; i < f->nsec; i++) {
		if (strlen(f->sec[i].name) == n &&
		    memcmp(f->sec[i].name, h, n) == 0) {
			*cause = xprintf("%s:%d: duplicate section [%s]", name,
			    line, f->sec[i].name);
			return (NULL);
		}
	}
	f->sec = xreallocarray(f->sec, f->nsec + 1, sizeof *f->sec);
	sec = &f->sec[f->nsec++];
	memset(sec, 0, sizeof *sec);
	sec->name = xstrndup(h, n);
	return (sec);
}

/* Add "key = value" to a section; fail on an empty or duplicate key. */
static struct ini_kv *
ini_option(struct ini_section *sec, const char *s, size_t n, const char *name,
    int line, char **cause)
{
	const char *d, *v, *end = s + n;
	char *key;
	size_t klen, i;
	struct ini_kv *kv;

	d = s;
	while (d < end && *d != '=' && *d != ':')
		d++;
	if (d == end) {
		*cause = xprintf("%s:%d: line is neither [section] nor "
				 "'key = value'",
		    name, line);
		return (NULL);
	}
	klen = (size_t)(d - s);
	while (klen > 0 && ini_isspace((unsigned char)s[klen - 1]))
		klen--;
	if (klen == 0) {
		*cause = xprintf("%s:%d: empty key", name, line);
		return (NULL);
	}
	key = xstrndup(s, klen);
	for (i = 0; i < klen; i++)
		key[i] = (char)tolower((unsigned char)key[i]);
	if (ini_kv_find(sec->kv, sec->nkv, key) != NULL) {
		*cause = xprintf("%s:%d: duplicate key '%s'", name, line, key);
		free(key);
		return (NULL);
	}
	sec->kv = xreallocarray(sec->kv, sec->nkv + 1, sizeof *sec->kv);
	kv = &sec->kv[sec->nkv++];
	memset(kv, 0, sizeof *kv);
	kv->key = key;
	buf_init(&kv->text, BUF_NOCAP);
	v = d + 1;
	while (v < end && ini_isspace((unsigned char)*v))
		v++;
	ini_kv_addline(kv, v, (size_t)(end - v), line);
	return (kv);
}

/* The configparser loop over the lines of one file. */
static int
ini_parse_lines(
    struct ini *f, const char *name, const char *buf, size_t len, char **cause)
{
	struct ini_section *cur = NULL;
	struct ini_kv *opt = NULL;
	size_t pos = 0, start, end, indent, level = 0, i;
	const char *vs, *ve, *rb;
	int line = 0;

	while (pos < len) {
		start = end = pos;
		while (end < len && buf[end] != '\n' && buf[end] != '\r')
			end++;
		line++;
		vs = buf + pos;
		ve = buf + end;
		if (end < len && buf[end] == '\r' && end + 1 < len &&
		    buf[end + 1] == '\n')
			end++;
		pos = end + 1;
		while (vs < ve && ini_isspace((unsigned char)*vs))
			vs++;
		while (ve > vs && ini_isspace((unsigned char)ve[-1]))
			ve--;
		if (vs < ve && (*vs == '#' || *vs == ';'))
			continue;
		if (vs == ve) {
			if (cur != NULL && opt != NULL)
				ini_kv_addline(opt, "", 0, line);
			continue;
		}
		indent = (size_t)(vs - (buf + start));
		if (cur != NULL && opt != NULL && indent > level) {
			ini_kv_addline(opt, vs, (size_t)(ve - vs), line);
			continue;
		}
		level = indent;
		rb = NULL;
		if (*vs == '[') {
			for (rb = ve - 1; rb > vs + 1 && *rb != ']'; rb--)
				;
			if (rb <= vs + 1 || *rb != ']')
				rb = NULL;
		}
		if (rb != NULL) {
			cur = ini_section_open(f, vs + 1, (size_t)(rb - vs - 1),
			    name, line, cause);
			if (cur == NULL)
				return (-1);
			opt = NULL;
			continue;
		}
		if (cur == NULL) {
			*cause = xprintf(
			    "%s:%d: line before any [section]", name, line);
			return (-1);
		}
		opt = ini_option(cur, vs, (size_t)(ve - vs), name, line, cause);
		if (opt == NULL)
			return (-1);
	}
	for (i = 0; i < f->nsec; i++) {
		if (ini_section_finish(&f->sec[i], name, cause) != 0)
			return (-1);
	}
	return (ini_defaults_finish(f, name, cause));
}

/* Line number (1-based) of byte offset off, counting like the parser. */
static int
ini_line_of(const char *buf, size_t off)
{
	size_t i;
	int line = 1;

	for (i = 0; i < off; i++) {
		if (buf[i] == '\n')
			line++;
		else if (buf[i] == '\r' && (i + 1 >= off || buf[i + 1] != '\n'))
			line++;
	}
	return (line);
}

/* Parse one file's bytes (see ini.h). */
int
ini_parse(
    struct ini *f, const char *name, const char *buf, size_t len, char **cause)
{
	const char *nul;
	size_t bad;

	nul = memchr(buf, '\0', len);
	if (nul != NULL) {
		*cause = xprintf("%s:%d: NUL byte", name,
		    ini_line_of(buf, (size_t)(nul - buf)));
		return (-1);
	}
	bad = utf8_valid(buf, len);
	if (bad != len) {
		*cause = xprintf(
		    "%s:%d: invalid UTF-8", name, ini_line_of(buf, bad));
		return (-1);
	}
	if (ini_parse_lines(f, name, buf, len, cause) != 0) {
		ini_clear(f);
		return (-1);
	}
	return (0);
}

/* Free a parsed file, wiping its values. */
void
ini_clear(struct ini *f)
{
	size_t i;

	for (i = 0; i < f->nsec; i++) {
		free(f->sec[i].name);
		ini_kv_free(f->sec[i].kv, f->sec[i].nkv);
	}
	free(f->sec);
	ini_kv_free(f->defaults.kv, f->defaults.nkv);
	memset(f, 0, sizeof *f);
}

/* A key of a section, falling back to [DEFAULT]. */
const struct ini_kv *
ini_get(const struct ini *f, const struct ini_section *sec, const char *key)
{
	const struct ini_kv *kv;
	char *lower;
	size_t i;

	lower = xstrdup(key);
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	kv = ini_kv_find(sec->kv, sec->nkv, lower);
	if (kv == NULL)
		kv = ini_kv_find(f->defaults.kv, f->defaults.nkv, lower);
	free(lower);
	return (kv);
}

/* An exact key of a nested block. */
const struct ini_kv *
ini_sub(const struct ini_kv *kv, const char *key)
{
	return (ini_kv_find(kv->sub, kv->nsub, key));
}
