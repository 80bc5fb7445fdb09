/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An INI parser that behaves like Python's configparser.RawConfigParser
 * with its defaults (strict, "=" and ":" delimiters, "#" and ";" full-line
 * comments, no inline comments, multi-line values by indentation, empty
 * lines kept inside values, a [DEFAULT] section inherited by every other
 * section, lower-cased keys), plus botocore's step that turns a value
 * starting with a newline into a nested block of "key = value" lines.
 * config.c builds the AWS profile semantics on top.
 */
#ifndef APILOGS_INI_H
#define APILOGS_INI_H

#include <stddef.h>

#include "core/buf.h"

struct ini_kv {
	char *key;          /* lower-cased */
	char *value;        /* NULL when the value is a nested block */
	struct ini_kv *sub; /* the nested "key = value" lines, in order */
	size_t nsub;
	/* Private to ini.c while parsing. */
	struct buf text;
	int *lines;
	size_t nlines;
	char *err;
};

struct ini_section {
	char *name; /* the header as written between [ and ] */
	struct ini_kv *kv;
	size_t nkv;
};

struct ini {
	struct ini_section *sec; /* in file order */
	size_t nsec;
	struct ini_section defaults; /* [DEFAULT] */
};

/*
 * Parse len bytes into ini (which must be zeroed or cleared). name prefixes
 * error messages ("name:LINE: what"); messages never quote a value.
 */
int ini_parse(
    struct ini *, const char *name, const char *buf, size_t len, char **cause);
/* Free everything, wiping values with OPENSSL_cleanse; ini is zeroed. */
void ini_clear(struct ini *);
/* key (any case) in sec, else in [DEFAULT]. NULL when absent. */
const struct ini_kv *ini_get(
    const struct ini *, const struct ini_section *, const char *key);
/* Exact key in a nested block (the last one wins). NULL when absent. */
const struct ini_kv *ini_sub(const struct ini_kv *, const char *key);

#endif
