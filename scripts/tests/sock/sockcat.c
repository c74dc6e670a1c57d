// SPDX-License-Identifier: GPL-2.0
/*
 * sockcat: netcat over toytcp, the socket calls as a C programmer makes
 * them. Both directions at once: stdin goes to the peer (then
 * shutdown(SHUT_WR)), what the peer sends goes to stdout, until both are
 * done.
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

/* Write all of @buf, as write() may take part of it. */
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

int main(int argc, char **argv)
{
	int proto = 253, opt, fd, in_open = 1, peer_open = 1;
	const char *host = NULL;
	char buf[65536];
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

	while (in_open || peer_open) {
		struct pollfd p[2] = {
			{ .fd = in_open ? 0 : -1, .events = POLLIN },
			{ .fd = peer_open ? fd : -1, .events = POLLIN },
		};
		ssize_t n;

		if (poll(p, 2, -1) < 0)
			die("poll");
		if (p[0].revents) {
			n = read(0, buf, sizeof(buf));
			if (n < 0)
				die("read stdin");
			if (n == 0) {
				in_open = 0;
				if (shutdown(fd, SHUT_WR))
					die("shutdown");
			} else {
				write_all(fd, buf, n, "send");
			}
		}
		if (p[1].revents) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0)
				die("recv");
			if (n == 0)
				peer_open = 0;
			else
				write_all(1, buf, n, "write stdout");
		}
	}
	if (close(fd))
		die("close");
	return 0;
usage:
	fprintf(stderr, "usage: sockcat [-p PROTO] -l PORT | sockcat [-p PROTO] HOST PORT\n");
	return 2;
}
