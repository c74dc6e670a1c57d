/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keepalive (RFC 1122 §4.2.3.6, RFC 9293 §3.8.4): see keepalive.c.
 */
#ifndef _TOYTCP_KEEPALIVE_H
#define _TOYTCP_KEEPALIVE_H

#include <linux/types.h>
#include "compat.h"

/**
 * struct toytcp_ka_params - the keepalive parameters
 * @time_ms: idle time before the first probe (`keepalive_time_ms`)
 * @intvl_ms: time between unanswered probes (`keepalive_intvl_ms`)
 * @probes: unanswered probes before the peer is declared gone
 *          (`keepalive_probes`)
 */
struct toytcp_ka_params {
	u32 time_ms;
	u32 intvl_ms;
	u32 probes;
};

/* What the keepalive timer does when it fires. */
enum toytcp_ka_action {
	TOYTCP_KA_WAIT,		/* not idle long enough: look again later */
	TOYTCP_KA_PROBE,	/* send a probe, count it, look again later */
	TOYTCP_KA_DEAD,		/* the peer is gone: reset the connection */
};

enum toytcp_ka_action toytcp_keepalive_decide(bool busy, u32 idle_ms,
					      u32 probes_out,
					      const struct toytcp_ka_params *p,
					      u32 *next_ms);

#endif /* _TOYTCP_KEEPALIVE_H */
