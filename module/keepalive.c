// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive: is an idle peer still there? RFC 1122 §4.2.3.6 (RFC 9293
 * §3.8.4): it "MUST default to off", the interval "MUST be configurable
 * and MUST default to no less than two hours", and an unanswered probe
 * does not by itself mean the connection is dead, since probes are not
 * retransmitted: several go unanswered before the connection is dropped.
 *
 * The decision is a pure function of what the caller measured, the way
 * Linux's tcp_keepalive_timer() decides:
 *
 *   busy (data or FIN out)   the retransmission timer watches: look again
 *                            after keepalive_time_ms
 *   idle < keepalive_time    look again when it will be
 *   idle >= keepalive_time   probes_out >= keepalive_probes: dead (RST,
 *                            TCPAbortOnTimeout); else a probe
 *                            (TCPKeepAlive), again after keepalive_intvl
 *
 * Any acceptable segment from the peer ends the idle time and the count
 * of probes (input.c). The probe itself is <SEQ=SND.UNA-1><ACK=RCV.NXT>
 * with no data: a sequence number the peer has seen, which it must
 * acknowledge (RFC 1122: "SEG.SEQ = SND.NXT-1"; Linux sends SND.UNA-1).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "keepalive.h"

/**
 * toytcp_keepalive_decide() - the keepalive timer fired: what now?
 * @busy: something sent is unacknowledged, or waits to be sent
 * @idle_ms: time since the last acceptable segment from the peer
 * @probes_out: probes sent since then, all unanswered
 * @p: the parameters
 * @next_ms: out: when to fire again (for WAIT and PROBE)
 *
 * Return: what to do.
 */
enum toytcp_ka_action toytcp_keepalive_decide(bool busy, u32 idle_ms,
					      u32 probes_out,
					      const struct toytcp_ka_params *p,
					      u32 *next_ms)
{
	if (busy) {
		/* "It is alive without keepalive" (Linux): data is moving. */
		*next_ms = p->time_ms;
		return TOYTCP_KA_WAIT;
	}
	if (idle_ms < p->time_ms) {
		*next_ms = p->time_ms - idle_ms;
		return TOYTCP_KA_WAIT;
	}
	if (probes_out >= p->probes)
		return TOYTCP_KA_DEAD;
	*next_ms = p->intvl_ms;
	return TOYTCP_KA_PROBE;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_keepalive_decide);
