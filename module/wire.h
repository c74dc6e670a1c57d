/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire format (SPEC §1): a TCP header, byte for byte, on IP protocol 253.
 */
#ifndef _TOYTCP_WIRE_H
#define _TOYTCP_WIRE_H

#include <linux/types.h>
#include "compat.h"

/* Control bits, as in the header's 13th byte. */
#define TOYTCP_FIN	0x01
#define TOYTCP_SYN	0x02
#define TOYTCP_RST	0x04
#define TOYTCP_PSH	0x08
#define TOYTCP_ACK	0x10
#define TOYTCP_URG	0x20
#define TOYTCP_ECE	0x40
#define TOYTCP_CWR	0x80

/**
 * struct toytcp_hdr - the segment header as it is on the wire
 * @source: source port
 * @dest: destination port
 * @seq: sequence number
 * @ack_seq: acknowledgment number
 * @doff_res: data offset in 32-bit words (high nibble), 4 reserved bits
 * @flags: CWR ECE URG ACK PSH RST SYN FIN
 * @window: receive window
 * @check: checksum over the pseudo-header, header and payload
 * @urg_ptr: urgent pointer (never used)
 */
struct toytcp_hdr {
	__be16 source;
	__be16 dest;
	__be32 seq;
	__be32 ack_seq;
	u8 doff_res;
	u8 flags;
	__be16 window;
	__sum16 check;
	__be16 urg_ptr;
} __packed;

#define TOYTCP_HDR_LEN		20

/* Options (RFC 9293 §3.1): the only one toytcp sends is MSS, on a SYN. */
#define TOYTCP_OPT_EOL		0
#define TOYTCP_OPT_NOP		1
#define TOYTCP_OPT_MSS		2
#define TOYTCP_OPT_MSS_LEN	4

/* The header's length with the MSS option @mss, or none when it is 0. */
static inline unsigned int toytcp_wire_hdr_len(u16 mss)
{
	return TOYTCP_HDR_LEN + (mss ? TOYTCP_OPT_MSS_LEN : 0);
}

/**
 * struct toytcp_seg - a received segment, checked and in host byte order
 * @saddr: source address (network order)
 * @daddr: destination address (network order)
 * @sport: source port (network order)
 * @dport: destination port (network order)
 * @seq: SEG.SEQ
 * @ack: SEG.ACK (meaningful with TOYTCP_ACK)
 * @wnd: SEG.WND
 * @flags: control bits
 * @doff: where the payload starts, in bytes from the header
 * @len: payload bytes (SEG.LEN less SYN and FIN)
 * @mss: a SYN's MSS option; 0 when it has none
 */
struct toytcp_seg {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	u32 seq;
	u32 ack;
	u16 wnd;
	u8 flags;
	u16 doff;
	u32 len;
	u16 mss;
};

/* SEG.LEN of RFC 793: payload plus one for each of SYN and FIN. */
static inline u32 toytcp_seg_seqlen(const struct toytcp_seg *seg)
{
	return seg->len + !!(seg->flags & TOYTCP_SYN) + !!(seg->flags & TOYTCP_FIN);
}

/* Why a segment failed toytcp_wire_check(). */
enum toytcp_wire_err {
	TOYTCP_WIRE_OK,
	TOYTCP_WIRE_SHORT,	/* shorter than a header */
	TOYTCP_WIRE_BAD_DOFF,	/* data offset < 5 or past the end */
	TOYTCP_WIRE_BAD_CSUM,	/* checksum does not verify */
};

enum toytcp_wire_err toytcp_wire_check(const void *buf, unsigned int len,
				       __be32 saddr, __be32 daddr,
				       struct toytcp_seg *seg);
void toytcp_wire_fill_hdr(struct toytcp_hdr *th, __be16 sport, __be16 dport,
			  u32 seq, u32 ack, u8 flags, u16 wnd, u16 mss);
void toytcp_wire_set_csum(struct toytcp_hdr *th, unsigned int len,
			  __be32 saddr, __be32 daddr, __wsum payload);

struct sk_buff;
enum toytcp_wire_err toytcp_wire_parse(struct sk_buff *skb, struct toytcp_seg *seg);

#endif /* _TOYTCP_WIRE_H */
