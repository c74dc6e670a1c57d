/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control and loss recovery (NewReno): see cc.c.
 */
#ifndef _TOYTCP_CC_H
#define _TOYTCP_CC_H

#include <linux/types.h>
#include "compat.h"

struct toytcp_tcb;

/* Loss recovery, as Linux's congestion states name it (tcb->recovery). */
enum toytcp_recovery {
	TOYTCP_RECOVERY_NONE,	/* Open: nothing known lost */
	TOYTCP_RECOVERY_FAST,	/* Recovery: entered by a fast retransmit */
	TOYTCP_RECOVERY_LOSS,	/* Loss: entered by a retransmission timeout */
};

/*
 * RFC 5681 §3.2: "The fast retransmit algorithm uses the arrival of 3
 * duplicate ACKs ... as an indication that a segment has been lost".
 */
#define TOYTCP_DUPACK_THRESH	3

/*
 * ssthresh before the first loss. RFC 5681 §3.1: "The initial value of
 * ssthresh SHOULD be set arbitrarily high"; Linux's TCP_INFINITE_SSTHRESH.
 */
#define TOYTCP_INFINITE_SSTHRESH	0x7fffffff

u32 toytcp_cc_initial_window(u32 mss);
void toytcp_cc_init(struct toytcp_tcb *tcb);
void toytcp_cc_syn_lost(struct toytcp_tcb *tcb);
u32 toytcp_cc_in_flight(const struct toytcp_tcb *tcb);
u32 toytcp_cc_room(const struct toytcp_tcb *tcb);
bool toytcp_cc_ack(struct toytcp_tcb *tcb, u32 acked, bool dup);
void toytcp_cc_timeout(struct toytcp_tcb *tcb);
void toytcp_cc_idle_restart(struct toytcp_tcb *tcb, u32 idle_ms, u32 rto_ms);

#endif /* _TOYTCP_CC_H */
