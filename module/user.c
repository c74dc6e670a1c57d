// SPDX-License-Identifier: GPL-2.0
/*
 * The user calls of RFC 793 §3.8: OPEN (passive: listen, active: connect),
 * SEND, CLOSE and ABORT. toytcp plays the local application only when told
 * to: /proc/toytcp/ctl calls these, and so does a socket (sock.c).
 *
 * Each call finds its connection, lets the state machine decide under the
 * connection's lock, and sends what it asked for after unlocking.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <linux/skbuff.h>
#include <net/route.h>
#include "netns.h"
#include "output.h"
#include "port.h"
#include "sock.h"
#include "stats.h"
#include "timers.h"
#include "toytcp.h"
#include "user.h"

/**
 * toytcp_user_listen_on() - passive OPEN on a local address and port
 * @tn: the namespace
 * @addr: the local address, or 0 for any
 * @port: the port
 * @echo: connections accepted here send back what they receive (ctl)
 * @sk: the socket that owns the listener (sock.c), or NULL
 * @connp: out, with @sk: the listener, referenced for the caller
 *
 * Return: 0, -EADDRINUSE when the address and port already listen, or
 * -ENOMEM.
 */
int toytcp_user_listen_on(struct toytcp_net *tn, __be32 addr, __be16 port,
			  bool echo, struct sock *sk, struct toytcp_conn **connp)
{
	struct toytcp_key key = { .laddr = addr, .lport = port };
	struct toytcp_conn *lst;
	int ret;

	lst = toytcp_conn_alloc(tn, &key, GFP_KERNEL);
	if (!lst)
		return -ENOMEM;
	lst->echo = echo;
	if (sk)
		toytcp_sock_adopt(sk, lst);	/* before a SYN can find it */
	spin_lock_bh(&lst->lock);
	ret = toytcp_table_insert(&tn->table, lst);
	if (!ret)
		toytcp_conn_event(lst, TOYTCP_EV_PASSIVE_OPEN);
	spin_unlock_bh(&lst->lock);
	if (ret) {
		lst->sk = NULL;
		toytcp_conn_put(lst);
	} else if (sk) {
		refcount_inc(&lst->refcnt);
		*connp = lst;
	}
	return ret;
}

/**
 * toytcp_user_listen() - passive OPEN on a port, any local address (ctl)
 * @tn: the namespace
 * @port: the port
 * @echo: connections accepted here send back what they receive
 *
 * Return: 0, -EADDRINUSE when the port already listens, or -ENOMEM.
 */
int toytcp_user_listen(struct toytcp_net *tn, __be16 port, bool echo)
{
	return toytcp_user_listen_on(tn, 0, port, echo, NULL, NULL);
}

/*
 * Insert @conn under its port, or when it is 0 under an ephemeral one
 * (ip_local_port_range) that no bind() or listener holds (port.c) and
 * whose 4-tuple is free.
 */
static int toytcp_user_bind(struct toytcp_net *tn, struct toytcp_conn *conn)
{
	u32 range, i, start;
	u16 low, high, port;
	int ret;

	if (conn->key.lport)
		return toytcp_table_insert(&tn->table, conn);
	toytcp_port_range(tn->net, &low, &high);
	range = high - low + 1;
	start = get_random_u32_below(range);
	for (i = 0; i < range; i++) {
		port = low + (start + i) % range;
		if (toytcp_port_reserved(tn, conn->key.laddr, port))
			continue;
		conn->key.lport = htons(port);
		ret = toytcp_table_insert(&tn->table, conn);
		if (ret != -EADDRINUSE)
			return ret;
	}
	return -EADDRINUSE;
}

/**
 * toytcp_user_open() - active OPEN
 * @tn: the namespace
 * @key: the peer's address and port; the local address (0: the one
 *       routing picks for the peer) and port (0: an ephemeral one).
 *       Out: the connection's 4-tuple
 * @sk: the socket that owns the connection (sock.c), or NULL
 * @connp: out, with @sk: the connection, referenced for the caller
 *
 * The MSS option the SYN carries is what the route's MTU allows.
 *
 * Return: 0, -EADDRINUSE when the 4-tuple is in use, a routing error such
 * as -ENETUNREACH, -ENOBUFS past max_conns, or -ENOMEM.
 */
int toytcp_user_open(struct toytcp_net *tn, struct toytcp_key *key,
		     struct sock *sk, struct toytcp_conn **connp)
{
	struct toytcp_conn *conn;
	struct toytcp_verdict v;
	struct sk_buff_head q;
	u16 mss;
	int ret;

	ret = toytcp_output_route(tn->net, key->raddr, &key->laddr, &mss);
	if (ret)
		return ret;
	conn = toytcp_conn_alloc(tn, key, GFP_KERNEL);
	if (!conn)
		return -ENOMEM;
	ret = toytcp_conn_charge(conn);
	if (ret) {
		toytcp_conn_put(conn);
		return ret;
	}

	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->lock);
	ret = toytcp_user_bind(tn, conn);
	if (ret) {
		toytcp_conn_done(conn);		/* returns the charge, frees it */
		spin_unlock_bh(&conn->lock);
		return ret;
	}
	*key = conn->key;
	if (sk) {
		toytcp_sock_adopt(sk, conn);
		refcount_inc(&conn->refcnt);
		*connp = conn;
	}
	toytcp_fsm_open(&conn->tcb, toytcp_conn_isn(&conn->key), mss, &v);
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_ACTIVEOPENS);
	toytcp_conn_state_changed(conn, TOYTCP_CLOSED);	/* to SYN_SENT */
	toytcp_output_queue_reply(conn, &v.reply, &q);
	toytcp_rtt_sent(&conn->rtt, conn->tcb.snd_nxt, toytcp_clock_us());
	toytcp_timers_after_event(conn, TOYTCP_TIMER_KEEP);
	if (conn->ka_on)
		toytcp_timer_keepalive_set(conn, true);
	spin_unlock_bh(&conn->lock);
	toytcp_output_xmit(tn, &q);
	return 0;
}

/**
 * toytcp_user_connect() - active OPEN from ctl
 * @tn: the namespace
 * @daddr: the peer's address
 * @dport: the peer's port
 * @sport: the local port, or 0 for an ephemeral one
 *
 * Return: as toytcp_user_open().
 */
int toytcp_user_connect(struct toytcp_net *tn, __be32 daddr, __be16 dport,
			__be16 sport)
{
	struct toytcp_key key = { .raddr = daddr, .lport = sport, .rport = dport };

	return toytcp_user_open(tn, &key, NULL, NULL);
}

/*
 * Find the connection of @key, referenced; NULL if there is none.
 * Listeners are found too: their key is 0.0.0.0:PORT 0.0.0.0:0.
 */
static struct toytcp_conn *toytcp_user_find(struct toytcp_net *tn,
					    const struct toytcp_key *key)
{
	struct toytcp_conn *conn;

	rcu_read_lock();
	conn = toytcp_table_lookup(&tn->table, key);
	if (conn && !refcount_inc_not_zero(&conn->refcnt))
		conn = NULL;
	rcu_read_unlock();
	return conn;
}

/*
 * No connection has @key: in TIME_WAIT (timewait.c) it is closing, which
 * forbids every call but ABORT (RFC 793: "error: connection closing");
 * otherwise there is none.
 */
static int toytcp_user_none(struct toytcp_net *tn, const struct toytcp_key *key)
{
	return toytcp_tw_exists(tn, key) ? -ENOTCONN : -ENOENT;
}

/*
 * Lock @conn for a user call; false (unlocked) when it has ended since
 * the caller found it.
 */
static bool toytcp_user_lock(struct toytcp_conn *conn)
{
	spin_lock_bh(&conn->lock);
	if (!conn->dead)
		return true;
	spin_unlock_bh(&conn->lock);
	return false;
}

/* Unlock after a user call and send what it queued. */
static void toytcp_user_unlock(struct toytcp_conn *conn, struct sk_buff_head *q)
{
	struct toytcp_net *tn = conn->tn;

	spin_unlock_bh(&conn->lock);
	toytcp_output_xmit(tn, q);
}

/*
 * Run a call on the connection of @key (ctl): -ENOENT when there is
 * none, or it ended.
 */
static int toytcp_user_by_key(struct toytcp_net *tn, const struct toytcp_key *key,
			      int (*call)(struct toytcp_conn *conn, long arg),
			      long arg)
{
	struct toytcp_conn *conn = toytcp_user_find(tn, key);
	int ret;

	if (!conn)
		return toytcp_user_none(tn, key);
	ret = call(conn, arg);
	toytcp_conn_put(conn);
	return ret;
}

/**
 * toytcp_user_send_conn() - SEND: queue data on a connection
 * @conn: the connection, referenced by the caller, unlocked
 * @data: the bytes
 * @len: how many
 * @limit: the most bytes its send queue may hold (TOYTCP_SNDBUF_MAX for
 *         ctl, the socket's SO_SNDBUF for a socket)
 * @more: more of the same send() follows at once: queue the bytes only,
 *        and let the last piece send them all, in full segments (as
 *        Linux's tcp_sendmsg() pushes once at the end); a caller that
 *        stops early sends them with toytcp_user_push()
 *
 * Return: 0, -ENOENT (the connection ended), -ENOTCONN (the state takes
 * no data: a listener, or the user closed), -ENOBUFS (past @limit) or
 * -ENOMEM.
 */
int toytcp_user_send_conn(struct toytcp_conn *conn, const void *data, u32 len,
			  u32 limit, bool more)
{
	struct toytcp_span span;
	struct sk_buff_head q;
	int ret;

	if (!toytcp_user_lock(conn))
		return -ENOENT;
	__skb_queue_head_init(&q);
	if (conn->tcb.snd_queued + len > limit)
		ret = -ENOBUFS;
	else
		ret = toytcp_conn_send_space(conn, len, &span);
	if (!ret) {
		if (span.len[0])
			memcpy(span.p[0], data, span.len[0]);
		if (span.len[1])
			memcpy(span.p[1], data + span.len[0], span.len[1]);
		if (!more)
			toytcp_output_queue_data(conn, &q);
		toytcp_timers_after_event(conn, TOYTCP_TIMER_KEEP);
	}
	toytcp_user_unlock(conn, &q);
	return ret;
}

/**
 * toytcp_user_push() - send what toytcp_user_send_conn() queued with @more
 * @conn: the connection, referenced by the caller, unlocked
 */
void toytcp_user_push(struct toytcp_conn *conn)
{
	struct sk_buff_head q;

	if (!toytcp_user_lock(conn))
		return;
	__skb_queue_head_init(&q);
	toytcp_output_queue_data(conn, &q);
	toytcp_user_unlock(conn, &q);
}

/**
 * toytcp_user_send() - SEND from ctl
 * @tn: the namespace
 * @key: the connection
 * @data: the bytes
 * @len: how many
 *
 * Return: as toytcp_user_send_conn(); -ENOENT when there is no such
 * connection.
 */
int toytcp_user_send(struct toytcp_net *tn, const struct toytcp_key *key,
		     const void *data, u32 len)
{
	struct toytcp_conn *conn = toytcp_user_find(tn, key);
	int ret;

	if (!conn)
		return toytcp_user_none(tn, key);
	ret = toytcp_user_send_conn(conn, data, len, TOYTCP_SNDBUF_MAX, false);
	toytcp_conn_put(conn);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_user_send);

/*
 * A call that the state machine decides alone (CLOSE, ABORT): run it on
 * @conn, send what it asks for, account for the new state.
 */
static int toytcp_user_call(struct toytcp_conn *conn,
			    void (*call)(struct toytcp_tcb *tcb,
					 struct toytcp_verdict *v))
{
	struct toytcp_verdict v;
	enum toytcp_state old;
	struct sk_buff_head q;

	if (!toytcp_user_lock(conn))
		return -ENOENT;
	__skb_queue_head_init(&q);
	old = conn->tcb.state;
	call(&conn->tcb, &v);
	if (!v.err) {
		toytcp_output_queue_reply(conn, &v.reply, &q);
		toytcp_conn_state_changed(conn, old);
	}
	if (!conn->dead) {
		toytcp_output_queue_data(conn, &q);
		toytcp_timers_after_event(conn, TOYTCP_TIMER_KEEP);
	}
	toytcp_user_unlock(conn, &q);
	return v.err;
}

/**
 * toytcp_user_close_conn() - CLOSE: a FIN after the queued data
 * @conn: the connection, referenced by the caller, or a listener (which
 *        then stops listening)
 * @unused: 0
 *
 * Return: 0, -ENOENT (it ended) or -ENOTCONN (already closing).
 */
int toytcp_user_close_conn(struct toytcp_conn *conn, long unused)
{
	return toytcp_user_call(conn, toytcp_fsm_close);
}

/**
 * toytcp_user_abort_conn() - ABORT: reset the connection and delete it
 * @conn: the connection, referenced by the caller, or a listener
 * @unused: 0
 *
 * Return: 0 or -ENOENT (it ended).
 */
int toytcp_user_abort_conn(struct toytcp_conn *conn, long unused)
{
	return toytcp_user_call(conn, toytcp_fsm_abort);
}

/**
 * toytcp_user_close() - CLOSE from ctl
 * @tn: the namespace
 * @key: the connection, or a listener (which then stops listening)
 *
 * Return: 0, -ENOENT (no such connection) or -ENOTCONN (already closing,
 * TIME_WAIT included).
 */
int toytcp_user_close(struct toytcp_net *tn, const struct toytcp_key *key)
{
	return toytcp_user_by_key(tn, key, toytcp_user_close_conn, 0);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_user_close);

/**
 * toytcp_user_abort() - ABORT from ctl
 * @tn: the namespace
 * @key: the connection, or a listener (which then stops listening), or
 *       a connection in TIME_WAIT (deleted, nothing sent)
 *
 * Return: 0 or -ENOENT.
 */
int toytcp_user_abort(struct toytcp_net *tn, const struct toytcp_key *key)
{
	int ret = toytcp_user_by_key(tn, key, toytcp_user_abort_conn, 0);

	return ret == -ENOTCONN ? toytcp_tw_abort(tn, key) : ret;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_user_abort);

/**
 * toytcp_user_keepalive_conn() - turn keepalive on or off (RFC 1122 §4.2.3.6)
 * @conn: the connection, referenced by the caller, or a listener (its
 *        new children inherit it, as an accepted socket inherits
 *        SO_KEEPALIVE in Linux)
 * @on: on or off
 *
 * Also restarts the wait for the first probe, as the keepalive settings
 * may have changed.
 *
 * Return: 0 or -ENOENT (it ended).
 */
int toytcp_user_keepalive_conn(struct toytcp_conn *conn, long on)
{
	struct sk_buff_head q;
	int ret = 0;

	if (!toytcp_user_lock(conn))
		return -ENOENT;
	__skb_queue_head_init(&q);
	if (conn->tcb.state == TOYTCP_LISTEN)
		WRITE_ONCE(conn->ka_on, on);
	else
		toytcp_timer_keepalive_set(conn, on);
	toytcp_user_unlock(conn, &q);
	return ret;
}

/**
 * toytcp_user_keepalive() - keepalive on or off, from ctl
 * @tn: the namespace
 * @key: the connection or listener
 * @on: on or off
 *
 * Return: as toytcp_user_keepalive_conn(); -ENOENT when there is no such
 * connection, -ENOTCONN in TIME_WAIT (it is closing anyway).
 */
int toytcp_user_keepalive(struct toytcp_net *tn, const struct toytcp_key *key,
			  bool on)
{
	return toytcp_user_by_key(tn, key, toytcp_user_keepalive_conn, on);
}

/**
 * toytcp_user_nodelay_conn() - turn Nagle's algorithm off or on (sws.c)
 * @conn: the connection, referenced by the caller, or a listener (its new
 *        children inherit it)
 * @on: true: no delay, small segments go at once (Nagle off)
 *
 * Turning it on sends at once what Nagle held back, as Linux's
 * TCP_NODELAY does.
 *
 * Return: 0 or -ENOENT (it ended).
 */
int toytcp_user_nodelay_conn(struct toytcp_conn *conn, long on)
{
	struct sk_buff_head q;

	if (!toytcp_user_lock(conn))
		return -ENOENT;
	__skb_queue_head_init(&q);
	WRITE_ONCE(conn->tcb.nodelay, on);
	if (conn->tcb.state != TOYTCP_LISTEN) {
		toytcp_output_queue_data(conn, &q);
		toytcp_timers_after_event(conn, TOYTCP_TIMER_KEEP);
	}
	toytcp_user_unlock(conn, &q);
	return 0;
}

/**
 * toytcp_user_nodelay() - Nagle off or on, from ctl
 * @tn: the namespace
 * @key: the connection or listener
 * @on: true: Nagle off
 *
 * Return: 0 or -ENOENT (no such connection).
 */
int toytcp_user_nodelay(struct toytcp_net *tn, const struct toytcp_key *key,
			bool on)
{
	return toytcp_user_by_key(tn, key, toytcp_user_nodelay_conn, on);
}
