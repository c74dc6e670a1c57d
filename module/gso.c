// SPDX-License-Identifier: GPL-2.0
/*
 * Large segments: what Linux's TSO/GSO does for TCP, for toytcp.
 *
 * The state machine still decides in segments of at most an MSS (fsm.c);
 * output.c sends a run of them that follow each other as one skb of up to
 * 64 KiB, marked as GSO with gso_size = MSS, where it is sure to reach
 * toytcp in this same kernel: over loopback, or over a veth whose other
 * end is in a namespace where toytcp is enabled and is nobody's port (a
 * bridge's port forwards to who knows what). Such a packet never meets a
 * wire and is never cut: the peer's toytcp takes it as one segment of
 * many MSS, as Linux TCP on veth takes its 64 KiB skbs. Its checksum is
 * computed over the whole of it, so that the peer (and a capture) finds
 * it right. Anywhere else, a raw socket in a namespace where toytcp is
 * disabled included, every packet is one segment of at most an MSS.
 *
 * Should a large segment still reach a device that cannot take it (netem
 * told to corrupt it, say), the stack cuts it in software with
 * toytcp_gso_segment(), registered as protocol 253's offload: MSS-sized
 * segments with their sequence numbers, FIN and PSH only on the last, and
 * their own checksums, exactly what toytcp would have sent. A NIC's own
 * segmentation (TSO) would cut a protocol-253 packet as TCP and put a TCP
 * checksum on it: toytcp_gso_max() never sends a large segment its way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/protocol.h>
#include "gso.h"
#include "netns.h"
#include "params.h"
#include "toytcp.h"
#include "wire.h"

/* A packet's IP total length is 16 bits: what one skb's payload may be. */
#define TOYTCP_GSO_MAX	(65535 - 20 - TOYTCP_HDR_LEN)

/**
 * toytcp_gso_size() - the payload of one large segment
 * @mss: the connection's MSS
 * @gso_max_size: the device's gso_max_size (a whole packet)
 * @gso_max_segs: the device's gso_max_segs
 *
 * Return: the most payload a 16-bit IP total length and the device allow,
 * a multiple of @mss; at least @mss.
 */
u32 toytcp_gso_size(u32 mss, u32 gso_max_size, u32 gso_max_segs)
{
	u32 max = TOYTCP_GSO_MAX;

	if (gso_max_size > 20 + TOYTCP_HDR_LEN)
		max = min(max, gso_max_size - 20 - TOYTCP_HDR_LEN);
	else
		max = 0;
	if (mss)
		max = min_t(u64, max, (u64)mss * gso_max_segs);
	return mss && max > mss ? max - max % mss : mss;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_gso_size);

/*
 * Does @dev only hand packets to toytcp in this kernel? Loopback does;
 * so does a veth (a device with a peer: ndo_get_peer_dev) whose peer is
 * in a namespace with toytcp enabled and is no bridge's or bond's port.
 */
static bool toytcp_gso_dev_ok(const struct net_device *dev)
{
	struct net_device *peer;
	bool ok = false;

	if (dev->flags & IFF_LOOPBACK)
		return true;
	if (!dev->netdev_ops || !dev->netdev_ops->ndo_get_peer_dev)
		return false;
	rcu_read_lock();
	peer = dev->netdev_ops->ndo_get_peer_dev((struct net_device *)dev);
	if (peer && !netdev_master_upper_dev_get_rcu(peer))
		ok = READ_ONCE(toytcp_pernet(dev_net(peer))->enabled);
	rcu_read_unlock();
	return ok;
}

/**
 * toytcp_gso_max() - how much payload one skb may carry to @dev
 * @dev: the route's device
 * @mss: the connection's MSS
 *
 * Return: toytcp_gso_size() where large segments reach toytcp in this
 * kernel (see the top of this file) and the `gso` parameter is on; else
 * @mss: one segment per skb.
 */
u32 toytcp_gso_max(const struct net_device *dev, u32 mss)
{
	if (!READ_ONCE(toytcp_gso) || !toytcp_gso_dev_ok(dev))
		return mss;
	return toytcp_gso_size(mss, READ_ONCE(dev->gso_max_size),
			       READ_ONCE(dev->gso_max_segs));
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_gso_max);

/**
 * toytcp_gso_mark() - make @skb a large segment of @mss-sized pieces
 * @skb: a data segment, built whole, its checksum over all of it
 * @mss: the size of each piece
 * @len: its payload
 */
void toytcp_gso_mark(struct sk_buff *skb, u32 mss, u32 len)
{
	if (len <= mss)
		return;
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(len, mss);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	/* Checked already: passes a device that can take large packets. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_gso_mark);

/* One piece's header: its sequence number, its flags, its checksum. */
static void toytcp_gso_fix(struct sk_buff *seg, u32 seq, bool last, u8 flags)
{
	struct toytcp_hdr *th = (struct toytcp_hdr *)skb_transport_header(seg);
	unsigned int off = skb_transport_offset(seg);
	unsigned int hlen = (th->doff_res >> 4) * 4;
	unsigned int len = seg->len - off;

	th->seq = htonl(seq);
	th->flags = last ? flags : flags & ~(TOYTCP_FIN | TOYTCP_PSH);
	th->check = 0;
	toytcp_wire_set_csum(th, len, ip_hdr(seg)->saddr, ip_hdr(seg)->daddr,
			     skb_checksum(seg, off + hlen, len - hlen, 0));
	seg->ip_summed = CHECKSUM_NONE;
}

/*
 * Cut a large segment in software (inet_gso_segment() calls this with the
 * IP header pulled and the transport header set).
 */
static struct sk_buff *toytcp_gso_segment(struct sk_buff *skb,
					  netdev_features_t features)
{
	struct sk_buff *segs, *seg;
	struct toytcp_hdr *th;
	unsigned int hlen;
	u32 seq;
	u8 flags;

	if (!pskb_may_pull(skb, TOYTCP_HDR_LEN))
		return ERR_PTR(-EINVAL);
	th = (struct toytcp_hdr *)skb_transport_header(skb);
	hlen = (th->doff_res >> 4) * 4;
	if (hlen < TOYTCP_HDR_LEN || !pskb_may_pull(skb, hlen))
		return ERR_PTR(-EINVAL);
	th = (struct toytcp_hdr *)skb_transport_header(skb);
	seq = ntohl(th->seq);
	flags = th->flags;
	__skb_pull(skb, hlen);
	/* Every piece's checksum is ours to compute: none by the device. */
	segs = skb_segment(skb, features & ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK));
	if (IS_ERR_OR_NULL(segs))
		return segs;
	for (seg = segs; seg; seg = seg->next) {
		toytcp_gso_fix(seg, seq, !seg->next, flags);
		seq += seg->len - skb_transport_offset(seg) - hlen;
	}
	return segs;
}

static const struct net_offload toytcp_offload = {
	.callbacks = {
		.gso_segment = toytcp_gso_segment,
	},
};

/**
 * toytcp_gso_init() - register protocol 253's segmentation offload
 *
 * Return: 0, or -EEXIST when another module holds protocol 253's.
 */
int toytcp_gso_init(void)
{
	return inet_add_offload(&toytcp_offload, TOYTCP_IPPROTO);
}

/**
 * toytcp_gso_exit() - unregister it (inet_del_offload() waits for users)
 */
void toytcp_gso_exit(void)
{
	inet_del_offload(&toytcp_offload, TOYTCP_IPPROTO);
}
