// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about toytcp's own segments, taken as Linux's tcp_v4_err()
 * takes them (RFC 1122 §4.2.3.9, RFC 5927).
 *
 * A destination-unreachable, time-exceeded or parameter-problem message
 * quotes the IP header and at least the first 8 bytes of the datagram that
 * caused it: for a segment of ours, its ports and its sequence number. The
 * hook shows each ICMP message for this host to toytcp_icmp_rcv() while
 * toytcp is enabled; it is only read, and goes on to the stack's ICMP as
 * before.
 *
 *   in window   the quoted sequence number must lie in SND.UNA..SND.NXT,
 *               else the message is ignored (OutOfWindowIcmps): an
 *               attacker off the path has to guess it (RFC 5927 §4.1)
 *   SYN_SENT    a hard error: the connection ends and connect() fails
 *               with it, e.g. EHOSTUNREACH when the peer's address does
 *               not answer ARP, ENETUNREACH from a router without a route
 *   SYN_RECV    a listener's half-open child whose SYN,ACK met a net or
 *               host unreachable, a TTL exceeded or a parameter problem
 *               goes silently (ListenDrops): accept() does not report
 *               network errors (POSIX), Linux's tcp_req_err(). A
 *               simultaneous open's SYN_RECV is as SYN_SENT.
 *   later       a soft error (RFC 1122: the connection SHOULD NOT be
 *               aborted): kept in the socket's sk_err_soft, and reported
 *               instead of ETIMEDOUT if retransmission or keepalive then
 *               gives up, or read by SO_ERROR.
 *
 * Only connections of sockets act on them: an ICMP error is news for a
 * program. A connection of ctl ends only as SPEC §3 lists (a reset, a
 * retransmission timeout, keepalive), and so does an orphan.
 *
 * Not done, as Linux does: fragmentation needed (path MTU discovery,
 * RFC 1191; toytcp sizes segments by the route's MTU when it opens) and
 * undoing the backoff on net or host unreachable (RFC 6069).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include "conn.h"
#include "fsm.h"
#include "hook.h"
#include "icmp.h"
#include "netns.h"
#include "sock.h"
#include "stats.h"
#include "toytcp.h"

/* The error @icmp means (a negative errno), or 0: none TCP acts on. */
static int toytcp_icmp_errno(const struct toytcp_icmp_err *icmp)
{
	switch (icmp->type) {
	case ICMP_DEST_UNREACH:
		if (icmp->code > NR_ICMP_UNREACH || icmp->code == ICMP_FRAG_NEEDED)
			return 0;
		return -icmp_err_convert[icmp->code].errno;
	case ICMP_TIME_EXCEEDED:
		return -EHOSTUNREACH;
	case ICMP_PARAMETERPROB:
		return -EPROTO;
	default:
		return 0;
	}
}

/* Does @icmp end a half-open child? As the "abort" of tcp_req_err(). */
static bool toytcp_icmp_drops_embryo(const struct toytcp_icmp_err *icmp)
{
	return icmp->type == ICMP_PARAMETERPROB ||
	       icmp->type == ICMP_TIME_EXCEEDED ||
	       (icmp->type == ICMP_DEST_UNREACH &&
		(icmp->code == ICMP_NET_UNREACH || icmp->code == ICMP_HOST_UNREACH));
}

/**
 * toytcp_icmp_decide() - what an ICMP error means to a connection
 * @tcb: the connection it quotes
 * @icmp: the message
 * @v: out: the verdict
 *
 * Pure: the caller counts and acts (toytcp_icmp_conn()).
 */
VISIBLE_IF_KUNIT void toytcp_icmp_decide(const struct toytcp_tcb *tcb,
					 const struct toytcp_icmp_err *icmp,
					 struct toytcp_icmp_verdict *v)
{
	*v = (struct toytcp_icmp_verdict){ TOYTCP_ICMP_IGNORE, 0 };

	switch (tcb->state) {
	case TOYTCP_CLOSED:
	case TOYTCP_LISTEN:
	case TOYTCP_TIME_WAIT:
		return;		/* nothing in flight to be about */
	case TOYTCP_SYN_RECV:
		if (!tcb->passive)
			break;
		/* A half-open child has sent one thing: its SYN,ACK. */
		if (icmp->seq != tcb->iss)
			v->action = TOYTCP_ICMP_OUT_OF_WINDOW;
		else if (toytcp_icmp_drops_embryo(icmp))
			v->action = TOYTCP_ICMP_DROP;
		return;
	default:
		break;
	}
	/* SND.UNA =< seq =< SND.NXT, modulo 2^32, as Linux's between(). */
	if (icmp->seq - tcb->snd_una > tcb->snd_nxt - tcb->snd_una) {
		v->action = TOYTCP_ICMP_OUT_OF_WINDOW;
		return;
	}
	v->err = toytcp_icmp_errno(icmp);
	if (!v->err)
		return;
	if (tcb->state == TOYTCP_SYN_SENT || tcb->state == TOYTCP_SYN_RECV)
		v->action = TOYTCP_ICMP_ABORT;
	else
		v->action = TOYTCP_ICMP_SOFT;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_icmp_decide);

/* Count and act on @icmp for @conn. Under rcu_read_lock(). */
static void toytcp_icmp_conn(struct toytcp_conn *conn,
			     const struct toytcp_icmp_err *icmp)
{
	struct toytcp_icmp_verdict v;

	spin_lock_bh(&conn->lock);
	if (conn->dead)
		goto out;
	toytcp_icmp_decide(&conn->tcb, icmp, &v);
	if (v.action == TOYTCP_ICMP_OUT_OF_WINDOW)
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_OUTOFWINDOWICMPS);
	if (!conn->sk)
		goto out;	/* ctl's, or an orphan: see the top */
	switch (v.action) {
	case TOYTCP_ICMP_ABORT:
		conn->err = v.err;
		toytcp_conn_event(conn, TOYTCP_EV_RCV_ICMP);
		break;
	case TOYTCP_ICMP_DROP:
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_LISTENDROPS);
		toytcp_conn_event(conn, TOYTCP_EV_RCV_ICMP);
		break;
	case TOYTCP_ICMP_SOFT:
		toytcp_sock_soft_error(conn, v.err);
		break;
	case TOYTCP_ICMP_IGNORE:
	case TOYTCP_ICMP_OUT_OF_WINDOW:
		break;
	}
out:
	spin_unlock_bh(&conn->lock);
}

/* The ICMP header and the IP header it quotes, as they follow each other. */
struct toytcp_icmp_hdrs {
	struct icmphdr icmp;
	struct iphdr iph;
};

/**
 * toytcp_icmp_rcv() - look at an ICMP message for this host
 * @tn: the namespace it arrived in
 * @skb: the message, IP header first; only read, never consumed
 *
 * Called from the netfilter hook in softirq context, before the stack's
 * ICMP has checked anything: the checksum is checked here, and only once
 * the message quotes a segment of a connection that exists.
 */
void toytcp_icmp_rcv(struct toytcp_net *tn, struct sk_buff *skb)
{
	unsigned int off = skb_network_offset(skb) + ip_hdrlen(skb);
	struct toytcp_icmp_hdrs _h, *h;
	struct toytcp_icmp_err icmp;
	struct toytcp_conn *conn;
	struct toytcp_key key;
	__be32 _q[2], *q;

	if (!toytcp_hook_unicast(skb))
		return;
	h = skb_header_pointer(skb, off, sizeof(_h), &_h);
	if (!h || h->iph.protocol != TOYTCP_IPPROTO ||
	    h->iph.version != 4 || h->iph.ihl < 5 ||
	    (h->iph.frag_off & htons(IP_OFFSET)))
		return;
	if (h->icmp.type != ICMP_DEST_UNREACH &&
	    h->icmp.type != ICMP_TIME_EXCEEDED &&
	    h->icmp.type != ICMP_PARAMETERPROB)
		return;
	/* The quoted segment's first 8 bytes: the ports, then seq. */
	q = skb_header_pointer(skb, off + sizeof(h->icmp) + h->iph.ihl * 4,
			       sizeof(_q), _q);
	if (!q)
		return;
	/* We sent the quoted segment: its source is our end. */
	key = (struct toytcp_key){
		.laddr = h->iph.saddr, .raddr = h->iph.daddr,
		.lport = ((__be16 *)q)[0], .rport = ((__be16 *)q)[1],
	};
	icmp = (struct toytcp_icmp_err){
		.type = h->icmp.type, .code = h->icmp.code, .seq = ntohl(q[1]),
	};

	rcu_read_lock();
	conn = toytcp_table_lookup(&tn->table, &key);
	if (conn && !csum_fold(skb_checksum(skb, off, skb->len - off, 0)))
		toytcp_icmp_conn(conn, &icmp);
	rcu_read_unlock();
}
