/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the discovery decoders: API Gateway v1 stages,
 * exports, GetResources and GetAuthorizers pages, API Gateway v2 stages,
 * integrations, routes and authorizers, and Lambda configurations. The
 * first byte picks the decoder, the rest is the response body. Checks the
 * documented invariants (null is absent, types are upper case, counts
 * add up), so a wrong answer aborts as surely as a memory error.
 */

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/xmalloc.h"
#include "discover/apigw.h"
#include "discover/apigwv2.h"
#include "discover/lambda.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Abort unless s is NULL or has no lower-case letter. */
static void
check_upper(const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (islower((unsigned char)*s))
			abort();
	}
}

static void
check_definition(const struct apigw_definition *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->nmethods; i++) {
		if (d->methods[i].route == NULL ||
		    strchr(d->methods[i].route, ' ') == NULL)
			abort();
		check_upper(d->methods[i].type);
		if (d->methods[i].type != NULL)
			n++;
	}
	if (n != d->nintegrations)
		abort();
	for (i = 0; i < d->authorizers.n; i++) {
		if (d->authorizers.v[i].name == NULL)
			abort();
		check_upper(d->authorizers.v[i].type);
	}
}

static void
fuzz_v1(int which, json_t *j)
{
	struct apigw_stage st;
	struct apigw_definition d;
	struct apigw_authorizers a = {NULL, 0};
	char *cause = NULL;
	size_t i;

	switch (which) {
	case 0:
		if (apigw_decode_stage(j, &st, &cause) == 0) {
			if (st.name == NULL || cause != NULL)
				abort();
			for (i = 0; i < st.nsettings; i++)
				check_upper(st.settings[i].logging_level);
		} else if (cause == NULL)
			abort();
		free(cause);
		apigw_stage_free(&st);
		break;
	case 1:
		memset(&d, 0, sizeof d);
		apigw_decode_export(j, &d);
		check_definition(&d);
		apigw_definition_free(&d);
		break;
	case 2:
		memset(&d, 0, sizeof d);
		apigw_decode_resources(j, &d);
		check_definition(&d);
		if (d.pages != 1)
			abort();
		apigw_definition_free(&d);
		break;
	default:
		apigw_decode_authorizers(j, &a);
		for (i = 0; i < a.n; i++) {
			if (a.v[i].id == NULL || a.v[i].name == NULL)
				abort();
			check_upper(a.v[i].type);
		}
		apigw_authorizers_free(&a);
		break;
	}
}

static void
fuzz_v2(int which, json_t *j)
{
	struct apigwv2_stage st;
	struct apigwv2_integration in;
	struct apigwv2_route r;
	struct apigw_authorizer a;
	struct lambda_config c;
	char *cause = NULL, *g;

	switch (which) {
	case 4:
		if (apigwv2_decode_stage(j, &st, &cause) == 0)
			check_upper(st.logging_level);
		free(cause);
		apigwv2_stage_free(&st);
		break;
	case 5:
		memset(&in, 0, sizeof in);
		apigwv2_decode_integration(j, &in);
		check_upper(in.type);
		apigwv2_integrations_free(
		    &(struct apigwv2_integrations){xmemdup(&in, sizeof in), 1});
		break;
	case 6:
		memset(&r, 0, sizeof r);
		apigwv2_decode_route(j, &r);
		check_upper(r.authorization_type);
		apigwv2_routes_free(
		    &(struct apigwv2_routes){xmemdup(&r, sizeof r), 1});
		break;
	case 7:
		memset(&a, 0, sizeof a);
		apigwv2_decode_authorizer(j, &a);
		check_upper(a.type);
		apigw_authorizers_free(
		    &(struct apigw_authorizers){xmemdup(&a, sizeof a), 1});
		break;
	default:
		if (lambda_decode_config(j, &c, &cause) == 0) {
			if (c.log_group != NULL && *c.log_group == '\0')
				abort();
			g = lambda_log_group(&c);
			if (g == NULL || *g == '\0')
				abort();
			free(g);
		}
		free(cause);
		lambda_config_free(&c);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j;
	int which;

	if (size < 1)
		return (0);
	which = data[0] % 9;
	j = json_loadb((const char *)data + 1, size - 1, 0, NULL);
	if (j == NULL)
		return (0);
	if (which < 4)
		fuzz_v1(which, j);
	else
		fuzz_v2(which, j);
	json_decref(j);
	return (0);
}
