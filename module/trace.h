/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints. toytcp:toytcp_set_state fires on every state change, like
 * sock:inet_sock_set_state does for TCP:
 *
 *   echo 1 > /sys/kernel/tracing/events/toytcp/toytcp_set_state/enable
 *   cat /sys/kernel/tracing/trace_pipe
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM toytcp

#if !defined(_TOYTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TOYTCP_TRACE_H

#include <linux/tracepoint.h>
#include "conn.h"

#define toytcp_show_state(state)					\
	__print_symbolic(state,						\
			 { TOYTCP_CLOSED,	"CLOSED" },		\
			 { TOYTCP_LISTEN,	"LISTEN" },		\
			 { TOYTCP_SYN_SENT,	"SYN_SENT" },		\
			 { TOYTCP_SYN_RECV,	"SYN_RECV" },		\
			 { TOYTCP_ESTABLISHED,	"ESTABLISHED" },	\
			 { TOYTCP_FIN_WAIT1,	"FIN_WAIT1" },		\
			 { TOYTCP_FIN_WAIT2,	"FIN_WAIT2" },		\
			 { TOYTCP_CLOSE_WAIT,	"CLOSE_WAIT" },		\
			 { TOYTCP_CLOSING,	"CLOSING" },		\
			 { TOYTCP_LAST_ACK,	"LAST_ACK" },		\
			 { TOYTCP_TIME_WAIT,	"TIME_WAIT" })

TRACE_DEFINE_ENUM(TOYTCP_CLOSED);
TRACE_DEFINE_ENUM(TOYTCP_LISTEN);
TRACE_DEFINE_ENUM(TOYTCP_SYN_SENT);
TRACE_DEFINE_ENUM(TOYTCP_SYN_RECV);
TRACE_DEFINE_ENUM(TOYTCP_ESTABLISHED);
TRACE_DEFINE_ENUM(TOYTCP_FIN_WAIT1);
TRACE_DEFINE_ENUM(TOYTCP_FIN_WAIT2);
TRACE_DEFINE_ENUM(TOYTCP_CLOSE_WAIT);
TRACE_DEFINE_ENUM(TOYTCP_CLOSING);
TRACE_DEFINE_ENUM(TOYTCP_LAST_ACK);
TRACE_DEFINE_ENUM(TOYTCP_TIME_WAIT);

TRACE_EVENT(toytcp_set_state,
	TP_PROTO(const struct toytcp_key *key, int oldstate, int newstate),
	TP_ARGS(key, oldstate, newstate),

	TP_STRUCT__entry(
		__field(__be32, saddr)
		__field(__be32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(int, oldstate)
		__field(int, newstate)
	),

	TP_fast_assign(
		__entry->saddr = key->laddr;
		__entry->daddr = key->raddr;
		__entry->sport = ntohs(key->lport);
		__entry->dport = ntohs(key->rport);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
	),

	TP_printk("local=%pI4:%u remote=%pI4:%u %s -> %s",
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, toytcp_show_state(__entry->oldstate),
		  toytcp_show_state(__entry->newstate))
);

#endif /* _TOYTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
