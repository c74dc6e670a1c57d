// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control and loss recovery: how much may be in flight, and
 * what goes out again when something is lost. NewReno as RFC 5681 and
 * RFC 6582 give it, counted in bytes:
 *
 *   initial window   min(10 * SMSS, max(2 * SMSS, 14600)) (RFC 6928),
 *                    one SMSS when our SYN or SYN,ACK had to be sent again
 *   slow start       cwnd < ssthresh: each ACK of new data grows cwnd by
 *                    what it acknowledged, at most 2 * SMSS (RFC 3465's L)
 *   congestion       cwnd >= ssthresh: one SMSS more for each cwnd's worth
 *   avoidance        of bytes acknowledged (RFC 5681 §3.1, byte counting)
 *   fast retransmit  the third duplicate ACK: ssthresh = FlightSize / 2,
 *                    the segment at SND.UNA goes again, cwnd = ssthresh +
 *                    3 * SMSS, one SMSS more per further duplicate
 *                    (Recovery, RFC 5681 §3.2)
 *   partial ACK      in Recovery, an ACK below recover: the next hole goes
 *                    out at once, cwnd shrinks by what was acknowledged
 *                    (RFC 6582 §3.2 step 5)
 *   full ACK         recover acknowledged: cwnd = min(ssthresh, FlightSize
 *                    + SMSS), back to Open (step 6)
 *   timeout          ssthresh = FlightSize / 2 (the first timeout of an
 *                    episode only), cwnd = one SMSS; everything outstanding
 *                    counts as lost (Loss) and goes out again from SND.UNA
 *                    as cwnd opens in slow start, as Linux's
 *                    tcp_enter_loss() marks it all lost
 *   after idle       data after more than an RTO without sending: cwnd
 *                    halves per RTO idle, down to the initial window
 *                    (RFC 5681 §4.1, as Linux's tcp_cwnd_restart())
 *
 * Growth happens only while the sender uses its window (RFC 7661): a
 * connection that sends a line now and then keeps its initial window.
 *
 * These functions change the tcb only. fsm.c calls them from the ACK step
 * and from a retransmission timeout; its output engine asks
 * toytcp_cc_room() before each new segment, and sends Loss's resends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
#include "cc.h"
#include "fsm.h"
#include "toytcp.h"

/**
 * toytcp_cc_initial_window() - the initial window for a send MSS
 * @mss: the send MSS (SMSS)
 *
 * RFC 6928: "min (10*MSS, max (2*MSS, 14600))"; ten segments of 1460.
 *
 * Return: bytes.
 */
u32 toytcp_cc_initial_window(u32 mss)
{
	return min(10 * mss, max(2 * mss, 14600U));
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_initial_window);

/**
 * toytcp_cc_init() - the window once the send MSS is known
 * @tcb: the connection, its @mss set from the peer's SYN
 *
 * RFC 5681 §3.1: "if the SYN or SYN/ACK is lost, the initial window used
 * by a sender after a correctly transmitted SYN MUST be one segment
 * consisting of at most SMSS bytes."
 */
void toytcp_cc_init(struct toytcp_tcb *tcb)
{
	tcb->cwnd = tcb->syn_lost ? tcb->mss : toytcp_cc_initial_window(tcb->mss);
	tcb->ssthresh = TOYTCP_INFINITE_SSTHRESH;
	tcb->cwnd_acked = 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_init);

/**
 * toytcp_cc_syn_lost() - our SYN or SYN,ACK is being sent again
 * @tcb: the connection
 *
 * A SYN,ACK's retransmission comes after toytcp_cc_init(); a SYN's before.
 */
void toytcp_cc_syn_lost(struct toytcp_tcb *tcb)
{
	tcb->syn_lost = true;
	tcb->cwnd = tcb->mss;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_syn_lost);

/**
 * toytcp_cc_in_flight() - bytes believed to be in the network
 * @tcb: the connection
 *
 * Everything sent and not acknowledged (RFC 5681's FlightSize), less, in
 * Loss, what counts as lost and is not yet sent again: the range from
 * the next resend (@rtx_nxt) up to @recover. Linux's packets_in_flight()
 * in bytes.
 *
 * Return: bytes.
 */
u32 toytcp_cc_in_flight(const struct toytcp_tcb *tcb)
{
	u32 flight = tcb->snd_nxt - tcb->snd_una;
	u32 lost = tcb->rtx_nxt;

	if (tcb->recovery != TOYTCP_RECOVERY_LOSS)
		return flight;
	if (toytcp_seq_lt(lost, tcb->snd_una))
		lost = tcb->snd_una;	/* acknowledged since: not lost */
	if (toytcp_seq_lt(lost, tcb->recover))
		flight -= tcb->recover - lost;
	return flight;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_in_flight);

/**
 * toytcp_cc_room() - what the congestion window lets out now
 * @tcb: the connection
 *
 * Return: bytes (0: wait for an ACK).
 */
u32 toytcp_cc_room(const struct toytcp_tcb *tcb)
{
	u32 in_flight = toytcp_cc_in_flight(tcb);

	return tcb->cwnd > in_flight ? tcb->cwnd - in_flight : 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_room);

/* RFC 5681 eq. 4: "ssthresh = max (FlightSize / 2, 2*SMSS)" */
static u32 toytcp_cc_half(const struct toytcp_tcb *tcb, u32 flight)
{
	return max(flight / 2, 2U * tcb->mss);
}

/*
 * Grow cwnd for @acked new bytes, when the window was in use: @flight was
 * in the network before this ACK. In slow start a window at least half
 * full counts (Linux: "ensure cwnd grows to twice what was ACKed"); in
 * congestion avoidance, one with less than an SMSS unused.
 */
static void toytcp_cc_grow(struct toytcp_tcb *tcb, u32 acked, u32 flight)
{
	if (tcb->cwnd < tcb->ssthresh) {
		if (2 * flight < tcb->cwnd)
			return;
		tcb->cwnd = min(tcb->cwnd + min(acked, 2U * tcb->mss),
				max(tcb->ssthresh, tcb->cwnd));
		return;
	}
	if (flight + tcb->mss < tcb->cwnd)
		return;
	tcb->cwnd_acked += acked;
	if (tcb->cwnd_acked >= tcb->cwnd) {
		tcb->cwnd_acked -= tcb->cwnd;
		tcb->cwnd += tcb->mss;
	}
}

/* Recovery: an ACK of new data, partial or full (RFC 6582 §3.2). */
static bool toytcp_cc_recovery_ack(struct toytcp_tcb *tcb, u32 acked)
{
	if (toytcp_seq_lt(tcb->snd_una, tcb->recover)) {
		/*
		 * Step 5: "deflate the congestion window by the amount of new
		 * data acknowledged ... If the partial ACK acknowledges at
		 * least one SMSS of new data, then add back SMSS bytes".
		 */
		tcb->cwnd -= min(acked, tcb->cwnd - tcb->mss);
		if (acked >= tcb->mss)
			tcb->cwnd += tcb->mss;
		return true;	/* "retransmit the first unacknowledged segment" */
	}
	/* Step 6: "min (ssthresh, max(FlightSize, SMSS) + SMSS)" */
	tcb->cwnd = min(tcb->ssthresh,
			max(tcb->snd_nxt - tcb->snd_una, (u32)tcb->mss) + tcb->mss);
	tcb->cwnd_acked = 0;
	tcb->recovery = TOYTCP_RECOVERY_NONE;
	return false;
}

/**
 * toytcp_cc_ack() - an acceptable ACK arrived
 * @tcb: the connection; SND.UNA already moved over @acked
 * @acked: bytes of sequence space it newly acknowledged, our SYN not
 *         counted (0: nothing new)
 * @dup: a duplicate ACK by RFC 5681 §2's definition
 *
 * Return: true when the segment at SND.UNA must go out again now (a fast
 * retransmit, or a partial ACK's next hole).
 */
bool toytcp_cc_ack(struct toytcp_tcb *tcb, u32 acked, bool dup)
{
	u32 flight = toytcp_cc_in_flight(tcb) + acked;

	if (acked) {
		tcb->dupacks = 0;
		switch (tcb->recovery) {
		case TOYTCP_RECOVERY_FAST:
			return toytcp_cc_recovery_ack(tcb, acked);
		case TOYTCP_RECOVERY_LOSS:
			if (toytcp_seq_lt(tcb->rtx_nxt, tcb->snd_una))
				tcb->rtx_nxt = tcb->snd_una;
			if (!toytcp_seq_lt(tcb->snd_una, tcb->recover))
				tcb->recovery = TOYTCP_RECOVERY_NONE;
			break;
		case TOYTCP_RECOVERY_NONE:
			break;
		}
		toytcp_cc_grow(tcb, acked, flight);
		return false;
	}
	if (!dup) {
		tcb->dupacks = 0;
		return false;
	}
	if (tcb->dupacks < TOYTCP_DUPACK_THRESH) {
		tcb->dupacks++;
		if (tcb->dupacks < TOYTCP_DUPACK_THRESH ||
		    tcb->recovery != TOYTCP_RECOVERY_NONE)
			return false;
		/* The third: RFC 5681 §3.2 steps 2 and 3. */
		tcb->ssthresh = toytcp_cc_half(tcb, flight);
		tcb->cwnd = tcb->ssthresh + TOYTCP_DUPACK_THRESH * tcb->mss;
		tcb->recovery = TOYTCP_RECOVERY_FAST;
		tcb->recover = tcb->snd_nxt;
		return true;
	}
	/* Step 4: "For each additional duplicate ACK received ... cwnd is
	 * incremented by SMSS", in Recovery (not in Loss).
	 */
	if (tcb->recovery == TOYTCP_RECOVERY_FAST)
		tcb->cwnd += tcb->mss;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_ack);

/**
 * toytcp_cc_idle_restart() - data is about to go after a silence
 * @tcb: the connection, nothing outstanding
 * @idle_ms: time since it last sent data
 * @rto_ms: the retransmission timeout now
 *
 * RFC 5681 §4.1: "a TCP SHOULD set cwnd to no more than RW before
 * beginning transmission if the TCP has not sent data in an interval
 * exceeding the retransmission timeout", RW = min(IW, cwnd): what was
 * learned of the path may be stale. As Linux's tcp_cwnd_restart() (RFC
 * 2861): ssthresh keeps at least 3/4 of the old cwnd, and cwnd halves for
 * each RTO of silence, down to RW.
 */
void toytcp_cc_idle_restart(struct toytcp_tcb *tcb, u32 idle_ms, u32 rto_ms)
{
	u32 rw = min(toytcp_cc_initial_window(tcb->mss), tcb->cwnd);
	u32 cwnd = tcb->cwnd;

	if (idle_ms <= rto_ms || !rto_ms)
		return;
	tcb->ssthresh = max(tcb->ssthresh, (cwnd >> 1) + (cwnd >> 2));
	while (idle_ms > rto_ms && cwnd > rw) {
		idle_ms -= rto_ms;
		cwnd >>= 1;
	}
	tcb->cwnd = max(cwnd, rw);
	tcb->cwnd_acked = 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_idle_restart);

/**
 * toytcp_cc_timeout() - the retransmission timer expired with data out
 * @tcb: the connection
 *
 * RFC 5681 §3.1: "When a TCP sender detects segment loss using the
 * retransmission timer and the given segment has not yet been resent by
 * way of the retransmission timer, the value of ssthresh MUST be set to no
 * more than the value given in equation (4)", and "the congestion window
 * MUST be set to no more than the loss window, LW, which equals 1 full-
 * sized segment". Everything outstanding is taken as lost; the caller
 * sends the first of it (rtx_nxt moves over it).
 */
void toytcp_cc_timeout(struct toytcp_tcb *tcb)
{
	if (tcb->recovery != TOYTCP_RECOVERY_LOSS)
		tcb->ssthresh = toytcp_cc_half(tcb, toytcp_cc_in_flight(tcb));
	tcb->cwnd = tcb->mss;
	tcb->cwnd_acked = 0;
	tcb->recovery = TOYTCP_RECOVERY_LOSS;
	tcb->recover = tcb->snd_nxt;
	tcb->rtx_nxt = tcb->snd_una;
	tcb->dupacks = 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cc_timeout);
