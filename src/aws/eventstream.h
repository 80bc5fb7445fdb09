/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An incremental decoder of AWS event-stream framing (the
 * application/vnd.amazon.eventstream responses of StartLiveTail and
 * friends). Each message on the wire is
 *
 *	total length (4) | headers length (4) | prelude CRC32 (4)
 *	headers (headers length) | payload | message CRC32 (4)
 *
 * big-endian, CRC32 as zlib computes it; the prelude CRC covers the first
 * 8 bytes and the message CRC everything before it. A header is a name
 * (1-byte length), a type byte and a typed value.
 *
 * The decoder takes the bytes in chunks of any size (as libcurl's write
 * callback hands them over), keeps at most one message, never more than
 * its maximum size, and yields whole, checked messages. An error ends the
 * stream: there is no way to find the next message boundary after one.
 */
#ifndef APILOGS_EVENTSTREAM_H
#define APILOGS_EVENTSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The largest message the AWS specification allows: 16 MiB. */
#define EVSTREAM_MAX_MESSAGE (16 * 1024 * 1024)
/* The prelude and the message CRC: the size of an empty message. */
#define EVSTREAM_PRELUDE_LEN 12
#define EVSTREAM_MIN_MESSAGE 16

enum evstream_type {
	EVSTREAM_BOOL_TRUE = 0,
	EVSTREAM_BOOL_FALSE = 1,
	EVSTREAM_BYTE = 2,
	EVSTREAM_SHORT = 3,
	EVSTREAM_INT = 4,
	EVSTREAM_LONG = 5,
	EVSTREAM_BYTES = 6,
	EVSTREAM_STRING = 7,
	EVSTREAM_TIMESTAMP = 8, /* milliseconds since the epoch */
	EVSTREAM_UUID = 9
};

/*
 * One header. Borrowed from the decoder: valid until the next
 * evstream_feed(), evstream_reset() or evstream_free().
 */
struct evstream_header {
	const char *name; /* NUL-terminated copy */
	size_t name_len;
	enum evstream_type type;
	int64_t num; /* bools (1/0), byte, short, int, long, timestamp */
	/* bytes, string (NUL-terminated copy) and uuid (16 bytes) */
	const unsigned char *data;
	size_t len;
};

/* One decoded message. Borrowed like its headers. */
struct evstream_message {
	uint32_t total_len;
	uint32_t headers_len;
	uint32_t prelude_crc;
	uint32_t message_crc;
	struct evstream_header *headers;
	size_t nheaders;
	const unsigned char *payload;
	size_t payload_len;
};

struct evstream {
	size_t max;         /* largest message accepted */
	struct buf frame;   /* the current message's bytes so far */
	uint32_t total_len; /* of the current message; 0 = prelude unread */
	char *strs;         /* NUL-terminated copies of names and strings */
	struct evstream_header *headers;
	size_t nalloc; /* headers allocated */
	int delivered; /* msg was handed out: drop it on the next feed */
	char *failed;  /* the error that ended the stream, or NULL */
	struct evstream_message msg;
};

/* Start a decoder accepting messages up to max bytes (0: the 16 MiB of
 * the specification; more is capped to it). Free with evstream_free(). */
void evstream_init(struct evstream *, size_t max);
/* Free the decoder's memory. Accepts a decoder never fed. */
void evstream_free(struct evstream *);
/* Forget any partial message and error: ready for a new stream. */
void evstream_reset(struct evstream *);
/*
 * Feed up to len bytes. Takes bytes until one message is complete or the
 * input runs out, and sets *used to the number taken (never reading past
 * len). Returns 1 with *msg set when a message is complete (call again
 * with the bytes after *used), 0 when all len bytes were taken and more
 * are needed, -1 with *cause (caller frees with free()) when the stream is
 * malformed; after an error every call fails the same way until
 * evstream_reset().
 */
int evstream_feed(struct evstream *, const void *data, size_t len, size_t *used,
    const struct evstream_message **msg, char **cause);
/* Is a message partly received (bytes taken but no message yet)? A
 * stream that ends here was cut short. */
int evstream_pending(const struct evstream *);

/* The first header called name, or NULL. */
const struct evstream_header *evstream_header(
    const struct evstream_message *, const char *name);

/*
 * The common headers of a message, each a borrowed NUL-terminated string
 * or NULL when absent: ":message-type" ("event", "exception" or "error"),
 * ":event-type", ":exception-type", ":content-type", ":error-code" and
 * ":error-message".
 */
struct evstream_meta {
	const char *message_type;
	const char *event_type;
	const char *exception_type;
	const char *content_type;
	const char *error_code;
	const char *error_message;
};

/* Read the common headers of msg into *meta. Returns -1 with *cause
 * (caller frees with free()) when one of them is not a string, or when
 * ":message-type" is missing or names the wrong type header (an "event"
 * without ":event-type", an "exception" without ":exception-type"). */
int evstream_meta(
    const struct evstream_message *, struct evstream_meta *, char **cause);

#endif
