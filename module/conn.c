// SPDX-License-Identifier: GPL-2.0
/*
 * Connections and the per-namespace connection table.
 *
 * The table is an rhashtable keyed by the 4-tuple: lookups run under RCU
 * with no lock, inserts and removals take only the bucket's lock, and the
 * table grows and shrinks with the number of connections, so a lookup
 * costs the same with 10 connections or 1,000,000. Its hash (jhash) is
 * seeded with a random value per table. A listener sits in the same table
 * under the key 0.0.0.0:PORT <-> 0.0.0.0:0.
 *
 * A connection lives from its insertion to toytcp_conn_done(), which marks
 * it dead, takes it out of the table, stops its timer and drops the table's
 * reference. The memory goes back after an RCU grace period once the last
 * reference is gone, so a lookup under rcu_read_lock() may always take the
 * connection's lock and then check ->dead.
 *
 * Lock order: conn->lock, then the table's bucket locks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rhashtable.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/time.h>
#include <linux/timekeeping.h>
#include "conn.h"
#include "netns.h"
#include "params.h"
#include "sock.h"
#include "stream.h"
#include "stats.h"
#include "timers.h"
#include "timewait.h"
#include "trace.h"

static struct kmem_cache *toytcp_conn_cache __read_mostly;
static siphash_key_t toytcp_isn_secret __read_mostly;

static const struct rhashtable_params toytcp_table_params = {
	.key_len		= sizeof(struct toytcp_key),
	.key_offset		= offsetof(struct toytcp_conn, key),
	.head_offset		= offsetof(struct toytcp_conn, node),
	.automatic_shrinking	= true,
};

/**
 * toytcp_table_init() - set up an empty table
 * @table: the table
 *
 * Return: 0 or -ENOMEM.
 */
int toytcp_table_init(struct toytcp_table *table)
{
	atomic_set(&table->conns, 0);
	return rhashtable_init(&table->ht, &toytcp_table_params);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_init);

/**
 * toytcp_table_destroy() - free an empty table
 * @table: the table; every connection must be gone from it
 */
void toytcp_table_destroy(struct toytcp_table *table)
{
	WARN_ON(atomic_read(&table->ht.nelems));
	rhashtable_destroy(&table->ht);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_destroy);

/**
 * toytcp_table_lookup() - find a connection by its 4-tuple
 * @table: the table
 * @key: the 4-tuple
 *
 * Call under rcu_read_lock(); the connection may be dead: check under its lock.
 *
 * Return: the connection or NULL.
 */
struct toytcp_conn *toytcp_table_lookup(struct toytcp_table *table,
					const struct toytcp_key *key)
{
	return rhashtable_lookup(&table->ht, key, toytcp_table_params);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_lookup);

/**
 * toytcp_table_lookup_listener() - find the listener for an address and port
 * @table: the table
 * @addr: the local address the segment is for
 * @port: the local port (network order)
 *
 * A listener bound to @addr (a socket's bind()) comes first, then one on
 * any address. Call under rcu_read_lock().
 *
 * Return: the listener or NULL.
 */
struct toytcp_conn *toytcp_table_lookup_listener(struct toytcp_table *table,
						 __be32 addr, __be16 port)
{
	struct toytcp_key key = { .laddr = addr, .lport = port };
	struct toytcp_conn *lst = NULL;

	if (addr)
		lst = toytcp_table_lookup(table, &key);
	if (!lst) {
		key.laddr = 0;
		lst = toytcp_table_lookup(table, &key);
	}
	return lst;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_lookup_listener);

/**
 * toytcp_table_insert() - add a connection unless its 4-tuple is taken
 * @table: the table
 * @conn: the connection
 *
 * A 4-tuple in TIME_WAIT is in use too. Its tw is looked up before and
 * after the insertion: a connection entering TIME_WAIT puts its tw in
 * place before it leaves this table (toytcp_tw_enter()), so if it left
 * between the first look and the insertion, the second look sees the tw.
 *
 * Return: 0, -EADDRINUSE when the 4-tuple (or the listener's port) is in
 * use, or -ENOMEM.
 */
int toytcp_table_insert(struct toytcp_table *table, struct toytcp_conn *conn)
{
	int ret;

	if (toytcp_tw_exists(conn->tn, &conn->key))
		return -EADDRINUSE;
	ret = rhashtable_lookup_insert_fast(&table->ht, &conn->node,
					    toytcp_table_params);
	if (ret)
		return ret == -EEXIST ? -EADDRINUSE : ret;
	if (toytcp_tw_exists(conn->tn, &conn->key)) {
		toytcp_table_remove(table, conn);
		return -EADDRINUSE;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_insert);

/**
 * toytcp_table_remove() - take a connection out of the table
 * @table: the table
 * @conn: the connection, which must be in @table
 */
void toytcp_table_remove(struct toytcp_table *table, struct toytcp_conn *conn)
{
	rhashtable_remove_fast(&table->ht, &conn->node, toytcp_table_params);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_remove);

/**
 * toytcp_table_count() - how many connections and listeners are in a table
 * @table: the table
 *
 * Return: the count.
 */
unsigned int toytcp_table_count(struct toytcp_table *table)
{
	return atomic_read(&table->ht.nelems);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_count);

/**
 * toytcp_conn_isn() - an initial sequence number for a 4-tuple
 * @key: the 4-tuple
 *
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * M a clock ticking every 64 ns here (wrapping in 4.6 minutes), F a keyed
 * siphash, so that an off-path attacker cannot predict the ISN.
 *
 * Return: the ISN.
 */
u32 toytcp_conn_isn(const struct toytcp_key *key)
{
	u32 f = siphash_3u32((__force u32)key->laddr, (__force u32)key->raddr,
			     (__force u32)key->lport << 16 | (__force u32)key->rport,
			     &toytcp_isn_secret);

	return f + (u32)(ktime_get_real_ns() >> 6);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_isn);

/**
 * toytcp_challenge_allowed() - may a connection send a challenge ACK?
 * @limit: the connection's limits (a connection's, locked, or a tw's)
 * @now: jiffies
 *
 * RFC 5961 §7 asks for a limit on challenge ACKs. It is kept per
 * connection: a limit shared by the whole host lets an off-path attacker
 * count the challenge ACKs a connection triggered and so find it
 * (CVE-2016-5696).
 *
 * Return: true, and the ACK is counted against this second's allowance of
 * TOYTCP_CHALLENGE_PER_SEC; false once that is spent.
 */
bool toytcp_challenge_allowed(struct toytcp_ack_limit *limit, unsigned long now)
{
	if (!limit->challenge_stamp ||
	    !time_before32((u32)now, limit->challenge_stamp + HZ)) {
		limit->challenge_stamp = (u32)now ?: 1;
		limit->challenge_count = 0;
	}
	if (limit->challenge_count >= TOYTCP_CHALLENGE_PER_SEC)
		return false;
	limit->challenge_count++;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_challenge_allowed);

/**
 * toytcp_oow_allowed() - may a connection answer an out-of-window segment?
 * @limit: the connection's limits (a connection's, locked, or a tw's)
 * @now: jiffies
 *
 * One such ACK per TOYTCP_OOW_INTERVAL_MS, as Linux's tcp_oow_rate_limited()
 * allows (sysctl tcp_invalid_ratelimit): two stacks that disagree about a
 * window must not ACK each other in a loop.
 *
 * Return: true, and the time is noted; false within the interval.
 */
bool toytcp_oow_allowed(struct toytcp_ack_limit *limit, unsigned long now)
{
	if (limit->oow_stamp &&
	    time_before32((u32)now, limit->oow_stamp +
			  msecs_to_jiffies(TOYTCP_OOW_INTERVAL_MS)))
		return false;
	limit->oow_stamp = (u32)now ?: 1;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_oow_allowed);

/**
 * toytcp_conn_alloc() - a new connection, not yet in the table
 * @tn: its namespace
 * @key: its 4-tuple
 * @gfp: allocation flags
 *
 * The caller holds the one reference, which becomes the table's once
 * toytcp_table_insert() succeeds.
 *
 * Return: the connection, in CLOSED, or NULL.
 */
struct toytcp_conn *toytcp_conn_alloc(struct toytcp_net *tn,
				      const struct toytcp_key *key, gfp_t gfp)
{
	struct toytcp_conn *conn = kmem_cache_zalloc(toytcp_conn_cache, gfp);

	if (!conn)
		return NULL;
	conn->key = *key;
	conn->tn = tn;
	refcount_set(&conn->refcnt, 1);
	spin_lock_init(&conn->lock);
	toytcp_rtt_init(&conn->rtt, READ_ONCE(toytcp_rto_ms),
			READ_ONCE(toytcp_rto_min_ms), READ_ONCE(toytcp_rto_max_ms));
	toytcp_timer_init(conn);
	return conn;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_alloc);

static void toytcp_conn_free_rcu(struct rcu_head *rcu)
{
	struct toytcp_conn *conn = container_of(rcu, struct toytcp_conn, rcu);

	WARN_ON_ONCE(conn->parent);
	WARN_ON_ONCE(conn->ofo.mem);
	kfree(conn->sndbuf);
	kmem_cache_free(toytcp_conn_cache, conn);
}

/**
 * toytcp_conn_put() - drop a reference; the last one frees the connection
 * @conn: the connection
 *
 * Safe under conn->lock: the memory outlives an RCU grace period.
 */
void toytcp_conn_put(struct toytcp_conn *conn)
{
	if (refcount_dec_and_test(&conn->refcnt))
		call_rcu(&conn->rcu, toytcp_conn_free_rcu);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_put);

/**
 * toytcp_conn_charge() - count a new connection against max_conns
 * @conn: the connection, not yet in the table; not a listener
 *
 * Every connection, half-open ones included, takes memory a peer can make
 * us spend: max_conns bounds it per namespace. The charge is returned
 * when the connection leaves the table (toytcp_conn_done()).
 *
 * Return: 0, or -ENOBUFS when the namespace is full (counted as
 * ConnOverflows).
 */
int toytcp_conn_charge(struct toytcp_conn *conn)
{
	struct toytcp_table *table = &conn->tn->table;

	if (!atomic_add_unless(&table->conns, 1, READ_ONCE(toytcp_max_conns))) {
		TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_CONNOVERFLOWS);
		return -ENOBUFS;
	}
	conn->charged = true;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_charge);

/**
 * toytcp_conn_adopt() - make @child take a place in @lst's backlog
 * @child: a passive child, about to enter SYN_RECV
 * @lst: its listener; its qlen already counts @child; the caller holds a
 *       reference on it (toytcp_listen_input())
 *
 * The child holds a reference on the listener until it leaves SYN_RECV,
 * when toytcp_conn_state_changed() gives the place back: the listener may
 * be unlistened meanwhile, and its memory must outlive the count.
 */
void toytcp_conn_adopt(struct toytcp_conn *child, struct toytcp_conn *lst)
{
	refcount_inc(&lst->refcnt);
	child->parent = lst;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_adopt);

/* The child left SYN_RECV (or never entered it): free its backlog place. */
static void toytcp_conn_orphan(struct toytcp_conn *child)
{
	struct toytcp_conn *lst = child->parent;

	if (!lst)
		return;
	child->parent = NULL;
	atomic_dec(&lst->qlen);
	toytcp_conn_put(lst);
}

/* tcpCurrEstab of RFC 1213: "either ESTABLISHED or CLOSE-WAIT". */
static bool toytcp_state_is_estab(enum toytcp_state state)
{
	return state == TOYTCP_ESTABLISHED || state == TOYTCP_CLOSE_WAIT;
}

/* Count a transition as Linux's tcp_set_state() does (RFC 1213 MIB). */
static void toytcp_conn_count(struct toytcp_net *tn, enum toytcp_state old,
			      enum toytcp_state new)
{
	if (toytcp_state_is_estab(new) && !toytcp_state_is_estab(old))
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_CURRESTAB);
	else if (!toytcp_state_is_estab(new) && toytcp_state_is_estab(old))
		TOYTCP_DEC_STATS(tn, TOYTCP_MIB_CURRESTAB);
	if (new != TOYTCP_CLOSED)
		return;
	if (toytcp_state_is_estab(old))
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_ESTABRESETS);
	else if (old == TOYTCP_SYN_SENT || old == TOYTCP_SYN_RECV)
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_ATTEMPTFAILS);
}

/**
 * toytcp_conn_state_changed() - account for a change of conn->tcb.state
 * @conn: the connection, locked
 * @old: the state before
 *
 * Every state change comes through here, those the state machine makes in
 * conn->tcb included: it fires the tracepoint and keeps the counters, and
 * CLOSED ends the connection (toytcp_conn_done()). Called with conn->lock
 * held.
 */
void toytcp_conn_state_changed(struct toytcp_conn *conn, enum toytcp_state old)
{
	enum toytcp_state new = conn->tcb.state;

	if (new == old)
		return;
	if (new == TOYTCP_TIME_WAIT && !toytcp_tw_enter(conn)) {
		/*
		 * Too many in TIME_WAIT: close at once instead, as Linux does
		 * past tcp_max_tw_buckets. The last ACK still goes out; only
		 * the protection against old duplicates is lost.
		 */
		conn->tcb.state = new = TOYTCP_CLOSED;
	}
	if (conn->sk && !toytcp_sock_state_changed(conn, old)) {
		/* A child whose listening socket closed meanwhile: no home. */
		conn->tcb.state = new = TOYTCP_CLOSED;
	}
	if (old == TOYTCP_SYN_RECV)
		toytcp_conn_orphan(conn);
	if ((old == TOYTCP_SYN_SENT || old == TOYTCP_SYN_RECV) &&
	    (new == TOYTCP_ESTABLISHED || new == TOYTCP_CLOSE_WAIT))
		toytcp_rtt_established(&conn->rtt, READ_ONCE(toytcp_rto_ms));
	trace_toytcp_set_state(&conn->key, old, new);
	toytcp_conn_count(conn->tn, old, new);
	/*
	 * In TIME_WAIT, its tw goes on in its place (timewait.c): the
	 * connection ends here, quietly, as Linux's tcp_time_wait() ends with
	 * tcp_done(). Its socket, if it still has one, sees it closed.
	 */
	if (new == TOYTCP_CLOSED || new == TOYTCP_TIME_WAIT)
		toytcp_conn_done(conn);
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * toytcp_conn_set_state() - put a connection in @state by hand
 * @conn: the connection, locked
 * @state: the new state
 *
 * For KUnit's table tests, which need connections in given states without
 * the segments that lead there; the module itself moves only along the
 * state diagram (toytcp_conn_event(), toytcp_fsm_move()).
 */
void toytcp_conn_set_state(struct toytcp_conn *conn, enum toytcp_state state)
{
	enum toytcp_state old = conn->tcb.state;

	conn->tcb.state = state;
	toytcp_conn_state_changed(conn, old);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_set_state);
#endif

/**
 * toytcp_conn_event() - an event that is no segment moves the connection
 * @conn: the connection, locked
 * @event: a call, a timeout, an ICMP error: where it leads is the state
 *         machine's to say (toytcp_fsm_move())
 */
void toytcp_conn_event(struct toytcp_conn *conn, enum toytcp_event event)
{
	enum toytcp_state old = conn->tcb.state;

	if (toytcp_fsm_move(&conn->tcb, event))
		toytcp_conn_state_changed(conn, old);
}

/**
 * toytcp_conn_done() - end a connection: out of the table, timer stopped
 * @conn: the connection, locked
 *
 * The table's reference goes here; the connection is freed once an armed
 * timer has let go of it too. Called with conn->lock held; idempotent.
 */
void toytcp_conn_done(struct toytcp_conn *conn)
{
	if (conn->dead)
		return;
	conn->dead = true;
	conn->tcb.state = TOYTCP_CLOSED;
	toytcp_table_remove(&conn->tn->table, conn);
	if (conn->charged)
		atomic_dec(&conn->tn->table.conns);
	if (conn->orphan)
		atomic_dec(&conn->tn->orphans);
	if (conn->sk)
		toytcp_sock_conn_done(conn);
	toytcp_timers_stop(conn);
	toytcp_ofo_purge(&conn->ofo);
	toytcp_conn_put(conn);
}

/**
 * toytcp_conn_destroy() - end a connection from process context and wait
 *                         until its timer is stopped for good
 * @conn: the connection, unlocked, with a reference held by the caller
 *
 * For namespace teardown: nothing of the connection runs any more when this
 * returns. Sends nothing to the peer.
 */
void toytcp_conn_destroy(struct toytcp_conn *conn)
{
	spin_lock_bh(&conn->lock);
	if (conn->tcb.state != TOYTCP_CLOSED)
		toytcp_conn_event(conn, TOYTCP_EV_ABORT);	/* silently */
	toytcp_conn_done(conn);	/* also if it never left CLOSED */
	spin_unlock_bh(&conn->lock);
	toytcp_timer_sync_stop(conn);
}

/**
 * toytcp_conn_reserve() - room in the send queue for @len more bytes
 * @conn: the connection, locked
 * @len: bytes about to be queued
 *
 * Grows the send buffer (GFP_ATOMIC: we hold a spinlock) so that queueing
 * @len bytes cannot fail for lack of memory afterwards. The echo path calls
 * it before the state machine takes a segment's data: when memory is short
 * the segment is dropped whole and the peer sends it again, rather than
 * acknowledged and never echoed.
 *
 * Return: 0 or -ENOMEM.
 */
int toytcp_conn_reserve(struct toytcp_conn *conn, u32 len)
{
	u32 need = conn->tcb.snd_queued + len;
	struct toytcp_span old;
	u32 size;
	u8 *buf;

	if (need <= conn->sndbuf_size)
		return 0;
	size = max_t(u32, roundup_pow_of_two(need), 512);
	buf = kmalloc(size, GFP_ATOMIC);
	if (!buf)
		return -ENOMEM;
	/* The queue moves over in order, from the new ring's start. */
	toytcp_conn_snd_span(conn, 0, conn->tcb.snd_queued, &old);
	if (old.len[0])
		memcpy(buf, old.p[0], old.len[0]);
	if (old.len[1])
		memcpy(buf + old.len[0], old.p[1], old.len[1]);
	kfree(conn->sndbuf);
	conn->sndbuf = buf;
	conn->sndbuf_size = size;
	conn->sndbuf_head = 0;
	return 0;
}

/**
 * toytcp_conn_snd_span() - where bytes of the send queue are
 * @conn: the connection, locked
 * @off: the first, counted from the oldest (SND.UNA's, past a SYN)
 * @len: how many; at most the room in the ring
 * @span: out: one piece, or two where the ring wraps
 */
void toytcp_conn_snd_span(const struct toytcp_conn *conn, u32 off, u32 len,
			  struct toytcp_span *span)
{
	u32 pos, first;

	if (!len) {
		*span = (struct toytcp_span){};
		return;
	}
	pos = (conn->sndbuf_head + off) & (conn->sndbuf_size - 1);
	first = min(len, conn->sndbuf_size - pos);
	span->p[0] = conn->sndbuf + pos;
	span->len[0] = first;
	span->p[1] = conn->sndbuf;
	span->len[1] = len - first;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_snd_span);

/**
 * toytcp_conn_send_space() - the SEND call's bookkeeping: queue @len bytes
 * @conn: the connection, locked
 * @len: how many bytes the user sends
 * @span: out: where to write them, behind the bytes already queued
 *
 * Checks with the state machine that the state takes data, then makes
 * room behind the bytes already queued. The caller copies the bytes into
 * @span.
 *
 * Return: 0, -ENOTCONN (the state takes no data), -ENOBUFS (past
 * TOYTCP_SNDBUF_MAX) or -ENOMEM.
 */
int toytcp_conn_send_space(struct toytcp_conn *conn, u32 len,
			   struct toytcp_span *span)
{
	u32 queued = conn->tcb.snd_queued;
	struct toytcp_verdict v;
	int ret;

	if (queued + len > TOYTCP_SNDBUF_MAX)
		return -ENOBUFS;
	ret = toytcp_conn_reserve(conn, len);
	if (ret)
		return ret;
	toytcp_fsm_send(&conn->tcb, len, &v);
	if (v.err)
		return v.err;
	toytcp_conn_snd_span(conn, queued, len, span);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_send_space);

/**
 * toytcp_conn_ack_data() - the peer acknowledged the oldest @len bytes
 * @conn: the connection, locked
 * @len: bytes acknowledged (already taken out of conn->tcb.snd_queued)
 *
 * The ring's head moves on: nothing is copied.
 */
void toytcp_conn_ack_data(struct toytcp_conn *conn, u32 len)
{
	if (len)
		conn->sndbuf_head = (conn->sndbuf_head + len) & (conn->sndbuf_size - 1);
	conn->tx_bytes += len;
	if (conn->sk)
		toytcp_stream_write_space(conn);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_conn_ack_data);

/**
 * toytcp_conn_cache_init() - the slab for connections, and the ISN secret
 *
 * Return: 0 or -ENOMEM.
 */
int toytcp_conn_cache_init(void)
{
	get_random_bytes(&toytcp_isn_secret, sizeof(toytcp_isn_secret));
	/*
	 * Never merged with a look-alike cache: its own line in
	 * /proc/slabinfo is how the soak and flood tests count connections.
	 */
	toytcp_conn_cache = KMEM_CACHE(toytcp_conn, SLAB_NO_MERGE);
	return toytcp_conn_cache ? 0 : -ENOMEM;
}

/**
 * toytcp_conn_cache_exit() - free the slab; every connection must be gone
 *
 * Waits for the RCU callbacks that free connections into it.
 */
void toytcp_conn_cache_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(toytcp_conn_cache);
}

/**
 * toytcp_table_flush() - end every connection in a table
 * @table: the table of a namespace that no segment, timer or user call
 *         reaches any more, but for timers already armed
 *
 * Process context. Each connection is closed without a word to its peer,
 * and its timer is stopped and waited for; the table is empty afterwards.
 */
void toytcp_table_flush(struct toytcp_table *table)
{
	struct rhashtable_iter iter;
	struct toytcp_conn *conn;

	while (toytcp_table_count(table)) {
		rhashtable_walk_enter(&table->ht, &iter);
		rhashtable_walk_start(&iter);
		while ((conn = rhashtable_walk_next(&iter))) {
			if (IS_ERR(conn) || !refcount_inc_not_zero(&conn->refcnt))
				continue;
			rhashtable_walk_stop(&iter);
			toytcp_conn_destroy(conn);
			toytcp_conn_put(conn);
			rhashtable_walk_start(&iter);
		}
		rhashtable_walk_stop(&iter);
		rhashtable_walk_exit(&iter);
	}
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_table_flush);
