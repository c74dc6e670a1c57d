// SPDX-License-Identifier: GPL-2.0
/*
 * A segment's path through toytcp once the hook has taken it:
 *
 *   toytcp_input()          count it, check it (wire.c), find its
 *                           connection or listener (conn.c)
 *   toytcp_input_conn()     the state machine decides (fsm.c); act on the
 *                           verdict: take data, send (output.c), set the
 *                           timer (timers.c)
 *   toytcp_input_listen()   a SYN for a listener makes a SYN_RECV child
 *   toytcp_output_reset()   nobody wants it: RST, by RFC 793's rules
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/skbuff.h>
#include "conn.h"
#include "input.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "stats.h"
#include "timers.h"
#include "wire.h"

/*
 * An echo connection only takes in what it can send back: its window is
 * the room left in its send queue.
 */
static void toytcp_input_set_window(struct toytcp_conn *conn)
{
	u32 room = TOYTCP_SNDBUF_MAX - conn->tcb.snd_queued;

	conn->tcb.rcv_wnd = conn->echo ? min_t(u32, room, TOYTCP_RCV_WND) :
			    TOYTCP_RCV_WND;
}

/* Take the in-order payload the verdict accepted; echo it back if asked. */
static void toytcp_input_data(struct toytcp_conn *conn, struct sk_buff *skb,
			      const struct toytcp_seg *seg,
			      const struct toytcp_verdict *v)
{
	unsigned int off = skb_transport_offset(skb) + seg->doff + v->data_skip;
	u8 *space;

	conn->rx_bytes += v->data_len;
	if (!conn->echo)
		return;
	space = toytcp_conn_send_space(conn, v->data_len);
	if (IS_ERR(space) || skb_copy_bits(skb, off, space, v->data_len))
		pr_debug_ratelimited("echo of %u bytes dropped\n", v->data_len);
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
		/* Closed by this segment: only a reset may still go out. */
		if (v->reply.flags & TOYTCP_RST)
			toytcp_output_queue_reply(conn, &v->reply, q);
		return;
	}
	before = skb_queue_len(q);
	toytcp_output_queue_data(conn, q);
	/* A data segment carries the acknowledgment: no bare ACK needed. */
	if (v->reply.flags != TOYTCP_ACK || skb_queue_len(q) == before)
		toytcp_output_queue_reply(conn, &v->reply, q);
	toytcp_timers_after_event(conn, v->timer);
}

static void toytcp_input_conn(struct toytcp_conn *conn, struct sk_buff *skb,
			      const struct toytcp_seg *seg)
{
	struct toytcp_verdict v;
	enum toytcp_state old;
	struct sk_buff_head q;

	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->lock);
	if (conn->dead) {
		/* Closed since the lookup: as if it never was. */
		spin_unlock_bh(&conn->lock);
		toytcp_fsm_no_conn(seg, &v);
		toytcp_output_reset(conn->tn, seg, &v.reply);
		return;
	}
	old = conn->tcb.state;
	toytcp_input_set_window(conn);
	toytcp_fsm_segment(&conn->tcb, seg, &v);
	if (v.challenge) {
		if (toytcp_conn_challenge_allowed(conn, jiffies)) {
			TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_CHALLENGEACK);
		} else {
			TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_CHALLENGESKIPPED);
			v.reply.flags = 0;
		}
	}
	if (v.data_acked)
		toytcp_conn_ack_data(conn, v.data_acked);
	if (v.data_len)
		toytcp_input_data(conn, skb, seg, &v);
	toytcp_input_act(conn, old, &v, &q);
	spin_unlock_bh(&conn->lock);
	toytcp_output_xmit(conn->tn, &q);
}

/*
 * A segment for a listener. A SYN makes a child connection in SYN_RECV;
 * it stands on its own from then on (unlisten leaves it be). Returns false
 * when the listener was unlistened since the lookup: nobody takes the
 * segment.
 */
static bool toytcp_input_listen(struct toytcp_net *tn, struct toytcp_conn *lst,
				const struct toytcp_key *key,
				const struct toytcp_seg *seg)
{
	/* Only a SYN needs an ISN: spare the siphash for everything else. */
	u32 iss = seg->flags & TOYTCP_SYN ? toytcp_conn_isn(key) : 0;
	struct toytcp_conn *child;
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct sk_buff_head q;

	if (READ_ONCE(lst->dead))
		return false;
	if (!toytcp_fsm_listen(seg, iss, &tcb, &v)) {
		toytcp_output_reset(tn, seg, &v.reply);
		return true;
	}
	child = toytcp_conn_alloc(tn, key, GFP_ATOMIC);
	if (!child)
		return true;
	child->tcb = tcb;
	child->tcb.state = TOYTCP_LISTEN;
	child->echo = READ_ONCE(lst->echo);

	__skb_queue_head_init(&q);
	spin_lock_bh(&child->lock);
	if (toytcp_table_insert(&tn->table, child)) {
		/* The same SYN raced us on another CPU and won. */
		spin_unlock_bh(&child->lock);
		toytcp_conn_put(child);
		return true;
	}
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_PASSIVEOPENS);
	toytcp_conn_set_state(child, TOYTCP_SYN_RECV);
	toytcp_output_queue_reply(child, &v.reply, &q);
	toytcp_timers_after_event(child, TOYTCP_TIMER_KEEP);
	spin_unlock_bh(&child->lock);
	toytcp_output_xmit(tn, &q);
	return true;
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
	if (skb->pkt_type != PACKET_HOST || !toytcp_input_valid(tn, skb, &seg))
		goto out;

	key = (struct toytcp_key){
		.laddr = seg.daddr, .raddr = seg.saddr,
		.lport = seg.dport, .rport = seg.sport,
	};
	rcu_read_lock();
	conn = toytcp_table_lookup(&tn->table, &key);
	if (conn) {
		toytcp_input_conn(conn, skb, &seg);
	} else {
		conn = toytcp_table_lookup_listener(&tn->table, seg.dport);
		if (!conn || !toytcp_input_listen(tn, conn, &key, &seg)) {
			struct toytcp_verdict v;

			toytcp_fsm_no_conn(&seg, &v);
			toytcp_output_reset(tn, &seg, &v.reply);
		}
	}
	rcu_read_unlock();
out:
	consume_skb(skb);
}
