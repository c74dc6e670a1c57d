// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control and loss recovery (suite toytcp_cc), NewReno
 * as RFC 5681, RFC 6582 and RFC 6928 give it, with an SMSS of 1000 bytes.
 */
#include <kunit/test.h>
#include "cc.h"
#include "fsm.h"

#define SMSS	1000U
#define UNA	1001U

/* RFC 6928's initial window: min(10*MSS, max(2*MSS, 14600)). */
struct iw_case {
	const char *name;
	u32 mss;
	u32 iw;
};

static const struct iw_case iw_cases[] = {
	{ "536 (no MSS option): ten segments", 536, 5360 },
	{ "1000: ten segments", 1000, 10000 },
	{ "1460 (Ethernet): 14600", 1460, 14600 },
	{ "4000: 14600, under four segments", 4000, 14600 },
	{ "9000 (jumbo): two segments", 9000, 18000 },
};

static void iw_desc(const struct iw_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(iw, iw_cases, iw_desc);

static void toytcp_cc_initial_window_test(struct kunit *test)
{
	const struct iw_case *c = test->param_value;
	struct toytcp_tcb tcb = { .mss = c->mss };

	KUNIT_EXPECT_EQ(test, toytcp_cc_initial_window(c->mss), c->iw);
	toytcp_cc_init(&tcb);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, c->iw);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, TOYTCP_INFINITE_SSTHRESH);
}

/* RFC 5681 §3.1: a lost SYN or SYN,ACK leaves an initial window of one. */
static void toytcp_cc_syn_lost_test(struct kunit *test)
{
	struct toytcp_tcb tcb = { .mss = SMSS };

	/* Active open: the SYN went twice; the SYN,ACK sets the MSS later. */
	toytcp_cc_syn_lost(&tcb);
	toytcp_cc_init(&tcb);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, SMSS);
	/* Passive open: the window was set already when the SYN,ACK goes again. */
	tcb = (struct toytcp_tcb){ .mss = SMSS };
	toytcp_cc_init(&tcb);
	toytcp_cc_syn_lost(&tcb);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, SMSS);
}

/* ESTABLISHED with @flight bytes out from UNA, cwnd and ssthresh given. */
static void sending(struct toytcp_tcb *tcb, u32 flight, u32 cwnd, u32 ssthresh)
{
	*tcb = (struct toytcp_tcb){ .state = TOYTCP_ESTABLISHED, .iss = UNA - 1,
				    .snd_una = UNA, .snd_nxt = UNA + flight,
				    .recover = UNA - 1, .mss = SMSS,
				    .cwnd = cwnd, .ssthresh = ssthresh };
}

/* The peer acknowledges @bytes more; returns whether to resend. */
static bool ack(struct toytcp_tcb *tcb, u32 bytes)
{
	tcb->snd_una += bytes;
	return toytcp_cc_ack(tcb, bytes, false);
}

static bool dupack(struct toytcp_tcb *tcb)
{
	return toytcp_cc_ack(tcb, 0, true);
}

/*
 * Slow start: each ACK adds what it acknowledged, at most 2 * SMSS (RFC
 * 3465's L), up to ssthresh; not while the window is mostly unused.
 */
static void toytcp_cc_slow_start_test(struct kunit *test)
{
	struct toytcp_tcb tcb;

	sending(&tcb, 10000, 10000, TOYTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_FALSE(test, ack(&tcb, 1000));
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 11000U);
	ack(&tcb, 500);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 11500U);
	ack(&tcb, 5000);			/* a stretch ACK: L bounds it */
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 13500U);

	/* Up to ssthresh, then congestion avoidance. */
	sending(&tcb, 10000, 10000, 10500);
	ack(&tcb, 1000);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 10500U);

	/* Application-limited: 3000 out of a 10000 window: no growth. */
	sending(&tcb, 3000, 10000, TOYTCP_INFINITE_SSTHRESH);
	ack(&tcb, 1000);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 10000U);
}

/*
 * Congestion avoidance: one SMSS per cwnd of bytes acknowledged (RFC 5681
 * §3.1), about one SMSS per round trip; not when the window is not in use.
 */
static void toytcp_cc_avoidance_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	int i;

	sending(&tcb, 10000, 10000, 5000);
	for (i = 0; i < 9; i++) {
		ack(&tcb, 1000);
		tcb.snd_nxt += 1000;		/* the sender refills the window */
	}
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 10000U);
	ack(&tcb, 1000);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 11000U);
	KUNIT_EXPECT_EQ(test, tcb.cwnd_acked, 0U);

	sending(&tcb, 5000, 10000, 5000);
	for (i = 0; i < 5; i++)
		ack(&tcb, 1000);
	KUNIT_EXPECT_EQ(test, tcb.cwnd_acked, 0U);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 10000U);
}

/*
 * Fast retransmit and fast recovery (RFC 5681 §3.2, RFC 6582 §3.2), ten
 * segments out: ssthresh = 5000, cwnd = 8000 and inflated per duplicate;
 * partial ACKs resend the next hole and deflate; the full ACK ends it.
 */
static void toytcp_cc_fast_recovery_test(struct kunit *test)
{
	struct toytcp_tcb tcb;

	sending(&tcb, 10000, 10000, TOYTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_TRUE(test, dupack(&tcb));
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_FAST);
	KUNIT_EXPECT_EQ(test, tcb.recover, UNA + 10000);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 5000U);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 8000U);
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 9000U);
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), 0U);
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), 0U);
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), 1000U);	/* one new segment */

	/* A partial ACK of 2000: resend, cwnd 11000 - 2000 + 1000. */
	KUNIT_EXPECT_TRUE(test, ack(&tcb, 2000));
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 10000U);
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_FAST);
	/* The full ACK: cwnd = min(ssthresh, FlightSize + SMSS). */
	KUNIT_EXPECT_FALSE(test, ack(&tcb, 8000));
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_NONE);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 1000U + SMSS);
	KUNIT_EXPECT_EQ(test, tcb.dupacks, 0);

	/* Never below two segments of ssthresh. */
	sending(&tcb, 2000, 10000, TOYTCP_INFINITE_SSTHRESH);
	dupack(&tcb);
	dupack(&tcb);
	KUNIT_EXPECT_TRUE(test, dupack(&tcb));
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 2000U);
}

/*
 * A timeout (RFC 5681 §3.1): ssthresh = FlightSize / 2, cwnd one SMSS,
 * everything out counts as lost; a second timeout in a row leaves
 * ssthresh; Loss ends when recover is acknowledged.
 */
static void toytcp_cc_timeout_test(struct kunit *test)
{
	struct toytcp_tcb tcb;

	sending(&tcb, 10000, 10000, TOYTCP_INFINITE_SSTHRESH);
	toytcp_cc_timeout(&tcb);
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_LOSS);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 5000U);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, SMSS);
	KUNIT_EXPECT_EQ(test, toytcp_cc_in_flight(&tcb), 0U);
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), SMSS);
	tcb.rtx_nxt += SMSS;			/* the first resend */
	KUNIT_EXPECT_EQ(test, toytcp_cc_in_flight(&tcb), SMSS);
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), 0U);

	/* Timed out again: ssthresh stays, from what was in flight. */
	toytcp_cc_timeout(&tcb);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 5000U);
	tcb.rtx_nxt += SMSS;

	/* The resend is acknowledged: slow start, two more resends. */
	KUNIT_EXPECT_FALSE(test, ack(&tcb, 1000));
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 2000U);
	KUNIT_EXPECT_EQ(test, tcb.rtx_nxt, tcb.snd_una);
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), 2000U);
	/* The receiver had the rest: one ACK covers it all, Loss is over. */
	tcb.rtx_nxt += 2000;
	ack(&tcb, 9000);
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_NONE);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 4000U);

	/* Duplicate ACKs in Loss start no fast retransmit. */
	sending(&tcb, 10000, 10000, TOYTCP_INFINITE_SSTHRESH);
	toytcp_cc_timeout(&tcb);
	dupack(&tcb);
	dupack(&tcb);
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_FALSE(test, dupack(&tcb));
	KUNIT_EXPECT_EQ(test, tcb.cwnd, SMSS);
}

/*
 * After a silence longer than the RTO (RFC 5681 §4.1, as Linux): cwnd
 * halves per RTO idle, down to the initial window; ssthresh keeps 3/4 of
 * what cwnd was.
 */
static void toytcp_cc_idle_test(struct kunit *test)
{
	struct toytcp_tcb tcb;

	sending(&tcb, 0, 80000, 60000);
	toytcp_cc_idle_restart(&tcb, 300, 300);		/* not longer than RTO */
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 80000U);
	toytcp_cc_idle_restart(&tcb, 450, 300);		/* one RTO and a half */
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 40000U);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 60000U);
	toytcp_cc_idle_restart(&tcb, 1000, 300);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 10000U);	/* 40000 -> 5000: IW is the floor */
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 60000U);

	sending(&tcb, 0, 80000, 20000);
	toytcp_cc_idle_restart(&tcb, 400, 300);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 60000U);	/* 3/4 of 80000 */
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 40000U);

	/* A window under the initial one stays as it is. */
	sending(&tcb, 0, 3000, 2000);
	toytcp_cc_idle_restart(&tcb, 10000, 300);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 3000U);
}

static struct kunit_case toytcp_cc_cases[] = {
	KUNIT_CASE_PARAM(toytcp_cc_initial_window_test, iw_gen_params),
	KUNIT_CASE(toytcp_cc_syn_lost_test),
	KUNIT_CASE(toytcp_cc_slow_start_test),
	KUNIT_CASE(toytcp_cc_avoidance_test),
	KUNIT_CASE(toytcp_cc_fast_recovery_test),
	KUNIT_CASE(toytcp_cc_timeout_test),
	KUNIT_CASE(toytcp_cc_idle_test),
	{}
};

static struct kunit_suite toytcp_cc_suite = {
	.name = "toytcp_cc",
	.test_cases = toytcp_cc_cases,
};

kunit_test_suites(&toytcp_cc_suite);
