// SPDX-License-Identifier: GPL-2.0
/*
 * The wire codec: check a received segment and fill in one to send.
 *
 * The checksum is TCP's (RFC 793 §3.1) with protocol 6 replaced by 253: the
 * one's complement sum over the IPv4 pseudo-header (source, destination,
 * zero, protocol, segment length), the header and the payload. It is
 * verified in software, a device's CHECKSUM_UNNECESSARY notwithstanding:
 * that speaks of TCP and UDP, and says nothing of protocol 253. One kind
 * of segment is spared: a large one (gso.c), which toytcp built and
 * checksummed in this kernel and handed over through memory (loopback, a
 * veth), never a wire, as Linux TCP does not verify its own packets on a
 * veth either (toytcp_wire_csum_known()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#include <net/ip.h>
#include "toytcp.h"
#include "wire.h"

static __sum16 toytcp_wire_csum(__be32 saddr, __be32 daddr, unsigned int len,
				__wsum sum)
{
	return csum_tcpudp_magic(saddr, daddr, len, TOYTCP_IPPROTO, sum);
}

/*
 * The option list (RFC 9293 §3.1): kind 0 ends it, kind 1 is one byte of
 * padding, every other kind has a length byte that counts kind and length.
 * Only MSS (kind 2, length 4) is read, and only on a SYN (MUST-65: "TCP
 * implementations MUST be prepared to handle an illegal option length");
 * every other kind is skipped by its length (MUST-64), and a length that
 * is too short or runs past the header ends the list, as Linux's
 * tcp_parse_options() does.
 */
static u16 toytcp_wire_options(const u8 *opt, unsigned int len)
{
	u16 mss = 0;

	while (len) {
		u8 kind = opt[0], olen;

		if (kind == TOYTCP_OPT_EOL)
			break;
		if (kind == TOYTCP_OPT_NOP) {
			opt++;
			len--;
			continue;
		}
		if (len < 2)
			break;
		olen = opt[1];
		if (olen < 2 || olen > len)
			break;
		if (kind == TOYTCP_OPT_MSS && olen == TOYTCP_OPT_MSS_LEN)
			mss = get_unaligned_be16(opt + 2);
		opt += olen;
		len -= olen;
	}
	return mss;
}

/* Decode a header whose length and checksum have been checked. */
static void toytcp_wire_decode(const struct toytcp_hdr *th, unsigned int len,
			       __be32 saddr, __be32 daddr, struct toytcp_seg *seg)
{
	seg->saddr = saddr;
	seg->daddr = daddr;
	seg->sport = th->source;
	seg->dport = th->dest;
	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->wnd = ntohs(th->window);
	seg->flags = th->flags;
	seg->doff = (th->doff_res >> 4) * 4;
	seg->len = len - seg->doff;
	seg->mss = 0;
	if (seg->flags & TOYTCP_SYN)
		seg->mss = toytcp_wire_options((const u8 *)(th + 1),
					       seg->doff - TOYTCP_HDR_LEN);
}

/* The length checks of SPEC §1, before anything else is read. */
static enum toytcp_wire_err toytcp_wire_check_len(const struct toytcp_hdr *th,
						  unsigned int len)
{
	unsigned int doff;

	if (len < TOYTCP_HDR_LEN)
		return TOYTCP_WIRE_SHORT;
	doff = (th->doff_res >> 4) * 4;
	if (doff < TOYTCP_HDR_LEN || doff > len)
		return TOYTCP_WIRE_BAD_DOFF;
	return TOYTCP_WIRE_OK;
}

/**
 * toytcp_wire_check() - check a segment in a flat buffer and decode it
 * @buf: the segment, header first
 * @len: its length in bytes (the IP payload length)
 * @saddr: IP source address, for the pseudo-header
 * @daddr: IP destination address, for the pseudo-header
 * @seg: the decoded segment, on success
 *
 * Options (data offset > 5) are parsed for MSS on a SYN, and skipped:
 * @seg->doff points past them.
 *
 * Return: TOYTCP_WIRE_OK or why the segment must be dropped.
 */
enum toytcp_wire_err toytcp_wire_check(const void *buf, unsigned int len,
				       __be32 saddr, __be32 daddr,
				       struct toytcp_seg *seg)
{
	const struct toytcp_hdr *th = buf;
	enum toytcp_wire_err err;

	err = toytcp_wire_check_len(th, len);
	if (err)
		return err;
	if (toytcp_wire_csum(saddr, daddr, len, csum_partial(buf, len, 0)))
		return TOYTCP_WIRE_BAD_CSUM;
	toytcp_wire_decode(th, len, saddr, daddr, seg);
	return TOYTCP_WIRE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_wire_check);

/*
 * A large segment toytcp_gso_mark() marked: built whole by toytcp in this
 * kernel, its checksum computed over all of it then, and sent only where
 * it reaches toytcp without meeting a wire (toytcp_gso_max()). Nothing
 * else gives a protocol-253 packet both marks: a device's
 * CHECKSUM_UNNECESSARY is for TCP and UDP, and no GRO joins protocol 253
 * segments. Should one be cut on its way (netem, say), its pieces have
 * their own checksums and CHECKSUM_NONE, and are verified.
 */
static bool toytcp_wire_csum_known(const struct sk_buff *skb)
{
	return skb_is_gso(skb) && skb->ip_summed == CHECKSUM_UNNECESSARY;
}

/**
 * toytcp_wire_parse() - check a received segment and decode it
 * @skb: the packet at LOCAL_IN, IP header at skb->data
 * @seg: the decoded segment, on success
 *
 * On success the header is in the linear area and skb's transport header
 * is set; the payload is at skb_transport_offset(skb) + @seg->doff.
 *
 * Return: TOYTCP_WIRE_OK or why the segment must be dropped.
 */
enum toytcp_wire_err toytcp_wire_parse(struct sk_buff *skb, struct toytcp_seg *seg)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = ip_hdrlen(skb);
	unsigned int len = skb->len - off;
	const struct toytcp_hdr *th;
	enum toytcp_wire_err err;

	if (!pskb_may_pull(skb, off + TOYTCP_HDR_LEN))
		return TOYTCP_WIRE_SHORT;
	skb_set_transport_header(skb, off);
	th = (const struct toytcp_hdr *)skb_transport_header(skb);
	err = toytcp_wire_check_len(th, len);
	if (err)
		return err;
	iph = ip_hdr(skb);
	if (!toytcp_wire_csum_known(skb) &&
	    toytcp_wire_csum(iph->saddr, iph->daddr, len,
			     skb_checksum(skb, off, len, 0)))
		return TOYTCP_WIRE_BAD_CSUM;
	toytcp_wire_decode(th, len, iph->saddr, iph->daddr, seg);
	return TOYTCP_WIRE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_wire_parse);

/**
 * toytcp_wire_fill_hdr() - write a header, its checksum left 0
 * @th: toytcp_wire_hdr_len(@mss) bytes
 * @sport: source port (network order)
 * @dport: destination port (network order)
 * @seq: sequence number
 * @ack: acknowledgment number (sent as 0 without TOYTCP_ACK)
 * @flags: control bits
 * @wnd: window to advertise
 * @mss: the MSS option to carry; 0 for none
 *
 * SPEC §1: a SYN or SYN,ACK carries exactly one option, MSS (data offset
 * 6); every other segment none (data offset 5). The caller passes @mss
 * only for those. toytcp_wire_set_csum() finishes the header.
 */
void toytcp_wire_fill_hdr(struct toytcp_hdr *th, __be16 sport, __be16 dport,
			  u32 seq, u32 ack, u8 flags, u16 wnd, u16 mss)
{
	unsigned int hlen = toytcp_wire_hdr_len(mss);
	u8 *opt = (u8 *)(th + 1);

	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(flags & TOYTCP_ACK ? ack : 0);
	th->doff_res = (hlen / 4) << 4;
	th->flags = flags;
	th->window = htons(wnd);
	th->check = 0;
	th->urg_ptr = 0;
	if (mss) {
		opt[0] = TOYTCP_OPT_MSS;
		opt[1] = TOYTCP_OPT_MSS_LEN;
		put_unaligned_be16(mss, opt + 2);
	}
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_wire_fill_hdr);

/**
 * toytcp_wire_set_csum() - the checksum of a filled header and its payload
 * @th: the header, its checksum 0
 * @len: header plus payload, in bytes
 * @saddr: IP source address
 * @daddr: IP destination address
 * @payload: csum_partial() of the payload (0 for none)
 */
void toytcp_wire_set_csum(struct toytcp_hdr *th, unsigned int len,
			  __be32 saddr, __be32 daddr, __wsum payload)
{
	unsigned int hlen = (th->doff_res >> 4) * 4;

	th->check = toytcp_wire_csum(saddr, daddr, len,
				     csum_partial(th, hlen, payload));
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_wire_set_csum);
