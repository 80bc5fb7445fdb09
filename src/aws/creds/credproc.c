/* SPDX-License-Identifier: Apache-2.0 */
/*
 * credential_process: fork/exec without a shell in its own process group,
 * stdout read through the loop, JSON Version 1.
 */

#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "aws/cred.h"
#include "aws/creds/credproc.h"
#include "aws/loop.h"
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

	/* Its own group, so that a cancel stops whatever it started. */
	setpgid(0, 0);
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

struct credproc_op {
	struct loop *loop;
	char **argv;
	char *account_id;
	pid_t pid;     /* 0 once reaped */
	int out;       /* its stdout (read end), -1 at end of file */
	int err;       /* exec error pipe (read end) */
	int pidfd;     /* readable when it exits; -1: poll */
	int real_wait; /* polling: loop_real_wait() is on */
	int status;    /* from waitpid */
	int waitfail;  /* waitpid failed: errno */
	uint64_t out_watch;
	uint64_t pid_watch;
	uint64_t poll;
	struct buf b;
	int toobig;
	cred_done_cb done;
	void *arg;
};

static void credproc_end_wait(struct credproc_op *);

/* Free an op whose process is reaped (or never started). */
static void
credproc_op_free(struct credproc_op *op)
{
	loop_fd_unwatch(op->loop, op->out_watch);
	loop_fd_unwatch(op->loop, op->pid_watch);
	loop_timer_cancel(op->loop, op->poll);
	credproc_end_wait(op);
	if (op->out != -1)
		close(op->out);
	if (op->err != -1)
		close(op->err);
	if (op->pidfd != -1)
		close(op->pidfd);
	file_wipe(&op->b);
	shlex_free(op->argv);
	free(op->account_id);
	free(op);
}

/* The cause of a finished run, or NULL when it succeeded. */
static char *
credproc_status(struct credproc_op *op)
{
	const char *prog = op->argv[0];
	ssize_t n;
	int e;

	n = read(op->err, &e, sizeof e);
	if (n == (ssize_t)sizeof e)
		return (xprintf("credential_process: cannot run %s: %s", prog,
		    strerror(e)));
	if (op->waitfail != 0)
		return (xprintf("credential_process %s: waitpid: %s", prog,
		    strerror(op->waitfail)));
	if (WIFSIGNALED(op->status))
		return (xprintf("credential_process %s was killed by signal %d",
		    prog, WTERMSIG(op->status)));
	if (WEXITSTATUS(op->status) != 0)
		return (xprintf("credential_process %s exited with status %d",
		    prog, WEXITSTATUS(op->status)));
	if (op->toobig)
		return (xprintf("credential_process %s printed more than %d "
				"bytes",
		    prog, CREDPROC_MAX_OUTPUT));
	return (NULL);
}

/* Once its stdout is closed and it is reaped: parse and tell the owner. */
static void
credproc_check(struct credproc_op *op)
{
	struct aws_creds c;
	char *cause;
	int rc = -1;

	if (op->out != -1 || op->pid != 0)
		return;
	memset(&c, 0, sizeof c);
	cause = credproc_status(op);
	if (cause == NULL)
		rc = credproc_parse(
		    op->argv[0], &op->b, op->account_id, &c, &cause);
	op->done(op->arg, rc, &c, cause);
	cred_clear(&c);
	free(cause);
	credproc_op_free(op);
}

/* Reap the process if it has exited. Returns 1 once reaped. */
static int
credproc_reap(struct credproc_op *op)
{
	pid_t r;

	do
		r = waitpid(op->pid, &op->status, WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r == 0)
		return (0);
	if (r == -1)
		op->waitfail = errno;
	op->pid = 0;
	return (1);
}

/* The poll for the exit is over (reaped or given up). */
static void
credproc_end_wait(struct credproc_op *op)
{
	if (op->real_wait) {
		op->real_wait = 0;
		loop_real_wait(op->loop, -1);
	}
}

/* Poll for the exit (no pidfd). */
static void
credproc_on_poll(void *arg)
{
	struct credproc_op *op = arg;

	op->poll = 0;
	if (!credproc_reap(op)) {
		if (!op->real_wait) {
			op->real_wait = 1;
			loop_real_wait(op->loop, 1);
		}
		op->poll = loop_timer_in(op->loop, 10, credproc_on_poll, op);
		return;
	}
	credproc_end_wait(op);
	credproc_check(op);
}

/* The pidfd is readable: the process exited. */
static void
credproc_on_exit(void *arg, int revents)
{
	struct credproc_op *op = arg;

	(void)revents;
	if (!credproc_reap(op))
		return;
	loop_fd_unwatch(op->loop, op->pid_watch);
	op->pid_watch = 0;
	credproc_check(op);
}

/* Read what its stdout has; at end of file, wait for the exit. */
static void
credproc_on_out(void *arg, int revents)
{
	struct credproc_op *op = arg;
	char chunk[4096];
	ssize_t n;

	(void)revents;
	for (;;) {
		n = read(op->out, chunk, sizeof chunk);
		if (n > 0) {
			if (!op->toobig &&
			    buf_add(&op->b, chunk, (size_t)n) != 0)
				op->toobig = 1;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		break;
	}
	OPENSSL_cleanse(chunk, sizeof chunk);
	if (n == -1 && errno == EAGAIN)
		return;
	loop_fd_unwatch(op->loop, op->out_watch);
	op->out_watch = 0;
	close(op->out);
	op->out = -1;
	if (op->pidfd == -1)
		credproc_on_poll(op);
	else
		credproc_check(op);
}

/* Open a descriptor that becomes readable when pid exits, or -1. */
static int
credproc_pidfd(pid_t pid)
{
#if defined(SYS_pidfd_open) && !defined(APILOGS_PORTABLE)
	return ((int)syscall(SYS_pidfd_open, pid, 0));
#else
	(void)pid;
	return (-1);
#endif
}

/* Start a credential_process command line; see credproc.h. */
int
credproc_start(struct loop *loop, const char *cmdline, const char *account_id,
    cred_done_cb done, void *arg, struct credproc_op **opp, char **cause)
{
	struct credproc_op *op;
	char *why = NULL;
	size_t argc;
	int out[2] = {-1, -1}, err[2] = {-1, -1}, maxfd;
	pid_t pid;

	*opp = NULL;
	op = xcalloc(1, sizeof *op);
	op->loop = loop;
	op->out = op->err = op->pidfd = -1;
	op->done = done;
	op->arg = arg;
	buf_init(&op->b, CREDPROC_MAX_OUTPUT);
	if (account_id != NULL)
		op->account_id = xstrdup(account_id);
	if (shlex_split(cmdline, &op->argv, &argc, &why) != 0) {
		*cause = xprintf("credential_process: %s", why);
		free(why);
		goto fail;
	}
	if (argc == 0) {
		*cause = xstrdup("credential_process is empty");
		goto fail;
	}
	if (credproc_pipe(out) != 0 || credproc_pipe(err) != 0) {
		*cause =
		    xprintf("credential_process: pipe: %s", strerror(errno));
		goto fail;
	}
	maxfd = credproc_maxfd();
	pid = fork();
	if (pid == -1) {
		*cause =
		    xprintf("credential_process: fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		credproc_child(op->argv, out[1], err[1], maxfd);
	/* Both sides set the group: whichever runs first wins the race. */
	setpgid(pid, pid);
	close(out[1]);
	close(err[1]);
	op->pid = pid;
	op->out = out[0];
	op->err = err[0];
	fcntl(op->out, F_SETFL, fcntl(op->out, F_GETFL) | O_NONBLOCK);
	op->out_watch =
	    loop_fd_watch(loop, op->out, LOOP_FD_IN, credproc_on_out, op);
	op->pidfd = credproc_pidfd(pid);
	if (op->pidfd != -1)
		op->pid_watch = loop_fd_watch(
		    loop, op->pidfd, LOOP_FD_IN, credproc_on_exit, op);
	*opp = op;
	return (0);
fail:
	if (out[0] != -1) {
		close(out[0]);
		close(out[1]);
	}
	if (err[0] != -1) {
		close(err[0]);
		close(err[1]);
	}
	credproc_op_free(op);
	return (-1);
}

/* Stop a run; see credproc.h. SIGTERM to its group, SIGKILL if it is
 * still there a moment later. */
void
credproc_op_cancel(struct credproc_op *op)
{
	struct timespec ts = {0, 5 * 1000 * 1000};
	int i;

	if (op == NULL)
		return;
	if (op->pid != 0) {
		kill(-op->pid, SIGTERM);
		for (i = 0; i < 40 && !credproc_reap(op); i++)
			nanosleep(&ts, NULL);
		if (op->pid != 0) {
			kill(-op->pid, SIGKILL);
			while (waitpid(op->pid, &op->status, 0) == -1 &&
			       errno == EINTR)
				continue;
			op->pid = 0;
		}
	}
	credproc_op_free(op);
}
