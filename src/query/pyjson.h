/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON written byte for byte as Python's json.dumps() writes it, so that
 * --query and --format json print what awslogs and `aws logs tail` print:
 * ", " and ": " between items (or one item a line with indent), keys in
 * their order, ensure_ascii (every character outside ' '..'~' as \uXXXX,
 * surrogate pairs above U+FFFF), floats as Python's repr() ("0.1",
 * "1.0", "1e+16", "1e-05").
 */
#ifndef APILOGS_PYJSON_H
#define APILOGS_PYJSON_H

#include <jansson.h>

struct buf;

/* Append v to b: json.dumps(v) when indent < 0, json.dumps(v,
 * indent=indent) otherwise. */
void pyjson_dump(const json_t *v, int indent, struct buf *b);

#endif
