/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection object and the per-namespace connection table.
 */
#ifndef _TOYTCP_CONN_H
#define _TOYTCP_CONN_H

#include <linux/hrtimer.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include "compat.h"
#include "delack.h"
#include "fsm.h"
#include "ofo.h"
#include "rtt.h"

/**
 * struct toytcp_key - a connection's 4-tuple, the table's key
 * @laddr: local address
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 *
 * Network byte order, no padding. A listener's key is 0.0.0.0:PORT with
 * remote 0.0.0.0:0, which no connection can have.
 */
struct toytcp_key {
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
};

/* What the connection's one timer is armed for (see timers.c). */
enum toytcp_timer_kind {
	TOYTCP_TIMER_NONE,
	TOYTCP_TIMER_KIND_RTX,
	TOYTCP_TIMER_KIND_FIN_WAIT2,
};

struct toytcp_net;

/**
 * struct toytcp_ack_limit - rate limits of the ACKs a peer can provoke
 * @challenge_stamp: jiffies (low 32 bits) when the current challenge-ACK
 *                   second began (0: never)
 * @oow_stamp: jiffies (low 32 bits) of the last ACK to an out-of-window
 *             segment (0: none)
 * @challenge_count: challenge ACKs sent in that second
 */
struct toytcp_ack_limit {
	u32 challenge_stamp;
	u32 oow_stamp;
	u8 challenge_count;
};

/**
 * struct toytcp_conn - one connection, or a listener (tcb.state LISTEN)
 * @node: in the namespace's table
 * @key: the 4-tuple
 * @tn: the namespace's toytcp state
 * @refcnt: the table holds one reference, each armed timer another, and
 *          the socket that owns it one more
 * @lock: protects everything below; taken with spin_lock_bh() (the timer
 *        runs in softirq context)
 * @dead: out of the table; the timer must not be armed again
 * @echo: send back what arrives (from `listen PORT echo`)
 * @charged: counted against max_conns (see toytcp_conn_charge())
 * @orphan: its socket closed before it did: counted in the namespace's
 *          orphans until it ends (sock.c)
 * @sk: the socket that owns it (sock.c), NULL for a connection of ctl or
 *      an orphan; set and cleared under @lock. The socket holds a
 *      reference on the connection, never the other way round
 * @err: why it ended, for its socket: -ECONNREFUSED, -ECONNRESET, -EPIPE,
 *       -ETIMEDOUT (0: an orderly end)
 * @backlog: a listener: the most children in SYN_RECV (0: the `backlog`
 *           parameter; a socket's listen(backlog) sets it)
 * @tcb: the RFC 793 variables
 * @sndbuf: the bytes of tcb.snd_queued, a ring: the oldest (SND.UNA) at
 *          @sndbuf_head, wrapping at the end (toytcp_conn_snd_span())
 * @sndbuf_size: room in @sndbuf, a power of two
 * @sndbuf_head: where in @sndbuf the oldest byte is
 * @tx_bytes: bytes of data the peer acknowledged
 * @rx_bytes: bytes of data taken in order
 * @rx_crc: CRC-32 (as zlib computes it) of those bytes
 * @ofo: segments that arrived ahead of a hole (ofo.c)
 * @timer: the one timer; see timers.c
 * @timer_kind: what @timer is armed for (TOYTCP_TIMER_NONE: nothing)
 * @timer_ref: @timer holds a reference on the connection
 * @rtt: the RTT estimate and the retransmission timeout (rtt.c)
 * @ka_timer: the keepalive timer (timers.c), its own beside @timer
 * @ka_ref: @ka_timer holds a reference on the connection
 * @ka_on: keepalive is on (`keepalive ... on`; a listener's children
 *         inherit it)
 * @ka_probes: keepalive probes sent since the peer was last heard
 * @ka_last: jiffies when the peer was last heard (an acceptable segment)
 * @delack: delayed ACKs (delack.c)
 * @dack_timer: the delayed-ACK timer (timers.c), the third
 * @dack_ref: @dack_timer holds a reference on the connection
 * @lsndtime: jiffies when it last sent a segment of data (0: never):
 *            congestion control restarts after a silence (cc.c)
 * @retries: retransmissions since the last progress
 * @sock_owned: a socket owned it from the start (toytcp_sock_adopt()):
 *              a listener's children then need sockets of their own,
 *              and none is made once @sk is NULL (the socket closed)
 * @limit: rate limits of challenge ACKs and out-of-window ACKs
 * @parent: a passive child in SYN_RECV: its listener, referenced; the
 *          child takes one place of the listener's backlog until it
 *          leaves SYN_RECV
 * @qlen: a listener: its children in SYN_RECV (at most `backlog`)
 * @cookie_tick: a listener: toytcp_cookie_clock() + 1 when it last sent a
 *               SYN cookie (0: never)
 * @rcu: frees the connection after a grace period
 */
struct toytcp_conn {
	/* pahole: 512 bytes, 9 of them in holes; a field more may grow it. */
	struct rhash_head node;
	struct toytcp_key key;
	refcount_t refcnt;
	struct toytcp_net *tn;
	spinlock_t lock;
	bool dead;
	bool echo;
	bool charged;
	bool orphan;
	struct sock *sk;
	s16 err;
	u16 backlog;
	struct toytcp_tcb tcb;
	u8 *sndbuf;
	u32 sndbuf_size;
	u32 sndbuf_head;
	u64 tx_bytes;
	u64 rx_bytes;
	u32 rx_crc;
	enum toytcp_timer_kind timer_kind;
	struct toytcp_ofo ofo;
	struct hrtimer timer;
	struct toytcp_rtt rtt;
	bool timer_ref;
	bool ka_ref;
	bool ka_on;
	u8 ka_probes;
	struct hrtimer ka_timer;
	unsigned long ka_last;
	struct toytcp_delack delack;
	struct hrtimer dack_timer;
	bool dack_ref;
	u8 retries;
	bool sock_owned;
	atomic_t qlen;
	u32 cookie_tick;
	unsigned long lsndtime;
	struct toytcp_ack_limit limit;
	struct toytcp_conn *parent;
	struct rcu_head rcu;
};

/**
 * struct toytcp_table - the connections (and listeners) of one namespace
 * @ht: keyed by &struct toytcp_key; RCU lookups, per-bucket locks, resized
 *      as it grows and shrinks, hashed with a per-table random seed
 * @conns: connections charged against max_conns (listeners are not),
 *         those in TIME_WAIT included (timewait.c)
 */
struct toytcp_table {
	struct rhashtable ht;
	atomic_t conns;
};

int toytcp_table_init(struct toytcp_table *table);
void toytcp_table_destroy(struct toytcp_table *table);
struct toytcp_conn *toytcp_table_lookup(struct toytcp_table *table,
					const struct toytcp_key *key);
struct toytcp_conn *toytcp_table_lookup_listener(struct toytcp_table *table,
						 __be32 addr, __be16 port);
int toytcp_table_insert(struct toytcp_table *table, struct toytcp_conn *conn);
void toytcp_table_remove(struct toytcp_table *table, struct toytcp_conn *conn);
unsigned int toytcp_table_count(struct toytcp_table *table);
void toytcp_table_flush(struct toytcp_table *table);

struct toytcp_conn *toytcp_conn_alloc(struct toytcp_net *tn,
				      const struct toytcp_key *key, gfp_t gfp);
void toytcp_conn_put(struct toytcp_conn *conn);
int toytcp_conn_charge(struct toytcp_conn *conn);
void toytcp_conn_adopt(struct toytcp_conn *child, struct toytcp_conn *lst);
void toytcp_conn_state_changed(struct toytcp_conn *conn, enum toytcp_state old);
void toytcp_conn_event(struct toytcp_conn *conn, enum toytcp_event event);
void toytcp_conn_done(struct toytcp_conn *conn);
void toytcp_conn_destroy(struct toytcp_conn *conn);
/**
 * struct toytcp_span - bytes of a send queue, in one piece or two (the
 *                      ring wraps)
 * @p: where each piece is
 * @len: how long each is; @len[1] is 0 for one piece
 */
struct toytcp_span {
	u8 *p[2];
	u32 len[2];
};

int toytcp_conn_reserve(struct toytcp_conn *conn, u32 len);
int toytcp_conn_send_space(struct toytcp_conn *conn, u32 len,
			   struct toytcp_span *span);
void toytcp_conn_snd_span(const struct toytcp_conn *conn, u32 off, u32 len,
			  struct toytcp_span *span);
void toytcp_conn_ack_data(struct toytcp_conn *conn, u32 len);
u32 toytcp_conn_isn(const struct toytcp_key *key);
bool toytcp_challenge_allowed(struct toytcp_ack_limit *limit, unsigned long now);
bool toytcp_oow_allowed(struct toytcp_ack_limit *limit, unsigned long now);

/* Challenge ACKs one connection may send in any second (RFC 5961 §7). */
#define TOYTCP_CHALLENGE_PER_SEC	5

int toytcp_conn_cache_init(void);
void toytcp_conn_cache_exit(void);

/* Most bytes one connection queues for sending (send and echo). */
#define TOYTCP_SNDBUF_MAX	(256 * 1024)

#if IS_ENABLED(CONFIG_KUNIT)
void toytcp_conn_set_state(struct toytcp_conn *conn, enum toytcp_state state);
#endif

#endif /* _TOYTCP_CONN_H */
