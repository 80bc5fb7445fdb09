/* SPDX-License-Identifier: Apache-2.0 */
/* CloudFormation ListStackResources (query protocol). */

#include <stdlib.h>
#include <string.h>

#include "aws/loop.h"
#include "core/uri.h"
#include "core/xmalloc.h"
#include "core/xmltag.h"
#include "discover/cfn.h"

#define CFN_RATE 5 /* requests/s; well under the control-plane quota */

static const struct restjson_paging cfn_paging = {
    NULL, NULL, "NextToken", "ListStackResourcesResult/NextToken"};

/* Set up a client; see cfn.h. */
void
cfn_init(struct cfn *f, struct aws_client *c)
{
	memset(f, 0, sizeof *f);
	f->c = c;
	ratelimit_init(&f->rl, CFN_RATE, loop_mono(c->ctx->loop));
}

/* Decode one page; see cfn.h. */
int
cfn_decode_resources(
    const char *xml, size_t len, struct cfn_resources *out, char **cause)
{
	struct xmltag_span *m = NULL;
	struct cfn_resource *r;
	char *logical, *type;
	size_t i, n = 0;

	if (xmltag_list(xml, len,
		"ListStackResourcesResult/StackResourceSummaries", "member",
		CFN_MAX_RESOURCES, &m, &n) != 0) {
		*cause = xstrdup("bad ListStackResources response: no "
				 "StackResourceSummaries");
		return (-1);
	}
	for (i = 0; i < n && out->n < CFN_MAX_RESOURCES; i++) {
		logical = xmltag_get(m[i].p, m[i].len, "LogicalResourceId");
		type = xmltag_get(m[i].p, m[i].len, "ResourceType");
		if (logical == NULL || type == NULL || *logical == '\0') {
			free(logical); /* not a resource: skipped */
			free(type);
			continue;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		r = &out->v[out->n++];
		r->logical_id = logical;
		r->type = type;
		r->physical_id =
		    xmltag_get(m[i].p, m[i].len, "PhysicalResourceId");
		if (r->physical_id != NULL && *r->physical_id == '\0')
			xfree(&r->physical_id);
		r->status = xmltag_get(m[i].p, m[i].len, "ResourceStatus");
	}
	free(m);
	return (0);
}

static int
cfn_page(const char *xml, size_t len, void *out, char **cause)
{
	return (cfn_decode_resources(xml, len, out, cause));
}

/* ListStackResources; see cfn.h. */
struct restjson_op *
cfn_list_resources(struct cfn *f, const char *stack, struct cfn_resources *out,
    restjson_done_cb done, void *arg)
{
	struct restjson_req rq;
	struct restjson_op *op;
	struct uri_query q;
	char *form;

	uri_query_init(&q);
	uri_query_add(&q, "Action", "ListStackResources");
	uri_query_add(&q, "Version", "2010-05-15");
	uri_query_add(&q, "StackName", stack);
	form = uri_query_form(&q);
	uri_query_free(&q);
	memset(&rq, 0, sizeof rq);
	rq.op = "ListStackResources";
	rq.path = "/";
	rq.rl[0] = &f->rl;
	rq.paging = &cfn_paging;
	rq.form = form;
	rq.xml_page = cfn_page;
	rq.out = out;
	op = restjson_start(f->c, &rq, done, arg);
	free(form);
	return (op);
}

/* Free resources. Accepts NULL. */
void
cfn_resources_free(struct cfn_resources *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].logical_id);
		free(r->v[i].physical_id);
		free(r->v[i].type);
		free(r->v[i].status);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}
