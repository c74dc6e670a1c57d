// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters (SPEC §5).
 *
 *   msl_ms   maximum segment lifetime; TIME_WAIT lasts 2 * msl_ms. Writable.
 *   rto_ms   initial retransmission timeout.
 *   listen   comma-separated ports to listen on in init_net at load.
 *
 * and toytcp's own (README.md):
 *
 *   fin_timeout_ms  how long FIN_WAIT2 waits for the peer's FIN.
 *   max_retries     retransmission timeouts in a row before giving up.
 *   syn_retries     the same for our SYN (SYN_SENT).
 *   synack_retries  the same for our SYN,ACK (SYN_RECV).
 *   rto_min_ms      the least RTO an RTT sample may give.
 *   rto_max_ms      the most the RTO grows to by backing off.
 *   mss             largest payload of one segment.
 *   delack_ms       how long an ACK may wait for data to ride on (0: never).
 *   keepalive_time_ms, keepalive_intvl_ms, keepalive_probes
 *                   keepalive (off unless asked for): idle time before the
 *                   first probe, time between probes, probes unanswered
 *                   before the peer is declared gone.
 *   backlog         half-open connections one listener keeps (SYN_RECV).
 *   syncookies      0 never, 1 once a listener's backlog is full, 2 always.
 *   max_conns       connections one namespace holds, listeners aside.
 *   max_timewait    of those, how many may sit in TIME_WAIT.
 *   max_orphans     of those, how many may outlive their socket (sock.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "params.h"
#include "rtt.h"

unsigned int toytcp_msl_ms = 30000;
EXPORT_SYMBOL_IF_KUNIT(toytcp_msl_ms);
unsigned int toytcp_rto_ms = 1000;
EXPORT_SYMBOL_IF_KUNIT(toytcp_rto_ms);
unsigned int toytcp_rto_min_ms = TOYTCP_RTO_MIN_MS;
unsigned int toytcp_rto_max_ms = TOYTCP_RTO_MAX_MS;
unsigned int toytcp_fin_timeout_ms = 60000;
unsigned int toytcp_max_retries = 6;
EXPORT_SYMBOL_IF_KUNIT(toytcp_max_retries);
unsigned int toytcp_syn_retries = 7;
EXPORT_SYMBOL_IF_KUNIT(toytcp_syn_retries);
unsigned int toytcp_synack_retries = 5;
EXPORT_SYMBOL_IF_KUNIT(toytcp_synack_retries);
unsigned int toytcp_keepalive_time_ms = 7200000;
unsigned int toytcp_keepalive_intvl_ms = 75000;
unsigned int toytcp_keepalive_probes = 9;
unsigned int toytcp_mss = 1460;
unsigned int toytcp_delack_ms = 40;
unsigned int toytcp_backlog = 128;
EXPORT_SYMBOL_IF_KUNIT(toytcp_backlog);
unsigned int toytcp_syncookies = 1;
EXPORT_SYMBOL_IF_KUNIT(toytcp_syncookies);
unsigned int toytcp_gso = 1;
EXPORT_SYMBOL_IF_KUNIT(toytcp_gso);
unsigned int toytcp_max_conns = 16384;
EXPORT_SYMBOL_IF_KUNIT(toytcp_max_conns);
unsigned int toytcp_max_timewait = 8192;
EXPORT_SYMBOL_IF_KUNIT(toytcp_max_timewait);
unsigned int toytcp_max_orphans = 8192;
static char *toytcp_listen_param;

/**
 * struct toytcp_uint_param - an unsigned parameter with its bounds
 * @val: the variable
 * @min: smallest value accepted
 * @max: largest value accepted
 */
struct toytcp_uint_param {
	unsigned int *val;
	unsigned int min;
	unsigned int max;
};

/* Out of bounds is -EINVAL: a zero MSL or RTO would make timers spin. */
static int toytcp_param_set(const char *val, const struct kernel_param *kp)
{
	const struct toytcp_uint_param *p = kp->arg;
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 10, &n);
	if (ret)
		return ret;
	if (n < p->min || n > p->max)
		return -EINVAL;
	WRITE_ONCE(*p->val, n);
	return 0;
}

static int toytcp_param_get(char *buf, const struct kernel_param *kp)
{
	const struct toytcp_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*p->val));
}

static const struct kernel_param_ops toytcp_param_ops = {
	.set = toytcp_param_set,
	.get = toytcp_param_get,
};

#define TOYTCP_PARAM(name, var, lo, hi, desc)				\
	static struct toytcp_uint_param toytcp_param_##name = {		\
		.val = &(var), .min = (lo), .max = (hi),		\
	};								\
	module_param_cb(name, &toytcp_param_ops, &toytcp_param_##name, 0644); \
	MODULE_PARM_DESC(name, desc)

TOYTCP_PARAM(msl_ms, toytcp_msl_ms, 1, 3600000,
	     "maximum segment lifetime in ms; TIME_WAIT lasts 2*msl_ms (default 30000)");
TOYTCP_PARAM(rto_ms, toytcp_rto_ms, 1, 3600000,
	     "initial retransmission timeout in ms (default 1000)");
TOYTCP_PARAM(rto_min_ms, toytcp_rto_min_ms, 1, TOYTCP_RTO_MAX_MS,
	     "the least RTO an RTT sample may give, in ms (default 200, as Linux)");
TOYTCP_PARAM(rto_max_ms, toytcp_rto_max_ms, 1, TOYTCP_RTO_MAX_MS,
	     "the most the RTO grows to by backing off, in ms (default 120000, as Linux)");
TOYTCP_PARAM(fin_timeout_ms, toytcp_fin_timeout_ms, 1, 3600000,
	     "how long FIN_WAIT2 waits for the peer's FIN, in ms (default 60000)");
TOYTCP_PARAM(max_retries, toytcp_max_retries, 1, 30,
	     "retransmission timeouts in a row before a connection gives up (default 6)");
TOYTCP_PARAM(syn_retries, toytcp_syn_retries, 1, 30,
	     "SYN retransmissions before an active open gives up (default 7: over 3 minutes)");
TOYTCP_PARAM(synack_retries, toytcp_synack_retries, 1, 30,
	     "SYN,ACK retransmissions before a half-open connection gives up (default 5)");
TOYTCP_PARAM(keepalive_time_ms, toytcp_keepalive_time_ms, 1, 32767000,
	     "idle time before the first keepalive probe, in ms (default 7200000: 2 hours, as Linux)");
TOYTCP_PARAM(keepalive_intvl_ms, toytcp_keepalive_intvl_ms, 1, 32767000,
	     "time between keepalive probes, in ms (default 75000)");
TOYTCP_PARAM(keepalive_probes, toytcp_keepalive_probes, 1, 127,
	     "unanswered keepalive probes before the peer is given up (default 9)");
TOYTCP_PARAM(mss, toytcp_mss, 1, 65535 - 20 - 20,
	     "largest payload of one segment in bytes (default 1460)");
TOYTCP_PARAM(delack_ms, toytcp_delack_ms, 0, 200,
	     "delayed ACK: how long an ACK may wait, in ms; 0 never delays (default 40, as Linux)");
TOYTCP_PARAM(backlog, toytcp_backlog, 1, 65535,
	     "half-open (SYN_RECV) connections per listener before SYN cookies (default 128)");
TOYTCP_PARAM(gso, toytcp_gso, 0, 1,
	     "large segments to loopback and veth (gso.c): 1 on, 0 one MSS per packet (default 1)");
TOYTCP_PARAM(syncookies, toytcp_syncookies, 0, 2,
	     "SYN cookies: 0 never, 1 when a listener's backlog is full, 2 always (default 1)");
TOYTCP_PARAM(max_conns, toytcp_max_conns, 1, 1 << 24,
	     "connections per namespace, listeners aside (default 16384)");
TOYTCP_PARAM(max_timewait, toytcp_max_timewait, 0, 1 << 24,
	     "connections per namespace in TIME_WAIT; past it, closed at once (default 8192)");
TOYTCP_PARAM(max_orphans, toytcp_max_orphans, 0, 1 << 24,
	     "connections per namespace whose socket closed first; past it, reset (default 8192)");
module_param_named(listen, toytcp_listen_param, charp, 0444);
MODULE_PARM_DESC(listen, "comma-separated ports to listen on in the initial namespace at load");

/**
 * toytcp_parse_port_list() - parse "7,9,1234" into ports
 * @s: the list; NULL or "" is an empty list
 * @ports: where to store the ports
 * @max: room in @ports
 *
 * Return: the number of ports, or -EINVAL for anything that is not a
 * comma-separated list of decimal ports 1..65535, -E2BIG past @max.
 */
VISIBLE_IF_KUNIT int toytcp_parse_port_list(const char *s, u16 *ports, int max)
{
	int n = 0;

	if (!s || !*s)
		return 0;
	for (;;) {
		const char *end = strchrnul(s, ',');
		char tok[6];
		size_t len = end - s;
		u16 port;

		if (len == 0 || len >= sizeof(tok) || !isdigit(*s))
			return -EINVAL;
		memcpy(tok, s, len);
		tok[len] = '\0';
		if (kstrtou16(tok, 10, &port) || port == 0)
			return -EINVAL;
		if (n == max)
			return -E2BIG;
		ports[n++] = port;
		if (!*end)
			return n;
		s = end + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_parse_port_list);

/**
 * toytcp_params_listen_ports() - the ports of the `listen` parameter
 * @ports: where to store them
 * @max: room in @ports
 *
 * Return: the number of ports or a negative errno for a malformed list.
 */
int toytcp_params_listen_ports(u16 *ports, int max)
{
	return toytcp_parse_port_list(toytcp_listen_param, ports, max);
}
