// SPDX-License-Identifier: GPL-2.0
/*
 * Output: build segments and hand them to IP.
 *
 * Segments of a connection are built under its lock (the payload comes from
 * its send queue) into a local queue, and sent with toytcp_output_xmit()
 * once the lock is dropped. Each goes through a route lookup and
 * ip_local_out(), so netfilter's LOCAL_OUT and POSTROUTING hooks, netem and
 * tcpdump all see it like any locally generated packet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>
#include "conn.h"
#include "gso.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "stats.h"
#include "timers.h"
#include "toytcp.h"
#include "wire.h"

/*
 * What one segment may carry on @rt: its MTU less the IPv4 and toytcp
 * headers (as Linux's advertised MSS), at most the `mss` parameter.
 */
static u16 toytcp_output_rt_mss(const struct rtable *rt)
{
	u32 mtu = dst_mtu(&rt->dst);
	u32 mss = mtu > 40 + TOYTCP_MSS_MIN ? mtu - 40 : TOYTCP_MSS_MIN;

	return min_t(u32, mss, READ_ONCE(toytcp_mss));
}

/**
 * toytcp_output_route() - the route to @daddr: source address and MSS
 * @net: the namespace
 * @daddr: the peer's address
 * @saddr: in: the local address, or 0 to let routing pick; out: the one
 *         picked
 * @mss: out: what one segment may carry on that route (the MSS option a
 *       new connection announces)
 *
 * A connection is between two unicast addresses: 0.0.0.0, a broadcast or
 * a multicast address is -ENETUNREACH, as Linux's tcp_v4_connect() has it.
 *
 * Return: 0, or the routing error (-ENETUNREACH, ...).
 */
int toytcp_output_route(struct net *net, __be32 daddr, __be32 *saddr, u16 *mss)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.saddr = *saddr,
		.flowi4_proto = TOYTCP_IPPROTO,
	};
	struct rtable *rt;

	if (ipv4_is_zeronet(daddr) || ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr))
		return -ENETUNREACH;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	*saddr = fl4.saddr;
	*mss = toytcp_output_rt_mss(rt);
	ip_rt_put(rt);
	return 0;
}

/* A payload up to this goes in the skb's linear part. */
#define TOYTCP_OUTPUT_LINEAR	2048

/*
 * Copy @data (@len bytes in all) to @skb's payload, which starts at @off
 * of the linear part or fills its page fragments, and sum it on the way:
 * one pass over the bytes, as Linux's csum_and_copy_from_iter() makes,
 * not a copy and then a csum_partial(). The fragments are order-0 pages
 * of alloc_skb_with_frags(), mapped (no highmem on x86_64).
 *
 * Return: the payload's csum_partial().
 */
static __wsum toytcp_output_copy_csum(struct sk_buff *skb, unsigned int off,
				      const struct toytcp_span *data, u32 len)
{
	const u8 *src = data->p[0];
	u32 src_left = data->len[0], room, done = 0;
	unsigned int frag = 0;
	__wsum csum = 0;
	u8 *dst;

	if (skb->data_len) {
		dst = skb_frag_address(&skb_shinfo(skb)->frags[0]);
		room = skb_frag_size(&skb_shinfo(skb)->frags[0]);
	} else {
		dst = skb->data + off;
		room = len;
	}
	while (done < len) {
		u32 n = min(room, src_left);

		csum = csum_block_add(csum, csum_partial_copy_nocheck(src, dst, n), done);
		done += n;
		src += n;
		src_left -= n;
		dst += n;
		room -= n;
		if (done == len)
			break;
		if (!src_left) {
			src = data->p[1];
			src_left = data->len[1];
		}
		if (!room) {
			skb_frag_t *f = &skb_shinfo(skb)->frags[++frag];

			dst = skb_frag_address(f);
			room = skb_frag_size(f);
		}
	}
	return csum;
}

/*
 * An skb with @hlen bytes of header room at skb->data and the @len bytes
 * of @data behind it, their csum_partial() in *@csum: in the linear part
 * when it is one segment's worth, in pages when it is a large segment
 * (gso.c), which no allocation of more than a page then holds up.
 */
VISIBLE_IF_KUNIT struct sk_buff *toytcp_output_alloc(unsigned int hlen,
						     const struct toytcp_span *data,
						     u32 len, __wsum *csum)
{
	unsigned int head = MAX_HEADER + sizeof(struct iphdr) + hlen;
	struct sk_buff *skb;
	int err;

	if (len <= TOYTCP_OUTPUT_LINEAR) {
		skb = alloc_skb(head + len, GFP_ATOMIC);
		if (!skb)
			return NULL;
		skb_reserve(skb, head - hlen);
		skb_put(skb, hlen + len);
	} else {
		skb = alloc_skb_with_frags(head, len, 0, &err, GFP_ATOMIC);
		if (!skb)
			return NULL;
		skb_reserve(skb, head - hlen);
		skb_put(skb, hlen);
		skb->data_len = len;
		skb->len += len;
	}
	*csum = len ? toytcp_output_copy_csum(skb, hlen, data, len) : 0;
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_output_alloc);

/*
 * One segment from @saddr:@sport to @daddr:@dport, ready for
 * ip_local_out(); or the routing error (-ENOBUFS when routing is out of
 * memory), or -ENOMEM. A SYN carries the MSS option (SPEC §1): @mss, or
 * when that is 0 what the route allows. With @gso_mss, a payload longer
 * than it is a large segment of pieces of that size (gso.c).
 */
static struct sk_buff *toytcp_output_build(struct net *net, __be32 saddr,
					   __be32 daddr, __be16 sport,
					   __be16 dport, u32 seq, u32 ack,
					   u8 flags, u16 wnd, u16 mss,
					   const struct toytcp_span *data,
					   u32 len, u32 gso_mss)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.saddr = saddr,
		.flowi4_proto = TOYTCP_IPPROTO,
	};
	struct sk_buff *skb;
	struct iphdr *iph;
	struct rtable *rt;
	unsigned int hlen;
	__wsum csum;
	void *th;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	if (!(flags & TOYTCP_SYN))
		mss = 0;
	else if (!mss)
		mss = toytcp_output_rt_mss(rt);
	hlen = toytcp_wire_hdr_len(mss);
	skb = toytcp_output_alloc(hlen, data, len, &csum);
	if (!skb) {
		ip_rt_put(rt);
		return ERR_PTR(-ENOMEM);
	}
	th = skb->data;
	toytcp_wire_fill_hdr(th, sport, dport, seq, ack, flags, wnd, mss);
	toytcp_wire_set_csum(th, hlen + len, saddr, daddr, csum);
	if (gso_mss)
		toytcp_gso_mark(skb, gso_mss, len);
	skb_reset_transport_header(skb);

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = TOYTCP_IPPROTO;
	iph->saddr = saddr;
	iph->daddr = daddr;
	skb->protocol = htons(ETH_P_IP);
	skb_dst_set(skb, &rt->dst);
	ip_select_ident(net, skb, NULL);	/* tot_len, check: ip_local_out() */
	return skb;
}

/*
 * One segment of @conn, queued on @q; or why it could not be built. Data
 * of more than an MSS is a large segment (toytcp_output_queue_data()).
 */
static int toytcp_output_queue(struct toytcp_conn *conn, u32 seq, u32 ack,
			       u8 flags, const struct toytcp_span *data, u32 len,
			       struct sk_buff_head *q)
{
	const struct toytcp_key *key = &conn->key;
	struct sk_buff *skb;

	skb = toytcp_output_build(conn->tn->net, key->laddr, key->raddr,
				  key->lport, key->rport, seq, ack, flags,
				  conn->tcb.rcv_wnd, conn->tcb.adv_mss, data, len,
				  conn->tcb.mss);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	__skb_queue_tail(q, skb);
	/* It carries the ACK: none is owed any more (delack.c). */
	if ((flags & (TOYTCP_ACK | TOYTCP_RST)) == TOYTCP_ACK)
		toytcp_timer_ack_sent(conn, ack);
	return 0;
}

/**
 * toytcp_output_queue_out() - queue a segment the output engine chose
 * @conn: the connection, locked
 * @out: the segment; its payload comes from the send queue
 * @q: where to queue it for toytcp_output_xmit()
 *
 * Every such segment carries ACK = RCV.NXT.
 *
 * Return: 0; or why it could not be built: -ENOMEM or -ENOBUFS (no
 * memory), or a routing error. Loss recovery sends it again, as if lost.
 */
int toytcp_output_queue_out(struct toytcp_conn *conn,
			     const struct toytcp_out *out, struct sk_buff_head *q)
{
	struct toytcp_span data;

	toytcp_conn_snd_span(conn, out->seq - conn->tcb.snd_una, out->len, &data);
	if (out->len)
		conn->lsndtime = jiffies ?: 1;
	return toytcp_output_queue(conn, out->seq, conn->tcb.rcv_nxt, out->flags,
				   &data, out->len, q);
}

/**
 * toytcp_output_queue_reply() - queue a control segment of a verdict
 * @conn: the connection, locked
 * @reply: the segment; nothing when its flags are 0
 * @q: where to queue it for toytcp_output_xmit()
 *
 * Return: 0, or why it could not be built (see toytcp_output_queue_out()).
 */
int toytcp_output_queue_reply(struct toytcp_conn *conn,
			      const struct toytcp_reply *reply,
			      struct sk_buff_head *q)
{
	if (!reply->flags)
		return 0;
	return toytcp_output_queue(conn, reply->seq, reply->ack, reply->flags,
				   NULL, 0, q);
}

/*
 * A segment that was sent before: Karn's rule for the RTT estimate, and
 * the counters, as Linux counts by how recovery began (after a timeout in
 * TCPSlowStartRetrans, otherwise in TCPFastRetrans).
 */
static void toytcp_output_queue_again(struct toytcp_conn *conn,
				      const struct toytcp_out *out,
				      struct sk_buff_head *q)
{
	toytcp_rtt_retransmitted(&conn->rtt);
	if (toytcp_output_queue_out(conn, out, q))
		return;
	TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_RETRANSSEGS);
	TOYTCP_INC_STATS(conn->tn, conn->tcb.recovery == TOYTCP_RECOVERY_LOSS ?
			 TOYTCP_MIB_SLOWSTARTRETRANS : TOYTCP_MIB_FASTRETRANS);
}

/*
 * How much new data one skb to the peer may carry: an MSS, or many where
 * the route's device takes large segments (gso.c).
 */
static u32 toytcp_output_gso_max(struct toytcp_conn *conn)
{
	struct flowi4 fl4 = {
		.daddr = conn->key.raddr,
		.saddr = conn->key.laddr,
		.flowi4_proto = TOYTCP_IPPROTO,
	};
	struct rtable *rt;
	u32 max;

	if (!READ_ONCE(toytcp_gso))
		return conn->tcb.mss;
	rt = ip_route_output_key(conn->tn->net, &fl4);
	if (IS_ERR(rt))
		return conn->tcb.mss;
	max = toytcp_gso_max(rt->dst.dev, conn->tcb.mss);
	ip_rt_put(rt);
	return max;
}

/**
 * toytcp_output_queue_data() - queue every segment the windows allow
 * @conn: the connection, locked
 * @q: where to queue them for toytcp_output_xmit()
 *
 * New data as far as the peer's window and the congestion window let it;
 * in Loss, what counts as lost first (fsm.c's output engine decides, in
 * segments of an MSS). After a silence of more than an RTO, cwnd restarts
 * first. New segments that follow each other with the same flags, no FIN
 * among them, go as one large segment where the device allows (gso.c):
 * @run gathers them.
 */
void toytcp_output_queue_data(struct toytcp_conn *conn, struct sk_buff_head *q)
{
	struct toytcp_tcb *tcb = &conn->tcb;
	struct toytcp_out out, run = {};
	u32 max = 0;

	/* Silent for more than an RTO: what cwnd knew may be stale (cc.c). */
	if (conn->lsndtime && tcb->snd_queued && !toytcp_fsm_outstanding(tcb))
		toytcp_cc_idle_restart(tcb, jiffies_to_msecs(jiffies - conn->lsndtime),
				       conn->rtt.rto_ms);
	while (toytcp_fsm_output(&conn->tcb, conn->tcb.mss, &out)) {
		if (out.rtx) {
			toytcp_output_queue_again(conn, &out, q);
			continue;
		}
		toytcp_rtt_sent(&conn->rtt, out.seq + out.len + !!(out.flags & TOYTCP_FIN),
				toytcp_clock_us());
		if (run.len && out.len && !(out.flags & TOYTCP_FIN) &&
		    out.flags == run.flags && out.seq == run.seq + run.len) {
			if (!max)
				max = toytcp_output_gso_max(conn);
			if (run.len + out.len <= max) {
				run.len += out.len;
				continue;
			}
		}
		if (run.len)
			toytcp_output_queue_out(conn, &run, q);
		run = out;
		if (!out.len || (out.flags & TOYTCP_FIN)) {
			toytcp_output_queue_out(conn, &out, q);
			run.len = 0;
		}
	}
	if (run.len)
		toytcp_output_queue_out(conn, &run, q);
}

/**
 * toytcp_output_queue_resend() - queue the oldest unacknowledged segment again
 * @conn: the connection, locked
 * @q: where to queue it for toytcp_output_xmit()
 *
 * Fast recovery's resend (a verdict's @resend): a fast retransmit, or the
 * next hole after a partial ACK.
 */
void toytcp_output_queue_resend(struct toytcp_conn *conn, struct sk_buff_head *q)
{
	struct toytcp_out out;

	if (toytcp_fsm_resend(&conn->tcb, conn->tcb.mss, &out))
		toytcp_output_queue_again(conn, &out, q);
}

/**
 * toytcp_output_reply_to() - answer a segment from outside any connection
 * @tn: the namespace it arrived in
 * @seg: the segment
 * @reply: what to send back; nothing when its flags are 0
 * @wnd: the window to advertise
 *
 * For a segment no connection takes, and for a connection in TIME_WAIT,
 * which keeps no route and answers only from its 4-tuple (timewait.c).
 */
void toytcp_output_reply_to(struct toytcp_net *tn, const struct toytcp_seg *seg,
			    const struct toytcp_reply *reply, u16 wnd)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	if (!reply->flags)
		return;
	skb = toytcp_output_build(tn->net, seg->daddr, seg->saddr, seg->dport,
				  seg->sport, reply->seq, reply->ack,
				  reply->flags, wnd, 0, NULL, 0, 0);
	if (IS_ERR(skb))
		return;
	__skb_queue_head_init(&q);
	__skb_queue_tail(&q, skb);
	toytcp_output_xmit(tn, &q);
}

/**
 * toytcp_output_answer() - answer a segment that has no connection
 * @tn: the namespace it arrived in
 * @seg: the segment
 * @reply: a reset toytcp_fsm_no_conn() or toytcp_fsm_listen() formed, or
 *         a listener's SYN,ACK with a cookie (listen.c); nothing when its
 *         flags are 0
 */
void toytcp_output_answer(struct toytcp_net *tn, const struct toytcp_seg *seg,
			  const struct toytcp_reply *reply)
{
	toytcp_output_reply_to(tn, seg, reply,
			       reply->flags & TOYTCP_RST ? 0 : TOYTCP_RCV_WND);
}

/**
 * toytcp_output_xmit() - send queued segments
 * @tn: the namespace
 * @q: the segments; emptied
 *
 * Call without any connection's lock held.
 */
void toytcp_output_xmit(struct toytcp_net *tn, struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q))) {
		const struct toytcp_hdr *th = (void *)skb_transport_header(skb);

		/* A large segment counts as the segments it stands for. */
		TOYTCP_ADD_STATS(tn, TOYTCP_MIB_OUTSEGS, skb_shinfo(skb)->gso_segs ?: 1);
		if (th->flags & TOYTCP_RST)
			TOYTCP_INC_STATS(tn, TOYTCP_MIB_OUTRSTS);
		ip_local_out(tn->net, NULL, skb);
	}
}
