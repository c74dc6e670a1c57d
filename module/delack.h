/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Delayed acknowledgments (RFC 1122 §4.2.3.2): see delack.c.
 */
#ifndef _TOYTCP_DELACK_H
#define _TOYTCP_DELACK_H

#include <linux/types.h>
#include "compat.h"

/* Quick ACKs at a connection's start, at most: Linux's TCP_MAX_QUICKACKS. */
#define TOYTCP_MAX_QUICKACKS	16

/**
 * struct toytcp_delack - one connection's delayed-ACK state
 * @rcv_wup: the acknowledgment number of the last ACK sent (Linux's
 *           rcv_wup): what arrived past it is not yet acknowledged
 * @quick: ACKs still to send at once (quick-ack mode)
 * @started: the first data arrived (quick-ack mode was entered)
 * @pending: an ACK is owed; the delayed-ACK timer runs
 */
struct toytcp_delack {
	u32 rcv_wup;
	u8 quick;
	bool started;
	bool pending;
};

/* For in-order data the state machine let wait: ACK now, or later. */
enum toytcp_ack_action {
	TOYTCP_ACK_NOW,
	TOYTCP_ACK_DELAY,
};

enum toytcp_ack_action toytcp_delack_decide(struct toytcp_delack *d,
					    u32 rcv_nxt, u32 mss, u32 rcv_wnd,
					    u32 delack_ms);
void toytcp_delack_sent(struct toytcp_delack *d, u32 ack);

#endif /* _TOYTCP_DELACK_H */
