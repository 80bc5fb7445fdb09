/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs --version [-v]: our version and those of the libraries. */

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>
#include <openssl/crypto.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "aws/curlfn.h"
#include "cli/version.h"

/* See version.h. */
void
version_print(FILE *fp, int verbose)
{
	const char *cv;
	char *cause = NULL;
	char pcre[64];

	fprintf(fp, "apilogs %s\n", APILOGS_VERSION);
	if (verbose <= 0)
		return;
	cv = curlfn_version(&cause);
	if (cv != NULL)
		fprintf(fp, "libcurl: %s (%s%s; built with %s)\n", cv,
		    APILOGS_CURL_DLOPEN ? "loaded from " : "",
		    curlfn_loaded_name(), LIBCURL_VERSION);
	else {
		fprintf(fp, "libcurl: not available: %s\n", cause);
		free(cause);
	}
	fprintf(fp, "OpenSSL: %s (built with %s)\n",
	    OpenSSL_version(OPENSSL_VERSION), OPENSSL_VERSION_TEXT);
	fprintf(fp, "jansson: %s (built with %s)\n", jansson_version_str(),
	    JANSSON_VERSION);
	if (pcre2_config(PCRE2_CONFIG_VERSION, pcre) < 0)
		snprintf(pcre, sizeof pcre, "unknown");
	fprintf(fp, "PCRE2: %s (built with %d.%d)\n", pcre, PCRE2_MAJOR,
	    PCRE2_MINOR);
}
