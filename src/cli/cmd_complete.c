/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apilogs __complete KIND WORD: the dynamic part of shell completion,
 * called by the scripts of `apilogs completion SHELL`. Never part of the
 * help. Prints candidates one per line, nothing on any failure.
 *
 * groups: log groups whose name starts with WORD. One DescribeLogGroups
 * request (at most COMPLETE_LIMIT names, no retries), answered from a
 * cache of COMPLETE_TTL seconds when it can be: a fresh entry for WORD,
 * or for a shorter prefix of it that held every group with that prefix.
 * The whole command, credentials and region included, has COMPLETE_SECONDS
 * (SIGALRM ends it quietly), so a TAB never hangs.
 *
 * profiles: the profile names of ~/.aws/config and ~/.aws/credentials
 * (no network).
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/config.h"
#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/completion.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"
#include "logs/logs.h"

#define COMPLETE_SECONDS 3
#define COMPLETE_TTL 60
#define COMPLETE_LIMIT 50
#define COMPLETE_CACHE_MAX (256 * 1024)

struct complete_names {
	struct buf out; /* the names, one a line */
	size_t n;
};

static void
complete_timeout(int sig)
{
	(void)sig;
	_exit(EXIT_AWS);
}

/* FNV-1a, 64 bits: the cache file of a key (not a secret). */
static uint64_t
complete_hash(const char *s, uint64_t h)
{
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (h);
}

/*
 * The cache directory: $XDG_CACHE_HOME/apilogs or ~/.cache/apilogs.
 * Caller frees; NULL when there is no home.
 */
static char *
complete_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x != NULL && *x == '/')
		return (xprintf("%s/apilogs", x));
	if (home != NULL && *home != '\0')
		return (xprintf("%s/.cache/apilogs", home));
	return (NULL);
}

/* The key line of a cache entry: where the names came from. Caller
 * frees. */
static char *
complete_key(struct app *a, const char *endpoint, const char *prefix)
{
	return (xprintf("%s\t%s\t%s\t%s", a->profile ? a->profile : "",
	    a->region ? a->region : "", endpoint, prefix));
}

static char *
complete_cache_path(const char *dir, const char *key)
{
	return (xprintf("%s/groups-%016llx", dir,
	    (unsigned long long)complete_hash(key, 0xcbf29ce484222325ULL)));
}

/*
 * Print the names of a fresh cache entry for key that start with word.
 * An entry for a shorter prefix counts only when it was complete. Returns
 * 1 when answered from the cache, 0 otherwise.
 */
static int
complete_cache_read(
    const char *path, const char *key, const char *word, int exact)
{
	struct buf b;
	char *cause = NULL, *line, *next, *nl;
	long long t;
	int missing = 0, complete, answered = 0;
	size_t wlen = strlen(word);

	buf_init(&b, COMPLETE_CACHE_MAX);
	if (file_read(path, &b, &missing, &cause) != 0 || missing) {
		free(cause);
		goto out;
	}
	/* "apilogs-groups 1 EPOCH COMPLETE\nKEY\nname\n..." */
	if (sscanf(buf_str(&b), "apilogs-groups 1 %lld %d", &t, &complete) !=
		2 ||
	    t > (long long)time(NULL) ||
	    (long long)time(NULL) - t > COMPLETE_TTL || (!exact && !complete))
		goto out;
	line = strchr(b.data, '\n');
	if (line == NULL)
		goto out;
	line++;
	nl = strchr(line, '\n');
	if (nl == NULL || (size_t)(nl - line) != strlen(key) ||
	    strncmp(line, key, strlen(key)) != 0)
		goto out;
	for (line = nl + 1; *line != '\0'; line = next) {
		nl = strchr(line, '\n');
		next = nl != NULL ? nl + 1 : line + strlen(line);
		if (nl != NULL)
			*nl = '\0';
		if (strncmp(line, word, wlen) == 0 && *line != '\0')
			printf("%s\n", line);
	}
	answered = 1;
out:
	buf_free(&b);
	return (answered);
}

static int
complete_group_cb(void *arg, const struct logs_group *g)
{
	struct complete_names *n = arg;

	if (strchr(g->name, '\n') == NULL) {
		buf_putf(&n->out, "%s\n", g->name);
		n->n++;
	}
	return (0);
}

/* Log group names for the prefix word. */
static int
complete_groups(struct app *a, const char *word)
{
	struct aws_client *c;
	struct aws_result res;
	struct complete_names names;
	struct buf file;
	char *cause = NULL, *dir, *key, *path, *p;
	size_t len;
	int more = 0, rc = EXIT_OK;

	c = app_client(a, AWS_LOGS, &cause);
	if (c == NULL) {
		free(cause);
		return (EXIT_USAGE);
	}
	dir = complete_cache_dir();
	/* The word, then ever shorter prefixes of it. */
	if (dir != NULL) {
		p = xstrdup(word);
		for (len = strlen(p);; len--) {
			p[len] = '\0';
			key = complete_key(a, c->endpoint, p);
			path = complete_cache_path(dir, key);
			rc = complete_cache_read(
			    path, key, word, len == strlen(word));
			free(path);
			free(key);
			if (rc != 0 || len == 0)
				break;
		}
		free(p);
		if (rc != 0) {
			free(dir);
			return (EXIT_OK);
		}
	}
	memset(&names, 0, sizeof names);
	buf_init(&names.out, BUF_NOCAP);
	if (logs_groups_page(c, word, COMPLETE_LIMIT, complete_group_cb, &names,
		&more, &res) != 0)
		rc = EXIT_AWS;
	aws_result_free(&res);
	if (rc == EXIT_OK) {
		fputs(buf_str(&names.out), stdout);
		if (dir != NULL) {
			key = complete_key(a, c->endpoint, word);
			path = complete_cache_path(dir, key);
			buf_init(&file, COMPLETE_CACHE_MAX);
			buf_putf(&file, "apilogs-groups 1 %lld %d\n%s\n%s",
			    (long long)time(NULL), !more, key,
			    buf_str(&names.out));
			/* A cache that cannot be written is no cache. */
			if (file_write_private(
				path, file.data, file.len, &cause) != 0)
				free(cause);
			buf_free(&file);
			free(path);
			free(key);
		}
	}
	buf_free(&names.out);
	free(dir);
	return (rc);
}

/* Add the profile names of one file to b (one a line), de-duplicated. */
static void
complete_profiles_of(enum config_which which, const char *word, struct buf *b)
{
	struct buf f;
	char *path, *line, *next, *nl, *name, *end, *dup;
	int missing = 0;
	char *cause = NULL;

	path = config_path(which);
	buf_init(&f, 1024 * 1024);
	if (path == NULL || file_read(path, &f, &missing, &cause) != 0 ||
	    missing) {
		free(cause);
		goto out;
	}
	for (line = f.data; line != NULL && *line != '\0'; line = next) {
		nl = strchr(line, '\n');
		next = nl != NULL ? nl + 1 : NULL;
		if (nl != NULL)
			*nl = '\0';
		name = line + strspn(line, " \t");
		if (*name != '[' || (end = strchr(name, ']')) == NULL)
			continue;
		*end = '\0';
		name++;
		if (which == CONFIG_FILE_CONFIG) {
			if (strncmp(name, "profile", 7) == 0 &&
			    (name[7] == ' ' || name[7] == '\t'))
				name += 8 + strspn(name + 8, " \t");
			else if (strcmp(name, "default") != 0)
				continue; /* sso-session, services... */
		}
		if (*name == '\0' || strncmp(name, word, strlen(word)) != 0)
			continue;
		dup = xprintf("\n%s\n", name);
		if (strstr(buf_str(b), dup) == NULL)
			buf_puts(b, dup + 1);
		free(dup);
	}
out:
	file_wipe(&f);
	free(path);
}

/* Profile names starting with word. */
static int
complete_profiles(const char *word)
{
	struct buf b;

	buf_init(&b, BUF_NOCAP);
	buf_putc(&b, '\n');
	complete_profiles_of(CONFIG_FILE_CONFIG, word, &b);
	complete_profiles_of(CONFIG_FILE_CREDENTIALS, word, &b);
	fputs(buf_str(&b) + 1, stdout);
	buf_free(&b);
	return (EXIT_OK);
}

/* apilogs __complete KIND WORD; see above. */
int
cmd_complete(struct opts *o)
{
	struct app a;
	char *cause = NULL;
	const char *word = o->complete_word ? o->complete_word : "";
	int rc;

	signal(SIGALRM, complete_timeout);
	alarm(COMPLETE_SECONDS);
	if (strcmp(o->complete_kind, "profiles") == 0)
		return (complete_profiles(word));
	if (strcmp(o->complete_kind, "groups") != 0)
		return (EXIT_USAGE);
	/* Fail fast rather than wait: a TAB is not worth a retry. */
	if (o->connect_timeout_ms == 0)
		o->connect_timeout_ms = 1500;
	if (o->read_timeout_ms == 0)
		o->read_timeout_ms = 2500;
	if (app_init(&a, o, &cause, &rc) != 0) {
		free(cause);
		app_free(&a);
		return (rc);
	}
	a.ctx.max_attempts = 1;
	rc = complete_groups(&a, word);
	app_free(&a);
	return (rc);
}
