/* Command-line entry point. */

#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Parse argv and run the command; returns the process exit code. */
int
cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("apilogs %s\n", APILOGS_VERSION);
		return (EXIT_OK);
	}
	fprintf(stderr, "apilogs: no command given (try 'apilogs --help')\n");
	return (EXIT_USAGE);
}
