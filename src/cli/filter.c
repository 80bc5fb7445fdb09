/* SPDX-License-Identifier: Apache-2.0 */
/* Local filters: --grep, --exclude, --level. */

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pcre2.h>

#include "cli/filter.h"
#include "cli/opts.h"
#include "core/xmalloc.h"

struct filter_re {
	pcre2_code *re;
	pcre2_match_data *md;
};

struct filter {
	struct filter_re *grep;
	size_t ngrep;
	struct filter_re *exclude;
	size_t nexclude;
	enum logline_level level; /* NONE: no --level */
};

/*
 * Messages may hold invalid UTF-8: with PCRE2_MATCH_INVALID_UTF (10.34)
 * they are searched in their valid parts; without it, as bytes.
 */
#ifdef PCRE2_MATCH_INVALID_UTF
#define FILTER_RE_FLAGS (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
#else
#define FILTER_RE_FLAGS 0
#endif

/* Compile the regexes of one option into *v. */
static int
filter_compile(const char *opt, const struct strlist *l, struct filter_re **v,
    size_t *n, char **cause)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	size_t i;
	int err;

	for (i = 0; i < l->n; i++) {
		re = pcre2_compile((PCRE2_SPTR)l->v[i], strlen(l->v[i]),
		    FILTER_RE_FLAGS, &err, &off, NULL);
		if (re == NULL) {
			pcre2_get_error_message(err, msg, sizeof msg);
			*cause = xprintf("%s '%s': %s at offset %zu", opt,
			    l->v[i], (char *)msg, (size_t)off);
			return (-1);
		}
		/* JIT when the library has it; matching works without. */
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[*n].re = re;
		(*v)[*n].md = pcre2_match_data_create_from_pattern(re, NULL);
		(*n)++;
	}
	return (0);
}

/* The filters of the options; see filter.h. */
struct filter *
filter_new(const struct opts *o, char **cause)
{
	struct filter *f;

	*cause = NULL;
	if (o->greps.n == 0 && o->excludes.n == 0 &&
	    o->level == LOGLINE_LVL_NONE)
		return (NULL);
	f = xcalloc(1, sizeof *f);
	f->level = (enum logline_level)o->level;
	if (filter_compile("--grep", &o->greps, &f->grep, &f->ngrep, cause) !=
		0 ||
	    filter_compile("--exclude", &o->excludes, &f->exclude, &f->nexclude,
		cause) != 0) {
		filter_free(f);
		return (NULL);
	}
	return (f);
}

static void
filter_re_free(struct filter_re *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		pcre2_match_data_free(v[i].md);
		pcre2_code_free(v[i].re);
	}
	free(v);
}

/* Free; see filter.h. */
void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	filter_re_free(f->grep, f->ngrep);
	filter_re_free(f->exclude, f->nexclude);
	free(f);
}

/* Does any regex of v find a match in the message? */
static int
filter_any(struct filter_re *v, size_t n, const char *msg, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (pcre2_match(v[i].re, (PCRE2_SPTR)msg, len, 0, 0, v[i].md,
			NULL) >= 0)
			return (1);
	}
	return (0);
}

/* The level of a message; see filter.h. */
enum logline_level
filter_level_of(const char *msg, size_t len, enum logline_source hint)
{
	struct logline ll;

	logline_parse(msg, len, hint, &ll);
	if (ll.level == LOGLINE_LVL_NONE && ll.is_error)
		return (LOGLINE_LVL_ERROR);
	return (ll.level);
}

/* Does a message pass; see filter.h. */
int
filter_match(
    struct filter *f, const char *msg, size_t len, enum logline_source hint)
{
	if (f == NULL)
		return (1);
	if (f->ngrep > 0 && !filter_any(f->grep, f->ngrep, msg, len))
		return (0);
	if (filter_any(f->exclude, f->nexclude, msg, len))
		return (0);
	if (f->level != LOGLINE_LVL_NONE &&
	    filter_level_of(msg, len, hint) < f->level)
		return (0);
	return (1);
}

/* A level by name; see filter.h. */
int
filter_parse_level(const char *s, enum logline_level *out)
{
	static const struct {
		const char *name;
		enum logline_level level;
	} names[] = {
	    {"trace", LOGLINE_LVL_TRACE},
	    {"debug", LOGLINE_LVL_DEBUG},
	    {"info", LOGLINE_LVL_INFO},
	    {"warn", LOGLINE_LVL_WARN},
	    {"warning", LOGLINE_LVL_WARN},
	    {"error", LOGLINE_LVL_ERROR},
	    {"fatal", LOGLINE_LVL_FATAL},
	    {"critical", LOGLINE_LVL_FATAL},
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].level;
			return (0);
		}
	}
	return (-1);
}
