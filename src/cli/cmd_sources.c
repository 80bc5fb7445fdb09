/* SPDX-License-Identifier: Apache-2.0 */
/* apilogs sources: the log groups behind an API stage or a stack, and why. */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/app.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/cmd_api.h"
#include "cli/out.h"
#include "cli/render.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/xmalloc.h"
#include "discover/discover.h"

/* A list of strings as a JSON array. */
static json_t *
sources_json_list(char **v, size_t n)
{
	json_t *a;
	size_t i;

	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return (a);
}

/* The whole result as one JSON document. Caller frees. */
static char *
sources_json(const struct discover_result *r)
{
	const struct discover_source *ds;
	json_t *root, *api, *arr, *o;
	char *s, *role;
	size_t i;

	root = json_object();
	api = json_object();
	if (r->stack != NULL) {
		json_object_set_new(api, "name", json_string(r->stack));
		json_object_set_new(root, "stack", api);
	} else {
		json_object_set_new(api, "id", json_string(r->api_id));
		json_object_set_new(api, "name",
		    r->api_name != NULL ? json_string(r->api_name)
					: json_null());
		json_object_set_new(
		    api, "type", json_string(discover_type_name(r->type)));
		json_object_set_new(api, "stage", json_string(r->stage));
		json_object_set_new(root, "api", api);
	}
	arr = json_array();
	for (i = 0; i < r->nsrcs; i++) {
		ds = &r->srcs[i];
		role = discover_role_format(ds->role, ds->function);
		o = json_object();
		json_object_set_new(o, "group", json_string(ds->group));
		json_object_set_new(o, "role", json_string(role));
		json_object_set_new(o, "reason", json_string(ds->reason));
		free(role);
		json_object_set_new(o, "function",
		    ds->function != NULL ? json_string(ds->function)
					 : json_null());
		json_object_set_new(
		    o, "routes", sources_json_list(ds->routes, ds->nroutes));
		if (r->stack != NULL) {
			json_object_set_new(
			    o, "logicalId", json_string(ds->logical_id));
			json_object_set_new(
			    o, "resourceType", json_string(ds->resource_type));
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "sources", arr);
	json_object_set_new(
	    root, "warnings", sources_json_list(r->warnings, r->nwarnings));
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		abort();
	return (s);
}

/* Append a name escaped, padded with spaces to width + 2 columns. */
static void
sources_cell(struct buf *b, const char *s, size_t width)
{
	size_t start = b->len, w;

	utf8_escape(b, s, strlen(s), 0);
	for (w = utf8_width(b->data + start, b->len - start); w < width + 2;
	     w++)
		buf_putc(b, ' ');
}

/* Append a name escaped. */
static void
sources_put(struct buf *b, const char *s)
{
	utf8_escape(b, s, strlen(s), 0);
}

/* The width of the widest name. */
static size_t
sources_width(const char *s, size_t w)
{
	size_t n = utf8_escape_width(s, strlen(s), 0);

	return (n > w ? n : w);
}

/* Aligned text: a heading, then logical id, resource type, role, group
 * and reason per source of a stack. */
static char *
sources_stack_text(const struct discover_result *r, char **roles)
{
	const struct discover_source *s;
	struct buf b;
	size_t i, wl = 0, wt = 0, wrole = 0, wgroup = 0;

	for (i = 0; i < r->nsrcs; i++) {
		s = &r->srcs[i];
		wl = sources_width(s->logical_id, wl);
		wt = sources_width(s->resource_type, wt);
		wrole = sources_width(roles[i], wrole);
		wgroup = sources_width(s->group, wgroup);
	}
	buf_init(&b, BUF_NOCAP);
	buf_puts(&b, "stack ");
	sources_put(&b, r->stack);
	buf_putf(&b, ": %zu log group%s\n", r->nsrcs, r->nsrcs == 1 ? "" : "s");
	for (i = 0; i < r->nsrcs; i++) {
		s = &r->srcs[i];
		sources_cell(&b, s->logical_id, wl);
		sources_cell(&b, s->resource_type, wt);
		sources_cell(&b, roles[i], wrole);
		sources_cell(&b, s->group, wgroup);
		sources_put(&b, s->reason);
		buf_putc(&b, '\n');
	}
	return (buf_take(&b, NULL));
}

/* Aligned text: a heading, then role, group and reason per source. */
static char *
sources_text(const struct discover_result *r)
{
	const struct discover_source *s;
	struct buf b;
	char **roles, *doc;
	size_t i, w, wrole = 0, wgroup = 0;

	roles = xcalloc(r->nsrcs + 1, sizeof *roles);
	for (i = 0; i < r->nsrcs; i++) {
		s = &r->srcs[i];
		roles[i] = discover_role_format(s->role, s->function);
		w = utf8_escape_width(roles[i], strlen(roles[i]), 0);
		if (w > wrole)
			wrole = w;
		w = utf8_escape_width(s->group, strlen(s->group), 0);
		if (w > wgroup)
			wgroup = w;
	}
	if (r->stack != NULL) {
		doc = sources_stack_text(r, roles);
		goto out;
	}
	buf_init(&b, BUF_NOCAP);
	buf_putf(&b, "%s API ", discover_type_name(r->type));
	sources_put(&b, r->api_id);
	if (r->api_name != NULL) {
		buf_puts(&b, " (");
		sources_put(&b, r->api_name);
		buf_putc(&b, ')');
	}
	buf_puts(&b, ", stage ");
	sources_put(&b, r->stage);
	buf_putf(&b, ": %zu log group%s\n", r->nsrcs, r->nsrcs == 1 ? "" : "s");
	for (i = 0; i < r->nsrcs; i++) {
		s = &r->srcs[i];
		sources_cell(&b, roles[i], wrole);
		sources_cell(&b, s->group, wgroup);
		sources_put(&b, s->reason);
		buf_putc(&b, '\n');
	}
	doc = buf_take(&b, NULL);
out:
	for (i = 0; i < r->nsrcs; i++)
		free(roles[i]);
	free(roles);
	return (doc);
}

/* Print the sources of --api-id and --stage; see README. */
int
cmd_sources(struct app *a)
{
	struct cmd_api *api = NULL;
	struct out o;
	char *doc;
	int rc;

	rc = cmd_api_run(a, &api);
	if (api == NULL)
		return (rc);
	if (a->o->output == OUTPUT_JSON)
		doc = sources_json(cmd_api_result(api));
	else
		doc = sources_text(cmd_api_result(api));
	out_init(&o, STDOUT_FILENO, 0);
	if (out_write(&o, doc, strlen(doc)) == 0 && a->o->output == OUTPUT_JSON)
		(void)out_write(&o, "\n", 1);
	out_flush(&o);
	out_free(&o);
	free(doc);
	cmd_api_free(api);
	return (EXIT_OK);
}
