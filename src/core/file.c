/* SPDX-License-Identifier: Apache-2.0 */
/* File helpers: path expansion, bounded reads, private atomic writes. */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/xmalloc.h"

/* Python's os.path.expandvars: $NAME and ${NAME}; unknown ones stay. */
static char *
file_expandvars(const char *s)
{
	struct buf b;
	const char *p = s, *n, *v;
	char *name;
	size_t len;

	buf_init(&b, BUF_NOCAP);
	while (*p != '\0') {
		if (*p != '$') {
			buf_putc(&b, *p++);
			continue;
		}
		if (p[1] == '{') {
			n = strchr(p + 2, '}');
			if (n == NULL) {
				buf_putc(&b, *p++);
				continue;
			}
			name = xstrndup(p + 2, (size_t)(n - p - 2));
			len = (size_t)(n + 1 - p);
		} else {
			n = p + 1;
			while (isalnum((unsigned char)*n) || *n == '_')
				n++;
			if (n == p + 1) {
				buf_putc(&b, *p++);
				continue;
			}
			name = xstrndup(p + 1, (size_t)(n - p - 1));
			len = (size_t)(n - p);
		}
		v = getenv(name);
		if (v != NULL)
			buf_puts(&b, v);
		else
			buf_put(&b, p, len);
		free(name);
		p += len;
	}
	return (buf_take(&b, NULL));
}

/* Expand $VARS then a leading ~ or ~user. Caller frees with free(). */
char *
file_expand_path(const char *path)
{
	char *s, *user, *out;
	const char *home = NULL, *rest;
	struct passwd *pw;
	size_t hlen;

	s = file_expandvars(path);
	if (s[0] != '~')
		return (s);
	rest = strchr(s + 1, '/');
	if (rest == NULL)
		rest = s + strlen(s);
	if (rest == s + 1) {
		home = getenv("HOME");
		if (home == NULL) {
			pw = getpwuid(getuid());
			home = pw == NULL ? NULL : pw->pw_dir;
		}
	} else {
		user = xstrndup(s + 1, (size_t)(rest - s - 1));
		pw = getpwnam(user);
		free(user);
		home = pw == NULL ? NULL : pw->pw_dir;
	}
	if (home == NULL)
		return (s);
	hlen = strlen(home);
	while (hlen > 0 && home[hlen - 1] == '/')
		hlen--;
	out = xprintf("%.*s%s", (int)hlen, home, rest);
	if (*out == '\0') {
		free(out);
		out = xstrdup("/");
	}
	free(s);
	return (out);
}

/* Read a whole regular file into b (see file.h). */
int
file_read(const char *path, struct buf *b, int *missing, char **cause)
{
	struct stat sb;
	char chunk[8192];
	ssize_t n;
	const char *absent = NULL;
	int fd = -1, rc = -1;

	if (missing != NULL)
		*missing = 0;
	if (*path == '\0')
		absent = "empty path";
	else if (stat(path, &sb) != 0) {
		if (errno != ENOENT && errno != ENOTDIR) {
			*cause = xprintf("%s: %s", path, strerror(errno));
			return (-1);
		}
		absent = strerror(errno);
	} else if (S_ISDIR(sb.st_mode))
		absent = "is a directory";
	else if (!S_ISREG(sb.st_mode))
		absent = "not a regular file";
	if (absent != NULL) {
		if (missing != NULL) {
			*missing = 1;
			return (0);
		}
		*cause = xprintf("%s: %s", path, absent);
		return (-1);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xprintf("%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (buf_add(b, chunk, (size_t)n) != 0) {
			*cause = xprintf("%s: file too large", path);
			goto out;
		}
	}
	rc = 0;
out:
	OPENSSL_cleanse(chunk, sizeof chunk);
	if (fd != -1)
		close(fd);
	return (rc);
}

/* Wipe and free a buffer that held a secret. */
void
file_wipe(struct buf *b)
{
	if (b->data != NULL)
		OPENSSL_cleanse(b->data, b->size);
	buf_free(b);
}

/* Create the directory of path (mode 0700) and its parents if missing. */
static int
file_mkdirs(const char *path, char **cause)
{
	char *dir, *p;
	int rc = -1;

	dir = xstrdup(path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir) {
		rc = 0;
		goto out;
	}
	*p = '\0';
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*cause = xprintf("%s: %s", dir, strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xprintf("%s: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(dir);
	return (rc);
}

/* Write a 0600 file atomically through a temporary file and rename. */
int
file_write_private(const char *path, const void *data, size_t len, char **cause)
{
	char *tmp;
	const char *p = data;
	ssize_t n;
	int fd, rc = -1;

	if (file_mkdirs(path, cause) != 0)
		return (-1);
	tmp = xprintf("%s.XXXXXX.tmp", path);
	fd = mkstemps(tmp, 4);
	if (fd == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		free(tmp);
		return (-1);
	}
	if (fchmod(fd, 0600) != 0)
		goto fail;
	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	*cause = xprintf("%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	return (rc);
}
