/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper: a listening loopback TCP socket (see loopback.h). */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "testmain.h"

#include "loopback.h"

/* Listen on a free loopback port; see loopback.h. */
int
loopback_listen(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return (fd);
}
