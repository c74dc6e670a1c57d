// SPDX-License-Identifier: GPL-2.0
/*
 * toytcp: a TCP variant on IP protocol 253, for watching RFC 793 at work.
 *
 * Load order, and its reverse on unload:
 *   1. validate the module parameters;
 *   2. per-namespace state and netfilter hooks, in every namespace;
 *   3. /proc/toytcp, last in so that ctl never finds a namespace unset.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include "netns.h"
#include "params.h"
#include "proc.h"
#include "toytcp.h"

static int __init toytcp_init(void)
{
	u16 ports[TOYTCP_MAX_LISTEN_PARAM];
	int ret;

	ret = toytcp_params_listen_ports(ports, ARRAY_SIZE(ports));
	if (ret < 0) {
		pr_err("listen=: expected up to %d comma-separated ports 1..65535\n",
		       TOYTCP_MAX_LISTEN_PARAM);
		return -EINVAL;
	}

	ret = toytcp_netns_init();
	if (ret)
		goto err_netns;

	ret = toytcp_proc_init();
	if (ret)
		goto err_proc;

	pr_info("loaded: IP protocol %d, msl_ms=%u rto_ms=%u\n", TOYTCP_IPPROTO,
		toytcp_msl_ms, toytcp_rto_ms);
	return 0;

err_proc:
	toytcp_netns_exit();
err_netns:
	return ret;
}

static void __exit toytcp_exit(void)
{
	toytcp_proc_exit();
	toytcp_netns_exit();
	/* Wait for call_rcu() callbacks that still point into this module. */
	rcu_barrier();
	pr_info("unloaded\n");
}

module_init(toytcp_init);
module_exit(toytcp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("toytcp: a TCP variant on IP protocol 253");
