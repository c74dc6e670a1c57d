// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the out-of-order queue (suite toytcp_ofo). Segments are real
 * skbs; RCV.NXT is 1000 unless a case says otherwise.
 */
#include <kunit/test.h>
#include "ofo.h"

/* A segment of @len payload bytes at @seq, with a FIN after it if @fin. */
static struct sk_buff *seg(struct kunit *test, u32 seq, u32 len, bool fin)
{
	struct sk_buff *skb = alloc_skb(max(len, 1U), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, len);
	*TOYTCP_OFO_CB(skb) = (struct toytcp_ofo_cb){ .seq = seq, .len = len,
						      .fin = fin };
	return skb;
}

/* Offer a segment; free it when the queue did not take it. */
static enum toytcp_ofo_result offer(struct kunit *test, struct toytcp_ofo *ofo,
				    u32 seq, u32 len, bool fin)
{
	struct sk_buff *skb = seg(test, seq, len, fin);
	enum toytcp_ofo_result r = toytcp_ofo_insert(ofo, skb);

	if (r != TOYTCP_OFO_QUEUED)
		kfree_skb(skb);
	return r;
}

/* Take the ready segment at the head; return its seq (0 when none). */
static u32 take(struct toytcp_ofo *ofo, u32 *rcv_nxt)
{
	struct sk_buff *skb = toytcp_ofo_ready(ofo, *rcv_nxt);
	u32 seq;

	if (!skb)
		return 0;
	seq = TOYTCP_OFO_CB(skb)->seq;
	*rcv_nxt = toytcp_ofo_end(skb);
	toytcp_ofo_unlink(ofo, skb);
	kfree_skb(skb);
	return seq;
}

static unsigned int count(struct toytcp_ofo *ofo)
{
	struct sk_buff *skb;
	unsigned int n = 0;

	skb_rbtree_walk(skb, &ofo->root)
		n++;
	return n;
}

/* Segments come out in sequence order once the hole before them fills. */
static void toytcp_ofo_order_test(struct kunit *test)
{
	struct toytcp_ofo ofo = { RB_ROOT };
	u32 rcv_nxt = 1000;

	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 3000, 1000, false), TOYTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 2000, 1000, false), TOYTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 5000, 0, true), TOYTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, count(&ofo), 3U);
	KUNIT_EXPECT_GT(test, ofo.mem, 0U);
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 0U);	/* 1000..2000 missing */
	rcv_nxt = 2000;					/* the hole fills */
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 2000U);
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 3000U);
	KUNIT_EXPECT_EQ(test, rcv_nxt, 4000U);
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 0U);	/* 4000..5000 missing */
	rcv_nxt = 5000;
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 5000U);
	KUNIT_EXPECT_EQ(test, rcv_nxt, 5001U);		/* the FIN counts */
	KUNIT_EXPECT_EQ(test, ofo.mem, 0U);
}

/*
 * Overlaps: a segment held already is not kept twice (TCPOFOMerge); one
 * that covers queued ones replaces them; partial overlaps both stay.
 */
static void toytcp_ofo_overlap_test(struct kunit *test)
{
	struct toytcp_ofo ofo = { RB_ROOT };
	u32 rcv_nxt;

	offer(test, &ofo, 2000, 1000, false);
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 2000, 1000, false), TOYTCP_OFO_MERGED);
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 2200, 300, false), TOYTCP_OFO_MERGED);
	KUNIT_EXPECT_EQ(test, count(&ofo), 1U);
	/* Same start, reaching further: it takes the place of the first. */
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 2000, 1500, false), TOYTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, count(&ofo), 1U);
	/* Partial overlap: kept beside it. */
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 3000, 1000, false), TOYTCP_OFO_QUEUED);
	offer(test, &ofo, 4500, 100, false);
	offer(test, &ofo, 4700, 100, false);
	KUNIT_EXPECT_EQ(test, count(&ofo), 4U);
	/* One segment over all of them but the first: they go. */
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 2900, 2000, false), TOYTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, count(&ofo), 2U);
	/* The same data with a FIN reaches further by the FIN. */
	KUNIT_EXPECT_EQ(test, offer(test, &ofo, 2900, 2000, true), TOYTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, count(&ofo), 2U);

	rcv_nxt = 2000;
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 2000U);
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 2900U);
	KUNIT_EXPECT_EQ(test, rcv_nxt, 4901U);
	KUNIT_EXPECT_EQ(test, ofo.mem, 0U);
}

/* What RCV.NXT has passed is dropped on the way to the next. */
static void toytcp_ofo_stale_test(struct kunit *test)
{
	struct toytcp_ofo ofo = { RB_ROOT };
	u32 rcv_nxt = 3500;

	offer(test, &ofo, 2000, 1000, false);
	offer(test, &ofo, 3000, 1000, false);
	offer(test, &ofo, 5000, 1000, false);
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 3000U);	/* its last 500 */
	KUNIT_EXPECT_EQ(test, count(&ofo), 1U);
	rcv_nxt = 7000;
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 0U);
	KUNIT_EXPECT_EQ(test, count(&ofo), 0U);
	KUNIT_EXPECT_EQ(test, ofo.mem, 0U);
}

/* Sequence numbers wrap: 2^32 - 500 comes before 500. */
static void toytcp_ofo_wrap_test(struct kunit *test)
{
	struct toytcp_ofo ofo = { RB_ROOT };
	u32 rcv_nxt;

	offer(test, &ofo, 500, 500, false);
	offer(test, &ofo, 0xfffffe0c, 1000, false);
	rcv_nxt = 0xfffffe0c;
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 0xfffffe0cU);
	KUNIT_EXPECT_EQ(test, rcv_nxt, 500U);
	KUNIT_EXPECT_EQ(test, take(&ofo, &rcv_nxt), 500U);
}

/* The memory bound: past it a segment is refused (TCPOFODrop); purge. */
static void toytcp_ofo_bound_test(struct kunit *test)
{
	struct toytcp_ofo ofo = { RB_ROOT };
	enum toytcp_ofo_result r = TOYTCP_OFO_QUEUED;
	u32 seq = 2000, n = 0;

	while (r == TOYTCP_OFO_QUEUED && n < 100000) {
		r = offer(test, &ofo, seq, 1, false);
		seq += 2;
		n++;
	}
	KUNIT_EXPECT_EQ(test, r, TOYTCP_OFO_FULL);
	KUNIT_EXPECT_LE(test, ofo.mem, (u32)TOYTCP_OFO_MEM_MAX);
	KUNIT_EXPECT_EQ(test, count(&ofo), n - 1);
	toytcp_ofo_purge(&ofo);
	KUNIT_EXPECT_EQ(test, count(&ofo), 0U);
	KUNIT_EXPECT_EQ(test, ofo.mem, 0U);
}

static struct kunit_case toytcp_ofo_cases[] = {
	KUNIT_CASE(toytcp_ofo_order_test),
	KUNIT_CASE(toytcp_ofo_overlap_test),
	KUNIT_CASE(toytcp_ofo_stale_test),
	KUNIT_CASE(toytcp_ofo_wrap_test),
	KUNIT_CASE(toytcp_ofo_bound_test),
	{}
};

static struct kunit_suite toytcp_ofo_suite = {
	.name = "toytcp_ofo",
	.test_cases = toytcp_ofo_cases,
};

kunit_test_suites(&toytcp_ofo_suite);
