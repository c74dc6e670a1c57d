// SPDX-License-Identifier: GPL-2.0
/*
 * bench: one program that measures a stream transport, Linux TCP or
 * toytcp, with the same code; the IP protocol number is the only
 * difference (-P 6 or -P 253). In the spirit of netperf's and neper's
 * tests:
 *
 *   bench -P PROTO serve PORT          the other end of every test below
 *   bench -P PROTO crr ADDR PORT       connect, 1-byte request, 1-byte
 *                                      response, close; connections/s
 *   bench -P PROTO rr ADDR PORT        ping-pong of 1 byte on connections
 *                                      kept open; transactions/s, p50/p99
 *   bench -P PROTO stream ADDR PORT    bulk one way; bytes/s
 *   bench -P PROTO handshake ADDR PORT a burst of -n connects; the time
 *                                      until all are established
 *   bench -P PROTO hold ADDR PORT      open -n connections and hold them:
 *                                      SIGUSR1 closes them all (this side
 *                                      first, so this side keeps the
 *                                      TIME_WAITs), SIGTERM ends
 *
 * Options: -f FLOWS parallel flows (threads, default 1), -t SECONDS
 * (default 5), -n CONNECTIONS for handshake and hold (default 100), -p
 * PORTS: serve listens on PORT .. PORT + PORTS - 1, hold spreads its
 * connections over them (one client address has 28,232 ephemeral ports
 * per destination). The server answers each byte of a connection with one
 * byte while the client sends single bytes, and takes whatever else it
 * gets: a connection whose first byte is 'S' is a stream, drained.
 *
 * Each client prints one line of NAME=VALUE pairs (test, proto, flows,
 * seconds, and the figures), for scripts/bench/guest.sh to gather.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FLOWS	64
#define MAX_SAMPLES	(1 << 20)	/* rr latencies kept per flow */
#define STREAM_BUF	(64 * 1024)

static int proto = 253;
static int flows = 1;
static double seconds = 5;
static int burst = 100;
static int nports = 1;
static struct sockaddr_in peer;

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* As many descriptors as the kernel allows a process (fs.nr_open). */
static void raise_nofile(void)
{
	struct rlimit rl;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");
	long n;

	if (!f)
		return;
	if (fscanf(f, "%ld", &n) == 1) {
		rl.rlim_cur = n;
		rl.rlim_max = n;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	fclose(f);
}

static int new_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		die("socket");
	return fd;
}

static int dial(void)
{
	int fd = new_socket();

	if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)))
		die("connect");
	return fd;
}

static void put(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			die("write");
		buf = (const char *)buf + n;
		len -= n;
	}
}

static void get1(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("read");
}

/* A listener on @port, in epoll @ep; its epoll data is ~fd. */
static void serve_port(int ep, int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct epoll_event ev;
	int lfd = new_socket(), one = 1;

	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) || listen(lfd, 4096))
		die("bind/listen");
	ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = ~lfd };
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
}

/* The server: one epoll loop; echo byte for byte, or drain a stream. */
static _Noreturn void serve(int port)
{
	static char buf[STREAM_BUF];
	struct epoll_event ev, evs[64];
	int ep = epoll_create1(0);

	raise_nofile();
	for (int i = 0; i < nports; i++)
		serve_port(ep, port + i);
	printf("serving\n");
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(ep, evs, 64, -1);

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			ssize_t got;

			if (fd < 0) {
				int c = accept(~fd, NULL, NULL);

				if (c < 0)
					continue;
				ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = c };
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				continue;
			}
			got = read(fd, buf, sizeof(buf));
			if (got <= 0) {
				close(fd);
				continue;
			}
			/* A stream starts with 'S' and is only drained. */
			if (got < 16 && buf[0] != 'S')
				put(fd, buf, got);
		}
	}
}

struct flow {
	pthread_t thread;
	uint64_t ops;
	uint64_t bytes;
	uint32_t *lat_ns;
	uint32_t nlat;
	void *(*fn)(void *flow);
};

static double deadline;

static void *crr(void *arg)
{
	struct flow *f = arg;

	while (now() < deadline) {
		int fd = dial();

		put(fd, "x", 1);
		get1(fd);
		close(fd);
		f->ops++;
	}
	return NULL;
}

static void *rr(void *arg)
{
	struct flow *f = arg;
	int fd = dial();
	double t;

	while ((t = now()) < deadline) {
		put(fd, "x", 1);
		get1(fd);
		if (f->nlat < MAX_SAMPLES)
			f->lat_ns[f->nlat++] = (now() - t) * 1e9;
		f->ops++;
	}
	close(fd);
	return NULL;
}

static void *stream(void *arg)
{
	static char buf[STREAM_BUF];
	struct flow *f = arg;
	int fd = dial();

	memset(buf, 'S', sizeof(buf));
	while (now() < deadline) {
		put(fd, buf, sizeof(buf));
		f->bytes += sizeof(buf);
	}
	close(fd);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A burst of connects, non-blocking: the time until all are writable. */
static int connect_burst(void)
{
	struct pollfd *p = calloc(burst, sizeof(*p));
	int left = burst;
	double t0 = now();

	for (int i = 0; i < burst; i++) {
		p[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, proto);
		if (p[i].fd < 0)
			die("socket");
		if (connect(p[i].fd, (struct sockaddr *)&peer, sizeof(peer)) &&
		    errno != EINPROGRESS)
			die("connect");
		p[i].events = POLLOUT;
	}
	while (left) {
		if (poll(p, burst, 10000) <= 0)
			die("poll");
		for (int i = 0; i < burst; i++)
			if (p[i].fd >= 0 && p[i].revents) {
				if (p[i].revents & (POLLERR | POLLHUP))
					die("a connect failed");
				close(p[i].fd);
				p[i].fd = -1;
				left--;
			}
	}
	printf("test=handshake proto=%d connections=%d seconds=%.6f\n", proto, burst,
	       now() - t0);
	return 0;
}

/* @n non-blocking connects to peer's port + @i % nports, all completed. */
static void connect_window(int *fds, int first, int n)
{
	struct pollfd p[256];
	int left = n;

	for (int i = 0; i < n; i++) {
		struct sockaddr_in to = peer;

		to.sin_port = htons(ntohs(peer.sin_port) + (first + i) % nports);
		p[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, proto);
		if (p[i].fd < 0)
			die("socket");
		if (connect(p[i].fd, (struct sockaddr *)&to, sizeof(to)) &&
		    errno != EINPROGRESS)
			die("connect");
		p[i].events = POLLOUT;
		fds[first + i] = p[i].fd;
	}
	while (left) {
		if (poll(p, n, 10000) <= 0)
			die("poll");
		for (int i = 0; i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if (p[i].revents & (POLLERR | POLLHUP))
				die("a connect failed");
			p[i].fd = -1;
			left--;
		}
	}
}

/*
 * Open -n connections, 256 at a time, and hold them. SIGUSR1 closes them
 * all from this side; SIGTERM ends the program.
 */
static int hold_conns(void)
{
	int *fds = calloc(burst, sizeof(*fds)), sig;
	sigset_t set;
	double t0;

	if (!fds)
		die("calloc");
	raise_nofile();
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	t0 = now();
	for (int i = 0; i < burst; i += 256)
		connect_window(fds, i, burst - i < 256 ? burst - i : 256);
	printf("test=hold proto=%d connections=%d seconds=%.3f\n", proto, burst,
	       now() - t0);
	fflush(stdout);
	while (!sigwait(&set, &sig) && sig == SIGUSR1) {
		t0 = now();
		for (int i = 0; i < burst; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		for (int i = 0; i < burst; i++)
			fds[i] = -1;
		printf("test=close proto=%d connections=%d seconds=%.3f\n", proto,
		       burst, now() - t0);
		fflush(stdout);
	}
	return 0;
}

static int client(const char *test)
{
	static struct flow fl[MAX_FLOWS];
	uint64_t ops = 0, bytes = 0, nlat = 0;
	uint32_t *all = NULL;
	double t0;

	if (!strcmp(test, "handshake"))
		return connect_burst();
	if (!strcmp(test, "hold"))
		return hold_conns();
	for (int i = 0; i < flows; i++) {
		fl[i].fn = !strcmp(test, "crr") ? crr : !strcmp(test, "rr") ? rr :
			   !strcmp(test, "stream") ? stream : NULL;
		if (!fl[i].fn) {
			fprintf(stderr, "bench: no test %s\n", test);
			return 2;
		}
		if (fl[i].fn != rr)
			continue;
		fl[i].lat_ns = malloc(MAX_SAMPLES * 4);
		if (!fl[i].lat_ns)
			die("malloc");
	}
	t0 = now();
	deadline = t0 + seconds;
	for (int i = 0; i < flows; i++)
		pthread_create(&fl[i].thread, NULL, fl[i].fn, &fl[i]);
	for (int i = 0; i < flows; i++) {
		pthread_join(fl[i].thread, NULL);
		ops += fl[i].ops;
		bytes += fl[i].bytes;
		nlat += fl[i].nlat;
	}
	t0 = now() - t0;
	printf("test=%s proto=%d flows=%d seconds=%.3f", test, proto, flows, t0);
	if (!strcmp(test, "stream")) {
		printf(" bytes=%llu bytes_per_s=%.0f\n", (unsigned long long)bytes,
		       bytes / t0);
		return 0;
	}
	printf(" ops=%llu ops_per_s=%.1f", (unsigned long long)ops, ops / t0);
	if (nlat) {
		all = malloc(nlat * 4);
		nlat = 0;
		for (int i = 0; i < flows; i++) {
			memcpy(all + nlat, fl[i].lat_ns, fl[i].nlat * 4);
			nlat += fl[i].nlat;
		}
		qsort(all, nlat, 4, cmp_u32);
		printf(" p50_us=%.1f p99_us=%.1f", all[nlat / 2] / 1e3,
		       all[nlat * 99 / 100] / 1e3);
	}
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "P:f:t:n:p:")) != -1) {
		switch (opt) {
		case 'P':
			proto = atoi(optarg);
			break;
		case 'f':
			flows = atoi(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'n':
			burst = atoi(optarg);
			break;
		case 'p':
			nports = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	if (flows < 1 || flows > MAX_FLOWS || nports < 1 || burst < 1 || optind >= argc) {
		fprintf(stderr, "%s\n", "usage: bench [-P PROTO] [-f FLOWS] [-t S] [-n N] [-p PORTS] serve PORT | crr|rr|stream|handshake|hold ADDR PORT");
		return 2;
	}
	if (!strcmp(argv[optind], "serve") && optind + 1 < argc)
		serve(atoi(argv[optind + 1]));
	if (optind + 2 >= argc)
		return 2;
	peer.sin_family = AF_INET;
	peer.sin_port = htons(atoi(argv[optind + 2]));
	if (inet_pton(AF_INET, argv[optind + 1], &peer.sin_addr) != 1)
		return 2;
	return client(argv[optind]);
}
