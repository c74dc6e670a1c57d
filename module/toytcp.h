/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toytcp: a TCP variant on IP protocol 253, as a loadable module.
 *
 * What every file needs: the protocol number, the connection states, and
 * sequence-number arithmetic.
 */
#ifndef _TOYTCP_H
#define _TOYTCP_H

#include <linux/types.h>

/* IP protocol number: RFC 3692 "use for experimentation and testing". */
#define TOYTCP_IPPROTO		253

/* One end of a connection, in network byte order as on the wire. */
struct toytcp_endpoint {
	__be32 addr;
	__be16 port;
};

/*
 * The states of RFC 793 §3.2. CLOSED is "no connection": a connection that
 * reaches it is unhashed and freed, and never listed.
 */
enum toytcp_state {
	TOYTCP_CLOSED,
	TOYTCP_LISTEN,
	TOYTCP_SYN_SENT,
	TOYTCP_SYN_RECV,
	TOYTCP_ESTABLISHED,
	TOYTCP_FIN_WAIT1,
	TOYTCP_FIN_WAIT2,
	TOYTCP_CLOSE_WAIT,
	TOYTCP_CLOSING,
	TOYTCP_LAST_ACK,
	TOYTCP_TIME_WAIT,
	__TOYTCP_STATE_MAX
};

/* The state's name as netstat prints it (SPEC §3). */
const char *toytcp_state_name(enum toytcp_state state);

/*
 * Sequence numbers live modulo 2^32 (RFC 793 §3.3): a is before b when
 * b - a, as a signed 32-bit distance, is positive.
 */
static inline bool toytcp_seq_lt(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool toytcp_seq_le(u32 a, u32 b)
{
	return (s32)(a - b) <= 0;
}

#endif /* _TOYTCP_H */
