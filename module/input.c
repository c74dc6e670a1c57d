// SPDX-License-Identifier: GPL-2.0
/*
 * A segment's path through toytcp once the hook has taken it:
 *
 *   toytcp_input()          count it, check it (wire.c), find its
 *                           connection (conn.c), its TIME_WAIT
 *                           (timewait.c) or its listener
 *   toytcp_input_conn()     the state machine decides (fsm.c); act on the
 *                           verdict: take data, keep an early segment or
 *                           take what it made in order (ofo.c), send
 *                           (output.c), set the timer (timers.c)
 *   toytcp_listen_input()   a segment for a listener (listen.c): SYN
 *                           cookies, children
 *   toytcp_output_answer()  nobody wants it: RST, by RFC 793's rules
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/skbuff.h>
#include "conn.h"
#include "hook.h"
#include "input.h"
#include "listen.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "sock.h"
#include "stream.h"
#include "stats.h"
#include "sws.h"
#include "timers.h"
#include "timewait.h"
#include "wire.h"

/*
 * A socket's connection takes in what its receive buffer has room for
 * (sock.c). An echo connection only takes in what it can send back: its window is
 * the room left in its send queue, opened by no less than an MSS at a
 * time (receiver SWS avoidance, sws.c). tcb.rcv_wnd counts from RCV.NXT.
 */
static void toytcp_input_set_window(struct toytcp_conn *conn)
{
	u32 room = TOYTCP_SNDBUF_MAX - conn->tcb.snd_queued;

	if (conn->sk) {
		toytcp_stream_set_window(conn);
		return;
	}
	if (!conn->echo) {
		conn->tcb.rcv_wnd = TOYTCP_RCV_WND;
		return;
	}
	conn->tcb.rcv_wnd = toytcp_sws_rcv_wnd(conn->tcb.rcv_wnd,
					       min_t(u32, room, TOYTCP_RCV_WND),
					       conn->tcb.mss, TOYTCP_RCV_WND);
}

/*
 * After the peer acknowledged echoed data, an echo connection's window
 * may have reopened. The peer learns it only from a segment of ours: if
 * the window grew from under one MSS to at least one (receiver-side silly
 * window avoidance, RFC 9293 MUST-39) and nothing else goes out, send a
 * window update, or a peer facing a zero window waits for its next probe.
 */
static void toytcp_input_window_update(struct toytcp_conn *conn, u32 old,
				       struct sk_buff_head *q)
{
	struct toytcp_reply ack = { TOYTCP_ACK, conn->tcb.snd_nxt, conn->tcb.rcv_nxt };

	if (!conn->echo || conn->dead || !skb_queue_empty(q))
		return;
	toytcp_input_set_window(conn);
	if (old < conn->tcb.mss && conn->tcb.rcv_wnd >= conn->tcb.mss)
		toytcp_output_queue_reply(conn, &ack, q);
}

/* CRC-32 (zlib's) over an skb's bytes, paged ones too (__skb_checksum()). */
static __wsum toytcp_crc_update(const void *mem, int len, __wsum crc)
{
	return (__force __wsum)crc32_le((__force u32)crc, mem, len);
}

static __wsum toytcp_crc_combine(__wsum crc1, __wsum crc2, int offset, int len2)
{
	return (__force __wsum)crc32_le_combine((__force u32)crc1, (__force u32)crc2,
						len2);
}

static const struct skb_checksum_ops toytcp_crc_ops = {
	.update = toytcp_crc_update,
	.combine = toytcp_crc_combine,
};

/*
 * Take @len bytes of in-order payload at @off in @skb: count them. A
 * socket's connection queues them for its program to read (sock.c);
 * otherwise fold them into the stream's CRC-32 (what a tester compares with what was
 * sent), echo them back if asked. Then the window: what goes out next
 * announces the room left after this data. RCV.NXT moved by as much as
 * the room shrank, so the window's right edge stays where it was (RFC
 * 9293: no shrinking).
 */
static void toytcp_input_data(struct toytcp_conn *conn, struct sk_buff *skb,
			      unsigned int off, u32 len)
{
	struct toytcp_span span;

	conn->tcb.rcv_wnd -= min(len, conn->tcb.rcv_wnd);	/* RCV.NXT moved */
	conn->rx_bytes += len;
	if (conn->sk) {
		toytcp_stream_queue_data(conn, skb, off, len);
		return;
	}
	conn->rx_crc = ~(__force u32)__skb_checksum(skb, off, len,
						    (__force __wsum)~conn->rx_crc,
						    &toytcp_crc_ops);
	if (conn->echo &&
	    (toytcp_conn_send_space(conn, len, &span) ||
	     skb_copy_bits(skb, off, span.p[0], span.len[0]) ||
	     (span.len[1] && skb_copy_bits(skb, off + span.len[0], span.p[1], span.len[1]))))
		pr_debug_ratelimited("echo of %u bytes dropped\n", len);
	toytcp_input_set_window(conn);
}

/*
 * Keep an early segment (the verdict's @ofo) for when its hole fills; the
 * queue holds a reference on it. It outlives this softirq: no route
 * (the input path's may be borrowed under RCU) and no conntrack entry
 * stay attached, as Linux's tcp_data_queue() drops them too.
 */
static void toytcp_input_ofo_queue(struct toytcp_conn *conn, struct sk_buff *skb,
				   const struct toytcp_seg *seg,
				   const struct toytcp_verdict *v)
{
	enum toytcp_mib_field mib = TOYTCP_MIB_OFODROP;

	skb_dst_drop(skb);
	nf_reset_ct(skb);
	*TOYTCP_OFO_CB(skb) = (struct toytcp_ofo_cb){
		.seq = seg->seq, .len = v->ofo_len, .fin = v->ofo_fin,
		.off = skb_transport_offset(skb) + seg->doff,
	};
	switch (toytcp_ofo_insert(&conn->ofo, skb)) {
	case TOYTCP_OFO_QUEUED:
		skb_get(skb);
		mib = TOYTCP_MIB_OFOQUEUE;
		break;
	case TOYTCP_OFO_MERGED:
		mib = TOYTCP_MIB_OFOMERGE;
		break;
	case TOYTCP_OFO_FULL:
		break;
	}
	TOYTCP_INC_STATS(conn->tn, mib);
}

/*
 * The hole may have filled: take what the out-of-order queue holds from
 * RCV.NXT on, in order, as the state machine's steps 7 and 8 would have
 * taken it (toytcp_fsm_reassembled()). The ACK @v sends then covers it.
 */
static void toytcp_input_ofo_deliver(struct toytcp_conn *conn,
				     struct toytcp_verdict *v)
{
	struct sk_buff *skb;

	if (!toytcp_fsm_takes_text(&conn->tcb)) {
		toytcp_ofo_purge(&conn->ofo);	/* nothing past the peer's FIN */
		return;
	}
	while ((skb = toytcp_ofo_ready(&conn->ofo, conn->tcb.rcv_nxt))) {
		const struct toytcp_ofo_cb cb = *TOYTCP_OFO_CB(skb);

		/* Nowhere to echo it yet: it waits for the next segment. */
		if (conn->echo && toytcp_conn_reserve(conn, cb.len))
			break;
		toytcp_ofo_unlink(&conn->ofo, skb);
		if (!toytcp_fsm_reassembled(&conn->tcb, cb.seq, cb.len, cb.fin, v)) {
			kfree_skb(skb);
			toytcp_ofo_purge(&conn->ofo);	/* nothing past the peer's FIN */
			break;
		}
		if (v->data_len)
			toytcp_input_data(conn, skb, cb.off + v->data_skip, v->data_len);
		consume_skb(skb);
	}
}

/*
 * The verdict's reply is a bare ACK of in-order data that may wait
 * (fsm.c's @delay_ack): does it (delack.c)?
 */
static bool toytcp_input_may_delay(struct toytcp_conn *conn,
				   const struct toytcp_verdict *v)
{
	const struct toytcp_tcb *tcb = &conn->tcb;

	return v->reply.flags == TOYTCP_ACK && v->delay_ack &&
	       toytcp_delack_decide(&conn->delack, tcb->rcv_nxt, tcb->mss,
				    tcb->rcv_wnd, READ_ONCE(toytcp_delack_ms)) ==
	       TOYTCP_ACK_DELAY;
}

/*
 * Act on a verdict: called with conn->lock held, after the state machine
 * updated conn->tcb. Queues what to send on @q.
 */
static void toytcp_input_act(struct toytcp_conn *conn, enum toytcp_state old,
			     const struct toytcp_verdict *v,
			     struct sk_buff_head *q)
{
	unsigned int before;

	toytcp_conn_state_changed(conn, old);
	if (conn->dead) {
		struct toytcp_reply r = v->reply;

		/*
		 * Closed by this segment: no data, no timer. The verdict's own
		 * reply still goes out: a reset, or the ACK of a FIN when
		 * TIME_WAIT was full (toytcp_conn_state_changed()). A child
		 * closed in SYN_RECV by anything but a RST had no listening
		 * socket left to join: a reset instead, as Linux sends when
		 * the ACK of a closed listener's request finds no socket.
		 */
		if (old == TOYTCP_SYN_RECV && !v->reset)
			r = (struct toytcp_reply){ TOYTCP_RST, conn->tcb.snd_nxt, 0 };
		toytcp_output_queue_reply(conn, &r, q);
		return;
	}
	before = skb_queue_len(q);
	if (v->resend)
		toytcp_output_queue_resend(conn, q);
	toytcp_output_queue_data(conn, q);
	/* A data segment carries the acknowledgment: no bare ACK needed. */
	if (v->reply.flags != TOYTCP_ACK || skb_queue_len(q) == before) {
		if (toytcp_input_may_delay(conn, v))
			toytcp_timer_delack(conn);
		else
			toytcp_output_queue_reply(conn, &v->reply, q);
	}
	toytcp_timers_after_event(conn, v->timer);
}

/* What a reset in state @old tells the socket, as Linux's tcp_reset(). */
static int toytcp_input_reset_errno(enum toytcp_state old)
{
	switch (old) {
	case TOYTCP_SYN_SENT:
		return -ECONNREFUSED;
	case TOYTCP_CLOSE_WAIT:
		return -EPIPE;
	default:
		return -ECONNRESET;
	}
}

/**
 * toytcp_input_limit_reply() - rate-limit a verdict's ACK
 * @tn: the namespace
 * @limit: the connection's limits (locked with it), or a tw's
 * @v: the verdict: its reply goes unless over the limit
 *
 * The limits of RFC 5961 §7 on challenge ACKs and of Linux on ACKs to
 * out-of-window segments; what is sent or skipped is counted.
 */
void toytcp_input_limit_reply(struct toytcp_net *tn, struct toytcp_ack_limit *limit,
			      struct toytcp_verdict *v)
{
	unsigned long now = jiffies;

	if (v->challenge) {
		if (toytcp_challenge_allowed(limit, now)) {
			TOYTCP_INC_STATS(tn, TOYTCP_MIB_CHALLENGEACK);
		} else {
			TOYTCP_INC_STATS(tn, TOYTCP_MIB_CHALLENGESKIPPED);
			v->reply.flags = 0;
		}
	} else if (v->oow && !toytcp_oow_allowed(limit, now)) {
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_ACKSKIPPEDSEQ);
		v->reply.flags = 0;
	}
}

/**
 * toytcp_input_conn() - a segment for a connection
 * @conn: the connection, found under RCU (or just made, listen.c)
 * @skb: the segment
 * @seg: its parsed header
 *
 * Called under rcu_read_lock(), without @conn's lock.
 *
 * Return: false when @conn ended since it was found, the segment
 * untouched: the caller looks again (it may have entered TIME_WAIT).
 */
bool toytcp_input_conn(struct toytcp_conn *conn, struct sk_buff *skb,
		       const struct toytcp_seg *seg)
{
	struct toytcp_verdict v;
	enum toytcp_state old;
	struct sk_buff_head q;
	u32 wnd, una;

	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->lock);
	if (conn->dead) {
		spin_unlock_bh(&conn->lock);
		return false;
	}
	toytcp_input_set_window(conn);
	wnd = conn->tcb.rcv_wnd;
	if ((conn->echo && seg->len &&
	     toytcp_conn_reserve(conn, min_t(u32, seg->len, conn->tcb.rcv_wnd))) ||
	    (conn->sk && seg->len && toytcp_stream_rcv_full(conn, skb))) {
		/*
		 * No memory to echo it, or its socket's receive buffer is
		 * full: as if lost; the peer sends it again.
		 */
		spin_unlock_bh(&conn->lock);
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_RCVQDROP);
		return true;
	}
	if (conn->tcb.state == TOYTCP_SYN_RECV && conn->parent &&
	    toytcp_sock_accept_full(conn->parent)) {
		/*
		 * The handshake would end with nowhere to put the child: its
		 * listening socket's accept queue is full. As Linux, the ACK
		 * is dropped; the SYN,ACK goes again and the peer's next ACK
		 * may find room.
		 */
		spin_unlock_bh(&conn->lock);
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_LISTENOVERFLOWS);
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_LISTENDROPS);
		return true;
	}
	old = conn->tcb.state;
	una = conn->tcb.snd_una;
	toytcp_fsm_segment(&conn->tcb, seg, &v);
	if (v.reset)
		conn->err = toytcp_input_reset_errno(old);
	toytcp_input_limit_reply(conn->tn, &conn->limit, &v);
	if (v.alive) {
		conn->ka_last = jiffies;	/* keepalive: the peer is there */
		conn->ka_probes = 0;
	}
	if (conn->tcb.snd_una != una)
		toytcp_rtt_acked(&conn->rtt, conn->tcb.snd_una, toytcp_clock_us());
	if (v.reply.flags & TOYTCP_SYN)
		toytcp_rtt_retransmitted(&conn->rtt);	/* our SYN once more */
	if (v.data_acked)
		toytcp_conn_ack_data(conn, v.data_acked);
	if (v.data_len)
		toytcp_input_data(conn, skb, skb_transport_offset(skb) + seg->doff +
				  v.data_skip, v.data_len);
	if (v.ofo)
		toytcp_input_ofo_queue(conn, skb, seg, &v);
	else if (!RB_EMPTY_ROOT(&conn->ofo.root))
		toytcp_input_ofo_deliver(conn, &v);
	toytcp_input_act(conn, old, &v, &q);
	toytcp_input_window_update(conn, wnd, &q);
	spin_unlock_bh(&conn->lock);
	toytcp_output_xmit(conn->tn, &q);
	return true;
}

/*
 * No connection has the segment's 4-tuple: a tw may (timewait.c), else a
 * listener, else it is answered by RFC 793's rules (a RST). A new SYN
 * that ends TIME_WAIT goes to the listener with the ISS the tw chose.
 * Under rcu_read_lock().
 */
static void toytcp_input_no_conn(struct toytcp_net *tn, const struct toytcp_key *key,
				 struct sk_buff *skb, const struct toytcp_seg *seg)
{
	struct toytcp_tw *tw = toytcp_tw_lookup(&tn->tw, key);
	struct toytcp_verdict v;
	struct toytcp_conn *lst;
	u32 iss = 0;

	if (tw && toytcp_tw_input(tn, tw, seg, &iss))
		return;
	lst = toytcp_table_lookup_listener(&tn->table, seg->daddr, seg->dport);
	if (lst && toytcp_listen_input(tn, lst, key, skb, seg, iss))
		return;
	toytcp_fsm_no_conn(seg, &v);
	toytcp_output_answer(tn, seg, &v.reply);
}

/* Check a segment; count and say why when it must be dropped. */
static bool toytcp_input_valid(struct toytcp_net *tn, struct sk_buff *skb,
			       struct toytcp_seg *seg)
{
	switch (toytcp_wire_parse(skb, seg)) {
	case TOYTCP_WIRE_OK:
		return true;
	case TOYTCP_WIRE_BAD_CSUM:
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_INCSUMERRORS);
		break;
	case TOYTCP_WIRE_SHORT:
	case TOYTCP_WIRE_BAD_DOFF:
		break;
	}
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_INERRS);
	return false;
}

/**
 * toytcp_input() - receive one protocol-253 segment
 * @tn: the namespace it arrived in
 * @skb: the segment, IP header first; consumed
 *
 * Called from the netfilter hook in softirq context. Malformed segments
 * are counted and dropped, never answered (SPEC §1).
 */
void toytcp_input(struct toytcp_net *tn, struct sk_buff *skb)
{
	struct toytcp_conn *conn;
	struct toytcp_seg seg;
	struct toytcp_key key;

	TOYTCP_INC_STATS(tn, TOYTCP_MIB_INSEGS);
	if (!toytcp_hook_unicast(skb)) {
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_INERRS);
		goto out;
	}
	if (!toytcp_input_valid(tn, skb, &seg))
		goto out;

	key = (struct toytcp_key){
		.laddr = seg.daddr, .raddr = seg.saddr,
		.lport = seg.dport, .rport = seg.sport,
	};
	rcu_read_lock();
	conn = toytcp_table_lookup(&tn->table, &key);
	if (!conn || !toytcp_input_conn(conn, skb, &seg))
		toytcp_input_no_conn(tn, &key, skb, &seg);
	rcu_read_unlock();
out:
	consume_skb(skb);
}
