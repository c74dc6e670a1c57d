/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket API: socket(AF_INET, SOCK_STREAM, 253). See sock.c.
 */
#ifndef _TOYTCP_SOCK_H
#define _TOYTCP_SOCK_H

#include <linux/skbuff.h>
#include <net/inet_sock.h>

struct toytcp_conn;
struct toytcp_ka_params;

/* setsockopt() level of toytcp's own options: its protocol number. */
#define SOL_TOYTCP		253

/* Options at SOL_TOYTCP; the numbers are TCP's for the same meaning. */
#define TOYTCP_NODELAY		1	/* int: Nagle off */
#define TOYTCP_KEEPIDLE		4	/* int, s: idle before the first probe */
#define TOYTCP_KEEPINTVL	5	/* int, s: between probes */
#define TOYTCP_KEEPCNT		6	/* int: unanswered probes before giving up */

/* Their limits, TCP's: MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT. */
#define TOYTCP_KEEP_MAX_S	32767
#define TOYTCP_KEEPCNT_MAX	127

/* Who frees a socket (struct toytcp_sock's @owner). */
enum toytcp_sock_owner {
	TOYTCP_OWNER_PROGRAM,	/* a program's: close() */
	TOYTCP_OWNER_CONN,	/* a child's: goes when its connection ends */
	TOYTCP_OWNER_ACCEPTQ,	/* in an accept queue: accept() or the listener's close() */
};

/**
 * struct toytcp_sock - a toytcp socket
 * @inet: the inet socket (first: a struct sock * is one of these)
 * @conn: the connection or listener it owns (referenced), NULL before
 *        connect() or listen(); it may be closed already (->dead)
 * @rcvq_bytes: unread bytes in sk_receive_queue; under @conn's lock
 * @rcvq_mem: their skbs' truesize; under @conn's lock
 * @accept_lock: protects @acceptq and @accept_closed (taken inside a
 *               child's conn->lock)
 * @acceptq: a listener: children that finished the handshake and wait
 *           for accept()
 * @accept_closed: a listener: closed, its accept queue takes no more
 * @accept_node: a child: in its listener's @acceptq
 * @owner: who owns the socket (enum toytcp_sock_owner): a program, or,
 *         for a child not yet accepted, its connection or the accept
 *         queue; changed under the child's conn->lock (to the queue) or
 *         the listener's @accept_lock (to the program)
 * @port_node: in the namespace's table of bound ports
 * @port_bound: @port_node is hashed
 * @port_own: the port was bound by bind() or listen(), not taken by
 *            connect() or accept(): no connect() shares it
 * @deferred_state: sk_state to take at release_sock() (0: none); under the
 *                  sk spinlock
 * @nodelay: TOYTCP_NODELAY, for the connection to come
 * @ka_idle: TOYTCP_KEEPIDLE in ms (0: the keepalive_time_ms parameter)
 * @ka_intvl: TOYTCP_KEEPINTVL in ms (0: the parameter)
 * @ka_cnt: TOYTCP_KEEPCNT (0: the parameter)
 */
struct toytcp_sock {
	struct inet_sock inet;
	struct toytcp_conn *conn;
	u32 rcvq_bytes;
	u32 rcvq_mem;
	spinlock_t accept_lock;
	struct list_head acceptq;
	bool accept_closed;
	struct list_head accept_node;
	u8 owner;
	struct hlist_node port_node;
	bool port_bound;
	bool port_own;
	u8 deferred_state;
	bool nodelay;
	u32 ka_idle;
	u32 ka_intvl;
	u32 ka_cnt;
};

static inline struct toytcp_sock *toytcp_sk(const struct sock *sk)
{
	return (struct toytcp_sock *)sk;
}

/* Where an unread skb's bytes are (skb->cb, receive queue only). */
struct toytcp_rcv_cb {
	u32 off;
	u32 len;
};

#define TOYTCP_RCV_CB(skb)	((struct toytcp_rcv_cb *)(skb)->cb)

/**
 * struct toytcp_sock_info - a connection's socket, as /proc shows it
 * @recvq: bytes the program has not read
 * @uid: the socket's owner
 * @ino: its inode number (0 before accept())
 */
struct toytcp_sock_info {
	u32 recvq;
	kuid_t uid;
	unsigned long ino;
};

bool toytcp_sock_info(struct toytcp_conn *conn, struct toytcp_sock_info *info);

int toytcp_sock_init(void);
void toytcp_sock_adopt(struct sock *sk, struct toytcp_conn *conn);
void toytcp_sock_exit(void);

/* Called by the protocol with conn->lock held, for a socket's connection. */
bool toytcp_sock_state_changed(struct toytcp_conn *conn, int old);
void toytcp_sock_conn_done(struct toytcp_conn *conn);
void toytcp_sock_soft_error(struct toytcp_conn *conn, int err);
void toytcp_sock_ka_params(struct toytcp_conn *conn, struct toytcp_ka_params *p);

/* Listeners owned by a socket (listen.c, input.c); under rcu_read_lock(). */
int toytcp_sock_child(struct toytcp_conn *lst, struct toytcp_conn *child);
bool toytcp_sock_accept_full(struct toytcp_conn *lst);

#endif /* _TOYTCP_SOCK_H */
