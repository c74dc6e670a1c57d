/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Round-trip time estimation and the retransmission timeout (RFC 6298).
 */
#ifndef _TOYTCP_RTT_H
#define _TOYTCP_RTT_H

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/types.h>
#include "compat.h"

/* The default bounds of the RTO, as Linux's TCP_RTO_MIN and TCP_RTO_MAX. */
#define TOYTCP_RTO_MIN_MS	200
#define TOYTCP_RTO_MAX_MS	120000

/*
 * RFC 6298 §5.7: after a retransmitted SYN or SYN,ACK, the RTO "MUST be
 * re-initialized to 3 seconds when data transmission begins" (Linux's
 * TCP_TIMEOUT_FALLBACK).
 */
#define TOYTCP_RTO_FALLBACK_MS	3000

/**
 * struct toytcp_rtt - one connection's RTT estimate and RTO
 * @srtt_us: smoothed round-trip time (SRTT), microseconds; 0: no sample yet
 * @rttvar_us: its variation (RTTVAR), microseconds
 * @rto_ms: the retransmission timeout now, backed off by timeouts
 * @min_ms: the least RTO a sample may give (`rto_min_ms`)
 * @max_ms: the most the RTO may grow to (`rto_max_ms`)
 * @seq: while @timing, the sequence number whose acknowledgment ends the
 *       measurement: the end of the segment being timed
 * @start_us: when that segment was sent
 * @timing: a segment is being timed
 * @samples: measurements taken
 *
 * One segment at a time is timed, as BSD and RFC 6298 §3 describe it
 * without timestamps. Karn's algorithm: a retransmission ends the
 * measurement unfinished, so that no ACK of a retransmitted segment is
 * ever taken as a sample.
 */
struct toytcp_rtt {
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_ms;
	u32 min_ms;
	u32 max_ms;
	u32 seq;
	u32 start_us;
	bool timing;
	u32 samples;
};

void toytcp_rtt_init(struct toytcp_rtt *rtt, u32 initial_ms, u32 min_ms,
		     u32 max_ms);
void toytcp_rtt_sent(struct toytcp_rtt *rtt, u32 end_seq, u32 now_us);
void toytcp_rtt_retransmitted(struct toytcp_rtt *rtt);
bool toytcp_rtt_acked(struct toytcp_rtt *rtt, u32 ack, u32 now_us);
void toytcp_rtt_sample(struct toytcp_rtt *rtt, u32 r_us);
void toytcp_rtt_backoff(struct toytcp_rtt *rtt);
void toytcp_rtt_established(struct toytcp_rtt *rtt, u32 initial_ms);

/* The clock the estimator runs on, as Linux's tcp_clock_us(). */
static inline u32 toytcp_clock_us(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

#endif /* _TOYTCP_RTT_H */
