// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace counters: per-CPU on the packet path, summed for /proc.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include "netns.h"
#include "stats.h"

static const char * const toytcp_mib_names[__TOYTCP_MIB_MAX] = {
	[TOYTCP_MIB_ACTIVEOPENS]	= "ActiveOpens",
	[TOYTCP_MIB_PASSIVEOPENS]	= "PassiveOpens",
	[TOYTCP_MIB_ATTEMPTFAILS]	= "AttemptFails",
	[TOYTCP_MIB_ESTABRESETS]	= "EstabResets",
	[TOYTCP_MIB_CURRESTAB]		= "CurrEstab",
	[TOYTCP_MIB_INSEGS]		= "InSegs",
	[TOYTCP_MIB_OUTSEGS]		= "OutSegs",
	[TOYTCP_MIB_RETRANSSEGS]	= "RetransSegs",
	[TOYTCP_MIB_INERRS]		= "InErrs",
	[TOYTCP_MIB_INCSUMERRORS]	= "InCsumErrors",
	[TOYTCP_MIB_OUTRSTS]		= "OutRsts",
	[TOYTCP_MIB_TIMEWAITED]		= "TimeWaited",
	[TOYTCP_MIB_CHALLENGEACK]	= "TCPChallengeACK",
	[TOYTCP_MIB_CHALLENGESKIPPED]	= "TCPACKSkippedChallenge",
	[TOYTCP_MIB_ACKSKIPPEDSEQ]	= "TCPACKSkippedSeq",
	[TOYTCP_MIB_KEEPALIVE]		= "TCPKeepAlive",
	[TOYTCP_MIB_ABORTONTIMEOUT]	= "TCPAbortOnTimeout",
	[TOYTCP_MIB_TWREOPENED]		= "TWReopened",
	[TOYTCP_MIB_SYNCOOKIESSENT]	= "SyncookiesSent",
	[TOYTCP_MIB_SYNCOOKIESRECV]	= "SyncookiesRecv",
	[TOYTCP_MIB_SYNCOOKIESFAILED]	= "SyncookiesFailed",
	[TOYTCP_MIB_LISTENOVERFLOWS]	= "ListenOverflows",
	[TOYTCP_MIB_LISTENDROPS]	= "ListenDrops",
	[TOYTCP_MIB_TWOVERFLOW]		= "TCPTimeWaitOverflow",
	[TOYTCP_MIB_CONNOVERFLOWS]	= "ConnOverflows",
	[TOYTCP_MIB_RCVQDROP]		= "TCPRcvQDrop",
	[TOYTCP_MIB_FASTRETRANS]	= "TCPFastRetrans",
	[TOYTCP_MIB_SLOWSTARTRETRANS]	= "TCPSlowStartRetrans",
	[TOYTCP_MIB_OFOQUEUE]		= "TCPOFOQueue",
	[TOYTCP_MIB_OFODROP]		= "TCPOFODrop",
	[TOYTCP_MIB_OFOMERGE]		= "TCPOFOMerge",
	[TOYTCP_MIB_DELAYEDACKS]	= "TCPDelayedACKs",
	[TOYTCP_MIB_ABORTONCLOSE]	= "TCPAbortOnClose",
	[TOYTCP_MIB_ABORTONDATA]	= "TCPAbortOnData",
	[TOYTCP_MIB_ABORTONMEMORY]	= "TCPAbortOnMemory",
	[TOYTCP_MIB_OUTOFWINDOWICMPS]	= "OutOfWindowIcmps",
};

/**
 * toytcp_stats_read() - one counter of a namespace, summed over CPUs
 * @tn: the namespace's toytcp state
 * @field: which counter
 *
 * Return: the sum; a gauge like CurrEstab may be incremented on one CPU and
 * decremented on another, and only the sum is meaningful.
 */
unsigned long toytcp_stats_read(const struct toytcp_net *tn,
				enum toytcp_mib_field field)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(tn->mib, cpu)->mibs[field];
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_stats_read);

/**
 * toytcp_stats_show() - print every counter as "Name value" lines
 * @seq: the /proc/toytcp/stats seq_file
 * @tn: the namespace's toytcp state
 */
void toytcp_stats_show(struct seq_file *seq, const struct toytcp_net *tn)
{
	int i;

	for (i = 0; i < __TOYTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %lu\n", toytcp_mib_names[i],
			   toytcp_stats_read(tn, i));
}
