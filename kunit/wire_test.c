// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the wire codec (suite toytcp_wire).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <net/checksum.h>
#include "toytcp.h"
#include "wire.h"

#define IP(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

/*
 * 10.0.0.1:40001 -> 10.0.0.2:7 seq 107 ack 301 PSH,ACK win 65535 "hello",
 * as scripts/tools/seg.py (an independent implementation) builds it.
 */
static const u8 known_segment[] = {
	0x9c, 0x41, 0x00, 0x07, 0x00, 0x00, 0x00, 0x6b, 0x00, 0x00, 0x01, 0x2d,
	0x50, 0x18, 0xff, 0xff, 0xb9, 0x1b, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',
};

static void toytcp_wire_fill_known_answer_test(struct kunit *test)
{
	u8 buf[sizeof(known_segment)] = {};

	memcpy(buf + TOYTCP_HDR_LEN, "hello", 5);
	toytcp_wire_fill(buf, sizeof(buf), IP(10, 0, 0, 1), IP(10, 0, 0, 2),
			 htons(40001), htons(7), 107, 301,
			 TOYTCP_PSH | TOYTCP_ACK, 65535);
	KUNIT_EXPECT_MEMEQ(test, buf, known_segment, sizeof(buf));
}

static void toytcp_wire_check_valid_test(struct kunit *test)
{
	struct toytcp_seg seg;

	KUNIT_ASSERT_EQ(test, toytcp_wire_check(known_segment, sizeof(known_segment),
						IP(10, 0, 0, 1), IP(10, 0, 0, 2), &seg),
			TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.sport, htons(40001));
	KUNIT_EXPECT_EQ(test, seg.dport, htons(7));
	KUNIT_EXPECT_EQ(test, seg.seq, 107U);
	KUNIT_EXPECT_EQ(test, seg.ack, 301U);
	KUNIT_EXPECT_EQ(test, seg.flags, TOYTCP_PSH | TOYTCP_ACK);
	KUNIT_EXPECT_EQ(test, seg.wnd, 65535);
	KUNIT_EXPECT_EQ(test, seg.doff, 20);
	KUNIT_EXPECT_EQ(test, seg.len, 5U);
	KUNIT_EXPECT_EQ(test, seg.saddr, IP(10, 0, 0, 1));
	KUNIT_EXPECT_EQ(test, toytcp_seg_seqlen(&seg), 5U);
}

/* Without ACK, the acknowledgment field goes out as zero. */
static void toytcp_wire_fill_syn_test(struct kunit *test)
{
	u8 buf[TOYTCP_HDR_LEN];
	struct toytcp_seg seg;

	toytcp_wire_fill(buf, sizeof(buf), IP(10, 0, 0, 1), IP(10, 0, 0, 2),
			 htons(1), htons(2), 0xffffffff, 1234, TOYTCP_SYN, 0);
	KUNIT_ASSERT_EQ(test, toytcp_wire_check(buf, sizeof(buf), IP(10, 0, 0, 1),
						IP(10, 0, 0, 2), &seg), TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.ack, 0U);
	KUNIT_EXPECT_EQ(test, seg.seq, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, toytcp_seg_seqlen(&seg), 1U);
}

/* Options are skipped: data offset 6, four option bytes, then "hi". */
static void toytcp_wire_options_test(struct kunit *test)
{
	u8 buf[TOYTCP_HDR_LEN + 4 + 2];
	struct toytcp_hdr *th = (void *)buf;
	struct toytcp_seg seg;

	memcpy(buf + TOYTCP_HDR_LEN, "\x01\x01\x01\x00hi", 6);
	toytcp_wire_fill(buf, sizeof(buf), IP(1, 2, 3, 4), IP(5, 6, 7, 8),
			 htons(9), htons(10), 1, 2, TOYTCP_ACK, 100);
	th->doff_res = 6 << 4;
	th->check = 0;
	th->check = csum_tcpudp_magic(IP(1, 2, 3, 4), IP(5, 6, 7, 8), sizeof(buf),
				      TOYTCP_IPPROTO, csum_partial(buf, sizeof(buf), 0));
	KUNIT_ASSERT_EQ(test, toytcp_wire_check(buf, sizeof(buf), IP(1, 2, 3, 4),
						IP(5, 6, 7, 8), &seg), TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.doff, 24);
	KUNIT_EXPECT_EQ(test, seg.len, 2U);
	KUNIT_EXPECT_MEMEQ(test, buf + seg.doff, "hi", 2);
}

struct bad_case {
	const char *name;
	unsigned int len;	/* bytes of known_segment handed over */
	int byte;		/* -1, or the byte to overwrite */
	u8 value;
	__be32 saddr;		/* 0: the right one */
	enum toytcp_wire_err err;
};

static const struct bad_case bad_cases[] = {
	{ "empty", 0, -1, 0, 0, TOYTCP_WIRE_SHORT },
	{ "19 bytes", 19, -1, 0, 0, TOYTCP_WIRE_SHORT },
	{ "data offset 0", 25, 12, 0x00, 0, TOYTCP_WIRE_BAD_DOFF },
	{ "data offset 4", 25, 12, 0x40, 0, TOYTCP_WIRE_BAD_DOFF },
	{ "data offset 7 > 25 bytes", 25, 12, 0x70, 0, TOYTCP_WIRE_BAD_DOFF },
	{ "data offset 15", 25, 12, 0xf0, 0, TOYTCP_WIRE_BAD_DOFF },
	{ "header only of 25", 20, -1, 0, 0, TOYTCP_WIRE_BAD_CSUM },
	{ "payload byte flipped", 25, 22, 'L', 0, TOYTCP_WIRE_BAD_CSUM },
	{ "checksum flipped", 25, 17, 0x1a, 0, TOYTCP_WIRE_BAD_CSUM },
	{ "flags changed", 25, 13, 0x19, 0, TOYTCP_WIRE_BAD_CSUM },
	{ "other source address", 25, -1, 0, IP(10, 0, 0, 3), TOYTCP_WIRE_BAD_CSUM },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

/* Malformed segments are refused, each for its reason. */
static void toytcp_wire_check_bad_test(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	u8 buf[sizeof(known_segment)];
	struct toytcp_seg seg;

	memcpy(buf, known_segment, sizeof(buf));
	if (c->byte >= 0)
		buf[c->byte] = c->value;
	KUNIT_EXPECT_EQ(test, toytcp_wire_check(buf, c->len, c->saddr ?: IP(10, 0, 0, 1),
						IP(10, 0, 0, 2), &seg), c->err);
}

/* A checksum computed for TCP (protocol 6) does not pass for 253. */
static void toytcp_wire_tcp_checksum_test(struct kunit *test)
{
	u8 buf[sizeof(known_segment)];
	struct toytcp_hdr *th = (void *)buf;
	struct toytcp_seg seg;

	memcpy(buf, known_segment, sizeof(buf));
	th->check = 0;
	th->check = csum_tcpudp_magic(IP(10, 0, 0, 1), IP(10, 0, 0, 2), sizeof(buf),
				      IPPROTO_TCP, csum_partial(buf, sizeof(buf), 0));
	KUNIT_EXPECT_EQ(test, toytcp_wire_check(buf, sizeof(buf), IP(10, 0, 0, 1),
						IP(10, 0, 0, 2), &seg),
			TOYTCP_WIRE_BAD_CSUM);
}

static struct kunit_case toytcp_wire_cases[] = {
	KUNIT_CASE(toytcp_wire_fill_known_answer_test),
	KUNIT_CASE(toytcp_wire_check_valid_test),
	KUNIT_CASE(toytcp_wire_fill_syn_test),
	KUNIT_CASE(toytcp_wire_options_test),
	KUNIT_CASE_PARAM(toytcp_wire_check_bad_test, bad_gen_params),
	KUNIT_CASE(toytcp_wire_tcp_checksum_test),
	{}
};

static struct kunit_suite toytcp_wire_suite = {
	.name = "toytcp_wire",
	.test_cases = toytcp_wire_cases,
};

kunit_test_suites(&toytcp_wire_suite);
