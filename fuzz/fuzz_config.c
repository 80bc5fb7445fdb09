/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the AWS config/credentials reader: the first byte
 * picks the file kind, the rest is the file. Lookups then walk the result.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "aws/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *profiles[] = {"default", "dev", "a", "x y"};
	static const char *keys[] = {
	    "region", "aws_access_key_id", "services", "s3", "endpoint_url"};
	struct config *cfg;
	enum config_which which;
	char *cause = NULL;
	size_t i, j;

	if (size < 1)
		return (0);
	which = (data[0] & 1) ? CONFIG_FILE_CREDENTIALS : CONFIG_FILE_CONFIG;
	cfg = config_new();
	if (config_parse(cfg, which, "fuzz", (const char *)data + 1, size - 1,
		&cause) != 0) {
		free(cause);
		config_free(cfg);
		return (0);
	}
	for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		(void)config_profile_exists(cfg, profiles[i]);
		for (j = 0; j < sizeof keys / sizeof keys[0]; j++) {
			(void)config_get(cfg, profiles[i], keys[j]);
			(void)config_section_get(
			    cfg, "sso-session", profiles[i], keys[j]);
			(void)config_services_get(
			    cfg, profiles[i], keys[j], "endpoint_url");
		}
		(void)config_section_exists(cfg, "services", profiles[i]);
	}
	config_free(cfg);
	return (0);
}
