/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AWS shared config and credentials files (see config.h): botocore's
 * profile map on top of the configparser-compatible ini.c.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/config.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/ini.h"
#include "core/shlex.h"
#include "core/xmalloc.h"

#define CONFIG_MAX_FILE (16 * 1024 * 1024)

enum config_kind { SEC_OTHER, SEC_PROFILE, SEC_SSO, SEC_SERVICES };

struct config_file {
	char *path;
	struct ini ini;
	enum config_kind *kind; /* per section (config file only) */
	char **ident;           /* profile/session/services name */
};

struct config {
	struct config_file file[2];
	char *skipped; /* "path: reason" of files that could not be read */
};

/* Forget everything loaded for one file. */
static void
config_file_clear(struct config_file *f)
{
	size_t i;

	if (f->ident != NULL) {
		for (i = 0; i < f->ini.nsec; i++)
			free(f->ident[i]);
	}
	free(f->ident);
	free(f->kind);
	ini_clear(&f->ini);
	free(f->path);
	memset(f, 0, sizeof *f);
}

/* Create an empty configuration. Caller frees with config_free(). */
struct config *
config_new(void)
{
	return (xcalloc(1, sizeof(struct config)));
}

/* Free a configuration, wiping every value. Accepts NULL. */
void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	config_file_clear(&cfg->file[0]);
	config_file_clear(&cfg->file[1]);
	free(cfg->skipped);
	free(cfg);
}

/*
 * Classify a config-file header like botocore's build_profile_map: a name
 * starting "profile", "sso-session" or "services" must split (like a shell)
 * into exactly two words, the second being the name; "default" alone is
 * the default profile; anything else is not a profile.
 */
static enum config_kind
config_classify(const char *name, char **ident)
{
	enum config_kind kind;
	char **argv = NULL, *cause = NULL;
	size_t argc;

	*ident = NULL;
	if (strcmp(name, "default") == 0) {
		*ident = xstrdup("default");
		return (SEC_PROFILE);
	}
	if (strncmp(name, "profile", 7) == 0)
		kind = SEC_PROFILE;
	else if (strncmp(name, "sso-session", 11) == 0)
		kind = SEC_SSO;
	else if (strncmp(name, "services", 8) == 0)
		kind = SEC_SERVICES;
	else
		return (SEC_OTHER);
	if (shlex_split(name, &argv, &argc, &cause) != 0) {
		free(cause);
		return (SEC_OTHER);
	}
	if (argc == 2)
		*ident = xstrdup(argv[1]);
	else
		kind = SEC_OTHER;
	shlex_free(argv);
	return (kind);
}

/* Parse one file's bytes into cfg (see config.h). */
int
config_parse(struct config *cfg, enum config_which which, const char *name,
    const char *buf, size_t len, char **cause)
{
	struct config_file *f = &cfg->file[which];
	size_t i;

	config_file_clear(f);
	if (ini_parse(&f->ini, name, buf, len, cause) != 0)
		return (-1);
	f->kind = xcalloc(f->ini.nsec + 1, sizeof *f->kind);
	f->ident = xcalloc(f->ini.nsec + 1, sizeof *f->ident);
	for (i = 0; i < f->ini.nsec; i++) {
		if (which == CONFIG_FILE_CONFIG)
			f->kind[i] =
			    config_classify(f->ini.sec[i].name, &f->ident[i]);
		else {
			f->kind[i] = SEC_PROFILE;
			f->ident[i] = xstrdup(f->ini.sec[i].name);
		}
	}
	f->path = xstrdup(name);
	return (0);
}

/* The last section of kind k named name in one file, or NULL. */
static const struct ini_section *
config_find(const struct config_file *f, enum config_kind k, const char *name)
{
	size_t i;

	/* botocore replaces a profile seen twice: the last one wins. */
	for (i = f->ini.nsec; i > 0; i--) {
		if (f->kind[i - 1] == k && strcmp(f->ident[i - 1], name) == 0)
			return (&f->ini.sec[i - 1]);
	}
	return (NULL);
}

/* Look up key in a profile of one file. Borrowed, or NULL. */
const char *
config_file_get(const struct config *cfg, enum config_which which,
    const char *profile, const char *key)
{
	const struct config_file *f = &cfg->file[which];
	const struct ini_section *sec;
	const struct ini_kv *kv;

	sec = config_find(f, SEC_PROFILE, profile);
	if (sec == NULL)
		return (NULL);
	kv = ini_get(&f->ini, sec, key);
	return (kv == NULL ? NULL : kv->value);
}

/* Look up key in a profile, the credentials file winning. */
const char *
config_get(const struct config *cfg, const char *profile, const char *key)
{
	const struct config_file *f;
	const struct ini_section *sec;
	const struct ini_kv *kv;
	int w;

	/* A nested value in the credentials file still hides the config. */
	for (w = CONFIG_FILE_CREDENTIALS; w >= CONFIG_FILE_CONFIG; w--) {
		f = &cfg->file[w];
		sec = config_find(f, SEC_PROFILE, profile);
		if (sec == NULL)
			continue;
		kv = ini_get(&f->ini, sec, key);
		if (kv != NULL)
			return (kv->value);
	}
	return (NULL);
}

/* Does a profile have a section in this file? */
int
config_file_has_profile(
    const struct config *cfg, enum config_which which, const char *profile)
{
	return (config_find(&cfg->file[which], SEC_PROFILE, profile) != NULL);
}

/* Does a profile exist in either file? */
int
config_profile_exists(const struct config *cfg, const char *profile)
{
	return (config_file_has_profile(cfg, CONFIG_FILE_CONFIG, profile) ||
		config_file_has_profile(cfg, CONFIG_FILE_CREDENTIALS, profile));
}

/* The last "[kind name]" section of the config file, or NULL. */
static const struct ini_section *
config_named_section(
    const struct config *cfg, const char *kind, const char *name)
{
	enum config_kind k;

	if (strcmp(kind, "sso-session") == 0)
		k = SEC_SSO;
	else if (strcmp(kind, "services") == 0)
		k = SEC_SERVICES;
	else if (strcmp(kind, "profile") == 0)
		k = SEC_PROFILE;
	else
		return (NULL);
	return (config_find(&cfg->file[CONFIG_FILE_CONFIG], k, name));
}

/* A key of "[kind name]" in the config file. Borrowed, or NULL. */
const char *
config_section_get(const struct config *cfg, const char *kind, const char *name,
    const char *key)
{
	const struct ini_section *sec;
	const struct ini_kv *kv;

	sec = config_named_section(cfg, kind, name);
	if (sec == NULL)
		return (NULL);
	kv = ini_get(&cfg->file[CONFIG_FILE_CONFIG].ini, sec, key);
	return (kv == NULL ? NULL : kv->value);
}

/* Does "[kind name]" exist in the config file? */
int
config_section_exists(
    const struct config *cfg, const char *kind, const char *name)
{
	return (config_named_section(cfg, kind, name) != NULL);
}

/* Keys of "[kind name]" including inherited defaults, or -1. */
int
config_section_keys(
    const struct config *cfg, const char *kind, const char *name)
{
	const struct ini_section *sec, *def;
	size_t i, n;

	sec = config_named_section(cfg, kind, name);
	if (sec == NULL)
		return (-1);
	def = &cfg->file[CONFIG_FILE_CONFIG].ini.defaults;
	n = sec->nkv;
	for (i = 0; i < def->nkv; i++) {
		if (ini_get(&cfg->file[CONFIG_FILE_CONFIG].ini, sec,
			def->kv[i].key) == &def->kv[i])
			n++;
	}
	return ((int)n);
}

/* "[services name]" / "service_key =" / "subkey = value". */
const char *
config_services_get(const struct config *cfg, const char *name,
    const char *service_key, const char *subkey)
{
	const struct ini_section *sec;
	const struct ini_kv *kv, *sub;

	sec = config_named_section(cfg, "services", name);
	if (sec == NULL)
		return (NULL);
	kv = ini_get(&cfg->file[CONFIG_FILE_CONFIG].ini, sec, service_key);
	if (kv == NULL || kv->value != NULL)
		return (NULL);
	sub = ini_sub(kv, subkey);
	return (sub == NULL ? NULL : sub->value);
}

/* The path a file was loaded from. */
const char *
config_file_path(const struct config *cfg, enum config_which which)
{
	return (cfg->file[which].path);
}

/* The path of one of the two files (environment or default). */
char *
config_path(enum config_which which)
{
	const char *env;

	if (which == CONFIG_FILE_CONFIG) {
		env = getenv("AWS_CONFIG_FILE");
		return (file_expand_path(env != NULL ? env : "~/.aws/config"));
	}
	env = getenv("AWS_SHARED_CREDENTIALS_FILE");
	return (file_expand_path(env != NULL ? env : "~/.aws/credentials"));
}

/* Read and parse one file into cfg; a missing file leaves it empty. */
static int
config_load_one(
    struct config *cfg, enum config_which which, const char *path, char **cause)
{
	struct buf b;
	char *old;
	int fd, missing, rc = -1;

	/*
	 * A file that exists but cannot be opened (permissions, a symlink
	 * loop) is skipped like a missing one, as the AWS CLI does
	 * (configparser.read ignores files it cannot open): it must not
	 * block credentials from the environment or the command line.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1 && errno != ENOENT && errno != ENOTDIR) {
		old = cfg->skipped;
		cfg->skipped = xprintf("%s%s%s: %s", old != NULL ? old : "",
		    old != NULL ? "; " : "", path, strerror(errno));
		free(old);
		return (0);
	}
	if (fd != -1)
		close(fd);
	buf_init(&b, CONFIG_MAX_FILE);
	if (file_read(path, &b, &missing, cause) != 0)
		goto out;
	if (missing) {
		rc = 0;
		goto out;
	}
	rc = config_parse(cfg, which, path, buf_str(&b), b.len, cause);
out:
	file_wipe(&b);
	return (rc);
}

/* The files that were skipped as unreadable; see config.h. */
const char *
config_skipped(const struct config *cfg)
{
	return (cfg->skipped);
}

/* Load both files from explicit paths. Caller frees with config_free(). */
int
config_load_files(struct config **cfgp, const char *config_file,
    const char *credentials_file, char **cause)
{
	struct config *cfg;

	cfg = config_new();
	*cfgp = NULL;
	if (config_file != NULL &&
	    config_load_one(cfg, CONFIG_FILE_CONFIG, config_file, cause) != 0)
		goto fail;
	if (credentials_file != NULL &&
	    config_load_one(
		cfg, CONFIG_FILE_CREDENTIALS, credentials_file, cause) != 0)
		goto fail;
	*cfgp = cfg;
	return (0);
fail:
	config_free(cfg);
	return (-1);
}

/* Load both files from the environment's paths. */
int
config_load(struct config **cfgp, char **cause)
{
	char *cpath, *kpath;
	int rc;

	cpath = config_path(CONFIG_FILE_CONFIG);
	kpath = config_path(CONFIG_FILE_CREDENTIALS);
	rc = config_load_files(cfgp, cpath, kpath, cause);
	free(cpath);
	free(kpath);
	return (rc);
}
