// SPDX-License-Identifier: GPL-2.0
/*
 * A segment's path through toytcp, once the hook has taken it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/skbuff.h>
#include "input.h"
#include "netns.h"

/**
 * toytcp_input() - receive one protocol-253 segment
 * @tn: the namespace it arrived in
 * @skb: the segment, IP header first; consumed
 *
 * Called from the netfilter hook in softirq context.
 */
void toytcp_input(struct toytcp_net *tn, struct sk_buff *skb)
{
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_INSEGS);
	consume_skb(skb);
}
