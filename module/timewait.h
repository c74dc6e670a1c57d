/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TIME_WAIT in an object of its own (timewait.c).
 */
#ifndef _TOYTCP_TIMEWAIT_H
#define _TOYTCP_TIMEWAIT_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include "conn.h"

/**
 * struct toytcp_tw - what is left of a connection in TIME_WAIT
 * @node: in the namespace's TIME_WAIT table
 * @key: the 4-tuple
 * @snd_nxt: SND.NXT, which is also SND.UNA: our FIN was acknowledged
 * @rcv_nxt: RCV.NXT, one past the peer's FIN
 * @rcv_wnd: the window it advertises
 * @snd_wnd: the peer's last window (shown in conns)
 * @dead: out of the table; set under the namespace's TIME_WAIT lock
 * @charged: holds its connection's place under max_conns
 * @limit: rate limits of the ACKs a peer can make it send
 * @rx_crc: the connection's CRC-32 of the data it took (conns)
 * @expires: when TIME_WAIT ends (CLOCK_MONOTONIC)
 * @tx_bytes: data bytes the peer acknowledged (conns)
 * @rx_bytes: data bytes taken in order (conns)
 * @list: in the namespace's list, by @expires
 * @rcu: frees it after a grace period, once out of the list
 */
struct toytcp_tw {
	struct rhash_head node;
	struct toytcp_key key;
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;
	u16 snd_wnd;
	bool dead;
	bool charged;
	struct toytcp_ack_limit limit;
	u32 rx_crc;
	ktime_t expires;
	u64 tx_bytes;
	u64 rx_bytes;
	union {
		struct list_head list;
		struct rcu_head rcu;
	};
};

/**
 * struct toytcp_tw_table - the connections of one namespace in TIME_WAIT
 * @ht: keyed by &struct toytcp_key; RCU lookups
 * @lock: protects @list, @timer, @dead and every tw's fields
 * @list: every tw, the first to expire first
 * @timer: armed for the first of @list
 * @count: how many (at most max_timewait)
 * @dead: the namespace is going: the timer is not armed again
 */
struct toytcp_tw_table {
	struct rhashtable ht;
	spinlock_t lock;
	struct list_head list;
	struct hrtimer timer;
	atomic_t count;
	bool dead;
};

struct toytcp_net;
struct toytcp_seg;

int toytcp_tw_init(struct toytcp_tw_table *twt);
void toytcp_tw_flush(struct toytcp_tw_table *twt);
bool toytcp_tw_enter(struct toytcp_conn *conn);
struct toytcp_tw *toytcp_tw_lookup(struct toytcp_tw_table *twt,
				   const struct toytcp_key *key);
bool toytcp_tw_input(struct toytcp_net *tn, struct toytcp_tw *tw,
		     const struct toytcp_seg *seg, u32 *iss);
int toytcp_tw_abort(struct toytcp_net *tn, const struct toytcp_key *key);
bool toytcp_tw_exists(struct toytcp_net *tn, const struct toytcp_key *key);
bool toytcp_tw_snapshot(struct toytcp_net *tn, struct toytcp_tw *tw,
			struct toytcp_tw *copy, s64 *ms_left);
void toytcp_tw_tcb(const struct toytcp_tw *tw, struct toytcp_tcb *tcb);
int toytcp_tw_cache_init(void);
void toytcp_tw_cache_exit(void);

#endif /* _TOYTCP_TIMEWAIT_H */
