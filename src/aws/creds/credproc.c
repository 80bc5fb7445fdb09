/* credential_process: fork/exec without a shell, JSON Version 1. */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/creds/credproc.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/shlex.h"
#include "core/xmalloc.h"

#define CREDPROC_MAX_OUTPUT (1024 * 1024)

/*
 * In the child: close every descriptor above stderr but the exec error
 * pipe (close-on-exec itself), as Python's Popen(close_fds=True) does, so
 * sockets of the run do not leak into the helper.
 */
#if defined(__GLIBC__) && !defined(APILOGS_PORTABLE) &&                        \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
#define CREDPROC_CLOSE_RANGE 1
#endif

static void
credproc_close_fds(int keep, int maxfd)
{
	int fd;

#ifdef CREDPROC_CLOSE_RANGE
	if (keep > 3 && close_range(3, (unsigned)keep - 1, 0) == 0)
		goto above;
#endif
	for (fd = 3; fd < keep; fd++)
		close(fd);
#ifdef CREDPROC_CLOSE_RANGE
above:
	if (close_range((unsigned)keep + 1, ~0U, 0) == 0)
		return;
#endif
	/* No close_range (macOS, the BSDs, musl, older glibc): every
	 * descriptor up to the limit the parent read. */
	for (fd = keep + 1; fd < maxfd; fd++)
		close(fd);
}

/* A pipe whose ends close on exec: pipe2 where there is one, else pipe()
 * and fcntl (macOS; no thread forks meanwhile). */
static int
credproc_pipe(int fds[2])
{
#if (defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__) ||      \
     defined(__OpenBSD__) || defined(__DragonFly__)) &&                        \
    !defined(APILOGS_PORTABLE)
	return (pipe2(fds, O_CLOEXEC));
#else
	if (pipe(fds) != 0)
		return (-1);
	if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) == -1) {
		close(fds[0]);
		close(fds[1]);
		fds[0] = fds[1] = -1;
		return (-1);
	}
	return (0);
#endif
}

/* The descriptors to close in the child: up to the soft limit, at most
 * 65536 (sysconf is not async-signal-safe: read it before fork). */
static int
credproc_maxfd(void)
{
	long n = sysconf(_SC_OPEN_MAX);

	if (n < 1024)
		return (1024);
	return (n > 65536 ? 65536 : (int)n);
}

/* In the child: wire stdout to the pipe and exec; report exec errors. */
static void
credproc_child(char **argv, int out, int err, int maxfd)
{
	int e;

	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (dup2(out, STDOUT_FILENO) == -1)
		_exit(127);
	close(out);
	credproc_close_fds(err, maxfd);
	execvp(argv[0], argv);
	e = errno;
	if (write(err, &e, sizeof e) != (ssize_t)sizeof e)
		_exit(127);
	_exit(127);
}

/*
 * Run argv, collect stdout into b. Returns 0 on a zero exit; otherwise -1
 * with *cause naming argv[0].
 */
static int
credproc_exec(char **argv, struct buf *b, char **cause)
{
	int out[2] = {-1, -1}, err[2] = {-1, -1}, status, e, rc = -1;
	int toobig = 0, maxfd;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (credproc_pipe(out) != 0 || credproc_pipe(err) != 0) {
		*cause =
		    xprintf("credential_process: pipe: %s", strerror(errno));
		goto out;
	}
	maxfd = credproc_maxfd();
	pid = fork();
	if (pid == -1) {
		*cause =
		    xprintf("credential_process: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		credproc_child(argv, out[1], err[1], maxfd);
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	for (;;) {
		n = read(out[0], chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!toobig && buf_add(b, chunk, (size_t)n) != 0)
			toobig = 1;
	}
	OPENSSL_cleanse(chunk, sizeof chunk);
	n = read(err[0], &e, sizeof e);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	if (n == (ssize_t)sizeof e) {
		*cause = xprintf("credential_process: cannot run %s: %s",
		    argv[0], strerror(e));
		goto out;
	}
	if (WIFSIGNALED(status)) {
		*cause = xprintf("credential_process %s was killed by signal "
				 "%d",
		    argv[0], WTERMSIG(status));
		goto out;
	}
	if (WEXITSTATUS(status) != 0) {
		*cause = xprintf("credential_process %s exited with status %d",
		    argv[0], WEXITSTATUS(status));
		goto out;
	}
	if (toobig) {
		*cause = xprintf("credential_process %s printed more than %d "
				 "bytes",
		    argv[0], CREDPROC_MAX_OUTPUT);
		goto out;
	}
	rc = 0;
out:
	if (out[0] != -1)
		close(out[0]);
	if (out[1] != -1)
		close(out[1]);
	if (err[0] != -1)
		close(err[0]);
	if (err[1] != -1)
		close(err[1]);
	return (rc);
}

/* Turn the process's JSON into credentials. */
static int
credproc_parse(const char *prog, const struct buf *b, const char *acct,
    struct aws_creds *out, char **cause)
{
	json_t *j, *v;
	json_error_t je;
	const char *ak, *sk, *tok, *exp, *id;
	int64_t ms = 0;
	int rc = -1;

	j = json_loadb(buf_str(b), b->len, 0, &je);
	if (j == NULL || !json_is_object(j)) {
		/* je.text can quote the input: give the position only. */
		*cause = xprintf("credential_process %s printed invalid JSON "
				 "(line %d, column %d)",
		    prog, j == NULL ? je.line : 1, j == NULL ? je.column : 1);
		goto out;
	}
	v = json_object_get(j, "Version");
	if (!(json_is_integer(v) && json_integer_value(v) == 1) &&
	    !(json_is_real(v) && json_real_value(v) == 1.0)) {
		if (json_is_integer(v))
			*cause = xprintf("credential_process %s: unsupported "
					 "Version %lld (supported: 1)",
			    prog, (long long)json_integer_value(v));
		else
			*cause = xprintf("credential_process %s: %s (supported "
					 "Version: 1)",
			    prog,
			    v == NULL ? "no Version key"
				      : "unsupported Version");
		goto out;
	}
	ak = json_string_value(json_object_get(j, "AccessKeyId"));
	sk = json_string_value(json_object_get(j, "SecretAccessKey"));
	tok = json_string_value(json_object_get(j, "SessionToken"));
	exp = json_string_value(json_object_get(j, "Expiration"));
	id = json_string_value(json_object_get(j, "AccountId"));
	if (ak == NULL || sk == NULL) {
		*cause = xprintf("credential_process %s: missing required key "
				 "%s",
		    prog, ak == NULL ? "AccessKeyId" : "SecretAccessKey");
		goto out;
	}
	if (exp != NULL && cred_time_parse(exp, &ms) != 0) {
		*cause = xprintf("credential_process %s: Expiration is not an "
				 "ISO 8601 time",
		    prog);
		goto out;
	}
	cred_set(out, ak, sk, tok, id != NULL && *id != '\0' ? id : acct);
	out->expires_ms = ms;
	rc = 0;
out:
	if (j != NULL)
		json_decref(j);
	return (rc);
}

/* Run a credential_process command line; see credproc.h. */
int
credproc_run(const char *cmdline, const char *account_id, struct aws_creds *out,
    char **cause)
{
	struct buf b;
	char **argv = NULL, *why = NULL;
	size_t argc;
	int rc = -1;

	buf_init(&b, CREDPROC_MAX_OUTPUT);
	if (shlex_split(cmdline, &argv, &argc, &why) != 0) {
		*cause = xprintf("credential_process: %s", why);
		free(why);
		goto out;
	}
	if (argc == 0) {
		*cause = xstrdup("credential_process is empty");
		goto out;
	}
	if (credproc_exec(argv, &b, cause) != 0)
		goto out;
	rc = credproc_parse(argv[0], &b, account_id, out, cause);
out:
	file_wipe(&b);
	shlex_free(argv);
	return (rc);
}
