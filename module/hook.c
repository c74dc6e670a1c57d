// SPDX-License-Identifier: GPL-2.0
/*
 * Where a segment enters: a netfilter hook at IPv4 LOCAL_IN in each
 * namespace. It takes protocol-253 packets addressed to this host while
 * toytcp is enabled in the namespace, and nothing else; everything else,
 * including protocol 253 while disabled, goes on untouched to the rest of
 * the stack (so raw sockets see it). ICMP messages are shown to icmp.c on
 * the way, which only reads them: an error may be about one of our
 * segments.
 *
 * LOCAL_IN runs after reassembly, so a segment arrives whole.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include "hook.h"
#include "icmp.h"
#include "input.h"
#include "netns.h"
#include "toytcp.h"

static unsigned int toytcp_nf_local_in(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	u8 protocol = ip_hdr(skb)->protocol;
	struct toytcp_net *tn;

	if (protocol != TOYTCP_IPPROTO && protocol != IPPROTO_ICMP)
		return NF_ACCEPT;
	tn = toytcp_pernet(state->net);
	if (!READ_ONCE(tn->enabled))
		return NF_ACCEPT;
	if (protocol == IPPROTO_ICMP) {
		toytcp_icmp_rcv(tn, skb);
		return NF_ACCEPT;
	}

	toytcp_input(tn, skb);
	return NF_STOLEN;
}

/* After the filter table, so iptables INPUT rules still apply to us. */
static const struct nf_hook_ops toytcp_nf_ops[] = {
	{
		.hook		= toytcp_nf_local_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER + 1,
	},
};

/**
 * toytcp_hook_register() - start taking segments in a namespace
 * @net: the namespace
 *
 * Return: 0 or a negative errno.
 */
int toytcp_hook_register(struct net *net)
{
	return nf_register_net_hooks(net, toytcp_nf_ops,
				     ARRAY_SIZE(toytcp_nf_ops));
}

/**
 * toytcp_hook_unregister() - stop taking segments in a namespace
 * @net: the namespace
 *
 * Waits until no CPU is inside the hook any more.
 */
void toytcp_hook_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, toytcp_nf_ops, ARRAY_SIZE(toytcp_nf_ops));
}
