/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The out-of-order queue: segments that arrived ahead of a hole. See ofo.c.
 */
#ifndef _TOYTCP_OFO_H
#define _TOYTCP_OFO_H

#include <linux/rbtree.h>
#include <linux/skbuff.h>
#include "compat.h"

/**
 * struct toytcp_ofo_cb - what the queue knows of a segment, in skb->cb
 * @seq: the sequence number of its first byte of payload
 * @len: payload bytes kept (what fit in the window)
 * @off: where that payload starts, from skb->data
 * @fin: a FIN follows the payload
 */
struct toytcp_ofo_cb {
	u32 seq;
	u32 len;
	u16 off;
	bool fin;
};

#define TOYTCP_OFO_CB(skb)	((struct toytcp_ofo_cb *)(skb)->cb)

/* The sequence number after a queued segment (its FIN counted). */
static inline u32 toytcp_ofo_end(const struct sk_buff *skb)
{
	const struct toytcp_ofo_cb *cb = (const void *)skb->cb;

	return cb->seq + cb->len + cb->fin;
}

/**
 * struct toytcp_ofo - one connection's out-of-order queue
 * @root: the segments by sequence number; none covers another
 * @mem: their truesize, bounded by TOYTCP_OFO_MEM_MAX
 */
struct toytcp_ofo {
	struct rb_root root;
	u32 mem;
};

/*
 * What one connection may hold out of order, counted as Linux counts a
 * receive buffer (skb truesize): its default tcp_rmem[1], 128 KiB.
 */
#define TOYTCP_OFO_MEM_MAX	(128 * 1024)

/* What became of a segment offered to the queue. */
enum toytcp_ofo_result {
	TOYTCP_OFO_QUEUED,	/* kept (TCPOFOQueue) */
	TOYTCP_OFO_MERGED,	/* all of it is queued already (TCPOFOMerge) */
	TOYTCP_OFO_FULL,	/* no room (TCPOFODrop) */
};

enum toytcp_ofo_result toytcp_ofo_insert(struct toytcp_ofo *ofo,
					 struct sk_buff *skb);
struct sk_buff *toytcp_ofo_ready(struct toytcp_ofo *ofo, u32 rcv_nxt);
void toytcp_ofo_unlink(struct toytcp_ofo *ofo, struct sk_buff *skb);
void toytcp_ofo_purge(struct toytcp_ofo *ofo);

#endif /* _TOYTCP_OFO_H */
