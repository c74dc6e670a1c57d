// SPDX-License-Identifier: GPL-2.0
/*
 * A segment for a listener (RFC 793 p.65, LISTEN), and how a listener
 * holds against a SYN flood:
 *
 *   SYN            a SYN_RECV child, while the listener has fewer than
 *                  `backlog` of them; past that (ListenOverflows), a
 *                  SYN,ACK whose ISS is a cookie (cookie.c) and no state
 *                  at all (SyncookiesSent); with syncookies=0, nothing
 *                  (ListenDrops); with syncookies=2, always a cookie
 *   ACK            while cookies went out lately: a valid cookie makes a
 *                  child that this ACK takes to ESTABLISHED
 *                  (SyncookiesRecv); anything else is SyncookiesFailed and
 *                  gets RFC 793's reset
 *   anything else  RFC 793: a RST is ignored, an ACK gets a reset
 *
 * A child stands on its own once made: unlisten leaves it be. While in
 * SYN_RECV it holds one place of its listener's backlog (conn.c). A
 * listening socket's child gets a socket of its own at birth (sock.c),
 * which accept() hands over once the handshake is done; while that
 * socket's accept queue is full, SYNs and cookies' ACKs are dropped
 * (ListenOverflows).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include "conn.h"
#include "cookie.h"
#include "input.h"
#include "listen.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "sock.h"
#include "stats.h"
#include "timers.h"
#include "wire.h"

/*
 * A new child of @lst in SYN_RECV, made from @tcb, charged and in the
 * table; locked. NULL when max_conns is reached, memory runs out or the
 * same 4-tuple won a race: the segment is dropped (ListenDrops).
 */
static struct toytcp_conn *toytcp_listen_child(struct toytcp_net *tn,
					       struct toytcp_conn *lst,
					       const struct toytcp_key *key,
					       const struct toytcp_tcb *tcb)
{
	struct toytcp_conn *child = toytcp_conn_alloc(tn, key, GFP_ATOMIC);

	if (!child)
		goto drop;
	if (toytcp_conn_charge(child))
		goto put;
	child->tcb = *tcb;
	child->tcb.state = TOYTCP_LISTEN;	/* so that the trace shows where it came from */
	child->echo = READ_ONCE(lst->echo);
	child->tcb.nodelay = READ_ONCE(lst->tcb.nodelay);
	if (toytcp_sock_child(lst, child))
		goto uncharge;
	spin_lock_bh(&child->lock);
	if (READ_ONCE(lst->ka_on))
		toytcp_timer_keepalive_set(child, true);
	if (toytcp_table_insert(&tn->table, child)) {
		/* The same 4-tuple raced us on another CPU and won. */
		toytcp_conn_done(child);	/* returns the charge, frees it */
		spin_unlock_bh(&child->lock);
		goto drop;
	}
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_PASSIVEOPENS);
	return child;
uncharge:
	spin_lock_bh(&child->lock);
	toytcp_conn_done(child);	/* returns the charge, frees it */
	spin_unlock_bh(&child->lock);
	goto drop;
put:
	toytcp_conn_put(child);
drop:
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENDROPS);
	return NULL;
}

/*
 * The MSS option a child announces: what the route back to its peer
 * allows. Without a route the SYN,ACK cannot leave anyway; the `mss`
 * parameter then stands in.
 */
static u16 toytcp_listen_adv_mss(struct toytcp_net *tn,
				 const struct toytcp_key *key)
{
	__be32 saddr = key->laddr;
	u16 mss;

	if (toytcp_output_route(tn->net, key->raddr, &saddr, &mss))
		mss = READ_ONCE(toytcp_mss);
	return mss;
}

/*
 * A SYN within the backlog: a child in SYN_RECV sends its SYN,ACK. Its ISS
 * is @iss when a TIME_WAIT connection of the same 4-tuple chose one,
 * otherwise a fresh one.
 */
static void toytcp_listen_syn_child(struct toytcp_net *tn, struct toytcp_conn *lst,
				    const struct toytcp_key *key,
				    const struct toytcp_seg *seg, u32 iss)
{
	struct toytcp_conn *child;
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct sk_buff_head q;

	toytcp_fsm_listen(seg, iss ?: toytcp_conn_isn(key),
			  toytcp_listen_adv_mss(tn, key), &tcb, &v);
	child = toytcp_listen_child(tn, lst, key, &tcb);
	if (!child) {
		atomic_dec(&lst->qlen);
		return;
	}
	__skb_queue_head_init(&q);
	toytcp_conn_adopt(child, lst);
	toytcp_conn_event(child, TOYTCP_EV_RCV_SYN);
	toytcp_output_queue_reply(child, &v.reply, &q);
	toytcp_rtt_sent(&child->rtt, child->tcb.snd_nxt, toytcp_clock_us());
	toytcp_timers_after_event(child, TOYTCP_TIMER_KEEP);
	spin_unlock_bh(&child->lock);
	toytcp_output_xmit(tn, &q);
}

/* A SYN past the backlog, or any SYN with syncookies=2: a cookie. */
static void toytcp_listen_syn_cookie(struct toytcp_net *tn, struct toytcp_conn *lst,
				     const struct toytcp_key *key,
				     const struct toytcp_seg *seg)
{
	u32 now = toytcp_cookie_clock();
	u32 iss = toytcp_cookie_make(key, seg->seq, now, seg->mss);
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;

	/* Written once a tick, not once a SYN, in a flood. */
	if (READ_ONCE(lst->cookie_tick) != now + 1)
		WRITE_ONCE(lst->cookie_tick, now + 1);
	/* The SYN,ACK's MSS option is the route's (toytcp_output_answer()). */
	toytcp_fsm_listen(seg, iss, 0, &tcb, &v);
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_SYNCOOKIESSENT);
	toytcp_output_answer(tn, seg, &v.reply);
}

static void toytcp_listen_syn(struct toytcp_net *tn, struct toytcp_conn *lst,
			      const struct toytcp_key *key,
			      const struct toytcp_seg *seg, u32 iss)
{
	unsigned int cookies = READ_ONCE(toytcp_syncookies);

	if (toytcp_sock_accept_full(lst)) {
		/* A socket's accept queue is full: as Linux, not even a cookie. */
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENOVERFLOWS);
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENDROPS);
		return;
	}
	if (cookies < 2) {
		/* The child, if made, takes this place (toytcp_conn_adopt()). */
		if (atomic_inc_return(&lst->qlen) <=
		    (READ_ONCE(lst->backlog) ?: READ_ONCE(toytcp_backlog))) {
			toytcp_listen_syn_child(tn, lst, key, seg, iss);
			return;
		}
		atomic_dec(&lst->qlen);
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENOVERFLOWS);
		if (!cookies) {
			TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENDROPS);
			return;
		}
	}
	toytcp_listen_syn_cookie(tn, lst, key, seg);
}

/* Could a bare ACK for @lst carry back a cookie that is still good? */
static bool toytcp_listen_cookies_out(const struct toytcp_conn *lst)
{
	u32 tick = READ_ONCE(lst->cookie_tick);

	return READ_ONCE(toytcp_syncookies) == 2 ||
	       (tick && toytcp_cookie_clock() + 1 - tick <= TOYTCP_COOKIE_MAX_AGE);
}

/*
 * An ACK that may bring a cookie back. Valid: the child the SYN would have
 * made, then the ACK itself through the state machine, which takes it to
 * ESTABLISHED along with any data it carries. Returns false when it was no
 * valid cookie: RFC 793's rules apply.
 */
static bool toytcp_listen_cookie_ack(struct toytcp_net *tn, struct toytcp_conn *lst,
				     const struct toytcp_key *key,
				     struct sk_buff *skb,
				     const struct toytcp_seg *seg)
{
	struct toytcp_seg syn = {
		.saddr = seg->saddr, .daddr = seg->daddr,
		.sport = seg->sport, .dport = seg->dport,
		.seq = seg->seq - 1, .flags = TOYTCP_SYN, .wnd = seg->wnd,
	};
	struct toytcp_conn *child;
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;

	if (toytcp_cookie_check(key, syn.seq, seg->ack - 1, toytcp_cookie_clock(),
				&syn.mss)) {
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_SYNCOOKIESFAILED);
		return false;
	}
	if (toytcp_sock_accept_full(lst)) {
		/*
		 * As Linux's tcp_v4_syn_recv_sock(): no child while the
		 * accept queue is full; the ACK is dropped, and the peer's
		 * next segment brings the cookie back again.
		 */
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENOVERFLOWS);
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_LISTENDROPS);
		return true;
	}
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_SYNCOOKIESRECV);
	toytcp_fsm_listen(&syn, seg->ack - 1, toytcp_listen_adv_mss(tn, key),
			  &tcb, &v);
	/*
	 * The child is its listener's, as one made by a SYN is, for the
	 * moment it spends in SYN_RECV: a listening socket's accept queue
	 * takes it from there (sock.c).
	 */
	atomic_inc(&lst->qlen);
	child = toytcp_listen_child(tn, lst, key, &tcb);
	if (!child) {
		atomic_dec(&lst->qlen);
		return true;
	}
	toytcp_conn_adopt(child, lst);
	toytcp_conn_event(child, TOYTCP_EV_RCV_SYN);
	/*
	 * Its SYN,ACK is out, as if sent now: should this ACK be dropped
	 * after all (no memory for its data), the SYN,ACK goes again and
	 * the child times out after synack_retries like any other.
	 */
	toytcp_timers_after_event(child, TOYTCP_TIMER_KEEP);
	spin_unlock_bh(&child->lock);
	toytcp_input_conn(child, skb, seg);
	return true;
}

/**
 * toytcp_listen_input() - a segment for a listener
 * @tn: the namespace
 * @lst: the listener, found under RCU
 * @key: the segment's 4-tuple, local side first
 * @skb: the segment
 * @seg: its parsed header
 * @iss: the ISS a SYN's child takes (a TIME_WAIT connection reopened by a
 *       new SYN chose it: toytcp_fsm_time_wait_syn()); 0 for a fresh one
 *
 * Called under rcu_read_lock().
 *
 * Return: false when @lst was unlistened since the lookup: nobody takes
 * the segment.
 */
bool toytcp_listen_input(struct toytcp_net *tn, struct toytcp_conn *lst,
			 const struct toytcp_key *key, struct sk_buff *skb,
			 const struct toytcp_seg *seg, u32 iss)
{
	u8 ctl = seg->flags & (TOYTCP_SYN | TOYTCP_RST | TOYTCP_ACK);
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;

	/*
	 * RCU keeps @lst's memory, not its life: a close() may have let go
	 * of its last reference since the lookup. Hold one while its
	 * children are made (toytcp_conn_adopt() takes theirs from it).
	 */
	if (READ_ONCE(lst->dead) || !refcount_inc_not_zero(&lst->refcnt))
		return false;
	if (ctl == TOYTCP_SYN && !(seg->flags & TOYTCP_FIN)) {
		toytcp_listen_syn(tn, lst, key, seg, iss);
	} else if (!(ctl == TOYTCP_ACK && toytcp_listen_cookies_out(lst) &&
		     toytcp_listen_cookie_ack(tn, lst, key, skb, seg))) {
		/* No child to make: a reset for an ACK, nothing for the rest (SYN+FIN too). */
		toytcp_fsm_listen(seg, 0, 0, &tcb, &v);
		toytcp_output_answer(tn, seg, &v.reply);
	}
	toytcp_conn_put(lst);
	return true;
}
