// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: large segments (suite toytcp_gso): which devices get them, how
 * output.c builds one (copied and summed in one pass), how the receiver
 * trusts its checksum, and how the stack cuts one in software through
 * toytcp's offload.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#ifdef TOYTCP_NET_GSO_H
#include <net/gso.h>		/* Kbuild: 6.5 moved skb_gso_segment() here */
#endif
#include "gso.h"
#include "conn.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "toytcp.h"
#include "wire.h"

#define IP(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

struct size_case {
	const char *name;
	u32 mss, gso_max_size, gso_max_segs;
	u32 want;
};

static const struct size_case size_cases[] = {
	/* 65,495 bytes of payload fit an IP packet: 44 pieces of 1,460. */
	{ "MSS 1460", 1460, 65536, GSO_MAX_SEGS, 44 * 1460 },
	{ "MSS 536", 536, 65536, GSO_MAX_SEGS, 122 * 536 },
	{ "gso_max_size 16k", 1460, 16384, GSO_MAX_SEGS, 11 * 1460 },
	{ "gso_max_segs 4", 1460, 65536, 4, 4 * 1460 },
	{ "room for less than one MSS: one", 1460, 1000, GSO_MAX_SEGS, 1460 },
	{ "MSS 40000: one", 40000, 65536, GSO_MAX_SEGS, 40000 },
};

static void size_desc(const struct size_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(size, size_cases, size_desc);

static void toytcp_gso_size_test(struct kunit *test)
{
	const struct size_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toytcp_gso_size(c->mss, c->gso_max_size, c->gso_max_segs),
			c->want);
}

/* A veth-like pair: a device whose peer is fake_peer. */
static struct net_device *fake_peer;

static struct net_device *fake_get_peer(struct net_device *dev)
{
	return fake_peer;
}

static const struct net_device_ops fake_veth_ops = {
	.ndo_get_peer_dev = fake_get_peer,
};

static const struct net_device_ops fake_nic_ops = {};

static struct net_device *fake_dev(struct kunit *test, unsigned int flags,
				   const struct net_device_ops *ops)
{
	struct net_device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->flags = flags;
	dev->netdev_ops = ops;
	dev->gso_max_size = 65536;
	dev->gso_max_segs = GSO_MAX_SEGS;
	INIT_LIST_HEAD(&dev->adj_list.upper);
	INIT_LIST_HEAD(&dev->adj_list.lower);
	dev_net_set(dev, &init_net);
	return dev;
}

/*
 * Large segments only where they reach toytcp in this kernel: loopback,
 * a veth whose peer's namespace has toytcp enabled; not a NIC, not a
 * veth to a namespace where toytcp is disabled (a raw-socket peer there
 * sees every segment at most an MSS); and nowhere with `gso` off.
 */
static void toytcp_gso_max_test(struct kunit *test)
{
	struct toytcp_net *tn = toytcp_pernet(&init_net);
	struct net_device *lo = fake_dev(test, IFF_LOOPBACK, &fake_nic_ops);
	struct net_device *nic = fake_dev(test, 0, &fake_nic_ops);
	struct net_device *veth = fake_dev(test, 0, &fake_veth_ops);
	bool enabled = tn->enabled;
	unsigned int gso = toytcp_gso;

	fake_peer = fake_dev(test, 0, &fake_veth_ops);
	toytcp_gso = 1;
	KUNIT_EXPECT_EQ(test, toytcp_gso_max(lo, 1460), 44 * 1460);
	KUNIT_EXPECT_EQ(test, toytcp_gso_max(nic, 1460), 1460);
	WRITE_ONCE(tn->enabled, true);
	KUNIT_EXPECT_EQ(test, toytcp_gso_max(veth, 1460), 44 * 1460);
	WRITE_ONCE(tn->enabled, false);
	KUNIT_EXPECT_EQ(test, toytcp_gso_max(veth, 1460), 1460);
	WRITE_ONCE(tn->enabled, true);
	fake_peer = NULL;		/* the pair is going away */
	KUNIT_EXPECT_EQ(test, toytcp_gso_max(veth, 1460), 1460);
	toytcp_gso = 0;
	KUNIT_EXPECT_EQ(test, toytcp_gso_max(lo, 1460), 1460);
	toytcp_gso = gso;
	WRITE_ONCE(tn->enabled, enabled);
}

/*
 * A large segment of @len bytes from seq 1000, its checksum over all of
 * it, as output.c builds one: IP header, toytcp header, payload.
 */
static struct sk_buff *large_segment(struct kunit *test, u32 len, u8 flags)
{
	__be32 s = IP(10, 0, 0, 1), d = IP(10, 0, 0, 2);
	struct sk_buff *skb;
	struct toytcp_hdr *th;
	struct iphdr *iph;
	u8 *data;
	u32 i;

	skb = alloc_skb(MAX_HEADER + 40 + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_HEADER + 40);
	data = skb_put(skb, len);
	for (i = 0; i < len; i++)
		data[i] = i * 7;
	th = skb_push(skb, TOYTCP_HDR_LEN);
	toytcp_wire_fill_hdr(th, htons(40001), htons(7), 1000, 5000, flags, 65535, 0);
	toytcp_wire_set_csum(th, TOYTCP_HDR_LEN + len, s, d, csum_partial(data, len, 0));
	skb_reset_transport_header(skb);
	iph = skb_push(skb, sizeof(*iph));
	*iph = (struct iphdr){
		.version = 4, .ihl = 5, .ttl = 64, .protocol = TOYTCP_IPPROTO,
		.tot_len = htons(40 + len), .frag_off = htons(IP_DF),
		.saddr = s, .daddr = d,
	};
	ip_send_check(iph);
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	skb->protocol = htons(ETH_P_IP);
	toytcp_gso_mark(skb, 1460, len);
	return skb;
}

/* Cut in software: MSS pieces, their seqs, FIN and PSH last, checksums. */
static void toytcp_gso_segment_test(struct kunit *test)
{
	static const u32 want_len[] = { 1460, 1460, 80 };
	struct sk_buff *skb = large_segment(test, 3000, TOYTCP_ACK | TOYTCP_PSH | TOYTCP_FIN);
	u8 *buf = kunit_kmalloc(test, 2000, GFP_KERNEL);
	struct sk_buff *segs, *seg;
	u32 seq = 1000;
	int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->gso_segs, 3);
	segs = skb_gso_segment(skb, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(segs));
	for (seg = segs; seg; seg = seg->next, n++) {
		unsigned int off = skb_transport_offset(seg);
		unsigned int len = seg->len - off;
		struct toytcp_seg ts;

		KUNIT_ASSERT_LT(test, n, 3);
		KUNIT_EXPECT_EQ(test, len, TOYTCP_HDR_LEN + want_len[n]);
		KUNIT_EXPECT_EQ(test, ntohs(ip_hdr(seg)->tot_len), seg->len);
		KUNIT_EXPECT_EQ(test, ip_fast_csum(ip_hdr(seg), 5), 0);
		KUNIT_ASSERT_EQ(test, skb_copy_bits(seg, off, buf, len), 0);
		KUNIT_ASSERT_EQ(test, toytcp_wire_check(buf, len, IP(10, 0, 0, 1),
							IP(10, 0, 0, 2), &ts),
				TOYTCP_WIRE_OK);
		KUNIT_EXPECT_EQ(test, ts.seq, seq);
		KUNIT_EXPECT_EQ(test, ts.ack, 5000);
		KUNIT_EXPECT_EQ(test, ts.flags, n == 2 ? TOYTCP_ACK | TOYTCP_PSH | TOYTCP_FIN :
				TOYTCP_ACK);
		/* The payload is the large segment's, in order. */
		KUNIT_EXPECT_EQ(test, buf[TOYTCP_HDR_LEN], (u8)((seq - 1000) * 7));
		seq += want_len[n];
	}
	KUNIT_EXPECT_EQ(test, n, 3);
	kfree_skb_list(segs);
	kfree_skb(skb);
}

/* One MSS or less is an ordinary segment: nothing for GSO to do. */
static void toytcp_gso_mark_small_test(struct kunit *test)
{
	struct sk_buff *skb = large_segment(test, 1460, TOYTCP_ACK);

	KUNIT_EXPECT_FALSE(test, skb_is_gso(skb));
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	kfree_skb(skb);
}

/*
 * The receiver trusts the checksum of a large segment toytcp marked (it
 * was computed when the segment was built, in this kernel), and of no
 * other: damage one after its checksum and only the mark lets it by.
 */
static void toytcp_gso_csum_known_test(struct kunit *test)
{
	struct sk_buff *skb = large_segment(test, 3000, TOYTCP_ACK);
	struct sk_buff *small = large_segment(test, 1000, TOYTCP_ACK);
	struct toytcp_seg seg;

	/* Built right: its checksum holds when verified after all. */
	skb->ip_summed = CHECKSUM_NONE;
	KUNIT_EXPECT_EQ(test, toytcp_wire_parse(skb, &seg), TOYTCP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, seg.seq, 1000);
	skb->data[sizeof(struct iphdr) + TOYTCP_HDR_LEN + 2999] ^= 0x10;
	KUNIT_EXPECT_EQ(test, toytcp_wire_parse(skb, &seg), TOYTCP_WIRE_BAD_CSUM);
	skb->ip_summed = CHECKSUM_UNNECESSARY;	/* toytcp_gso_mark()'s */
	KUNIT_EXPECT_EQ(test, toytcp_wire_parse(skb, &seg), TOYTCP_WIRE_OK);
	/* One segment's worth is never spared, whatever it claims. */
	small->data[sizeof(struct iphdr) + TOYTCP_HDR_LEN] ^= 0x10;
	small->ip_summed = CHECKSUM_UNNECESSARY;
	KUNIT_EXPECT_EQ(test, toytcp_wire_parse(small, &seg), TOYTCP_WIRE_BAD_CSUM);
	kfree_skb(small);
	kfree_skb(skb);
}

struct build_case {
	const char *name;
	u32 len0, len1;		/* the two pieces of the send ring */
};

static const struct build_case build_cases[] = {
	{ "one segment, one piece", 1001, 0 },
	{ "one segment, two odd pieces", 333, 667 },
	{ "large, one piece", 50001, 0 },
	{ "large, two odd pieces", 4097, 40001 },
	{ "large, a page boundary at the ring's wrap", 4096, 4096 },
};

static void build_desc(const struct build_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(build, build_cases, build_desc);

/*
 * output.c copies the payload and sums it in one pass: the skb holds the
 * ring's bytes in order, and the sum is csum_partial() of them all.
 */
static void toytcp_gso_build_test(struct kunit *test)
{
	const struct build_case *c = test->param_value;
	u32 len = c->len0 + c->len1, i;
	u8 *ring = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 *back = kunit_kmalloc(test, len, GFP_KERNEL);
	struct toytcp_span span = {
		.p = { ring, ring + c->len0 }, .len = { c->len0, c->len1 },
	};
	struct sk_buff *skb;
	__wsum csum;

	KUNIT_ASSERT_NOT_NULL(test, ring);
	KUNIT_ASSERT_NOT_NULL(test, back);
	for (i = 0; i < len; i++)
		ring[i] = i * 13 + (i >> 8);
	skb = toytcp_output_alloc(TOYTCP_HDR_LEN, &span, len, &csum);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, TOYTCP_HDR_LEN + len);
	KUNIT_EXPECT_EQ(test, skb->data_len ? 1 : 0, len > 2048 ? 1 : 0);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, TOYTCP_HDR_LEN, back, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, ring, len), 0);
	KUNIT_EXPECT_EQ(test, csum_fold(csum), csum_fold(csum_partial(ring, len, 0)));
	kfree_skb(skb);
}

static struct kunit_case toytcp_gso_cases[] = {
	KUNIT_CASE_PARAM(toytcp_gso_size_test, size_gen_params),
	KUNIT_CASE(toytcp_gso_max_test),
	KUNIT_CASE(toytcp_gso_segment_test),
	KUNIT_CASE(toytcp_gso_mark_small_test),
	KUNIT_CASE(toytcp_gso_csum_known_test),
	KUNIT_CASE_PARAM(toytcp_gso_build_test, build_gen_params),
	{}
};

static struct kunit_suite toytcp_gso_suite = {
	.name = "toytcp_gso",
	.test_cases = toytcp_gso_cases,
};

kunit_test_suites(&toytcp_gso_suite);
