// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: RTT estimation and the RTO (suite toytcp_rtt), RFC 6298. The
 * clock is passed in, so every number below is exact.
 */
#include <kunit/test.h>
#include "rtt.h"

/*
 * A series of samples and what RFC 6298 §2 makes of them, with Linux's
 * floor of 200 ms on the variance term:
 *   first R:  SRTT = R, RTTVAR = R/2
 *   then:     RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|, SRTT = 7/8 SRTT + 1/8 R
 *   RTO = SRTT + max(4 RTTVAR, 200 ms), in whole ms rounded up, 200..120000
 */
struct series_case {
	const char *name;
	u32 r_us[4];
	u32 srtt_us, rttvar_us, rto_ms;	/* after the last sample */
};

static const struct series_case series_cases[] = {
	{ "one sample of 100 ms", { 100000 }, 100000, 50000, 300 },
	{ "100 ms twice", { 100000, 100000 }, 100000, 37500, 300 },
	{ "100 ms then 300 ms", { 100000, 300000 }, 125000, 87500, 475 },
	{ "one of 100 us: the floor", { 100 }, 100, 50, 201 },
	{ "veth-like 60 us then 40 us", { 60, 40 }, 58, 28, 201 },
	{ "one of 10 s", { 10000000 }, 10000000, 5000000, 30000 },
	{ "one of 100 s: the ceiling", { 100000000 }, 100000000, 50000000, 120000 },
};

static void series_desc(const struct series_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(series, series_cases, series_desc);

static void toytcp_rtt_series_test(struct kunit *test)
{
	const struct series_case *c = test->param_value;
	struct toytcp_rtt rtt;
	int i;

	toytcp_rtt_init(&rtt, 1000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 1000U);
	for (i = 0; i < ARRAY_SIZE(c->r_us) && c->r_us[i]; i++)
		toytcp_rtt_sample(&rtt, c->r_us[i]);
	KUNIT_EXPECT_EQ(test, rtt.srtt_us, c->srtt_us);
	KUNIT_EXPECT_EQ(test, rtt.rttvar_us, c->rttvar_us);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, c->rto_ms);
	KUNIT_EXPECT_EQ(test, rtt.samples, (u32)i);
}

/*
 * One segment is timed at a time: from when it leaves until an ACK covers
 * its end. A later segment sent meanwhile does not restart the clock; an
 * ACK short of the end is no sample.
 */
static void toytcp_rtt_timing_test(struct kunit *test)
{
	struct toytcp_rtt rtt;

	toytcp_rtt_init(&rtt, 1000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	toytcp_rtt_sent(&rtt, 1101, 5000);
	toytcp_rtt_sent(&rtt, 1201, 7000);		/* not timed */
	KUNIT_EXPECT_FALSE(test, toytcp_rtt_acked(&rtt, 1050, 8000));
	KUNIT_EXPECT_TRUE(test, toytcp_rtt_acked(&rtt, 1201, 9000));
	KUNIT_EXPECT_EQ(test, rtt.srtt_us, 4000U);	/* from 5000 */
	KUNIT_EXPECT_FALSE(test, rtt.timing);
	/* Nothing timed: no sample. */
	KUNIT_EXPECT_FALSE(test, toytcp_rtt_acked(&rtt, 1301, 20000));
	/* Across the wrap of sequence numbers and of the clock. */
	toytcp_rtt_sent(&rtt, 10, 0xfffffff0);
	KUNIT_EXPECT_FALSE(test, toytcp_rtt_acked(&rtt, 0xfffffffa, 0x10));
	KUNIT_EXPECT_TRUE(test, toytcp_rtt_acked(&rtt, 10, 0x10));
	KUNIT_EXPECT_EQ(test, rtt.samples, 2U);
	KUNIT_EXPECT_EQ(test, rtt.srtt_us, 4000U - 500 + 4U);	/* R = 32 us */
}

/*
 * Karn: once anything is retransmitted, the ACK that follows gives no
 * sample, and the backed-off RTO stays: only a sample sets it again.
 */
static void toytcp_rtt_karn_test(struct kunit *test)
{
	struct toytcp_rtt rtt;

	toytcp_rtt_init(&rtt, 1000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	toytcp_rtt_sent(&rtt, 1101, 0);
	toytcp_rtt_backoff(&rtt);			/* the timeout */
	toytcp_rtt_retransmitted(&rtt);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 2000U);
	KUNIT_EXPECT_FALSE(test, toytcp_rtt_acked(&rtt, 1101, 2500000));
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 2000U);
	KUNIT_EXPECT_EQ(test, rtt.srtt_us, 0U);
	/* The next segment, sent once, is timed: its sample sets the RTO. */
	toytcp_rtt_sent(&rtt, 1201, 3000000);
	KUNIT_EXPECT_TRUE(test, toytcp_rtt_acked(&rtt, 1201, 3000100));
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 201U);
}

/* RFC 6298 §5.5: each timeout doubles the RTO, up to 120 s. */
static void toytcp_rtt_backoff_test(struct kunit *test)
{
	struct toytcp_rtt rtt;
	u32 want = 1000;
	int i;

	toytcp_rtt_init(&rtt, 1000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	for (i = 0; i < 10; i++) {
		toytcp_rtt_backoff(&rtt);
		want = min_t(u32, want * 2, TOYTCP_RTO_MAX_MS);
		KUNIT_EXPECT_EQ(test, rtt.rto_ms, want);
	}
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 120000U);
}

/*
 * RFC 6298 §5.7: a handshake that gave no sample (its SYN was sent again)
 * leaves data transmission with an RTO of 3 s, not its backoff; an
 * initial RTO above 3 s is kept; a handshake with a sample changes nothing.
 */
static void toytcp_rtt_established_test(struct kunit *test)
{
	struct toytcp_rtt rtt;

	toytcp_rtt_init(&rtt, 1000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	toytcp_rtt_backoff(&rtt);
	toytcp_rtt_backoff(&rtt);
	toytcp_rtt_backoff(&rtt);			/* 8 s */
	toytcp_rtt_established(&rtt, 1000);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 3000U);

	toytcp_rtt_init(&rtt, 10000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	toytcp_rtt_established(&rtt, 10000);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 10000U);

	toytcp_rtt_init(&rtt, 1000, TOYTCP_RTO_MIN_MS, TOYTCP_RTO_MAX_MS);
	toytcp_rtt_sample(&rtt, 500);
	toytcp_rtt_established(&rtt, 1000);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 201U);
}

/* rto_min_ms: a larger floor keeps the RTO up on a fast link. */
static void toytcp_rtt_min_test(struct kunit *test)
{
	struct toytcp_rtt rtt;

	toytcp_rtt_init(&rtt, 1000, 5000, TOYTCP_RTO_MAX_MS);
	toytcp_rtt_sample(&rtt, 100);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 5001U);
}

/*
 * rto_max_ms: a lower ceiling bounds the backoff, a sample and the 3 s
 * of §5.7 (RFC 6298 §2.5 allows any maximum of at least 60 s; a test may
 * want less).
 */
static void toytcp_rtt_max_test(struct kunit *test)
{
	struct toytcp_rtt rtt;
	int i;

	toytcp_rtt_init(&rtt, 200, TOYTCP_RTO_MIN_MS, 2000);
	for (i = 0; i < 8; i++)
		toytcp_rtt_backoff(&rtt);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 2000U);
	toytcp_rtt_established(&rtt, 200);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 2000U);
	toytcp_rtt_sample(&rtt, 10000000);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 2000U);
	toytcp_rtt_init(&rtt, 5000, TOYTCP_RTO_MIN_MS, 2000);
	KUNIT_EXPECT_EQ(test, rtt.rto_ms, 2000U);
}

static struct kunit_case toytcp_rtt_cases[] = {
	KUNIT_CASE_PARAM(toytcp_rtt_series_test, series_gen_params),
	KUNIT_CASE(toytcp_rtt_timing_test),
	KUNIT_CASE(toytcp_rtt_karn_test),
	KUNIT_CASE(toytcp_rtt_backoff_test),
	KUNIT_CASE(toytcp_rtt_established_test),
	KUNIT_CASE(toytcp_rtt_min_test),
	KUNIT_CASE(toytcp_rtt_max_test),
	{}
};

static struct kunit_suite toytcp_rtt_suite = {
	.name = "toytcp_rtt",
	.test_cases = toytcp_rtt_cases,
};

kunit_test_suites(&toytcp_rtt_suite);
