// SPDX-License-Identifier: GPL-2.0
/*
 * Local ports of sockets: bind(), the ephemeral port of a listen()
 * without one, and the ports connect() and accept() take. Each namespace
 * keeps its bound sockets in a small hash table by port (toytcp_net's
 * ports), under one spinlock: only the socket calls come here, never a
 * segment. The connection table still decides which 4-tuples exist; this
 * table only answers bind()'s EADDRINUSE, as Linux's bind hash does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/tcp_states.h>
#include "netns.h"
#include "port.h"
#include "sock.h"

static struct hlist_head *toytcp_port_bucket(struct toytcp_net *tn, u16 port)
{
	return &tn->ports[port % TOYTCP_PORT_HASH];
}

/*
 * Would @sk, binding @addr, clash with @other on the same port? As
 * Linux's inet_bind_conflict(): not when the addresses differ and neither
 * is the wildcard, nor when both set SO_REUSEADDR and @other does not
 * listen.
 */
static bool toytcp_port_clash(const struct sock *sk, __be32 addr,
			      const struct sock *other)
{
	__be32 oaddr = inet_sk(other)->inet_rcv_saddr;

	if (addr && oaddr && addr != oaddr)
		return false;
	return !(sk->sk_reuse && other->sk_reuse &&
		 READ_ONCE(other->sk_state) != TCP_LISTEN);
}

/* Is @port of @addr taken for @sk? Called with ports_lock held. */
static bool __toytcp_port_taken(struct toytcp_net *tn, const struct sock *sk,
				__be32 addr, u16 port)
{
	struct toytcp_sock *other;
	bool taken;

	hlist_for_each_entry(other, toytcp_port_bucket(tn, port), port_node) {
		struct sock *osk = &other->inet.sk;

		if (osk != sk && inet_sk(osk)->inet_num == port &&
		    toytcp_port_clash(sk, addr, osk))
			return true;
	}
	/* A listener of ctl holds its port too. */
	rcu_read_lock();
	taken = toytcp_table_lookup_listener(&tn->table, addr, htons(port)) &&
		!sk->sk_reuse;
	rcu_read_unlock();
	return taken;
}

/**
 * toytcp_port_bind() - bind a socket to a local address and port
 * @sk: the socket, not yet bound
 * @addr: the local address, or 0 for any
 * @port: the port, or 0 for an ephemeral one (Linux's default
 *        ip_local_port_range)
 *
 * Return: 0 (@sk's inet_num, inet_sport and addresses are set) or
 * -EADDRINUSE.
 */
int toytcp_port_bind(struct sock *sk, __be32 addr, u16 port)
{
	struct toytcp_net *tn = toytcp_pernet(sock_net(sk));
	struct toytcp_sock *tsk = toytcp_sk(sk);
	u32 range, i, start;
	u16 low, high;
	int ret = 0;

	toytcp_port_range(sock_net(sk), &low, &high);
	range = high - low + 1;
	spin_lock_bh(&tn->ports_lock);
	if (!port) {
		start = get_random_u32_below(range);
		for (i = 0; i < range; i++) {
			port = low + (start + i) % range;
			if (!__toytcp_port_taken(tn, sk, addr, port))
				break;
		}
		if (i == range)
			ret = -EADDRINUSE;
	} else if (__toytcp_port_taken(tn, sk, addr, port)) {
		ret = -EADDRINUSE;
	}
	if (!ret) {
		inet_sk(sk)->inet_rcv_saddr = addr;
		inet_sk(sk)->inet_saddr = addr;
		inet_sk(sk)->inet_num = port;
		inet_sk(sk)->inet_sport = htons(port);
		hlist_add_head(&tsk->port_node, toytcp_port_bucket(tn, port));
		tsk->port_bound = true;
		tsk->port_own = true;
	}
	spin_unlock_bh(&tn->ports_lock);
	return ret;
}

/**
 * toytcp_port_range() - the namespace's ephemeral ports
 * @net: the namespace
 * @low: out, the first
 * @high: out, the last
 *
 * Linux's net.ipv4.ip_local_port_range, which TCP's take too.
 */
void toytcp_port_range(struct net *net, u16 *low, u16 *high)
{
	int lo, hi;

	inet_get_local_port_range(net, &lo, &hi);
	*low = lo;
	*high = hi;
}

/**
 * toytcp_port_reserved() - may no connect() take this port?
 * @tn: the namespace
 * @addr: the connection's local address
 * @port: the port
 *
 * A connect() may take a port other connections took (each 4-tuple is
 * the connection table's to check), but not one a socket bound itself or
 * a listener holds, as Linux's __inet_hash_connect() skips a port whose
 * bind bucket bind() made: else a connect() to a listener on this host
 * could take the listener's own port and connect to itself.
 *
 * Return: true when bind() or listen() holds @port for @addr.
 */
bool toytcp_port_reserved(struct toytcp_net *tn, __be32 addr, u16 port)
{
	struct toytcp_sock *other;
	bool reserved = false;

	spin_lock_bh(&tn->ports_lock);
	hlist_for_each_entry(other, toytcp_port_bucket(tn, port), port_node) {
		__be32 oaddr = other->inet.inet_rcv_saddr;

		if (other->port_own && other->inet.inet_num == port &&
		    (!oaddr || !addr || oaddr == addr)) {
			reserved = true;
			break;
		}
	}
	spin_unlock_bh(&tn->ports_lock);
	if (reserved)
		return true;
	rcu_read_lock();
	reserved = !!toytcp_table_lookup_listener(&tn->table, addr, htons(port));
	rcu_read_unlock();
	return reserved;
}

/**
 * toytcp_port_check() - may @sk listen on the port it is bound to?
 * @sk: a bound socket
 *
 * Return: true when another socket's binding forbids it (EADDRINUSE).
 */
bool toytcp_port_check(struct sock *sk)
{
	struct toytcp_net *tn = toytcp_pernet(sock_net(sk));
	bool taken;

	spin_lock_bh(&tn->ports_lock);
	taken = __toytcp_port_taken(tn, sk, inet_sk(sk)->inet_rcv_saddr,
				    inet_sk(sk)->inet_num);
	spin_unlock_bh(&tn->ports_lock);
	return taken;
}

/**
 * toytcp_port_hold() - record the port a connection took as bound
 * @sk: a socket whose connect() or accept() gave it a port
 */
void toytcp_port_hold(struct sock *sk)
{
	struct toytcp_net *tn = toytcp_pernet(sock_net(sk));
	struct toytcp_sock *tsk = toytcp_sk(sk);

	if (tsk->port_bound)
		return;
	spin_lock_bh(&tn->ports_lock);
	hlist_add_head(&tsk->port_node,
		       toytcp_port_bucket(tn, inet_sk(sk)->inet_num));
	tsk->port_bound = true;
	spin_unlock_bh(&tn->ports_lock);
}

/**
 * toytcp_port_release() - the socket lets its port go (close(), a failed
 *                         connect())
 * @sk: the socket; bound or not
 */
void toytcp_port_release(struct sock *sk)
{
	struct toytcp_net *tn = toytcp_pernet(sock_net(sk));
	struct toytcp_sock *tsk = toytcp_sk(sk);

	if (!tsk->port_bound)
		return;
	spin_lock_bh(&tn->ports_lock);
	hlist_del(&tsk->port_node);
	tsk->port_bound = false;
	tsk->port_own = false;
	spin_unlock_bh(&tn->ports_lock);
}
