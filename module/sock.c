// SPDX-License-Identifier: GPL-2.0
/*
 * The socket API: socket(AF_INET, SOCK_STREAM, 253) makes a toytcp socket,
 * and a program uses it as it uses TCP.
 *
 * A socket owns one connection (or listener) of the table, as ctl does
 * for its own: segments still enter at the hook, find their connection,
 * and the state machine decides; it knows nothing of sockets. The
 * connection points back at its socket (conn->sk) only to hand it data
 * (stream.c) and to wake it:
 *
 *   toytcp_sock_state_changed()  the state mirrored into sk_state; a
 *                                child that finished its handshake joins
 *                                its listener's accept queue
 *   toytcp_sock_conn_done()      the connection ended: why, in sk_err
 *
 * This file has the socket's life: socket(), bind() (port.c), listen(),
 * accept(), connect(), shutdown(), close(), the options. The bytes
 * (send(), recv(), poll()) are stream.c's.
 *
 * Locks: a call from the program holds the socket lock (lock_sock()),
 * which orders calls on one socket; the protocol state is under
 * conn->lock, as for the packet path and the timers. Only the reader
 * takes skbs off the receive queue, so it copies them out without
 * conn->lock.
 *
 * Lifetimes: the socket holds a reference on its connection. When the
 * program closes the socket first, the connection lives on as an orphan
 * (FIN_WAIT1 ... TIME_WAIT, as Linux's orphans) and conn->sk is cleared
 * under conn->lock. A listener's child gets its socket at birth, owned
 * by the connection (an "embryo") until accept() hands it to a program.
 * Sockets are freed after an RCU grace period (SOCK_RCU_FREE), so that
 * the packet path may look at a listener's socket under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/signal.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include "conn.h"
#include "keepalive.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "port.h"
#include "sock.h"
#include "stream.h"
#include "stats.h"
#include "sws.h"
#include "timers.h"
#include "toytcp.h"
#include "user.h"

static struct proto toytcp_prot;
static const struct proto_ops toytcp_sock_ops;

/* sk_state for each of our states: TCP's, so that inet code reads them. */
static const u8 toytcp_sock_tcp_state[__TOYTCP_STATE_MAX] = {
	[TOYTCP_CLOSED]		= TCP_CLOSE,
	[TOYTCP_LISTEN]		= TCP_LISTEN,
	[TOYTCP_SYN_SENT]	= TCP_SYN_SENT,
	[TOYTCP_SYN_RECV]	= TCP_SYN_RECV,
	[TOYTCP_ESTABLISHED]	= TCP_ESTABLISHED,
	[TOYTCP_FIN_WAIT1]	= TCP_FIN_WAIT1,
	[TOYTCP_FIN_WAIT2]	= TCP_FIN_WAIT2,
	[TOYTCP_CLOSE_WAIT]	= TCP_CLOSE_WAIT,
	[TOYTCP_CLOSING]	= TCP_CLOSING,
	[TOYTCP_LAST_ACK]	= TCP_LAST_ACK,
	[TOYTCP_TIME_WAIT]	= TCP_TIME_WAIT,
};

/*
 * Set sk_state, as inet_sk_state_store() (not exported) does: a release,
 * for the lockless readers (poll(), inet_sk_state_load()).
 */
static void toytcp_sock_set_state(struct sock *sk, int state)
{
	/* Pairs with inet_sk_state_load()'s smp_load_acquire(). */
	smp_store_release(&sk->sk_state, state);
}

/*
 * Every change of sk_state but the first comes here. While a program
 * holds the socket (lock_sock()), a change made in softirq waits for
 * release_sock() (toytcp_sock_release_cb()), as TCP's socket backlog
 * makes it wait: a connect() over loopback returns EINPROGRESS, not a
 * handshake done behind its back. A change the program's own call makes
 * is taken at once, and voids what waited.
 */
static void toytcp_sock_mirror(struct sock *sk, int state)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);

	spin_lock_bh(&sk->sk_lock.slock);
	if (in_serving_softirq() && sock_owned_by_user(sk)) {
		tsk->deferred_state = state;
	} else {
		tsk->deferred_state = 0;
		toytcp_sock_set_state(sk, state);
	}
	spin_unlock_bh(&sk->sk_lock.slock);
}

/* release_sock(): the state that changed meanwhile (under the sk spinlock). */
static void toytcp_sock_release_cb(struct sock *sk)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);
	int state = tsk->deferred_state;

	if (!state)
		return;
	tsk->deferred_state = 0;
	toytcp_sock_set_state(sk, state);
	sk->sk_state_change(sk);
}

/* ---- Wakeups from the protocol (conn->lock held) --------------------- */

/**
 * toytcp_sock_adopt() - make @sk the owner of @conn, before it is in use
 * @sk: the socket
 * @conn: its new connection or listener, not yet reachable by segments
 *
 * The connection takes the socket's settings: Nagle, keepalive, the
 * listen backlog.
 */
void toytcp_sock_adopt(struct sock *sk, struct toytcp_conn *conn)
{
	conn->sk = sk;
	conn->sock_owned = true;
	conn->tcb.nodelay = toytcp_sk(sk)->nodelay;
	conn->ka_on = sock_flag(sk, SOCK_KEEPOPEN);
	conn->backlog = min_t(u32, READ_ONCE(sk->sk_max_ack_backlog) ?: 1, U16_MAX);
}

/* The peer's FIN is in once the state is one of these. */
static bool toytcp_sock_fin_in(int state)
{
	return state == TOYTCP_CLOSE_WAIT || state == TOYTCP_CLOSING ||
	       state == TOYTCP_LAST_ACK || state == TOYTCP_TIME_WAIT;
}

/* Free a child's socket that no program took. Called with conn->lock held. */
static void toytcp_sock_drop_embryo(struct toytcp_conn *conn)
{
	struct sock *sk = conn->sk;

	conn->sk = NULL;
	toytcp_sk(sk)->conn = NULL;
	toytcp_conn_put(conn);
	toytcp_sock_mirror(sk, TCP_CLOSE);
	sock_orphan(sk);
	sock_put(sk);
}

/*
 * A child finished its handshake: into its listener's accept queue, with
 * a wakeup for accept(). False when the listening socket is gone.
 */
static bool toytcp_sock_child_ready(struct toytcp_conn *conn)
{
	struct toytcp_conn *lst = conn->parent;
	struct sock *lsk = lst ? READ_ONCE(lst->sk) : NULL;
	struct toytcp_sock *ltsk;
	bool ok = false;

	if (!lsk)
		return false;
	ltsk = toytcp_sk(lsk);
	spin_lock(&ltsk->accept_lock);
	if (!ltsk->accept_closed) {
		list_add_tail(&toytcp_sk(conn->sk)->accept_node, &ltsk->acceptq);
		WRITE_ONCE(toytcp_sk(conn->sk)->owner, TOYTCP_OWNER_ACCEPTQ);
		sk_acceptq_added(lsk);
		ok = true;
	}
	spin_unlock(&ltsk->accept_lock);
	if (ok)
		lsk->sk_data_ready(lsk);
	return ok;
}

/**
 * toytcp_sock_state_changed() - mirror a new state into the socket
 * @conn: the connection, locked, with conn->sk
 * @old: the state before
 *
 * Return: false when @conn is a child whose listening socket closed
 * before the handshake was done: nobody will accept it.
 */
bool toytcp_sock_state_changed(struct toytcp_conn *conn, int old)
{
	struct sock *sk = conn->sk;
	int new = conn->tcb.state;

	if (old == TOYTCP_SYN_RECV && toytcp_sk(sk)->owner == TOYTCP_OWNER_CONN &&
	    (new == TOYTCP_ESTABLISHED || new == TOYTCP_CLOSE_WAIT) &&
	    !toytcp_sock_child_ready(conn))
		return false;
	if (new == TOYTCP_CLOSED)
		return true;	/* toytcp_sock_conn_done() */
	toytcp_sock_mirror(sk, toytcp_sock_tcp_state[new]);
	if (toytcp_sock_fin_in(new) && !toytcp_sock_fin_in(old)) {
		/* As Linux's tcp_fin(): reads end once the queue is empty. */
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		sock_set_flag(sk, SOCK_DONE);
		sk->sk_data_ready(sk);
	}
	sk->sk_state_change(sk);
	if (old == TOYTCP_SYN_SENT && sk->sk_socket)
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	return true;
}

/**
 * toytcp_sock_conn_done() - a socket's connection ended
 * @conn: the connection, locked, with conn->sk
 *
 * The socket learns why (sk_err) and wakes; a child nobody accepted yet
 * and that is in no accept queue goes with its connection.
 */
void toytcp_sock_conn_done(struct toytcp_conn *conn)
{
	struct sock *sk = conn->sk;
	struct toytcp_sock *tsk = toytcp_sk(sk);

	if (READ_ONCE(tsk->owner) == TOYTCP_OWNER_CONN) {
		toytcp_sock_drop_embryo(conn);
		return;
	}
	toytcp_sock_mirror(sk, TCP_CLOSE);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (conn->err) {
		int err = -conn->err;

		/*
		 * As Linux's tcp_write_err(): a timeout tells what an ICMP
		 * error said before it (icmp.c), when one did.
		 */
		if (err == ETIMEDOUT && READ_ONCE(sk->sk_err_soft))
			err = READ_ONCE(sk->sk_err_soft);
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	}
	sk->sk_state_change(sk);
}

/**
 * toytcp_sock_soft_error() - an error that does not end the connection
 * @conn: the connection, locked, with conn->sk
 * @err: a negative errno, from an ICMP error (icmp.c)
 *
 * Kept where Linux keeps it: SO_ERROR reads it, and a later timeout
 * reports it instead of ETIMEDOUT (toytcp_sock_conn_done()).
 */
void toytcp_sock_soft_error(struct toytcp_conn *conn, int err)
{
	WRITE_ONCE(conn->sk->sk_err_soft, -err);
}

/* ---- Listening sockets' children ------------------------------------- */

/**
 * toytcp_sock_child() - give a new child of a listening socket its socket
 * @lst: the listener, under RCU
 * @child: the child, not yet in the table
 *
 * The child's socket takes the listener's settings (buffers, keepalive,
 * linger) and is owned by the child's connection until accept().
 *
 * Return: 0 (also for a listener of ctl: no socket), -ENOMEM, or -ENOENT
 * when @lst's socket has closed.
 */
int toytcp_sock_child(struct toytcp_conn *lst, struct toytcp_conn *child)
{
	struct sock *lsk = READ_ONCE(lst->sk);
	struct toytcp_sock *tsk;
	struct inet_sock *inet;
	struct sock *sk;

	if (!lsk) {
		/*
		 * A listening socket closing on another CPU cleared it after
		 * this SYN found its listener: no socket for the child, and
		 * no child, which would live on as ctl's do, with nobody to
		 * close it.
		 */
		return lst->sock_owned ? -ENOENT : 0;
	}
	sk = sk_alloc(sock_net(lsk), PF_INET, GFP_ATOMIC, &toytcp_prot, 0);
	if (!sk)
		return -ENOMEM;
	sock_init_data(NULL, sk);
	sk->sk_type = SOCK_STREAM;
	sk->sk_protocol = TOYTCP_IPPROTO;
	sk->sk_destruct = inet_sock_destruct;
	sk->sk_rcvbuf = READ_ONCE(lsk->sk_rcvbuf);
	sk->sk_sndbuf = READ_ONCE(lsk->sk_sndbuf);
	sk->sk_userlocks = lsk->sk_userlocks;
	sk->sk_lingertime = lsk->sk_lingertime;
	sk->sk_reuse = lsk->sk_reuse;
	sk->sk_flags |= lsk->sk_flags & (BIT(SOCK_KEEPOPEN) | BIT(SOCK_LINGER));
	toytcp_prot.init(sk);
	inet = inet_sk(sk);
	inet->uc_ttl = -1;
	inet->inet_rcv_saddr = child->key.laddr;
	inet->inet_saddr = child->key.laddr;
	inet->inet_daddr = child->key.raddr;
	inet->inet_sport = child->key.lport;
	inet->inet_dport = child->key.rport;
	inet->inet_num = ntohs(child->key.lport);
	tsk = toytcp_sk(sk);
	tsk->owner = TOYTCP_OWNER_CONN;
	tsk->nodelay = toytcp_sk(lsk)->nodelay;
	tsk->ka_idle = toytcp_sk(lsk)->ka_idle;
	tsk->ka_intvl = toytcp_sk(lsk)->ka_intvl;
	tsk->ka_cnt = toytcp_sk(lsk)->ka_cnt;
	tsk->conn = child;
	refcount_inc(&child->refcnt);
	child->sk = sk;
	toytcp_sock_set_state(sk, TCP_SYN_RECV);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_sock_child);

/**
 * toytcp_sock_accept_full() - is a listening socket's accept queue full?
 * @lst: the listener, under RCU
 *
 * Return: true while sk_ack_backlog exceeds the listen() backlog.
 */
bool toytcp_sock_accept_full(struct toytcp_conn *lst)
{
	struct sock *lsk = READ_ONCE(lst->sk);

	return lsk && sk_acceptq_is_full(lsk);
}

/**
 * toytcp_sock_info() - the socket that owns a connection, for /proc
 * @conn: the connection, under RCU
 * @info: filled in when there is one
 *
 * Return: whether a socket owns @conn.
 */
bool toytcp_sock_info(struct toytcp_conn *conn, struct toytcp_sock_info *info)
{
	struct sock *sk = READ_ONCE(conn->sk);

	if (!sk)
		return false;
	info->recvq = READ_ONCE(toytcp_sk(sk)->rcvq_bytes);
	info->uid = sock_i_uid(sk);
	info->ino = sock_i_ino(sk);
	return true;
}

/* ---- The calls -------------------------------------------------------- */

static int toytcp_sock_init_sk(struct sock *sk)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);

	tsk->conn = NULL;
	spin_lock_init(&tsk->accept_lock);
	INIT_LIST_HEAD(&tsk->acceptq);
	INIT_LIST_HEAD(&tsk->accept_node);
	sock_set_flag(sk, SOCK_RCU_FREE);
	return 0;
}

static int toytcp_sock_bind(struct socket *sock, struct sockaddr *uaddr,
			    int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	int type, ret;

	if (addr_len < sizeof(*sin))
		return -EINVAL;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	type = inet_addr_type_table(sock_net(sk), sin->sin_addr.s_addr,
				    RT_TABLE_LOCAL);
	if (sin->sin_addr.s_addr != htonl(INADDR_ANY) && type != RTN_LOCAL)
		return -EADDRNOTAVAIL;
	lock_sock(sk);
	if (sk->sk_state != TCP_CLOSE || inet_sk(sk)->inet_num || toytcp_sk(sk)->conn)
		ret = -EINVAL;
	else
		ret = toytcp_port_bind(sk, sin->sin_addr.s_addr,
				       ntohs(sin->sin_port));
	release_sock(sk);
	return ret;
}

static int toytcp_sock_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_net *tn = toytcp_pernet(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	int ret = 0;

	lock_sock(sk);
	backlog = clamp(backlog, 0, (int)READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
	if (sock->state != SS_UNCONNECTED) {
		ret = -EINVAL;
		goto out;
	}
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (sk->sk_state == TCP_LISTEN) {
		/* listen() again: a new backlog, as Linux allows. */
		WRITE_ONCE(tsk->conn->backlog, min(backlog ?: 1, U16_MAX));
		goto out;
	}
	if (sk->sk_state != TCP_CLOSE) {
		ret = -EINVAL;
		goto out;
	}
	if (!inet->inet_num) {
		ret = toytcp_port_bind(sk, 0, 0);
		if (ret)
			goto out;
	} else if (toytcp_port_check(sk)) {
		ret = -EADDRINUSE;
		goto out;
	}
	if (tsk->conn) {
		toytcp_conn_put(tsk->conn);	/* a connect() that failed */
		tsk->conn = NULL;
	}
	tsk->accept_closed = false;
	ret = toytcp_user_listen_on(tn, inet->inet_rcv_saddr, inet->inet_sport,
				    false, sk, &tsk->conn);
out:
	release_sock(sk);
	return ret;
}

/* connect(), under the socket lock (inet_stream_connect() waits for it). */
static int toytcp_sock_connect(struct sock *sk, struct sockaddr *uaddr,
			       int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct toytcp_key key;
	int ret;

	if (addr_len < sizeof(*sin))
		return -EINVAL;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	if (tsk->conn) {
		toytcp_conn_put(tsk->conn);	/* one that failed before */
		tsk->conn = NULL;
	}
	key = (struct toytcp_key){
		.laddr = inet->inet_rcv_saddr, .raddr = sin->sin_addr.s_addr,
		.lport = inet->inet_sport, .rport = sin->sin_port,
	};
	WRITE_ONCE(sk->sk_err, 0);
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	ret = toytcp_user_open(toytcp_pernet(sock_net(sk)), &key, sk, &tsk->conn);
	/* No free port, or the 4-tuple is taken: Linux's inet_hash_connect(). */
	if (ret == -EADDRINUSE)
		return -EADDRNOTAVAIL;
	if (ret)
		return ret;
	inet->inet_saddr = key.laddr;
	inet->inet_rcv_saddr = key.laddr;
	inet->inet_sport = key.lport;
	inet->inet_num = ntohs(key.lport);
	inet->inet_daddr = key.raddr;
	inet->inet_dport = key.rport;
	toytcp_port_hold(sk);
	return 0;
}

/* The listener's queue gives up @child's socket to a program. */
static struct toytcp_sock *toytcp_sock_dequeue(struct sock *sk)
{
	struct toytcp_sock *tsk = toytcp_sk(sk), *child;

	spin_lock_bh(&tsk->accept_lock);
	child = list_first_entry_or_null(&tsk->acceptq, struct toytcp_sock,
					 accept_node);
	if (child) {
		list_del_init(&child->accept_node);
		WRITE_ONCE(child->owner, TOYTCP_OWNER_PROGRAM);
		sk_acceptq_removed(sk);
	}
	spin_unlock_bh(&tsk->accept_lock);
	return child;
}

static int toytcp_sock_accept(struct socket *sock, struct socket *newsock,
			      TOYTCP_ACCEPT_PARAMS)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk, *newsk;
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_sock *child = NULL;
	int err = 0;
	long timeo;

	lock_sock(sk);
	timeo = sock_rcvtimeo(sk, TOYTCP_ACCEPT_FLAGS & O_NONBLOCK);
	for (;;) {
		if (sk->sk_state != TCP_LISTEN) {
			err = -EINVAL;
			break;
		}
		child = toytcp_sock_dequeue(sk);
		if (child)
			break;
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, !list_empty_careful(&tsk->acceptq) ||
			      sk->sk_state != TCP_LISTEN, &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	release_sock(sk);
	if (!child)
		return err;
	newsk = &child->inet.sk;
	lock_sock(newsk);
	sock_graft(newsk, newsock);
	newsock->state = SS_CONNECTED;
	release_sock(newsk);
	toytcp_port_hold(newsk);
	return 0;
}

/* Abort a child in @sk's accept queue that no program will take. */
static void toytcp_sock_abort_child(struct toytcp_sock *child)
{
	struct toytcp_conn *conn = child->conn;
	struct toytcp_net *tn = conn->tn;
	struct toytcp_verdict v;
	enum toytcp_state old;
	struct sk_buff_head q;

	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->lock);
	WRITE_ONCE(child->owner, TOYTCP_OWNER_CONN);
	if (!conn->dead) {
		old = conn->tcb.state;
		toytcp_fsm_abort(&conn->tcb, &v);
		toytcp_output_queue_reply(conn, &v.reply, &q);
		toytcp_conn_state_changed(conn, old);	/* frees the socket */
	} else if (conn->sk) {
		toytcp_sock_drop_embryo(conn);	/* reset before accept() */
	}
	spin_unlock_bh(&conn->lock);
	toytcp_output_xmit(tn, &q);
}

/*
 * A listening socket closes: no more listening, and the children that
 * wait in its accept queue are reset, as Linux's inet_csk_listen_stop().
 * Children still in SYN_RECV end when they would join the queue.
 */
static void toytcp_sock_listen_stop(struct sock *sk)
{
	struct toytcp_sock *tsk = toytcp_sk(sk), *child, *tmp;
	struct toytcp_conn *lst = tsk->conn;
	LIST_HEAD(list);

	spin_lock_bh(&tsk->accept_lock);
	tsk->accept_closed = true;
	list_splice_init(&tsk->acceptq, &list);
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	spin_unlock_bh(&tsk->accept_lock);

	spin_lock_bh(&lst->lock);
	lst->sk = NULL;
	spin_unlock_bh(&lst->lock);
	toytcp_user_close_conn(lst, 0);

	list_for_each_entry_safe(child, tmp, &list, accept_node) {
		list_del_init(&child->accept_node);
		toytcp_sock_abort_child(child);
	}
	toytcp_sock_mirror(sk, TCP_CLOSE);
}

/*
 * The program lets go of @conn: from now on it is an orphan (counted,
 * at most max_orphans: past that it is reset, TCPAbortOnMemory) or gone.
 */
static void toytcp_sock_detach(struct sock *sk, struct toytcp_conn *conn)
{
	struct toytcp_net *tn = conn->tn;
	bool abort = false;

	spin_lock_bh(&conn->lock);
	if (conn->sk == sk) {
		conn->sk = NULL;
		if (!conn->dead && sk->sk_state != TCP_LISTEN) {
			conn->orphan = true;
			if (atomic_inc_return(&tn->orphans) > READ_ONCE(toytcp_max_orphans))
				abort = true;
		}
	}
	spin_unlock_bh(&conn->lock);
	if (abort) {
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_ABORTONMEMORY);
		toytcp_user_abort_conn(conn, 0);
	}
}

/* close() of a connected socket: FIN, or RST when that loses data. */
static void toytcp_sock_close_conn(struct sock *sk, long timeout)
{
	struct toytcp_conn *conn = toytcp_sk(sk)->conn;
	struct toytcp_net *tn = conn->tn;

	if (!skb_queue_empty(&sk->sk_receive_queue)) {
		/* RFC 2525 §2.17: unread data is lost, the peer must know. */
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_ABORTONCLOSE);
		toytcp_user_abort_conn(conn, 0);
	} else if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) {
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_ABORTONDATA);
		toytcp_user_abort_conn(conn, 0);
	} else if (toytcp_user_close_conn(conn, 0) == 0 && timeout) {
		/* SO_LINGER: wait for the FIN's acknowledgment, as Linux. */
		sk_stream_wait_close(sk, timeout);
	}
	toytcp_sock_detach(sk, conn);
}

static void toytcp_sock_close(struct sock *sk, long timeout)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN)
		toytcp_sock_listen_stop(sk);
	else if (tsk->conn)
		toytcp_sock_close_conn(sk, timeout);
	if (tsk->conn) {
		toytcp_sock_detach(sk, tsk->conn);
		toytcp_conn_put(tsk->conn);
		tsk->conn = NULL;
	}
	toytcp_port_release(sk);
	toytcp_sock_mirror(sk, TCP_CLOSE);
	sock_orphan(sk);
	release_sock(sk);
	sock_put(sk);
}

/*
 * Back to unconnected (connect() failed, AF_UNSPEC, shutdown() of a
 * listener or of a connect in progress): the connection is reset.
 */
static int toytcp_sock_disconnect(struct sock *sk, int flags)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_conn *conn = tsk->conn;

	if (sk->sk_state == TCP_LISTEN) {
		toytcp_sock_listen_stop(sk);
	} else if (conn) {
		toytcp_user_abort_conn(conn, 0);
		spin_lock_bh(&conn->lock);
		if (conn->sk == sk)
			conn->sk = NULL;
		spin_unlock_bh(&conn->lock);
	}
	if (conn) {
		toytcp_conn_put(conn);
		tsk->conn = NULL;
	}
	__skb_queue_purge(&sk->sk_receive_queue);
	tsk->rcvq_bytes = 0;
	tsk->rcvq_mem = 0;
	toytcp_port_release(sk);
	toytcp_sock_mirror(sk, TCP_CLOSE);
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	inet_sk(sk)->inet_dport = 0;
	inet_sk(sk)->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_sk(sk)->inet_rcv_saddr = inet_sk(sk)->inet_saddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		inet_sk(sk)->inet_sport = 0;
		inet_sk(sk)->inet_num = 0;
	}
	sk_error_report(sk);
	return 0;
}

/* shutdown(SHUT_WR) and SHUT_RDWR: a FIN after the queued data. */
static void toytcp_sock_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN) || !toytcp_sk(sk)->conn)
		return;
	if ((1 << sk->sk_state) &
	    (TCPF_ESTABLISHED | TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE_WAIT))
		toytcp_user_close_conn(toytcp_sk(sk)->conn, 0);
}

/* SO_KEEPALIVE (sock_setsockopt() sets SOCK_KEEPOPEN after this). */
static void toytcp_sock_keepalive(struct sock *sk, int on)
{
	struct toytcp_conn *conn = toytcp_sk(sk)->conn;

	if (conn)
		toytcp_user_keepalive_conn(conn, on);
}

/**
 * toytcp_sock_ka_params() - a socket's own keepalive settings
 * @conn: the connection, locked
 * @p: the parameters' values, to override where the socket set its own
 */
void toytcp_sock_ka_params(struct toytcp_conn *conn, struct toytcp_ka_params *p)
{
	struct toytcp_sock *tsk;

	if (!conn->sk)
		return;
	tsk = toytcp_sk(conn->sk);
	if (tsk->ka_idle)
		p->time_ms = tsk->ka_idle;
	if (tsk->ka_intvl)
		p->intvl_ms = tsk->ka_intvl;
	if (tsk->ka_cnt)
		p->probes = tsk->ka_cnt;
}

static int toytcp_sock_set_option(struct sock *sk, int optname, int val)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_conn *conn = tsk->conn;

	switch (optname) {
	case TOYTCP_NODELAY:
		tsk->nodelay = !!val;
		if (conn)
			toytcp_user_nodelay_conn(conn, !!val);
		return 0;
	case TOYTCP_KEEPIDLE:
	case TOYTCP_KEEPINTVL:
		if (val < 1 || val > TOYTCP_KEEP_MAX_S)
			return -EINVAL;
		if (optname == TOYTCP_KEEPIDLE)
			tsk->ka_idle = val * MSEC_PER_SEC;
		else
			tsk->ka_intvl = val * MSEC_PER_SEC;
		break;
	case TOYTCP_KEEPCNT:
		if (val < 1 || val > TOYTCP_KEEPCNT_MAX)
			return -EINVAL;
		tsk->ka_cnt = val;
		break;
	default:
		return -ENOPROTOOPT;
	}
	/* As Linux: a new idle time counts from now. */
	if (conn && sock_flag(sk, SOCK_KEEPOPEN))
		toytcp_user_keepalive_conn(conn, true);
	return 0;
}

static int toytcp_sock_setsockopt(struct sock *sk, int level, int optname,
				  sockptr_t optval, unsigned int optlen)
{
	int val, ret;

	if (level == SOL_IP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (level != SOL_TOYTCP)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	ret = toytcp_sock_set_option(sk, optname, val);
	release_sock(sk);
	return ret;
}

static int toytcp_sock_getsockopt(struct sock *sk, int level, int optname,
				  char __user *optval, int __user *optlen)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_ka_params p;
	int val, len;

	if (level == SOL_IP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (level != SOL_TOYTCP)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(unsigned int, len, sizeof(int));
	p = (struct toytcp_ka_params){
		.time_ms = tsk->ka_idle ?: READ_ONCE(toytcp_keepalive_time_ms),
		.intvl_ms = tsk->ka_intvl ?: READ_ONCE(toytcp_keepalive_intvl_ms),
		.probes = tsk->ka_cnt ?: READ_ONCE(toytcp_keepalive_probes),
	};
	switch (optname) {
	case TOYTCP_NODELAY:
		val = READ_ONCE(tsk->nodelay);
		break;
	case TOYTCP_KEEPIDLE:
		val = p.time_ms / MSEC_PER_SEC;
		break;
	case TOYTCP_KEEPINTVL:
		val = p.intvl_ms / MSEC_PER_SEC;
		break;
	case TOYTCP_KEEPCNT:
		val = p.probes;
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static struct proto toytcp_prot = {
	.name		= "TOYTCP",
	.owner		= THIS_MODULE,
	.init		= toytcp_sock_init_sk,
	.close		= toytcp_sock_close,
	.connect	= toytcp_sock_connect,
	.disconnect	= toytcp_sock_disconnect,
	.shutdown	= toytcp_sock_shutdown,
	.setsockopt	= toytcp_sock_setsockopt,
	.getsockopt	= toytcp_sock_getsockopt,
	.keepalive	= toytcp_sock_keepalive,
	.release_cb	= toytcp_sock_release_cb,
	.no_autobind	= true,
	.obj_size	= sizeof(struct toytcp_sock),
};

static const struct proto_ops toytcp_sock_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= toytcp_sock_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= toytcp_sock_accept,
	.getname	= inet_getname,
	.poll		= toytcp_stream_poll,
	.ioctl		= inet_ioctl,
	.listen		= toytcp_sock_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= toytcp_stream_sendmsg,
	.recvmsg	= toytcp_stream_recvmsg,
	.mmap		= sock_no_mmap,
};

static struct inet_protosw toytcp_protosw = {
	.type		= SOCK_STREAM,
	.protocol	= TOYTCP_IPPROTO,
	.prot		= &toytcp_prot,
	.ops		= &toytcp_sock_ops,
};

/**
 * toytcp_sock_init() - register the socket API: socket(AF_INET,
 *                      SOCK_STREAM, 253) works from here on
 *
 * Return: 0 or a negative errno.
 */
int toytcp_sock_init(void)
{
	int ret = proto_register(&toytcp_prot, 1);

	if (ret)
		return ret;
	inet_register_protosw(&toytcp_protosw);
	return 0;
}

/**
 * toytcp_sock_exit() - unregister it; no toytcp socket is left, as each
 *                      holds a reference on the module
 */
void toytcp_sock_exit(void)
{
	inet_unregister_protosw(&toytcp_protosw);
	proto_unregister(&toytcp_prot);
}
