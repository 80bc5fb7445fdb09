/* SPDX-License-Identifier: Apache-2.0 */
/* GetQueryResults answers as tables of (field, value) strings, for the
 * aggregate rows of `stats` queries; see insights.h. */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/xmalloc.h"
#include "logs/insights.h"
#include "logs/insights_int.h"

/* A number in the statistics, or 0. */
/* Copy s (n bytes) into the arena at *p. */
static const char *
insights_table_put(const char *s, size_t n, char **p)
{
	char *d = *p;

	memcpy(d, s, n);
	d[n] = '\0';
	*p += n + 1;
	return (d);
}

/* Is cell a {"field": string, "value": string} pair? */
static int
insights_table_pair(json_t *cell, json_t **f, json_t **v)
{
	*f = json_object_get(cell, "field");
	*v = json_object_get(cell, "value");
	return (json_is_string(*f) && json_is_string(*v));
}

/* Fill t's rows from results (checked: an array of arrays). */
static void
insights_table_rows(json_t *results, struct insights_table *t)
{
	json_t *row, *cell, *f, *v;
	size_t i, j, ncells = 0, bytes = 0, k = 0;
	char *p;

	json_array_foreach(results, i, row)
	{
		json_array_foreach(row, j, cell)
		{
			if (!insights_table_pair(cell, &f, &v))
				continue;
			ncells++;
			bytes +=
			    json_string_length(f) + json_string_length(v) + 2;
		}
	}
	t->nrows = json_array_size(results);
	t->row = xcalloc(t->nrows + 1, sizeof *t->row);
	t->cells = xcalloc(ncells + 1, sizeof *t->cells);
	t->mem = p = xmalloc(bytes + 1);
	json_array_foreach(results, i, row)
	{
		t->row[i] = k;
		json_array_foreach(row, j, cell)
		{
			if (!insights_table_pair(cell, &f, &v))
				continue;
			t->cells[k].field = insights_table_put(
			    json_string_value(f), json_string_length(f), &p);
			t->cells[k].value = insights_table_put(
			    json_string_value(v), json_string_length(v), &p);
			k++;
		}
	}
	t->row[t->nrows] = k;
}

/* Decode a GetQueryResults body as a table; see insights.h. */
int
insights_table_decode(
    const char *body, size_t len, struct insights_table *t, char **cause)
{
	struct insights_meta m;
	json_t *root, *results;

	memset(t, 0, sizeof *t);
	root = insights_envelope(body, len, &m, &results, cause);
	if (root == NULL)
		return (-1); /* *t stays zeroed, as after a free */
	t->status = m.status;
	t->has_stats = m.has_stats;
	t->matched = m.matched;
	t->scanned = m.scanned;
	t->bytes = m.bytes;
	if (results != NULL)
		insights_table_rows(results, t);
	json_decref(root);
	return (0);
}

/* The value of a field in a row; see insights.h. */
const char *
insights_table_get(const struct insights_table *t, size_t i, const char *field)
{
	size_t k;

	if (i >= t->nrows)
		return (NULL);
	for (k = t->row[i]; k < t->row[i + 1]; k++)
		if (strcmp(t->cells[k].field, field) == 0)
			return (t->cells[k].value);
	return (NULL);
}

/* Free a table. Accepts NULL. */
void
insights_table_free(struct insights_table *t)
{
	if (t == NULL)
		return;
	free(t->row);
	free(t->cells);
	free(t->mem);
	memset(t, 0, sizeof *t);
}
