// SPDX-License-Identifier: GPL-2.0
/*
 * toytcp: a TCP variant on IP protocol 253, for watching RFC 793 at work.
 *
 * Load order, and its reverse on unload:
 *   1. validate the module parameters;
 *   2. the connection and TIME_WAIT slabs, and the ISN secret;
 *   3. protocol 253's segmentation offload (gso.c), before anything sends;
 *   4. per-namespace state and netfilter hooks, in every namespace;
 *   5. /proc/toytcp, so that ctl never finds a namespace unset;
 *   6. the listeners of the `listen` parameter, in the initial namespace.
 *
 * Unload: remove /proc/toytcp (waits for ctl writers), then every
 * namespace's teardown (netns.c: unhook, stop re-arming, cancel timers,
 * free), the offload, then rcu_barrier() for the RCU frees of tws and
 * connections, and their slabs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include "conn.h"
#include "cookie.h"
#include "gso.h"
#include "netns.h"
#include "params.h"
#include "proc.h"
#include "sock.h"
#include "timewait.h"
#include "toytcp.h"
#include "user.h"

/* The `listen` parameter: listeners in the initial namespace. */
static int __init toytcp_listen_ports(const u16 *ports, int n)
{
	struct toytcp_net *tn = toytcp_pernet(&init_net);
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = toytcp_user_listen(tn, htons(ports[i]), false);
		if (ret) {
			pr_err("listen=: cannot listen on port %u: %d\n", ports[i], ret);
			return ret;
		}
	}
	return 0;
}

static int __init toytcp_init(void)
{
	u16 ports[TOYTCP_MAX_LISTEN_PARAM];
	int n, ret;

	ret = toytcp_params_listen_ports(ports, ARRAY_SIZE(ports));
	if (ret < 0) {
		pr_err("listen=: expected up to %d comma-separated ports 1..65535\n",
		       TOYTCP_MAX_LISTEN_PARAM);
		return -EINVAL;
	}

	n = ret;
	toytcp_cookie_init();

	ret = toytcp_conn_cache_init();
	if (ret)
		goto err_cache;

	ret = toytcp_tw_cache_init();
	if (ret)
		goto err_tw_cache;

	ret = toytcp_gso_init();
	if (ret)
		goto err_gso;

	ret = toytcp_netns_init();
	if (ret)
		goto err_netns;

	ret = toytcp_proc_init();
	if (ret)
		goto err_proc;

	ret = toytcp_listen_ports(ports, n);
	if (ret)
		goto err_listen;

	ret = toytcp_sock_init();
	if (ret)
		goto err_listen;

	pr_info("loaded: IP protocol %d, msl_ms=%u rto_ms=%u\n", TOYTCP_IPPROTO,
		toytcp_msl_ms, toytcp_rto_ms);
	return 0;

err_listen:
	toytcp_proc_exit();
err_proc:
	toytcp_netns_exit();
err_netns:
	toytcp_gso_exit();
err_gso:
	toytcp_tw_cache_exit();
err_tw_cache:
	toytcp_conn_cache_exit();
err_cache:
	return ret;
}

static void __exit toytcp_exit(void)
{
	toytcp_sock_exit();
	toytcp_proc_exit();
	toytcp_netns_exit();
	toytcp_gso_exit();
	toytcp_tw_cache_exit();
	toytcp_conn_cache_exit();
	pr_info("unloaded\n");
}

module_init(toytcp_init);
module_exit(toytcp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("toytcp: a TCP variant on IP protocol 253");
