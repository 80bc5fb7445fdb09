/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reader for the AWS shared config file (~/.aws/config, AWS_CONFIG_FILE)
 * and shared credentials file (~/.aws/credentials,
 * AWS_SHARED_CREDENTIALS_FILE), parsing them the way botocore does (Python
 * configparser.RawConfigParser plus botocore's profile map):
 *
 * - "[section]" headers; in the config file "[default]", "[profile X]",
 *   "[sso-session X]" and "[services X]" (X split like a shell word); in
 *   the credentials file the header is the profile name itself;
 * - "key = value" or "key: value", keys case-insensitive (lower-cased);
 *   no inline comments: "region = x # y" is the value "x # y";
 * - full-line comments starting with '#' or ';' (also indented);
 * - lines indented deeper than their key continue its value; a value that
 *   starts with such a line is a nested block of "subkey = value" lines
 *   (used by [services X]: "logs =" then "  endpoint_url = ...");
 * - a [DEFAULT] section supplies defaults to every section of its file;
 * - duplicate sections or keys, a line before any header, a line that is
 *   neither, invalid UTF-8 or a NUL byte make the file malformed;
 * - no line-length limit.
 *
 * Values from the credentials file win over the config file for the same
 * profile (botocore's Session.full_config). Values are secrets-safe: the
 * reader wipes everything it read with OPENSSL_cleanse when freed, and
 * error messages name file, line and key but never quote a value.
 */
#ifndef APILOGS_CONFIG_H
#define APILOGS_CONFIG_H

#include <stddef.h>

enum config_which {
	CONFIG_FILE_CONFIG = 0, /* ~/.aws/config */
	CONFIG_FILE_CREDENTIALS /* ~/.aws/credentials */
};

struct config;

/* An empty configuration. Caller frees with config_free(). */
struct config *config_new(void);
void config_free(struct config *);

/*
 * Read both files named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE
 * (defaults ~/.aws/config, ~/.aws/credentials; "~" and $VARS expanded like
 * botocore). A missing file is empty, and so is one that cannot be opened
 * (permissions, a symlink loop), as with the AWS CLI; config_skipped()
 * names it. A malformed file is an error naming the file and line. Caller
 * frees *cfg with config_free().
 */
int config_load(struct config **cfg, char **cause);
/* "path: reason" for each file skipped as unreadable ("; " between), or
 * NULL. Borrowed. */
const char *config_skipped(const struct config *);
/* The same with explicit paths (NULL: that file is absent). */
int config_load_files(struct config **cfg, const char *config_path,
    const char *credentials_path, char **cause);
/*
 * Parse len bytes of buf as one file (replacing what was loaded for it).
 * name is used in error messages. For tests and the fuzzer.
 */
int config_parse(struct config *, enum config_which, const char *name,
    const char *buf, size_t len, char **cause);

/*
 * The path botocore would read for a file: the environment variable or the
 * default, with ~ and $VARS expanded. Caller frees with free().
 */
char *config_path(enum config_which);

/*
 * Look up key (case-insensitive) in a profile: the credentials file first,
 * then the config file. NULL when absent or when the value is a nested
 * block. The string is borrowed from cfg.
 */
const char *config_get(
    const struct config *, const char *profile, const char *key);
/* The same in one file only. */
const char *config_file_get(const struct config *, enum config_which,
    const char *profile, const char *key);
/* Does the profile exist in either file? ("default" may still be absent.) */
int config_profile_exists(const struct config *, const char *profile);
/* Does the profile have a section in this file? */
int config_file_has_profile(
    const struct config *, enum config_which, const char *profile);

/*
 * A key of a named config-file section of kind "sso-session" or
 * "services" ("[sso-session NAME]"). NULL when absent.
 */
const char *config_section_get(
    const struct config *, const char *kind, const char *name, const char *key);
/* Does "[kind name]" exist in the config file? */
int config_section_exists(
    const struct config *, const char *kind, const char *name);
/*
 * How many keys "[kind name]" has, counting inherited [DEFAULT] keys; -1
 * when absent. (botocore treats an empty [services X] as missing.)
 */
int config_section_keys(
    const struct config *, const char *kind, const char *name);
/*
 * In "[services NAME]", the nested block "service_key =" and its line
 * "subkey = value" (subkey matched exactly, as botocore does). NULL when
 * any part is absent.
 */
const char *config_services_get(const struct config *, const char *name,
    const char *service_key, const char *subkey);

/* The path a file was loaded from, or NULL. Borrowed. */
const char *config_file_path(const struct config *, enum config_which);

#endif
