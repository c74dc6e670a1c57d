// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an ICMP error does to a connection (suite toytcp_icmp), as
 * Linux's tcp_v4_err() and tcp_req_err() decide it. Each connection sent
 * its first byte at ISS 1000; past the SYN, 500 bytes are in flight from
 * 2001 (SND.UNA) to 2501 (SND.NXT).
 */
#include <linux/errno.h>
#include <linux/icmp.h>
#include <kunit/test.h>
#include "fsm.h"
#include "icmp.h"

#define ISS	1000u
#define UNA	2001u
#define NXT	2501u

#define UNREACH	ICMP_DEST_UNREACH
#define IGNORE	TOYTCP_ICMP_IGNORE
#define OOW	TOYTCP_ICMP_OUT_OF_WINDOW
#define ABORT	TOYTCP_ICMP_ABORT
#define DROP	TOYTCP_ICMP_DROP
#define SOFT	TOYTCP_ICMP_SOFT

struct icmp_case {
	const char *name;
	enum toytcp_state state;
	bool passive;
	u8 type, code;
	u32 seq;
	enum toytcp_icmp_action action;
	int err;
};

static const struct icmp_case icmp_cases[] = {
	/* SYN_SENT: hard errors, connect() fails with them. */
	{ "SYN_SENT, host unreachable: ends", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_HOST_UNREACH, ISS, ABORT, -EHOSTUNREACH },
	{ "SYN_SENT, net unreachable", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_NET_UNREACH, ISS, ABORT, -ENETUNREACH },
	{ "SYN_SENT, port unreachable", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_PORT_UNREACH, ISS, ABORT, -ECONNREFUSED },
	{ "SYN_SENT, protocol unreachable", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_PROT_UNREACH, ISS, ABORT, -ENOPROTOOPT },
	{ "SYN_SENT, administratively prohibited", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_PKT_FILTERED, ISS, ABORT, -EHOSTUNREACH },
	{ "SYN_SENT, TTL exceeded", TOYTCP_SYN_SENT, false,
	  ICMP_TIME_EXCEEDED, 0, ISS, ABORT, -EHOSTUNREACH },
	{ "SYN_SENT, parameter problem", TOYTCP_SYN_SENT, false,
	  ICMP_PARAMETERPROB, 0, ISS, ABORT, -EPROTO },
	{ "SYN_SENT, fragmentation needed: not an error", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_FRAG_NEEDED, ISS, IGNORE, 0 },
	{ "SYN_SENT, an unknown unreachable code", TOYTCP_SYN_SENT, false,
	  UNREACH, NR_ICMP_UNREACH + 1, ISS, IGNORE, 0 },
	{ "SYN_SENT, source quench", TOYTCP_SYN_SENT, false,
	  ICMP_SOURCE_QUENCH, 0, ISS, IGNORE, 0 },
	{ "SYN_SENT, a guessed seq after the SYN", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_HOST_UNREACH, ISS + 2, OOW, 0 },
	{ "SYN_SENT, a guessed seq before it", TOYTCP_SYN_SENT, false,
	  UNREACH, ICMP_HOST_UNREACH, ISS - 1, OOW, 0 },
	/* SYN_RECV: a simultaneous open's is SYN_SENT's; a child goes quietly. */
	{ "simultaneous open's SYN_RECV: ends", TOYTCP_SYN_RECV, false,
	  UNREACH, ICMP_HOST_UNREACH, ISS, ABORT, -EHOSTUNREACH },
	{ "half-open child, host unreachable: dropped", TOYTCP_SYN_RECV, true,
	  UNREACH, ICMP_HOST_UNREACH, ISS, DROP, 0 },
	{ "half-open child, TTL exceeded: dropped", TOYTCP_SYN_RECV, true,
	  ICMP_TIME_EXCEEDED, 0, ISS, DROP, 0 },
	{ "half-open child, port unreachable: stays", TOYTCP_SYN_RECV, true,
	  UNREACH, ICMP_PORT_UNREACH, ISS, IGNORE, 0 },
	{ "half-open child, protocol unreachable: stays", TOYTCP_SYN_RECV, true,
	  UNREACH, ICMP_PROT_UNREACH, ISS, IGNORE, 0 },
	{ "half-open child, not its SYN,ACK's seq", TOYTCP_SYN_RECV, true,
	  UNREACH, ICMP_HOST_UNREACH, ISS + 1, OOW, 0 },
	/* Later: soft errors, kept for a timeout to report. */
	{ "ESTABLISHED, data in flight: soft", TOYTCP_ESTABLISHED, false,
	  UNREACH, ICMP_HOST_UNREACH, UNA + 100, SOFT, -EHOSTUNREACH },
	{ "ESTABLISHED, at SND.UNA", TOYTCP_ESTABLISHED, false,
	  UNREACH, ICMP_NET_UNREACH, UNA, SOFT, -ENETUNREACH },
	{ "ESTABLISHED, at SND.NXT (a probe's seq)", TOYTCP_ESTABLISHED, false,
	  UNREACH, ICMP_PORT_UNREACH, NXT, SOFT, -ECONNREFUSED },
	{ "ESTABLISHED, acknowledged already", TOYTCP_ESTABLISHED, false,
	  UNREACH, ICMP_HOST_UNREACH, UNA - 1, OOW, 0 },
	{ "ESTABLISHED, not sent yet", TOYTCP_ESTABLISHED, false,
	  UNREACH, ICMP_HOST_UNREACH, NXT + 1, OOW, 0 },
	{ "ESTABLISHED, fragmentation needed", TOYTCP_ESTABLISHED, false,
	  UNREACH, ICMP_FRAG_NEEDED, UNA, IGNORE, 0 },
	{ "FIN_WAIT1: soft", TOYTCP_FIN_WAIT1, false,
	  ICMP_PARAMETERPROB, 0, UNA, SOFT, -EPROTO },
	{ "CLOSE_WAIT: soft", TOYTCP_CLOSE_WAIT, false,
	  UNREACH, ICMP_HOST_UNREACH, UNA, SOFT, -EHOSTUNREACH },
	{ "LAST_ACK: soft", TOYTCP_LAST_ACK, false,
	  ICMP_TIME_EXCEEDED, 0, UNA, SOFT, -EHOSTUNREACH },
	{ "TIME_WAIT: ignored", TOYTCP_TIME_WAIT, false,
	  UNREACH, ICMP_HOST_UNREACH, UNA, IGNORE, 0 },
};

static void icmp_desc(const struct icmp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(icmp, icmp_cases, icmp_desc);

static void toytcp_icmp_tcb(struct toytcp_tcb *tcb, enum toytcp_state state,
			    bool passive, u32 iss, u32 una, u32 nxt)
{
	memset(tcb, 0, sizeof(*tcb));
	tcb->state = state;
	tcb->passive = passive;
	tcb->iss = iss;
	tcb->snd_una = una;
	tcb->snd_nxt = nxt;
}

static void toytcp_icmp_decide_test(struct kunit *test)
{
	const struct icmp_case *c = test->param_value;
	struct toytcp_icmp_err icmp = { c->type, c->code, c->seq };
	bool syn = c->state == TOYTCP_SYN_SENT || c->state == TOYTCP_SYN_RECV;
	struct toytcp_icmp_verdict v;
	struct toytcp_tcb tcb;

	toytcp_icmp_tcb(&tcb, c->state, c->passive, ISS,
			syn ? ISS : UNA, syn ? ISS + 1 : NXT);
	toytcp_icmp_decide(&tcb, &icmp, &v);
	KUNIT_EXPECT_EQ(test, v.action, c->action);
	if (c->action == ABORT || c->action == SOFT)
		KUNIT_EXPECT_EQ(test, v.err, c->err);
}

/* The window check is modulo 2^32: in flight across the wrap. */
static void toytcp_icmp_wrap_test(struct kunit *test)
{
	struct toytcp_icmp_err icmp = { UNREACH, ICMP_HOST_UNREACH, 0x5 };
	struct toytcp_icmp_verdict v;
	struct toytcp_tcb tcb;

	toytcp_icmp_tcb(&tcb, TOYTCP_ESTABLISHED, false, 1, 0xfffffff0, 0x10);
	toytcp_icmp_decide(&tcb, &icmp, &v);
	KUNIT_EXPECT_EQ(test, v.action, SOFT);
	icmp.seq = 0xffffffef;
	toytcp_icmp_decide(&tcb, &icmp, &v);
	KUNIT_EXPECT_EQ(test, v.action, OOW);
	icmp.seq = 0x11;
	toytcp_icmp_decide(&tcb, &icmp, &v);
	KUNIT_EXPECT_EQ(test, v.action, OOW);
}

static struct kunit_case toytcp_icmp_cases[] = {
	KUNIT_CASE_PARAM(toytcp_icmp_decide_test, icmp_gen_params),
	KUNIT_CASE(toytcp_icmp_wrap_test),
	{}
};

static struct kunit_suite toytcp_icmp_suite = {
	.name = "toytcp_icmp",
	.test_cases = toytcp_icmp_cases,
};

kunit_test_suites(&toytcp_icmp_suite);
