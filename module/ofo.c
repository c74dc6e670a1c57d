// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-order queue. A segment that starts past RCV.NXT but lies in
 * the window is kept here (the state machine says so: a verdict's @ofo)
 * instead of being dropped, and the duplicate ACK for RCV.NXT goes out at
 * once (RFC 5681 §4.2: "A TCP receiver SHOULD send an immediate duplicate
 * ACK when an out-of-order segment arrives"), so that the sender learns
 * of the hole. When a segment fills the hole, what the queue holds from
 * there on is taken in order (toytcp_ofo_ready()), FIN included, and one
 * ACK covers it all: one loss no longer costs everything sent behind it.
 *
 * As Linux's out_of_order_queue: a red-black tree of skbs by sequence
 * number, where no segment covers another (a segment already covered is
 * not kept; one that covers others replaces them), and partial overlaps
 * are left for delivery to skip. Its memory (truesize) is bounded per
 * connection; past the bound, a segment is dropped, as if lost.
 *
 * The queue neither locks nor counts: the caller holds the connection's
 * lock and keeps the counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "ofo.h"
#include "toytcp.h"

static void toytcp_ofo_erase(struct toytcp_ofo *ofo, struct sk_buff *skb)
{
	rb_erase(&skb->rbnode, &ofo->root);
	ofo->mem -= skb->truesize;
}

/*
 * After @skb is in: drop the segments after it that it covers. Since none
 * covers another, their ends grow with their starts: stop at the first
 * that reaches past @skb.
 */
static void toytcp_ofo_drop_covered(struct toytcp_ofo *ofo, struct sk_buff *skb)
{
	u32 end = toytcp_ofo_end(skb);
	struct sk_buff *next;

	while ((next = skb_rb_next(skb)) &&
	       toytcp_seq_le(toytcp_ofo_end(next), end)) {
		toytcp_ofo_erase(ofo, next);
		kfree_skb(next);
	}
}

/**
 * toytcp_ofo_insert() - keep a segment that arrived ahead of a hole
 * @ofo: the queue
 * @skb: the segment, its &struct toytcp_ofo_cb filled in; the queue takes
 *       it when the result is TOYTCP_OFO_QUEUED
 *
 * A segment whose sequence space the queue holds already is not kept: the
 * segment that starts at or before it (its predecessor) is the one that
 * could cover it. One that starts where a queued one does and reaches
 * further takes its place.
 *
 * Return: TOYTCP_OFO_QUEUED, TOYTCP_OFO_MERGED or TOYTCP_OFO_FULL.
 */
enum toytcp_ofo_result toytcp_ofo_insert(struct toytcp_ofo *ofo,
					 struct sk_buff *skb)
{
	struct rb_node **p = &ofo->root.rb_node, *parent = NULL;
	u32 seq = TOYTCP_OFO_CB(skb)->seq, end = toytcp_ofo_end(skb);

	if (ofo->mem + skb->truesize > TOYTCP_OFO_MEM_MAX)
		return TOYTCP_OFO_FULL;
	while (*p) {
		struct sk_buff *cur;

		parent = *p;
		cur = rb_to_skb(parent);
		if (toytcp_seq_lt(seq, TOYTCP_OFO_CB(cur)->seq)) {
			p = &parent->rb_left;
			continue;
		}
		if (toytcp_seq_le(end, toytcp_ofo_end(cur)))
			return TOYTCP_OFO_MERGED;
		if (seq == TOYTCP_OFO_CB(cur)->seq) {
			rb_replace_node(&cur->rbnode, &skb->rbnode, &ofo->root);
			ofo->mem += skb->truesize - cur->truesize;
			kfree_skb(cur);
			goto out;
		}
		p = &parent->rb_right;
	}
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &ofo->root);
	ofo->mem += skb->truesize;
out:
	toytcp_ofo_drop_covered(ofo, skb);
	return TOYTCP_OFO_QUEUED;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_ofo_insert);

/**
 * toytcp_ofo_ready() - the first queued segment, if it is now in order
 * @ofo: the queue
 * @rcv_nxt: RCV.NXT
 *
 * Segments that hold nothing past @rcv_nxt are dropped on the way. The
 * one returned stays queued: the caller takes what it holds from
 * @rcv_nxt on, then calls toytcp_ofo_unlink() and frees it.
 *
 * Return: a segment that starts at or before @rcv_nxt, or NULL (empty, or
 * a hole remains before the first).
 */
struct sk_buff *toytcp_ofo_ready(struct toytcp_ofo *ofo, u32 rcv_nxt)
{
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&ofo->root))) {
		if (toytcp_seq_lt(rcv_nxt, TOYTCP_OFO_CB(skb)->seq))
			return NULL;
		if (toytcp_seq_lt(rcv_nxt, toytcp_ofo_end(skb)))
			return skb;
		toytcp_ofo_erase(ofo, skb);
		kfree_skb(skb);
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_ofo_ready);

/**
 * toytcp_ofo_unlink() - take a segment out of the queue
 * @ofo: the queue
 * @skb: a segment toytcp_ofo_ready() returned; the caller frees it
 */
void toytcp_ofo_unlink(struct toytcp_ofo *ofo, struct sk_buff *skb)
{
	toytcp_ofo_erase(ofo, skb);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_ofo_unlink);

/**
 * toytcp_ofo_purge() - free everything queued
 * @ofo: the queue
 */
void toytcp_ofo_purge(struct toytcp_ofo *ofo)
{
	struct sk_buff *skb;

	while ((skb = skb_rb_first(&ofo->root))) {
		toytcp_ofo_erase(ofo, skb);
		kfree_skb(skb);
	}
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_ofo_purge);
