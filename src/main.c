/* apilogs: read the logs of a serverless API on AWS. */

#include "cli.h"

int
main(int argc, char **argv)
{
	return (cli_main(argc, argv));
}
