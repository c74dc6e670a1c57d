// SPDX-License-Identifier: GPL-2.0
/*
 * sockcat: netcat over toytcp, the socket calls as a C programmer makes
 * them. Both directions at once: stdin goes to the peer (then
 * shutdown(SHUT_WR)), what the peer sends goes to stdout, until both are
 * done; poll() says when the socket takes more.
 *
 *   sockcat [-p PROTO] -l PORT      accept one connection on PORT
 *   sockcat [-p PROTO] HOST PORT    connect to HOST:PORT
 *
 * PROTO is 253 (toytcp) unless given: 6 runs the same over Linux TCP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "sockcat: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_conn(int proto, const char *host, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, proto);
	int one = 1;

	if (fd < 0)
		die("socket");
	if (!host) {
		int lfd = fd;

		if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
			die("setsockopt");
		if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)))
			die("bind");
		if (listen(lfd, 1))
			die("listen");
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		close(lfd);
		return fd;
	}
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
		fprintf(stderr, "sockcat: %s: not an IPv4 address\n", host);
		exit(2);
	}
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	return fd;
}

/* Write all of @buf to a file, as write() may take part of it. */
static void write_all(int fd, const char *buf, ssize_t n, const char *what)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0)
			die(what);
		buf += w;
		n -= w;
	}
}

/*
 * Both directions at once. A send() that would block must not stop the
 * reading, or two sockcats whose buffers fill up wait on each other
 * forever: what stdin gave waits in @out until the socket is writable.
 */
int main(int argc, char **argv)
{
	int proto = 253, opt, fd, in_open = 1, peer_open = 1;
	static char in[65536], out[65536];
	size_t out_off = 0, out_len = 0;
	const char *host = NULL;
	int port;

	while ((opt = getopt(argc, argv, "p:l")) != -1) {
		if (opt == 'p')
			proto = atoi(optarg);
		else if (opt != 'l')
			goto usage;
	}
	if (argc - optind == 2)
		host = argv[optind++];
	else if (argc - optind != 1)
		goto usage;
	port = atoi(argv[optind]);
	fd = open_conn(proto, host, port);

	while (in_open || out_len || peer_open) {
		struct pollfd p[2] = {
			{ .fd = in_open && !out_len ? 0 : -1, .events = POLLIN },
			{ .fd = peer_open || out_len ? fd : -1,
			  .events = (peer_open ? POLLIN : 0) |
				    (out_len ? POLLOUT : 0) },
		};
		ssize_t n;

		if (poll(p, 2, -1) < 0)
			die("poll");
		if (p[0].revents) {
			n = read(0, out, sizeof(out));
			if (n < 0)
				die("read stdin");
			if (n == 0) {
				in_open = 0;
				if (shutdown(fd, SHUT_WR))
					die("shutdown");
			}
			out_off = 0;
			out_len = n;
		}
		if (p[1].revents & POLLOUT) {
			n = send(fd, out + out_off, out_len, MSG_DONTWAIT);
			if (n < 0 && errno != EAGAIN)
				die("send");
			if (n > 0) {
				out_off += n;
				out_len -= n;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR) && peer_open) {
			n = recv(fd, in, sizeof(in), MSG_DONTWAIT);
			if (n < 0 && errno != EAGAIN)
				die("recv");
			if (n == 0)
				peer_open = 0;
			else if (n > 0)
				write_all(1, in, n, "write stdout");
		}
	}
	if (close(fd))
		die("close");
	return 0;
usage:
	fprintf(stderr, "usage: sockcat [-p PROTO] -l PORT | sockcat [-p PROTO] HOST PORT\n");
	return 2;
}
