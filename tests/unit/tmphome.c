/* SPDX-License-Identifier: Apache-2.0 */
/* Temporary HOME directories for unit tests. */

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmphome.h"

extern char **environ;

static char tmphome_dir[4096];

/* Remove a directory tree (tests only ever create small ones). */
static void
tmphome_rmtree(const char *path)
{
	DIR *d;
	struct dirent *de;
	char sub[4096];
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			tmphome_rmtree(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

/* Unset every AWS_* environment variable. */
static void
tmphome_clear_aws_env(void)
{
	char name[256];
	size_t i, n;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; environ[i] != NULL; i++) {
			if (strncmp(environ[i], "AWS_", 4) != 0)
				continue;
			n = strcspn(environ[i], "=");
			if (n >= sizeof name)
				continue;
			memcpy(name, environ[i], n);
			name[n] = '\0';
			unsetenv(name);
			again = 1;
			break;
		}
	}
}

/* Make a private HOME and clear the AWS environment. */
const char *
tmphome_begin(void)
{
	const char *tmp;

	tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(
	    tmphome_dir, sizeof tmphome_dir, "%s/apilogs-test-XXXXXX", tmp);
	if (mkdtemp(tmphome_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	setenv("HOME", tmphome_dir, 1);
	tmphome_clear_aws_env();
	return (tmphome_dir);
}

/* Remove the private HOME. */
void
tmphome_end(void)
{
	if (tmphome_dir[0] != '\0')
		tmphome_rmtree(tmphome_dir);
	tmphome_dir[0] = '\0';
	tmphome_clear_aws_env();
}

/* home/rel. Caller frees. */
char *
tmphome_path(const char *rel)
{
	char *p;
	size_t n;

	n = strlen(tmphome_dir) + strlen(rel) + 2;
	p = malloc(n);
	if (p == NULL)
		abort();
	snprintf(p, n, "%s/%s", tmphome_dir, rel);
	return (p);
}

/* Write a file under HOME, creating its directories. Caller frees. */
char *
tmphome_write(const char *rel, const char *text, mode_t mode)
{
	char *path, *slash;
	FILE *f;

	path = tmphome_path(rel);
	for (slash = strchr(path + strlen(tmphome_dir) + 1, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		abort();
	}
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return (path);
}

/* Read a file. Caller frees. */
char *
tmphome_read(const char *path)
{
	FILE *f;
	char *s;
	long n;

	f = fopen(path, "rb");
	if (f == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (s == NULL || fread(s, 1, (size_t)n, f) != (size_t)n)
		abort();
	s[n] = '\0';
	fclose(f);
	return (s);
}
