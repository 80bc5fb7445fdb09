/* SPDX-License-Identifier: Apache-2.0 */
/* REST-JSON helpers the service clients share: paths, null-tolerant JSON
 * readers, growable arrays and string maps. */

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/restjson.h"
#include "core/buf.h"
#include "core/uri.h"
#include "core/xmalloc.h"

/* "/a/b/c" from encoded segments; see restjson.h. Caller frees. */
char *
restjson_path(const char *seg, ...)
{
	struct buf b;
	va_list ap;
	char *e;

	buf_init(&b, BUF_NOCAP);
	va_start(ap, seg);
	for (; seg != NULL; seg = va_arg(ap, const char *)) {
		e = uri_encode(seg, strlen(seg), 0);
		buf_putf(&b, "/%s", e);
		free(e);
	}
	va_end(ap);
	return (buf_take(&b, NULL));
}

/* An upper-case copy of a string member, or NULL. Caller frees. */
char *
restjson_upper(json_t *obj, const char *key)
{
	char *u;
	size_t i;

	u = restjson_strdup(obj, key);
	for (i = 0; u != NULL && u[i] != '\0'; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return (u);
}

/* Call each for every object of an array member; see restjson.h. */
void
restjson_each(json_t *obj, const char *key,
    void (*each)(json_t *item, void *out), void *out)
{
	json_t *items, *it;
	size_t i;

	items = restjson_arr(obj, key);
	json_array_foreach(items, i, it)
	{
		if (json_is_object(it))
			each(it, out);
	}
}

/* Add a zeroed element to an array; see restjson.h. */
void *
restjson_push(void *arrp, size_t *n, size_t size)
{
	char *v, *p;

	memcpy(&v, arrp, sizeof v);
	v = xreallocarray(v, *n + 1, size);
	memcpy(arrp, &v, sizeof v);
	p = v + *n * size;
	memset(p, 0, size);
	(*n)++;
	return (p);
}

/* A string member or NULL. */
const char *
restjson_str(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	return (json_is_string(v) ? json_string_value(v) : NULL);
}

/* A copied string member or NULL. Caller frees. */
char *
restjson_strdup(json_t *obj, const char *key)
{
	const char *s = restjson_str(obj, key);

	return (s != NULL ? xstrdup(s) : NULL);
}

/* An object member or NULL. */
json_t *
restjson_obj(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	return (json_is_object(v) ? v : NULL);
}

/* An array member or NULL. */
json_t *
restjson_arr(json_t *obj, const char *key)
{
	json_t *v;

	v = json_object_get(obj, key);
	return (json_is_array(v) ? v : NULL);
}

/* A boolean member, 0 when absent. */
int
restjson_bool(json_t *obj, const char *key)
{
	return (json_is_true(json_object_get(obj, key)));
}

/* Read the string members of obj into m. */
void
restjson_map_read(struct restjson_map *m, json_t *obj)
{
	const char *k;
	json_t *v;

	restjson_map_free(m);
	if (!json_is_object(obj))
		return;
	json_object_foreach(obj, k, v)
	{
		if (json_is_string(v))
			restjson_map_set(m, k, json_string_value(v));
	}
}

/* Set key to value in m. */
void
restjson_map_set(struct restjson_map *m, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], key) == 0) {
			free(m->values[i]);
			m->values[i] = xstrdup(value);
			return;
		}
	}
	m->keys = xreallocarray(m->keys, m->n + 1, sizeof *m->keys);
	m->values = xreallocarray(m->values, m->n + 1, sizeof *m->values);
	m->keys[m->n] = xstrdup(key);
	m->values[m->n] = xstrdup(value);
	m->n++;
}

/* The value of key in m, or NULL. */
const char *
restjson_map_get(const struct restjson_map *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->keys[i], key) == 0)
			return (m->values[i]);
	}
	return (NULL);
}

/* Copy a map. */
void
restjson_map_copy(struct restjson_map *dst, const struct restjson_map *src)
{
	size_t i;

	restjson_map_free(dst);
	for (i = 0; i < src->n; i++)
		restjson_map_set(dst, src->keys[i], src->values[i]);
}

/* Free a map's contents. Accepts NULL. */
void
restjson_map_free(struct restjson_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof *m);
}
