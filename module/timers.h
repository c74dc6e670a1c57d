/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_TIMERS_H
#define _TOYTCP_TIMERS_H

#include "compat.h"
#include "fsm.h"

struct toytcp_conn;
struct sk_buff_head;

void toytcp_timer_init(struct toytcp_conn *conn);
void toytcp_timers_stop(struct toytcp_conn *conn);
void toytcp_timer_sync_stop(struct toytcp_conn *conn);
void toytcp_timers_after_event(struct toytcp_conn *conn, enum toytcp_timer_op op);
s64 toytcp_timer_remaining_ms(struct toytcp_conn *conn);
void toytcp_timer_keepalive_set(struct toytcp_conn *conn, bool on);
s64 toytcp_timer_keepalive_remaining_ms(struct toytcp_conn *conn);
const char *toytcp_timer_name(struct toytcp_conn *conn);
void toytcp_timer_delack(struct toytcp_conn *conn);
void toytcp_timer_ack_sent(struct toytcp_conn *conn, u32 ack);
s64 toytcp_timer_delack_remaining_ms(struct toytcp_conn *conn);

/*
 * A retransmission that could not be built for lack of memory is tried
 * again this soon, without backing off (Linux's TCP_RESOURCE_PROBE_INTERVAL).
 */
#define TOYTCP_RESOURCE_PROBE_MS	500

#endif /* _TOYTCP_TIMERS_H */
