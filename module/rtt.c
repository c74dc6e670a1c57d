// SPDX-License-Identifier: GPL-2.0
/*
 * Round-trip time estimation (RFC 6298), as pure functions of the
 * estimator's state and the clock the caller passes in (microseconds).
 *
 *   toytcp_rtt_sent()           a new segment leaves: time it, unless one
 *                               is being timed already
 *   toytcp_rtt_retransmitted()  Karn: the measurement is void
 *   toytcp_rtt_acked()          an ACK covers the timed segment: a sample
 *   toytcp_rtt_sample()         SRTT, RTTVAR, RTO from one sample
 *   toytcp_rtt_backoff()        a timeout: RTO doubles (§5.5)
 *   toytcp_rtt_established()    the handshake is done: §5.7's 3 s
 *
 * The RTO starts at `rto_ms` (RFC 6298 §2.1 says 1 s), doubles on each
 * timeout up to `rto_max_ms` (120 s), and stays backed off until a valid
 * sample sets it again: an ACK of new data alone does not undo the
 * backoff, since a segment that was retransmitted gives no sample (Karn).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
#include "rtt.h"
#include "toytcp.h"

/**
 * toytcp_rtt_init() - a new connection's estimator
 * @rtt: the estimator
 * @initial_ms: the RTO before any sample (`rto_ms`)
 * @min_ms: the least RTO a sample may give (`rto_min_ms`)
 * @max_ms: the most the RTO may grow to (`rto_max_ms`; at least @min_ms)
 */
void toytcp_rtt_init(struct toytcp_rtt *rtt, u32 initial_ms, u32 min_ms,
		     u32 max_ms)
{
	max_ms = max(max_ms, min_ms);
	*rtt = (struct toytcp_rtt){ .rto_ms = min(initial_ms, max_ms),
				    .min_ms = min_ms, .max_ms = max_ms };
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_init);

/**
 * toytcp_rtt_sent() - a segment with new sequence numbers was sent
 * @rtt: the estimator
 * @end_seq: the sequence number after it (its ACK is at least this)
 * @now_us: the clock
 */
void toytcp_rtt_sent(struct toytcp_rtt *rtt, u32 end_seq, u32 now_us)
{
	if (rtt->timing)
		return;
	rtt->timing = true;
	rtt->seq = end_seq;
	rtt->start_us = now_us;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_sent);

/**
 * toytcp_rtt_retransmitted() - something was sent again
 * @rtt: the estimator
 *
 * Karn's algorithm (RFC 6298 §3): "RTT samples MUST NOT be made using
 * segments that were retransmitted". The ACK that will come cannot tell
 * which copy it answers, so the measurement is dropped.
 */
void toytcp_rtt_retransmitted(struct toytcp_rtt *rtt)
{
	rtt->timing = false;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_retransmitted);

/**
 * toytcp_rtt_acked() - an ACK moved SND.UNA to @ack
 * @rtt: the estimator
 * @ack: the new SND.UNA
 * @now_us: the clock
 *
 * Return: true when it covered the timed segment and made a sample.
 */
bool toytcp_rtt_acked(struct toytcp_rtt *rtt, u32 ack, u32 now_us)
{
	if (!rtt->timing || toytcp_seq_lt(ack, rtt->seq))
		return false;
	rtt->timing = false;
	toytcp_rtt_sample(rtt, max(now_us - rtt->start_us, 1U));
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_acked);

/**
 * toytcp_rtt_sample() - fold one measurement @r_us into the estimate
 * @rtt: the estimator
 * @r_us: the round-trip time measured, microseconds (at least 1)
 *
 * RFC 6298 §2.2, the first: "SRTT <- R, RTTVAR <- R/2". §2.3, the next:
 * "RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|" then
 * "SRTT <- (1 - alpha) * SRTT + alpha * R'", alpha = 1/8, beta = 1/4.
 * Both: "RTO <- SRTT + max (G, K*RTTVAR)", K = 4. As Linux
 * (tcp_rtt_estimator(), tcp_set_rto()), the variance term is at least the
 * minimum RTO, 200 ms by default (`rto_min_ms`): a steady link would
 * otherwise get an RTO hardly above its RTT, and retransmit on every
 * delayed ACK. §2.5: "A maximum value MAY be placed on RTO provided it is
 * at least 60 seconds": 120 s, as Linux, unless `rto_max_ms` says less
 * (Linux 6.15's tcp_rto_max_ms).
 */
void toytcp_rtt_sample(struct toytcp_rtt *rtt, u32 r_us)
{
	u64 rto_us;

	if (!rtt->srtt_us) {
		rtt->srtt_us = r_us;
		rtt->rttvar_us = r_us / 2;
	} else {
		s64 err = (s64)r_us - rtt->srtt_us;

		rtt->rttvar_us = rtt->rttvar_us - rtt->rttvar_us / 4 + abs(err) / 4;
		rtt->srtt_us = max_t(s64, rtt->srtt_us + err / 8, 1);
	}
	rto_us = rtt->srtt_us + max_t(u64, 4ULL * rtt->rttvar_us,
				      (u64)rtt->min_ms * USEC_PER_MSEC);
	rtt->rto_ms = clamp_t(u64, DIV_ROUND_UP_ULL(rto_us, USEC_PER_MSEC),
			      rtt->min_ms, rtt->max_ms);
	rtt->samples++;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_sample);

/**
 * toytcp_rtt_backoff() - a retransmission timeout
 * @rtt: the estimator
 *
 * RFC 6298 §5.5: "The host MUST set RTO <- RTO * 2 ("back off the
 * timer")", up to the maximum.
 */
void toytcp_rtt_backoff(struct toytcp_rtt *rtt)
{
	rtt->rto_ms = min(rtt->rto_ms * 2, rtt->max_ms);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_backoff);

/**
 * toytcp_rtt_established() - the handshake completed
 * @rtt: the estimator
 * @initial_ms: the initial RTO (`rto_ms`), kept when it is larger
 *
 * RFC 6298 §5.7: "If the timer expires awaiting the ACK of a SYN segment
 * and the TCP implementation is using an RTO less than 3 seconds, the RTO
 * MUST be re-initialized to 3 seconds when data transmission begins". No
 * sample from the handshake means its SYN (or SYN,ACK) was retransmitted
 * (Linux reasons the same way in tcp_init_transfer()); the backoff of the
 * handshake is dropped with it.
 */
void toytcp_rtt_established(struct toytcp_rtt *rtt, u32 initial_ms)
{
	if (!rtt->srtt_us)
		rtt->rto_ms = min(max_t(u32, initial_ms, TOYTCP_RTO_FALLBACK_MS),
				  rtt->max_ms);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_rtt_established);
