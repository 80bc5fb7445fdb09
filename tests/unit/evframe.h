/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper: AWS event-stream messages (prelude, string headers,
 * payload, CRC32s), appended to a buffer. */
#ifndef APILOGS_TEST_EVFRAME_H
#define APILOGS_TEST_EVFRAME_H

#include "core/buf.h"

/* A message with string headers hdrs (name, value, ..., NULL). */
void evframe(struct buf *, const char *const *hdrs, const char *payload);
/* An event message of type (":event-type") with a JSON payload. */
void evframe_event(struct buf *, const char *type, const char *payload);
/* An exception message (":exception-type" type). */
void evframe_exception(struct buf *, const char *type, const char *payload);

#endif
