// SPDX-License-Identifier: GPL-2.0
/*
 * Delayed acknowledgments. RFC 1122 §4.2.3.2: "A TCP SHOULD implement a
 * delayed ACK, but an ACK should not be excessively delayed; in
 * particular, the delay MUST be less than 0.5 seconds, and in a stream of
 * full-sized segments there SHOULD be an ACK for at least every second
 * segment." Data that arrives in order does not get an ACK of its own at
 * once: the ACK waits up to `delack_ms` (40 ms, Linux's TCP_ATO_MIN; at
 * most 200, Linux's TCP_DELACK_MAX) for a segment of ours to ride on,
 * such as an echo's reply, and goes alone when the time is up or a second
 * full segment arrives. Linux's quick-ack mode: the first ACKs of a
 * connection (up to 16) go at once, so that the sender's slow start is
 * not held back.
 *
 * Never delayed (the state machine says so, fsm.c): the ACK of a FIN, of
 * a segment out of order or one that fills a hole (RFC 5681 §4.2), of a
 * duplicate, of a segment the window cut short.
 *
 * These functions keep the state; timers.c runs the delayed-ACK timer and
 * output.c reports every ACK sent (toytcp_delack_sent()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
#include "delack.h"
#include "toytcp.h"

/**
 * toytcp_delack_decide() - in-order data arrived: ACK it now or later?
 * @d: the connection's delayed-ACK state
 * @rcv_nxt: RCV.NXT after the data
 * @mss: the receive MSS (what the peer's full-sized segments carry)
 * @rcv_wnd: the receive window
 * @delack_ms: the `delack_ms` parameter (0: never delay)
 *
 * The first data enters quick-ack mode as Linux's tcp_incr_quickack()
 * does: as many quick ACKs as half the window holds segments, at least 2,
 * at most 16. After that an ACK waits, unless more than one full-sized
 * segment is unacknowledged (Linux's __tcp_ack_snd_check()).
 *
 * Return: TOYTCP_ACK_NOW or TOYTCP_ACK_DELAY.
 */
enum toytcp_ack_action toytcp_delack_decide(struct toytcp_delack *d,
					    u32 rcv_nxt, u32 mss, u32 rcv_wnd,
					    u32 delack_ms)
{
	if (!d->started) {
		d->started = true;
		d->quick = clamp_t(u32, rcv_wnd / (2 * mss), 2, TOYTCP_MAX_QUICKACKS);
	}
	if (!delack_ms || d->quick || rcv_nxt - d->rcv_wup > mss)
		return TOYTCP_ACK_NOW;
	return TOYTCP_ACK_DELAY;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_delack_decide);

/**
 * toytcp_delack_sent() - a segment carrying an ACK goes out
 * @d: the connection's delayed-ACK state
 * @ack: its acknowledgment number (RCV.NXT)
 *
 * Nothing is owed any more; an ACK of new data spends a quick ACK.
 */
void toytcp_delack_sent(struct toytcp_delack *d, u32 ack)
{
	if (ack != d->rcv_wup && d->quick)
		d->quick--;
	d->rcv_wup = ack;
	d->pending = false;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_delack_sent);
