/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark launcher: spawn OUT CMD [ARG...] runs CMD and writes its wall
 * time, user and system CPU time (microseconds), peak RSS (KiB) and exit
 * status to OUT as one line.
 *
 * Why: ru_maxrss is a high-water mark that survives exec(), so a child
 * forked straight from the (large) Python harness reports the harness's
 * RSS as its own.  Forked from this small process, CMD starts from about
 * one MiB.  SIGINT and SIGTERM are ignored here (not in CMD) so that a
 * signal sent to the process group stops CMD and this still reports.
 * Built by bench/run.py; not part of apilogs.
 */

#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Seconds since an arbitrary point, from the monotonic clock. */
static double
spawn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	FILE *f;
	double t0, wall;
	pid_t pid;
	int status, code;

	if (argc < 3) {
		fprintf(stderr, "usage: spawn OUT CMD [ARG...]\n");
		return (2);
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	t0 = spawn_now();
	pid = fork();
	if (pid == -1) {
		perror("fork");
		return (2);
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "spawn: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("wait4");
			return (2);
		}
	}
	wall = spawn_now() - t0;
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else
		code = 128 + WTERMSIG(status);
	f = fopen(argv[1], "w");
	if (f == NULL) {
		perror(argv[1]);
		return (2);
	}
	fprintf(f, "%.6f %ld %ld %ld %d\n", wall,
	    (long)ru.ru_utime.tv_sec * 1000000 + (long)ru.ru_utime.tv_usec,
	    (long)ru.ru_stime.tv_sec * 1000000 + (long)ru.ru_stime.tv_usec,
	    ru.ru_maxrss, code);
	if (fclose(f) != 0) {
		perror(argv[1]);
		return (2);
	}
	return (code);
}
