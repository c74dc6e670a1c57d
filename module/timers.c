// SPDX-License-Identifier: GPL-2.0
/*
 * Timers. Each connection has three hrtimers, in soft mode: they fire in
 * softirq context and take conn->lock like the packet path does.
 *
 * The connection timer (conn->timer) is armed for one of these, which
 * never need to run at once (what is due depends on the state):
 *
 *   rtx        SYN_SENT, SYN_RECV, and whenever something sent is not yet
 *              acknowledged (data, FIN), or data or a FIN waits for a
 *              zero window: retransmit the oldest segment (or probe the
 *              window); with data out, the connection enters Loss (cc.c:
 *              cwnd one segment, the rest goes again as ACKs open it);
 *              double the RTO (rtt.c: RFC 6298's estimate, at
 *              first rto_ms, up to rto_max_ms), and give up after
 *              syn_retries (SYN), synack_retries (SYN,ACK) or max_retries
 *              timeouts in a row (the connection is closed, no RST sent).
 *              Any acknowledgment of new data starts the count over; the
 *              backoff stays until an RTT sample sets the RTO again
 *              (Karn). An answer to a zero-window probe starts the count
 *              over too, so probing goes on as long as the peer answers
 *              (RFC 9293 MUST-37). A fast retransmit runs the timer
 *              anew and keeps the count (Linux re-arms it when the
 *              oldest segment goes again).
 *              A resend that cannot be built (no memory) is tried again
 *              after at most TOYTCP_RESOURCE_PROBE_MS, without backoff.
 *   finwait2   FIN_WAIT2: the peer acknowledged our FIN but never sends
 *              its own; after fin_timeout_ms without a segment of data
 *              the connection is deleted. Data restarts it.
 *
 * The keepalive timer (conn->ka_timer) runs beside it, since keepalive
 * watches an idle connection in any synchronized state (keepalive.c):
 *
 *   keepalive  with keepalive on: after keepalive_time_ms without a word
 *              from the peer, a probe (TCPKeepAlive), then one every
 *              keepalive_intvl_ms; after keepalive_probes unanswered, a
 *              RST and the connection is closed (TCPAbortOnTimeout).
 *
 * The delayed-ACK timer (conn->dack_timer) runs beside both, since an ACK
 * may be owed while data is out and keepalive watches:
 *
 *   delack     in-order data was not acknowledged at once (delack.c):
 *              after delack_ms the ACK goes alone (TCPDelayedACKs),
 *              unless a segment of ours carried it first, which stops
 *              the timer.
 *
 * And one timer per namespace, not per connection: a connection entering
 * TIME_WAIT gives way to a small tw (timewait.c), and the namespace's
 * TIME_WAIT timer (tn->tw.timer) ends each tw in its turn:
 *
 *   timewait   TIME_WAIT: after 2 * msl_ms the tw is deleted
 *              (TimeWaited). A retransmitted FIN restarts it.
 *
 * References: an armed timer holds a reference on its connection
 * (->timer_ref, ->ka_ref, ->dack_ref), taken when it is armed and given back by the
 * callback, or by whoever cancels it before it runs. A connection that is
 * ->dead is never armed again. Teardown from process context waits for
 * running callbacks (toytcp_timer_sync_stop()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/skbuff.h>
#include "conn.h"
#include "keepalive.h"
#include "netns.h"
#include "output.h"
#include "sock.h"
#include "params.h"
#include "stats.h"
#include "timers.h"

static const char * const toytcp_timer_names[] = {
	[TOYTCP_TIMER_NONE]		= "-",
	[TOYTCP_TIMER_KIND_RTX]		= "rtx",
	[TOYTCP_TIMER_KIND_FIN_WAIT2]	= "finwait2",
};

/*
 * Arm (or re-arm) one of the connection's hrtimers, which holds a
 * reference while armed (@ref). Called with conn->lock held.
 */
static void __toytcp_timer_arm(struct toytcp_conn *conn, struct hrtimer *t,
			       bool *ref, u32 ms)
{
	if (conn->dead)
		return;
	if (!*ref) {
		refcount_inc(&conn->refcnt);
		*ref = true;
	}
	hrtimer_start(t, ms_to_ktime(ms), HRTIMER_MODE_REL_SOFT);
}

/*
 * Cancel one of the hrtimers without waiting. If its callback is already
 * running, waiting for the lock, it finds nothing to do and gives the
 * reference back itself. Called with conn->lock held.
 */
static void __toytcp_timer_stop(struct toytcp_conn *conn, struct hrtimer *t,
				bool *ref)
{
	if (hrtimer_try_to_cancel(t) >= 0 && *ref) {
		*ref = false;
		toytcp_conn_put(conn);
	}
}

/* Arm the connection timer for @kind. Called with conn->lock held. */
static void toytcp_timer_arm(struct toytcp_conn *conn,
			     enum toytcp_timer_kind kind, u32 ms)
{
	if (conn->dead)
		return;
	conn->timer_kind = kind;
	__toytcp_timer_arm(conn, &conn->timer, &conn->timer_ref, ms);
}

/* Stop the connection timer without waiting. Called with conn->lock held. */
static void toytcp_timer_stop(struct toytcp_conn *conn)
{
	conn->timer_kind = TOYTCP_TIMER_NONE;
	__toytcp_timer_stop(conn, &conn->timer, &conn->timer_ref);
}

/**
 * toytcp_timers_stop() - stop all three timers without waiting
 * @conn: the connection, locked, dead: they are never armed again
 */
void toytcp_timers_stop(struct toytcp_conn *conn)
{
	toytcp_timer_stop(conn);
	__toytcp_timer_stop(conn, &conn->ka_timer, &conn->ka_ref);
	__toytcp_timer_stop(conn, &conn->dack_timer, &conn->dack_ref);
}

/*
 * The start of a callback: take the lock, and the timer's reference back
 * from it. False (unlocked) when the timer was re-armed while we waited
 * for the lock: that run comes later, and the reference is its.
 */
static bool toytcp_timer_claim(struct toytcp_conn *conn, struct hrtimer *t,
			       bool *ref)
{
	spin_lock_bh(&conn->lock);
	if (hrtimer_is_queued(t)) {
		spin_unlock_bh(&conn->lock);
		return false;
	}
	*ref = false;
	return true;
}

/* Give back the reference of a timer that can no longer run. Locked. */
static void toytcp_timer_drop_ref(struct toytcp_conn *conn, bool *ref)
{
	if (*ref) {
		*ref = false;
		toytcp_conn_put(conn);
	}
}

/**
 * toytcp_timer_sync_stop() - stop the timers and wait for their callbacks
 * @conn: a dead connection, unlocked, with a reference held by the caller
 *
 * Process context only. The timers never run again afterwards.
 */
void toytcp_timer_sync_stop(struct toytcp_conn *conn)
{
	hrtimer_cancel(&conn->timer);
	hrtimer_cancel(&conn->ka_timer);
	hrtimer_cancel(&conn->dack_timer);
	spin_lock_bh(&conn->lock);
	conn->timer_kind = TOYTCP_TIMER_NONE;
	toytcp_timer_drop_ref(conn, &conn->timer_ref);
	toytcp_timer_drop_ref(conn, &conn->ka_ref);
	toytcp_timer_drop_ref(conn, &conn->dack_ref);
	spin_unlock_bh(&conn->lock);
}

/**
 * toytcp_timers_after_event() - set the timer after the state machine ran
 * @conn: the connection, locked
 * @op: what the verdict asked for
 *
 * Called after every event and after output, so that the timer matches
 * what is outstanding: rtx runs exactly while something sent is not yet
 * acknowledged (or data waits for a window); FIN_WAIT2 has its own, and
 * TIME_WAIT is a tw's (timewait.c).
 */
void toytcp_timers_after_event(struct toytcp_conn *conn, enum toytcp_timer_op op)
{
	struct toytcp_tcb *tcb = &conn->tcb;
	bool waiting;

	switch (op) {
	case TOYTCP_TIMER_TIME_WAIT:
		return;		/* the tw's timer, timewait.c */
	case TOYTCP_TIMER_FIN_WAIT2:
		toytcp_timer_arm(conn, TOYTCP_TIMER_KIND_FIN_WAIT2,
				 READ_ONCE(toytcp_fin_timeout_ms));
		return;
	case TOYTCP_TIMER_ALIVE:
		/* A probe was answered: the count starts over, the backoff stays. */
		conn->retries = 0;
		break;
	case TOYTCP_TIMER_RTX:
		/* Progress: the count starts over; the timer runs anew. */
		conn->retries = 0;
		if (conn->timer_kind == TOYTCP_TIMER_KIND_RTX)
			toytcp_timer_stop(conn);
		break;
	case TOYTCP_TIMER_RESENT:
		/* The oldest segment went again: an RTO for it, the count stays. */
		if (conn->timer_kind == TOYTCP_TIMER_KIND_RTX)
			toytcp_timer_stop(conn);
		break;
	case TOYTCP_TIMER_KEEP:
		break;
	}

	waiting = toytcp_fsm_outstanding(tcb) || toytcp_fsm_has_unsent(tcb);
	if (waiting && conn->timer_kind == TOYTCP_TIMER_NONE)
		toytcp_timer_arm(conn, TOYTCP_TIMER_KIND_RTX, conn->rtt.rto_ms);
	else if (!waiting && conn->timer_kind == TOYTCP_TIMER_KIND_RTX)
		toytcp_timer_stop(conn);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_timers_after_event);

/*
 * How many timeouts in a row a connection takes: for our SYN, at least
 * RFC 9293's 3 minutes at the defaults (R2 "MUST be set large enough to
 * provide retransmission of the segment for at least 3 minutes"); for a
 * SYN,ACK, Linux's 5 (a half-open connection lives about 63 s).
 */
static unsigned int toytcp_timer_max_retries(const struct toytcp_tcb *tcb)
{
	if (tcb->snd_una != tcb->iss)
		return READ_ONCE(toytcp_max_retries);
	if (tcb->state == TOYTCP_SYN_SENT)
		return READ_ONCE(toytcp_syn_retries);
	return READ_ONCE(toytcp_synack_retries);
}

/* A retransmission timeout: resend, back off, or give up. */
static void toytcp_timer_rtx_expired(struct toytcp_conn *conn,
				     struct sk_buff_head *q)
{
	struct toytcp_out out;
	int err;

	if (conn->retries >= toytcp_timer_max_retries(&conn->tcb)) {
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_ABORTONTIMEOUT);
		conn->err = -ETIMEDOUT;
		toytcp_conn_event(conn, TOYTCP_EV_GIVE_UP);
		return;
	}
	if (!toytcp_fsm_retransmit(&conn->tcb, conn->tcb.mss, &out))
		return;
	err = toytcp_output_queue_out(conn, &out, q);
	if (err == -ENOMEM || err == -ENOBUFS) {
		/*
		 * Out of memory here, not a loss on the network: no
		 * backoff, no retry counted, as Linux's tcp_retransmit_timer()
		 * does when "retransmission failed because of local
		 * congestion".
		 */
		toytcp_timer_arm(conn, TOYTCP_TIMER_KIND_RTX,
				 min_t(u32, conn->rtt.rto_ms, TOYTCP_RESOURCE_PROBE_MS));
		return;
	}
	conn->retries++;
	toytcp_rtt_retransmitted(&conn->rtt);
	toytcp_rtt_backoff(&conn->rtt);
	if (!err)
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_RETRANSSEGS);
	toytcp_timer_arm(conn, TOYTCP_TIMER_KIND_RTX, conn->rtt.rto_ms);
}

static enum hrtimer_restart toytcp_timer_fired(struct hrtimer *timer)
{
	struct toytcp_conn *conn = container_of(timer, struct toytcp_conn, timer);
	enum toytcp_timer_kind kind;
	struct sk_buff_head q;

	if (!toytcp_timer_claim(conn, timer, &conn->timer_ref))
		return HRTIMER_NORESTART;
	__skb_queue_head_init(&q);
	kind = conn->timer_kind;
	conn->timer_kind = TOYTCP_TIMER_NONE;

	switch (kind) {
	case TOYTCP_TIMER_KIND_RTX:
		toytcp_timer_rtx_expired(conn, &q);
		break;
	case TOYTCP_TIMER_KIND_FIN_WAIT2:
		toytcp_conn_event(conn, TOYTCP_EV_GIVE_UP);
		break;
	case TOYTCP_TIMER_NONE:
		break;	/* stopped while we waited for the lock */
	}
	spin_unlock_bh(&conn->lock);

	toytcp_output_xmit(conn->tn, &q);
	toytcp_conn_put(conn);
	return HRTIMER_NORESTART;
}

/* The keepalive parameters, read once, or its socket's own. */
static void toytcp_timer_ka_params(struct toytcp_conn *conn,
				   struct toytcp_ka_params *p)
{
	p->time_ms = READ_ONCE(toytcp_keepalive_time_ms);
	p->intvl_ms = READ_ONCE(toytcp_keepalive_intvl_ms);
	p->probes = READ_ONCE(toytcp_keepalive_probes);
	toytcp_sock_ka_params(conn, p);
}

/*
 * The keepalive timer fired on a connection with keepalive on: probe,
 * wait, or give the peer up (keepalive.c decides). Called locked.
 */
static void toytcp_timer_keepalive(struct toytcp_conn *conn,
				   struct sk_buff_head *q)
{
	struct toytcp_tcb *tcb = &conn->tcb;
	struct toytcp_ka_params p;
	struct toytcp_reply r;
	u32 next;

	toytcp_timer_ka_params(conn, &p);
	switch (tcb->state) {
	case TOYTCP_SYN_SENT:
	case TOYTCP_SYN_RECV:
		/* Not yet synchronized: nothing to probe yet. */
		__toytcp_timer_arm(conn, &conn->ka_timer, &conn->ka_ref, p.time_ms);
		return;
	case TOYTCP_ESTABLISHED:
	case TOYTCP_FIN_WAIT1:
	case TOYTCP_FIN_WAIT2:
	case TOYTCP_CLOSE_WAIT:
	case TOYTCP_CLOSING:
	case TOYTCP_LAST_ACK:
		break;
	default:
		return;	/* LISTEN, CLOSED: nothing to watch (TIME_WAIT is a tw's) */
	}
	switch (toytcp_keepalive_decide(toytcp_fsm_outstanding(tcb) ||
					toytcp_fsm_has_unsent(tcb),
					jiffies_to_msecs(jiffies - conn->ka_last),
					conn->ka_probes, &p, &next)) {
	case TOYTCP_KA_WAIT:
		break;
	case TOYTCP_KA_PROBE:
		r = (struct toytcp_reply){ TOYTCP_ACK, tcb->snd_una - 1, tcb->rcv_nxt };
		if (toytcp_output_queue_reply(conn, &r, q)) {
			next = TOYTCP_RESOURCE_PROBE_MS;
			break;
		}
		conn->ka_probes++;
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_KEEPALIVE);
		break;
	case TOYTCP_KA_DEAD:
		/* As Linux: a reset, so that a peer that is back learns it. */
		r = (struct toytcp_reply){ TOYTCP_RST | TOYTCP_ACK, tcb->snd_nxt,
					   tcb->rcv_nxt };
		toytcp_output_queue_reply(conn, &r, q);
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_ABORTONTIMEOUT);
		conn->err = -ETIMEDOUT;
		toytcp_conn_event(conn, TOYTCP_EV_GIVE_UP);
		return;
	}
	__toytcp_timer_arm(conn, &conn->ka_timer, &conn->ka_ref, next);
}

static enum hrtimer_restart toytcp_timer_ka_fired(struct hrtimer *timer)
{
	struct toytcp_conn *conn = container_of(timer, struct toytcp_conn, ka_timer);
	struct sk_buff_head q;

	if (!toytcp_timer_claim(conn, timer, &conn->ka_ref))
		return HRTIMER_NORESTART;
	__skb_queue_head_init(&q);
	if (conn->ka_on && !conn->dead)
		toytcp_timer_keepalive(conn, &q);
	spin_unlock_bh(&conn->lock);

	toytcp_output_xmit(conn->tn, &q);
	toytcp_conn_put(conn);
	return HRTIMER_NORESTART;
}

/**
 * toytcp_timer_keepalive_set() - turn keepalive on or off
 * @conn: the connection, locked
 * @on: on or off
 *
 * On: the peer counts as heard now, and the first look is after
 * keepalive_time_ms. Off: the keepalive timer stops.
 */
void toytcp_timer_keepalive_set(struct toytcp_conn *conn, bool on)
{
	struct toytcp_ka_params p;

	conn->ka_on = on;
	conn->ka_probes = 0;
	conn->ka_last = jiffies;
	toytcp_timer_ka_params(conn, &p);
	if (on)
		__toytcp_timer_arm(conn, &conn->ka_timer, &conn->ka_ref, p.time_ms);
	else
		__toytcp_timer_stop(conn, &conn->ka_timer, &conn->ka_ref);
}

/**
 * toytcp_timer_keepalive_remaining_ms() - time left on the keepalive timer
 * @conn: the connection, locked
 *
 * Return: milliseconds, or -1 when keepalive is off or not armed.
 */
s64 toytcp_timer_keepalive_remaining_ms(struct toytcp_conn *conn)
{
	if (!conn->ka_on || !conn->ka_ref)
		return -1;
	return max_t(s64, ktime_to_ms(hrtimer_get_remaining(&conn->ka_timer)), 0);
}

/* The delayed-ACK timer fired: the owed ACK goes alone. */
static enum hrtimer_restart toytcp_timer_dack_fired(struct hrtimer *timer)
{
	struct toytcp_conn *conn = container_of(timer, struct toytcp_conn, dack_timer);
	struct toytcp_tcb *tcb = &conn->tcb;
	struct toytcp_reply r;
	struct sk_buff_head q;

	if (!toytcp_timer_claim(conn, timer, &conn->dack_ref))
		return HRTIMER_NORESTART;
	__skb_queue_head_init(&q);
	if (conn->delack.pending && !conn->dead) {
		r = (struct toytcp_reply){ TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt };
		if (toytcp_output_queue_reply(conn, &r, &q))
			__toytcp_timer_arm(conn, timer, &conn->dack_ref,
					   TOYTCP_RESOURCE_PROBE_MS);
		else
			TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_DELAYEDACKS);
	}
	spin_unlock_bh(&conn->lock);

	toytcp_output_xmit(conn->tn, &q);
	toytcp_conn_put(conn);
	return HRTIMER_NORESTART;
}

/**
 * toytcp_timer_delack() - an ACK is owed: let it wait (delack.c)
 * @conn: the connection, locked
 *
 * The timer starts with the first ACK owed and is not pushed back by
 * later data: an ACK waits at most delack_ms.
 */
void toytcp_timer_delack(struct toytcp_conn *conn)
{
	if (conn->delack.pending)
		return;
	conn->delack.pending = true;
	__toytcp_timer_arm(conn, &conn->dack_timer, &conn->dack_ref,
			   max(READ_ONCE(toytcp_delack_ms), 1U));
}

/**
 * toytcp_timer_ack_sent() - a segment of @conn carrying an ACK is built
 * @conn: the connection, locked
 * @ack: its acknowledgment number
 *
 * It carries whatever ACK was owed: the delayed-ACK timer stops.
 */
void toytcp_timer_ack_sent(struct toytcp_conn *conn, u32 ack)
{
	if (conn->delack.pending)
		__toytcp_timer_stop(conn, &conn->dack_timer, &conn->dack_ref);
	toytcp_delack_sent(&conn->delack, ack);
}

/**
 * toytcp_timer_delack_remaining_ms() - time left before the owed ACK goes
 * @conn: the connection, locked
 *
 * Return: milliseconds, or -1 when no ACK is owed.
 */
s64 toytcp_timer_delack_remaining_ms(struct toytcp_conn *conn)
{
	if (!conn->delack.pending || !conn->dack_ref)
		return -1;
	return max_t(s64, ktime_to_ms(hrtimer_get_remaining(&conn->dack_timer)), 0);
}

/**
 * toytcp_timer_init() - set up a new connection's timers, unarmed
 * @conn: the connection
 */
void toytcp_timer_init(struct toytcp_conn *conn)
{
	hrtimer_init(&conn->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	conn->timer.function = toytcp_timer_fired;
	hrtimer_init(&conn->ka_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	conn->ka_timer.function = toytcp_timer_ka_fired;
	hrtimer_init(&conn->dack_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	conn->dack_timer.function = toytcp_timer_dack_fired;
}

/**
 * toytcp_timer_remaining_ms() - time left on the armed timer
 * @conn: the connection, locked
 *
 * Return: milliseconds (0 when due), or -1 when nothing is armed.
 */
s64 toytcp_timer_remaining_ms(struct toytcp_conn *conn)
{
	if (conn->timer_kind == TOYTCP_TIMER_NONE)
		return -1;
	return max_t(s64, ktime_to_ms(hrtimer_get_remaining(&conn->timer)), 0);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_timer_remaining_ms);

/**
 * toytcp_timer_name() - what the timer is armed for, as /proc shows it
 * @conn: the connection, locked
 *
 * Return: "rtx", "timewait", "finwait2" or "-".
 */
const char *toytcp_timer_name(struct toytcp_conn *conn)
{
	return toytcp_timer_names[conn->timer_kind];
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_timer_name);
