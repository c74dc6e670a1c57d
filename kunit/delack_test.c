// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: delayed ACKs (suite toytcp_delack), MSS 1000.
 */
#include <kunit/test.h>
#include "delack.h"

#define MSS	1000

/* Data up to @rcv_nxt arrived: now or later, with delack_ms 40. */
static enum toytcp_ack_action arrive(struct toytcp_delack *d, u32 rcv_nxt)
{
	return toytcp_delack_decide(d, rcv_nxt, MSS, 65535, 40);
}

/*
 * Quick-ack mode at the start: the first data's ACKs go at once, as many
 * as half the window holds segments, at most 16; then every second full
 * segment, the first of a pair waiting.
 */
static void toytcp_delack_quick_test(struct kunit *test)
{
	struct toytcp_delack d = { .rcv_wup = 1 };
	u32 rcv_nxt = 1;
	int i;

	for (i = 0; i < TOYTCP_MAX_QUICKACKS; i++) {
		rcv_nxt += MSS;
		KUNIT_EXPECT_EQ(test, arrive(&d, rcv_nxt), TOYTCP_ACK_NOW);
		toytcp_delack_sent(&d, rcv_nxt);
	}
	KUNIT_EXPECT_EQ(test, d.quick, 0);
	rcv_nxt += MSS;
	KUNIT_EXPECT_EQ(test, arrive(&d, rcv_nxt), TOYTCP_ACK_DELAY);
	rcv_nxt += MSS;
	KUNIT_EXPECT_EQ(test, arrive(&d, rcv_nxt), TOYTCP_ACK_NOW);
	toytcp_delack_sent(&d, rcv_nxt);
	/* Small segments: an ACK once more than an MSS is unacknowledged. */
	rcv_nxt += 600;
	KUNIT_EXPECT_EQ(test, arrive(&d, rcv_nxt), TOYTCP_ACK_DELAY);
	rcv_nxt += 400;
	KUNIT_EXPECT_EQ(test, arrive(&d, rcv_nxt), TOYTCP_ACK_DELAY);
	rcv_nxt += 1;
	KUNIT_EXPECT_EQ(test, arrive(&d, rcv_nxt), TOYTCP_ACK_NOW);
}

/* A small window: fewer quick ACKs, never under two. */
static void toytcp_delack_small_window_test(struct kunit *test)
{
	struct toytcp_delack d = {};

	toytcp_delack_decide(&d, 1000, MSS, 6000, 40);
	KUNIT_EXPECT_EQ(test, d.quick, 3);
	d = (struct toytcp_delack){};
	toytcp_delack_decide(&d, 1000, MSS, 1000, 40);
	KUNIT_EXPECT_EQ(test, d.quick, 2);
}

/* delack_ms 0: never delay; an ACK that repeats one spends no quick ACK. */
static void toytcp_delack_off_test(struct kunit *test)
{
	struct toytcp_delack d = { .started = true, .rcv_wup = 1 };

	KUNIT_EXPECT_EQ(test, toytcp_delack_decide(&d, 101, MSS, 65535, 0),
			TOYTCP_ACK_NOW);
	d.quick = 5;
	d.pending = true;
	toytcp_delack_sent(&d, 1);
	KUNIT_EXPECT_EQ(test, d.quick, 5);
	KUNIT_EXPECT_FALSE(test, d.pending);
	toytcp_delack_sent(&d, 101);
	KUNIT_EXPECT_EQ(test, d.quick, 4);
	KUNIT_EXPECT_EQ(test, d.rcv_wup, 101U);
}

static struct kunit_case toytcp_delack_cases[] = {
	KUNIT_CASE(toytcp_delack_quick_test),
	KUNIT_CASE(toytcp_delack_small_window_test),
	KUNIT_CASE(toytcp_delack_off_test),
	{}
};

static struct kunit_suite toytcp_delack_suite = {
	.name = "toytcp_delack",
	.test_cases = toytcp_delack_cases,
};

kunit_test_suites(&toytcp_delack_suite);
