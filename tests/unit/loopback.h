/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper: a listening loopback TCP socket. */
#ifndef APILOGS_TEST_LOOPBACK_H
#define APILOGS_TEST_LOOPBACK_H

/* Listen on 127.0.0.1 at a free port (in *port); the caller closes the
 * descriptor. Fails the test when it cannot. */
int loopback_listen(int *port);

#endif
