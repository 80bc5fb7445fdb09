/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs: read the logs of a serverless API on AWS. */

#include <signal.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "cli/out.h"

int
main(int argc, char **argv)
{
	/*
	 * Pages of events are about 1 MB each and come and go all the time:
	 * keep freed ones in the heap instead of mmapping and unmapping each
	 * (every fresh mapping costs a page fault per 4 KiB). glibc only:
	 * musl, macOS and the BSDs have no mallopt.
	 */
#if defined(__GLIBC__) && !defined(APILOGS_PORTABLE)
	mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
#endif
	/* A reader that goes away is EPIPE on write, a quiet end. */
	signal(SIGPIPE, SIG_IGN);
	out_guard_stdio();
	return (cli_main(argc, argv));
}
