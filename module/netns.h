/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_NETNS_H
#define _TOYTCP_NETNS_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "conn.h"
#include "stats.h"
#include "timewait.h"

/* Buckets of the bound-port table. */
#define TOYTCP_PORT_HASH	64

/**
 * struct toytcp_net - toytcp's state in one network namespace
 * @net: the namespace (not refcounted: we live and die with it)
 * @enabled: the hook takes protocol-253 segments (ctl enable/disable);
 *           read locklessly on the packet path
 * @mib: per-CPU counters for /proc/toytcp/stats
 * @table: the namespace's connections and listeners
 * @tw: its connections in TIME_WAIT (timewait.c)
 * @orphans: connections whose socket closed before they ended (sock.c)
 * @ports_lock: protects @ports
 * @ports: sockets bound to a local port, hashed by port (sock.c)
 */
struct toytcp_net {
	struct net *net;
	bool enabled;
	struct toytcp_mib __percpu *mib;
	struct toytcp_table table;
	struct toytcp_tw_table tw;
	atomic_t orphans;
	spinlock_t ports_lock;
	struct hlist_head ports[TOYTCP_PORT_HASH];
};

extern unsigned int toytcp_net_id;

static inline struct toytcp_net *toytcp_pernet(const struct net *net)
{
	return net_generic(net, toytcp_net_id);
}

int toytcp_netns_init(void);
void toytcp_netns_exit(void);

#endif /* _TOYTCP_NETNS_H */
