/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-namespace counters, shown by /proc/toytcp/stats. Names follow Linux's
 * /proc/net/snmp (Tcp:) and /proc/net/netstat (TcpExt:) where Linux has one.
 */
#ifndef _TOYTCP_STATS_H
#define _TOYTCP_STATS_H

#include <linux/percpu.h>
#include <linux/seq_file.h>
#include "compat.h"

enum toytcp_mib_field {
	TOYTCP_MIB_ACTIVEOPENS,		/* ActiveOpens */
	TOYTCP_MIB_PASSIVEOPENS,	/* PassiveOpens */
	TOYTCP_MIB_ATTEMPTFAILS,	/* AttemptFails */
	TOYTCP_MIB_ESTABRESETS,		/* EstabResets */
	TOYTCP_MIB_CURRESTAB,		/* CurrEstab: a gauge, inc and dec */
	TOYTCP_MIB_INSEGS,		/* InSegs: every segment the hook takes */
	TOYTCP_MIB_OUTSEGS,		/* OutSegs */
	TOYTCP_MIB_RETRANSSEGS,		/* RetransSegs */
	TOYTCP_MIB_INERRS,		/* InErrs: malformed or bad checksum */
	TOYTCP_MIB_INCSUMERRORS,	/* InCsumErrors */
	TOYTCP_MIB_OUTRSTS,		/* OutRsts */
	TOYTCP_MIB_TIMEWAITED,		/* TimeWaited: TIME_WAIT ran out */
	TOYTCP_MIB_CHALLENGEACK,	/* TCPChallengeACK: sent (RFC 5961) */
	TOYTCP_MIB_CHALLENGESKIPPED,	/* TCPACKSkippedChallenge: over the limit */
	TOYTCP_MIB_ACKSKIPPEDSEQ,	/* TCPACKSkippedSeq: out-of-window ACK limited */
	TOYTCP_MIB_KEEPALIVE,		/* TCPKeepAlive: keepalive probes sent */
	TOYTCP_MIB_ABORTONTIMEOUT,	/* TCPAbortOnTimeout: given up on a silent peer */
	TOYTCP_MIB_TWREOPENED,		/* TWReopened: TIME_WAIT ended by a new SYN (toytcp's) */
	TOYTCP_MIB_SYNCOOKIESSENT,	/* SyncookiesSent: SYN,ACKs with a cookie */
	TOYTCP_MIB_SYNCOOKIESRECV,	/* SyncookiesRecv: valid cookies back */
	TOYTCP_MIB_SYNCOOKIESFAILED,	/* SyncookiesFailed: invalid or stale */
	TOYTCP_MIB_LISTENOVERFLOWS,	/* ListenOverflows: SYNs past the backlog */
	TOYTCP_MIB_LISTENDROPS,		/* ListenDrops: listener segments dropped */
	TOYTCP_MIB_TWOVERFLOW,		/* TCPTimeWaitOverflow: past max_timewait */
	TOYTCP_MIB_CONNOVERFLOWS,	/* ConnOverflows: opens past max_conns */
	TOYTCP_MIB_RCVQDROP,		/* TCPRcvQDrop: no memory to take data */
	TOYTCP_MIB_FASTRETRANS,		/* TCPFastRetrans: resent in Recovery */
	TOYTCP_MIB_SLOWSTARTRETRANS,	/* TCPSlowStartRetrans: resent in Loss */
	TOYTCP_MIB_OFOQUEUE,		/* TCPOFOQueue: kept out of order */
	TOYTCP_MIB_OFODROP,		/* TCPOFODrop: out of order, no room */
	TOYTCP_MIB_OFOMERGE,		/* TCPOFOMerge: out of order, held already */
	TOYTCP_MIB_DELAYEDACKS,		/* TCPDelayedACKs: sent by the delayed-ACK timer */
	TOYTCP_MIB_ABORTONCLOSE,	/* TCPAbortOnClose: closed with unread data: RST */
	TOYTCP_MIB_ABORTONDATA,		/* TCPAbortOnData: closed with SO_LINGER 0: RST */
	TOYTCP_MIB_ABORTONMEMORY,	/* TCPAbortOnMemory: past max_orphans: RST */
	TOYTCP_MIB_OUTOFWINDOWICMPS,	/* OutOfWindowIcmps: ICMP errors ignored (icmp.c) */
	__TOYTCP_MIB_MAX
};

/* One per CPU per namespace; summed when read. */
struct toytcp_mib {
	unsigned long mibs[__TOYTCP_MIB_MAX];
};

/* Softirq or process context alike: this_cpu ops are irq-safe. */
#define TOYTCP_INC_STATS(tn, field)	this_cpu_inc((tn)->mib->mibs[field])
#define TOYTCP_ADD_STATS(tn, field, n)	this_cpu_add((tn)->mib->mibs[field], n)
#define TOYTCP_DEC_STATS(tn, field)	this_cpu_dec((tn)->mib->mibs[field])

struct toytcp_net;

unsigned long toytcp_stats_read(const struct toytcp_net *tn,
				enum toytcp_mib_field field);
void toytcp_stats_show(struct seq_file *seq, const struct toytcp_net *tn);

#endif /* _TOYTCP_STATS_H */
