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
 * A whole segment in @buf as output.c makes one: the header
 * (toytcp_wire_fill_hdr()), then the checksum over it and the payload
 * behind it (toytcp_wire_set_csum()).
 */
static void toytcp_wire_fill(void *buf, unsigned int len, __be32 saddr,
			     __be32 daddr, __be16 sport, __be16 dport, u32 seq,
			     u32 ack, u8 flags, u16 wnd, u16 mss)
{
	unsigned int hlen = toytcp_wire_hdr_len(mss);

	toytcp_wire_fill_hdr(buf, sport, dport, seq, ack, flags, wnd, mss);
	toytcp_wire_set_csum(buf, len, saddr, daddr,
			     csum_partial(buf + hlen, len - hlen, 0));
}

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
			 TOYTCP_PSH | TOYTCP_ACK, 65535, 0);
	KUNIT_EXPECT_MEMEQ(test, buf, known_segment, sizeof(buf));
}

/*
 * 10.0.0.1:40001 -> 10.0.0.2:7 SYN seq 1000 win 65535 <mss 1460>, data
 * offset 6 (SPEC §1), as scripts/tools/seg.py builds it.
 */
static const u8 known_syn[] = {
	0x9c, 0x41, 0x00, 0x07, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00,
	0x60, 0x02, 0xff, 0xff, 0xe2, 0xfc, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

static void toytcp_wire_fill_mss_test(struct kunit *test)
{
	u8 buf[sizeof(known_syn)] = {};
	struct toytcp_seg seg;

	KUNIT_ASSERT_EQ(test, toytcp_wire_hdr_len(1460), sizeof(known_syn));
	toytcp_wire_fill(buf, sizeof(buf), IP(10, 0, 0, 1), IP(10, 0, 0, 2),
			 htons(40001), htons(7), 1000, 0, TOYTCP_SYN, 65535, 1460);
	KUNIT_EXPECT_MEMEQ(test, buf, known_syn, sizeof(buf));
	KUNIT_ASSERT_EQ(test, toytcp_wire_check(buf, sizeof(buf), IP(10, 0, 0, 1),
						IP(10, 0, 0, 2), &seg), TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.mss, 1460);
	KUNIT_EXPECT_EQ(test, seg.doff, 24);
	KUNIT_EXPECT_EQ(test, seg.len, 0U);
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
			 htons(1), htons(2), 0xffffffff, 1234, TOYTCP_SYN, 0, 0);
	KUNIT_ASSERT_EQ(test, toytcp_wire_check(buf, sizeof(buf), IP(10, 0, 0, 1),
						IP(10, 0, 0, 2), &seg), TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.ack, 0U);
	KUNIT_EXPECT_EQ(test, seg.seq, 0xffffffffU);
	KUNIT_EXPECT_EQ(test, toytcp_seg_seqlen(&seg), 1U);
}

/*
 * Received option lists (RFC 9293 §3.1): the MSS of a SYN is read among
 * others; unknown kinds are skipped by their length; a bad length ends the
 * list; no MSS is read from a segment without SYN. The payload "hi"
 * always starts at the data offset.
 */
struct opt_case {
	const char *name;
	u8 flags;
	u8 opts[12];	/* zero-padded to the data offset */
	u8 words;	/* option words: data offset - 5 */
	u16 mss;	/* what is read */
};

static const struct opt_case opt_cases[] = {
	{ "MSS alone", TOYTCP_SYN, { 2, 4, 0x02, 0x18 }, 1, 536 },
	{ "NOPs, then MSS", TOYTCP_SYN, { 1, 1, 1, 1, 2, 4, 0x05, 0xb4 }, 2, 1460 },
	{ "SACK-permitted, window scale, MSS", TOYTCP_SYN,
	  { 4, 2, 3, 3, 7, 2, 4, 0x04, 0x00, 0, 0, 0 }, 3, 1024 },
	{ "unknown kind 99 with 4 bytes", TOYTCP_SYN | TOYTCP_ACK,
	  { 99, 6, 1, 2, 3, 4, 2, 4, 0x01, 0x00, 0, 0 }, 3, 256 },
	{ "EOL ends the list", TOYTCP_SYN, { 0, 0, 0, 0, 2, 4, 0x05, 0xb4 }, 2, 0 },
	{ "length 1 ends the list", TOYTCP_SYN, { 8, 1, 2, 4, 0x05, 0xb4, 0, 0 }, 2, 0 },
	{ "length past the header", TOYTCP_SYN, { 1, 1, 2, 8 }, 1, 0 },
	{ "MSS of length 3 is not MSS", TOYTCP_SYN,
	  { 2, 3, 0x05, 2, 4, 0x02, 0x00, 0 }, 2, 512 },
	{ "MSS without SYN is not read", TOYTCP_ACK, { 2, 4, 0x05, 0xb4 }, 1, 0 },
	{ "kind alone at the end", TOYTCP_SYN, { 1, 1, 1, 2 }, 1, 0 },
};

static void opt_desc(const struct opt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(opt, opt_cases, opt_desc);

static void toytcp_wire_options_test(struct kunit *test)
{
	const struct opt_case *c = test->param_value;
	unsigned int olen = c->words * 4, len = TOYTCP_HDR_LEN + olen + 2;
	u8 buf[TOYTCP_HDR_LEN + 12 + 2];
	struct toytcp_hdr *th = (void *)buf;
	struct toytcp_seg seg;

	memcpy(buf + TOYTCP_HDR_LEN, c->opts, olen);
	memcpy(buf + TOYTCP_HDR_LEN + olen, "hi", 2);
	toytcp_wire_fill(buf, len, IP(1, 2, 3, 4), IP(5, 6, 7, 8),
			 htons(9), htons(10), 1, 2, c->flags, 100, 0);
	th->doff_res = (5 + c->words) << 4;
	th->check = 0;
	th->check = csum_tcpudp_magic(IP(1, 2, 3, 4), IP(5, 6, 7, 8), len,
				      TOYTCP_IPPROTO, csum_partial(buf, len, 0));
	KUNIT_ASSERT_EQ(test, toytcp_wire_check(buf, len, IP(1, 2, 3, 4),
						IP(5, 6, 7, 8), &seg), TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.doff, TOYTCP_HDR_LEN + olen);
	KUNIT_EXPECT_EQ(test, seg.len, 2U);
	KUNIT_EXPECT_MEMEQ(test, buf + seg.doff, "hi", 2);
	KUNIT_EXPECT_EQ(test, seg.mss, c->mss);
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
	KUNIT_CASE(toytcp_wire_fill_mss_test),
	KUNIT_CASE_PARAM(toytcp_wire_options_test, opt_gen_params),
	KUNIT_CASE_PARAM(toytcp_wire_check_bad_test, bad_gen_params),
	KUNIT_CASE(toytcp_wire_tcp_checksum_test),
	{}
};

static struct kunit_suite toytcp_wire_suite = {
	.name = "toytcp_wire",
	.test_cases = toytcp_wire_cases,
};

kunit_test_suites(&toytcp_wire_suite);
