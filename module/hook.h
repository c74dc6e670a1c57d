/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_HOOK_H
#define _TOYTCP_HOOK_H

#include <linux/skbuff.h>
#include <net/route.h>

struct net;

int toytcp_hook_register(struct net *net);
void toytcp_hook_unregister(struct net *net);

/*
 * Is @skb addressed to this host alone? Not broadcast or multicast, at the
 * link or at IP: no connection is addressed so (Linux's
 * tcp_v4_conn_request() drops those too).
 */
static inline bool toytcp_hook_unicast(struct sk_buff *skb)
{
	return skb->pkt_type == PACKET_HOST &&
	       !(skb_rtable(skb) &&
		 skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST));
}

#endif /* _TOYTCP_HOOK_H */
