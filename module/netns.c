// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace life cycle. Every network namespace gets a struct
 * toytcp_net (through net_generic()) and its own netfilter hook, so
 * namespaces never see each other's segments, counters or switches.
 *
 * Teardown of one namespace, in this order:
 *   pre_exit  unhook: no new segment enters (nf_unregister_net_hooks()
 *             waits for the ones in flight);
 *   exit      end every connection: each is marked dead so that its timer
 *             is not armed again, its timer is cancelled and waited for,
 *             and it leaves the table; then free the table. The same for
 *             TIME_WAIT: the table is marked dead, its one timer cancelled
 *             and waited for, every tw freed with the table. Then the
 *             counters. The connections' memory goes after an RCU grace
 *             period (module exit waits for it with rcu_barrier()).
 * No user call can come in meanwhile: /proc/toytcp acts on the caller's
 * namespace, and a namespace with a process in it does not exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "hook.h"
#include "netns.h"

unsigned int toytcp_net_id __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(toytcp_net_id);

static int __net_init toytcp_net_init(struct net *net)
{
	struct toytcp_net *tn = toytcp_pernet(net);
	int ret;

	tn->net = net;
	tn->enabled = true;
	spin_lock_init(&tn->ports_lock);
	tn->mib = alloc_percpu(struct toytcp_mib);
	if (!tn->mib)
		return -ENOMEM;

	ret = toytcp_table_init(&tn->table);
	if (ret)
		goto err_table;

	ret = toytcp_tw_init(&tn->tw);
	if (ret)
		goto err_tw;

	ret = toytcp_hook_register(net);
	if (ret)
		goto err_hook;
	return 0;

err_hook:
	toytcp_tw_flush(&tn->tw);
err_tw:
	toytcp_table_destroy(&tn->table);
err_table:
	free_percpu(tn->mib);
	return ret;
}

static void __net_exit toytcp_net_pre_exit(struct net *net)
{
	toytcp_hook_unregister(net);
}

static void __net_exit toytcp_net_exit(struct net *net)
{
	struct toytcp_net *tn = toytcp_pernet(net);

	toytcp_table_flush(&tn->table);
	toytcp_table_destroy(&tn->table);
	toytcp_tw_flush(&tn->tw);
	free_percpu(tn->mib);
}

static struct pernet_operations toytcp_net_ops = {
	.init		= toytcp_net_init,
	.pre_exit	= toytcp_net_pre_exit,
	.exit		= toytcp_net_exit,
	.id		= &toytcp_net_id,
	.size		= sizeof(struct toytcp_net),
};

/**
 * toytcp_netns_init() - set toytcp up in every namespace, present and future
 *
 * Return: 0 or a negative errno.
 */
int toytcp_netns_init(void)
{
	return register_pernet_subsys(&toytcp_net_ops);
}

/**
 * toytcp_netns_exit() - tear toytcp down in every namespace
 */
void toytcp_netns_exit(void)
{
	unregister_pernet_subsys(&toytcp_net_ops);
}
