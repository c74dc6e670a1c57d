// SPDX-License-Identifier: GPL-2.0
/*
 * Timers. Each connection has one hrtimer, in soft mode: it fires in
 * softirq context and takes conn->lock like the packet path does. What it
 * is armed for depends on the state, and it is only ever one of these:
 *
 *   rtx        SYN_SENT, SYN_RECV, and whenever something sent is not yet
 *              acknowledged (data, FIN), or data or a FIN waits for a
 *              zero window: retransmit the oldest segment (or probe the
 *              window), double the RTO (rtt.c: RFC 6298's estimate, at
 *              first rto_ms, up to TOYTCP_RTO_MAX_MS), and give up after
 *              syn_retries (SYN), synack_retries (SYN,ACK) or max_retries
 *              timeouts in a row (the connection is closed, no RST sent).
 *              Any acknowledgment of new data starts the count over; the
 *              backoff stays until an RTT sample sets the RTO again
 *              (Karn). An answer to a zero-window probe starts the count
 *              over too, so probing goes on as long as the peer answers
 *              (RFC 9293 MUST-37).
 *              A resend that cannot be built (no memory) is tried again
 *              after at most TOYTCP_RESOURCE_PROBE_MS, without backoff.
 *   timewait   TIME_WAIT: after 2 * msl_ms the connection is deleted
 *              (TimeWaited). A retransmitted FIN restarts it.
 *   finwait2   FIN_WAIT2: the peer acknowledged our FIN but never sends
 *              its own; after fin_timeout_ms without a segment of data
 *              the connection is deleted. Data restarts it.
 *
 * References: an armed timer holds a reference on its connection
 * (->timer_ref), taken when it is armed and given back by the callback, or
 * by whoever cancels it before it runs. A connection that is ->dead is
 * never armed again. Teardown from process context waits for a running
 * callback (toytcp_timer_sync_stop()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/skbuff.h>
#include "conn.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "stats.h"
#include "timers.h"

static const char * const toytcp_timer_names[] = {
	[TOYTCP_TIMER_NONE]		= "-",
	[TOYTCP_TIMER_KIND_RTX]		= "rtx",
	[TOYTCP_TIMER_KIND_TIME_WAIT]	= "timewait",
	[TOYTCP_TIMER_KIND_FIN_WAIT2]	= "finwait2",
};

/* Arm (or re-arm) the timer. Called with conn->lock held. */
static void toytcp_timer_arm(struct toytcp_conn *conn,
			     enum toytcp_timer_kind kind, u32 ms)
{
	if (conn->dead)
		return;
	if (!conn->timer_ref) {
		refcount_inc(&conn->refcnt);
		conn->timer_ref = true;
	}
	conn->timer_kind = kind;
	hrtimer_start(&conn->timer, ms_to_ktime(ms), HRTIMER_MODE_REL_SOFT);
}

/**
 * toytcp_timer_stop() - stop the timer without waiting
 * @conn: the connection, locked
 *
 * If the callback is already running, waiting for the lock, it finds
 * nothing to do and gives the reference back itself.
 */
void toytcp_timer_stop(struct toytcp_conn *conn)
{
	int ret = hrtimer_try_to_cancel(&conn->timer);

	conn->timer_kind = TOYTCP_TIMER_NONE;
	if (ret >= 0 && conn->timer_ref) {
		conn->timer_ref = false;
		toytcp_conn_put(conn);
	}
}

/**
 * toytcp_timer_sync_stop() - stop the timer and wait for its callback
 * @conn: a dead connection, unlocked, with a reference held by the caller
 *
 * Process context only. The timer never runs again afterwards.
 */
void toytcp_timer_sync_stop(struct toytcp_conn *conn)
{
	hrtimer_cancel(&conn->timer);
	spin_lock_bh(&conn->lock);
	conn->timer_kind = TOYTCP_TIMER_NONE;
	if (conn->timer_ref) {
		conn->timer_ref = false;
		toytcp_conn_put(conn);
	}
	spin_unlock_bh(&conn->lock);
}

/**
 * toytcp_timers_after_event() - set the timer after the state machine ran
 * @conn: the connection, locked
 * @op: what the verdict asked for
 *
 * Called after every event and after output, so that the timer matches
 * what is outstanding: rtx runs exactly while something sent is not yet
 * acknowledged (or data waits for a window); TIME_WAIT and FIN_WAIT2 have
 * their own.
 */
void toytcp_timers_after_event(struct toytcp_conn *conn, enum toytcp_timer_op op)
{
	struct toytcp_tcb *tcb = &conn->tcb;
	bool waiting;

	switch (op) {
	case TOYTCP_TIMER_TIME_WAIT:
		toytcp_timer_arm(conn, TOYTCP_TIMER_KIND_TIME_WAIT,
				 2 * READ_ONCE(toytcp_msl_ms));
		return;
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
		toytcp_conn_set_state(conn, TOYTCP_CLOSED);
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

	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->lock);
	if (hrtimer_is_queued(timer)) {
		/* Re-armed while we waited for the lock: that one runs later. */
		spin_unlock_bh(&conn->lock);
		return HRTIMER_NORESTART;
	}
	kind = conn->timer_kind;
	conn->timer_kind = TOYTCP_TIMER_NONE;
	conn->timer_ref = false;

	switch (kind) {
	case TOYTCP_TIMER_KIND_RTX:
		toytcp_timer_rtx_expired(conn, &q);
		break;
	case TOYTCP_TIMER_KIND_TIME_WAIT:
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_TIMEWAITED);
		toytcp_conn_set_state(conn, TOYTCP_CLOSED);
		break;
	case TOYTCP_TIMER_KIND_FIN_WAIT2:
		toytcp_conn_set_state(conn, TOYTCP_CLOSED);
		break;
	case TOYTCP_TIMER_NONE:
		break;	/* stopped while we waited for the lock */
	}
	spin_unlock_bh(&conn->lock);

	toytcp_output_xmit(conn->tn, &q);
	toytcp_conn_put(conn);
	return HRTIMER_NORESTART;
}

/**
 * toytcp_timer_init() - set up a new connection's timer, unarmed
 * @conn: the connection
 */
void toytcp_timer_init(struct toytcp_conn *conn)
{
	hrtimer_init(&conn->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	conn->timer.function = toytcp_timer_fired;
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
