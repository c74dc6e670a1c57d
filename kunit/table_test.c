// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection table (suite toytcp_table), the timers (suite
 * toytcp_timers) and TIME_WAIT (suite toytcp_timewait), on a stand-in
 * namespace: a struct toytcp_net of the test's own with its tables and
 * counters but no hook.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include "conn.h"
#include "netns.h"
#include "params.h"
#include "sock.h"
#include "stats.h"
#include "timers.h"
#include "timewait.h"
#include "user.h"

#define IP(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static struct toytcp_net *fake_net(struct kunit *test)
{
	struct toytcp_net *tn = kunit_kzalloc(test, sizeof(*tn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tn);
	tn->net = &init_net;
	tn->mib = alloc_percpu(struct toytcp_mib);
	KUNIT_ASSERT_NOT_NULL(test, tn->mib);
	KUNIT_ASSERT_EQ(test, toytcp_table_init(&tn->table), 0);
	KUNIT_ASSERT_EQ(test, toytcp_tw_init(&tn->tw), 0);
	return tn;
}

static void fake_net_free(struct toytcp_net *tn)
{
	toytcp_table_flush(&tn->table);
	toytcp_table_destroy(&tn->table);
	toytcp_tw_flush(&tn->tw);
	free_percpu(tn->mib);
}

static struct toytcp_key key_of(u32 host, u16 lport, u16 rport)
{
	return (struct toytcp_key){
		.laddr = IP(10, 0, 0, 2), .raddr = htonl(0x0a000000 | host),
		.lport = htons(lport), .rport = htons(rport),
	};
}

/* A connection in the table, in @state; NULL if its 4-tuple is taken. */
static struct toytcp_conn *add(struct kunit *test, struct toytcp_net *tn,
			       const struct toytcp_key *key,
			       enum toytcp_state state)
{
	struct toytcp_conn *conn = toytcp_conn_alloc(tn, key, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, conn);
	spin_lock_bh(&conn->lock);
	ret = toytcp_table_insert(&tn->table, conn);
	if (!ret)
		toytcp_conn_set_state(conn, state);
	spin_unlock_bh(&conn->lock);
	if (ret) {
		KUNIT_EXPECT_EQ(test, ret, -EADDRINUSE);
		toytcp_conn_put(conn);
		return NULL;
	}
	return conn;
}

static struct toytcp_conn *find(struct toytcp_net *tn, const struct toytcp_key *key)
{
	struct toytcp_conn *conn;

	rcu_read_lock();
	conn = toytcp_table_lookup(&tn->table, key);
	rcu_read_unlock();
	return conn;
}

static void toytcp_table_basic_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k1 = key_of(1, 7, 40001), k2 = key_of(1, 7, 40002);
	struct toytcp_conn *c1;

	c1 = add(test, tn, &k1, TOYTCP_ESTABLISHED);
	KUNIT_ASSERT_NOT_NULL(test, c1);
	KUNIT_EXPECT_PTR_EQ(test, find(tn, &k1), c1);
	KUNIT_EXPECT_NULL(test, find(tn, &k2));
	KUNIT_EXPECT_NULL(test, add(test, tn, &k1, TOYTCP_ESTABLISHED));
	KUNIT_EXPECT_EQ(test, toytcp_table_count(&tn->table), 1U);

	/* Closing takes it out of the table. */
	spin_lock_bh(&c1->lock);
	toytcp_conn_set_state(c1, TOYTCP_CLOSED);
	spin_unlock_bh(&c1->lock);
	KUNIT_EXPECT_NULL(test, find(tn, &k1));
	KUNIT_EXPECT_EQ(test, toytcp_table_count(&tn->table), 0U);
	fake_net_free(tn);
}

static void toytcp_table_listener_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key lk = { .lport = htons(7) }, ck = key_of(1, 7, 40001);
	struct toytcp_key bk = { .laddr = htonl(0x0a000002), .lport = htons(7) };
	struct toytcp_conn *lst, *conn, *bound;

	lst = add(test, tn, &lk, TOYTCP_LISTEN);
	KUNIT_ASSERT_NOT_NULL(test, lst);
	KUNIT_EXPECT_NULL(test, add(test, tn, &lk, TOYTCP_LISTEN));
	/* A connection on the listener's port has a key of its own. */
	conn = add(test, tn, &ck, TOYTCP_ESTABLISHED);
	KUNIT_EXPECT_NOT_NULL(test, conn);
	/* A listener bound to one address (a socket's bind()) comes first. */
	bound = add(test, tn, &bk, TOYTCP_LISTEN);
	KUNIT_ASSERT_NOT_NULL(test, bound);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, toytcp_table_lookup_listener(&tn->table, 0, htons(7)), lst);
	KUNIT_EXPECT_PTR_EQ(test, toytcp_table_lookup_listener(&tn->table, bk.laddr,
							       htons(7)), bound);
	KUNIT_EXPECT_PTR_EQ(test, toytcp_table_lookup_listener(&tn->table,
							       htonl(0x0a000003),
							       htons(7)), lst);
	KUNIT_EXPECT_NULL(test, toytcp_table_lookup_listener(&tn->table, bk.laddr,
							     htons(8)));
	rcu_read_unlock();
	KUNIT_EXPECT_PTR_EQ(test, find(tn, &ck), conn);
	fake_net_free(tn);
}

/*
 * Many connections that differ in one field only: every one is found,
 * through the table's growth, and after half of them are gone.
 */
static void toytcp_table_many_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	const int n = 20000;
	struct toytcp_conn **c;
	struct toytcp_key k;
	int i, found = 0;

	c = kunit_kcalloc(test, n, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < n; i++) {
		k = key_of(1, 7, 1024 + i);
		c[i] = add(test, tn, &k, TOYTCP_ESTABLISHED);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
	}
	KUNIT_EXPECT_EQ(test, toytcp_table_count(&tn->table), (unsigned int)n);
	for (i = 0; i < n; i++) {
		k = key_of(1, 7, 1024 + i);
		found += find(tn, &k) == c[i];
	}
	KUNIT_EXPECT_EQ(test, found, n);
	for (i = 0; i < n; i += 2) {
		spin_lock_bh(&c[i]->lock);
		toytcp_conn_set_state(c[i], TOYTCP_CLOSED);
		spin_unlock_bh(&c[i]->lock);
	}
	for (i = 0, found = 0; i < n; i++) {
		k = key_of(1, 7, 1024 + i);
		found += find(tn, &k) == (i % 2 ? c[i] : NULL);
	}
	KUNIT_EXPECT_EQ(test, found, n);
	KUNIT_EXPECT_EQ(test, toytcp_table_count(&tn->table), (unsigned int)n / 2);
	fake_net_free(tn);
}

/* Two namespaces hold the same 4-tuple, each its own. */
static void toytcp_table_netns_test(struct kunit *test)
{
	struct toytcp_net *a = fake_net(test), *b = fake_net(test);
	struct toytcp_key k = key_of(1, 7, 40001);
	struct toytcp_conn *ca, *cb;

	ca = add(test, a, &k, TOYTCP_ESTABLISHED);
	cb = add(test, b, &k, TOYTCP_ESTABLISHED);
	KUNIT_ASSERT_NOT_NULL(test, ca);
	KUNIT_ASSERT_NOT_NULL(test, cb);
	KUNIT_EXPECT_PTR_NE(test, ca, cb);
	KUNIT_EXPECT_PTR_EQ(test, find(a, &k), ca);
	KUNIT_EXPECT_PTR_EQ(test, find(b, &k), cb);
	fake_net_free(a);
	KUNIT_EXPECT_PTR_EQ(test, find(b, &k), cb);
	fake_net_free(b);
}

/* CurrEstab and friends follow the state changes, as Linux counts them. */
static void toytcp_table_counters_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k1 = key_of(1, 7, 1), k2 = key_of(1, 7, 2), k3 = key_of(1, 7, 3);
	struct toytcp_conn *c1, *c2, *c3;

	c1 = add(test, tn, &k1, TOYTCP_ESTABLISHED);
	c2 = add(test, tn, &k2, TOYTCP_SYN_SENT);
	c3 = add(test, tn, &k3, TOYTCP_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_CURRESTAB), 2UL);
	spin_lock_bh(&c1->lock);
	toytcp_conn_set_state(c1, TOYTCP_CLOSED);		/* a reset */
	spin_unlock_bh(&c1->lock);
	spin_lock_bh(&c2->lock);
	toytcp_conn_set_state(c2, TOYTCP_CLOSED);		/* a failed attempt */
	spin_unlock_bh(&c2->lock);
	spin_lock_bh(&c3->lock);
	toytcp_conn_set_state(c3, TOYTCP_LAST_ACK);		/* a close */
	spin_unlock_bh(&c3->lock);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_CURRESTAB), 0UL);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_ESTABRESETS), 1UL);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_ATTEMPTFAILS), 1UL);
	fake_net_free(tn);
}

/* RFC 6528: ISNs differ per 4-tuple and move with the clock. */
static void toytcp_isn_test(struct kunit *test)
{
	struct toytcp_key k1 = key_of(1, 7, 40001), k2 = key_of(1, 7, 40002);
	u32 a = toytcp_conn_isn(&k1), b, c;

	msleep(20);
	b = toytcp_conn_isn(&k1);
	c = toytcp_conn_isn(&k2);
	/* 20 ms of 64 ns ticks: about 312,500; allow a slow machine. */
	KUNIT_EXPECT_GT(test, b - a, 300000U);
	KUNIT_EXPECT_LT(test, b - a, 300000000U);
	KUNIT_EXPECT_GT(test, c - b > b - c ? b - c : c - b, 1000000U);
}

/* Challenge ACKs: TOYTCP_CHALLENGE_PER_SEC a second, per connection. */
static void toytcp_challenge_limit_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k1 = key_of(1, 7, 1), k2 = key_of(1, 7, 2);
	struct toytcp_conn *c1 = add(test, tn, &k1, TOYTCP_ESTABLISHED);
	struct toytcp_conn *c2 = add(test, tn, &k2, TOYTCP_ESTABLISHED);
	unsigned long t = jiffies;
	int i, allowed = 0;

	spin_lock_bh(&c1->lock);
	for (i = 0; i < 3 * TOYTCP_CHALLENGE_PER_SEC; i++)
		allowed += toytcp_challenge_allowed(&c1->limit, t + i);
	KUNIT_EXPECT_EQ(test, allowed, TOYTCP_CHALLENGE_PER_SEC);
	/* A second later, a fresh allowance. */
	KUNIT_EXPECT_TRUE(test, toytcp_challenge_allowed(&c1->limit, t + HZ));
	spin_unlock_bh(&c1->lock);
	/* Another connection has its own: no host-wide counter. */
	spin_lock_bh(&c2->lock);
	KUNIT_EXPECT_TRUE(test, toytcp_challenge_allowed(&c2->limit, t + 1));
	spin_unlock_bh(&c2->lock);
	fake_net_free(tn);
}

/*
 * max_conns: a connection past it is refused and counted, and the charge
 * comes back when a connection ends. max_timewait: a connection that
 * would enter TIME_WAIT past it is closed at once, and counted.
 */
static void toytcp_table_bounds_test(struct kunit *test)
{
	unsigned int saved_conns = toytcp_max_conns, saved_tw = toytcp_max_timewait;
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key keys[3];
	struct toytcp_conn *c[3];
	int i;

	toytcp_max_conns = 2;
	toytcp_max_timewait = 1;
	for (i = 0; i < 3; i++) {
		keys[i] = key_of(1, 7, 100 + i);
		c[i] = toytcp_conn_alloc(tn, &keys[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
	}
	KUNIT_EXPECT_EQ(test, toytcp_conn_charge(c[0]), 0);
	KUNIT_EXPECT_EQ(test, toytcp_conn_charge(c[1]), 0);
	KUNIT_EXPECT_EQ(test, toytcp_conn_charge(c[2]), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_CONNOVERFLOWS), 1UL);
	toytcp_conn_put(c[2]);
	for (i = 0; i < 2; i++) {
		spin_lock_bh(&c[i]->lock);
		KUNIT_EXPECT_EQ(test, toytcp_table_insert(&tn->table, c[i]), 0);
		toytcp_conn_set_state(c[i], TOYTCP_FIN_WAIT2);
		toytcp_conn_set_state(c[i], TOYTCP_TIME_WAIT);
		spin_unlock_bh(&c[i]->lock);
	}
	/*
	 * The first waits, as a tw holding its place under max_conns; the
	 * second found TIME_WAIT full and closed. Both connections left.
	 */
	KUNIT_EXPECT_TRUE(test, toytcp_tw_exists(tn, &keys[0]));
	KUNIT_EXPECT_FALSE(test, toytcp_tw_exists(tn, &keys[1]));
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TWOVERFLOW), 1UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->tw.count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->table.conns), 1);
	KUNIT_EXPECT_EQ(test, toytcp_table_count(&tn->table), 0U);
	/* Its charge back, a new connection fits again. */
	c[2] = toytcp_conn_alloc(tn, &(struct toytcp_key){ .lport = 1 }, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c[2]);
	KUNIT_EXPECT_EQ(test, toytcp_conn_charge(c[2]), 0);
	toytcp_conn_put(c[2]);		/* never inserted: its charge ... */
	atomic_dec(&tn->table.conns);	/* ... is the caller's to return */
	fake_net_free(tn);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->tw.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->table.conns), 0);
	toytcp_max_conns = saved_conns;
	toytcp_max_timewait = saved_tw;
}

/* A child holds a place in its listener's backlog while in SYN_RECV. */
static void toytcp_table_backlog_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key lk = { .lport = htons(7) };
	struct toytcp_key k1 = key_of(1, 7, 1), k2 = key_of(1, 7, 2);
	struct toytcp_conn *lst = add(test, tn, &lk, TOYTCP_LISTEN);
	struct toytcp_conn *c[2];
	int i;

	for (i = 0; i < 2; i++) {
		c[i] = add(test, tn, i ? &k2 : &k1, TOYTCP_LISTEN);
		KUNIT_ASSERT_NOT_NULL(test, c[i]);
		atomic_inc(&lst->qlen);
		spin_lock_bh(&c[i]->lock);
		toytcp_conn_adopt(c[i], lst);
		toytcp_conn_set_state(c[i], TOYTCP_SYN_RECV);
		spin_unlock_bh(&c[i]->lock);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&lst->qlen), 2);
	KUNIT_EXPECT_EQ(test, refcount_read(&lst->refcnt), 3U);
	spin_lock_bh(&c[0]->lock);
	toytcp_conn_set_state(c[0], TOYTCP_ESTABLISHED);	/* the ACK came */
	spin_unlock_bh(&c[0]->lock);
	KUNIT_EXPECT_EQ(test, atomic_read(&lst->qlen), 1);
	spin_lock_bh(&c[1]->lock);
	toytcp_conn_set_state(c[1], TOYTCP_CLOSED);		/* a reset */
	spin_unlock_bh(&c[1]->lock);
	KUNIT_EXPECT_EQ(test, atomic_read(&lst->qlen), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&lst->refcnt), 1U);
	KUNIT_EXPECT_NULL(test, c[0]->parent);
	fake_net_free(tn);
}

/*
 * A SYN that found a listening socket's listener as the socket closed on
 * another CPU (listener's sk already NULL) makes no child: one without a
 * socket would stay, as ctl's do, with nobody to close it. A listener of
 * ctl never had a socket: its children need none.
 */
static void toytcp_table_listener_closed_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key lk = { .lport = htons(7) };
	struct toytcp_key k1 = key_of(1, 7, 1);
	struct toytcp_conn *lst = add(test, tn, &lk, TOYTCP_LISTEN);
	struct toytcp_conn *child = toytcp_conn_alloc(tn, &k1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, lst);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, toytcp_sock_child(lst, child), 0);	/* ctl's */
	KUNIT_EXPECT_NULL(test, child->sk);
	lst->sock_owned = true;		/* a socket's, closed: sk is NULL */
	KUNIT_EXPECT_EQ(test, toytcp_sock_child(lst, child), -ENOENT);
	KUNIT_EXPECT_NULL(test, child->sk);
	toytcp_conn_put(child);
	fake_net_free(tn);
}

/* Queue @n bytes counting on from *@next (as a sender's SEND does). */
static void ring_put(struct kunit *test, struct toytcp_conn *conn, u32 n, u8 *next)
{
	struct toytcp_span sp;
	u32 i, k;

	KUNIT_ASSERT_EQ(test, toytcp_conn_send_space(conn, n, &sp), 0);
	KUNIT_ASSERT_EQ(test, sp.len[0] + sp.len[1], n);
	for (k = 0; k < 2; k++)
		for (i = 0; i < sp.len[k]; i++)
			sp.p[k][i] = (*next)++;
}

/* The whole queue reads back counting on from @first. */
static void ring_check(struct kunit *test, struct toytcp_conn *conn, u8 first)
{
	struct toytcp_span sp;
	u32 i, k, bad = 0;

	toytcp_conn_snd_span(conn, 0, conn->tcb.snd_queued, &sp);
	KUNIT_EXPECT_EQ(test, sp.len[0] + sp.len[1], conn->tcb.snd_queued);
	for (k = 0; k < 2; k++)
		for (i = 0; i < sp.len[k]; i++)
			bad += sp.p[k][i] != first++;
	KUNIT_EXPECT_EQ(test, bad, 0);
}

/* The peer acknowledges the oldest @n bytes (as fsm.c and input.c do). */
static void ring_ack(struct toytcp_conn *conn, u32 n, u8 *first)
{
	conn->tcb.snd_queued -= n;
	toytcp_conn_ack_data(conn, n);
	*first += n;
}

/*
 * The send queue is a ring (conn.c): the bytes read back in the order
 * they went in across the ring's end, an ACK only moves the head, and a
 * ring that grows keeps the order, however it had wrapped.
 */
static void toytcp_conn_ring_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key key = key_of(1, 7, 100);
	struct toytcp_conn *conn = add(test, tn, &key, TOYTCP_ESTABLISHED);
	u8 next = 0, first = 0;
	struct toytcp_span sp;
	int round;

	KUNIT_ASSERT_NOT_NULL(test, conn);
	spin_lock_bh(&conn->lock);
	for (round = 0; round < 10; round++) {
		ring_put(test, conn, 300, &next);
		KUNIT_EXPECT_EQ(test, conn->sndbuf_size, 512U);
		ring_check(test, conn, first);
		ring_ack(conn, 300, &first);
	}
	KUNIT_EXPECT_NE(test, conn->sndbuf_head, 0U);	/* it went round */
	ring_put(test, conn, 400, &next);
	ring_ack(conn, 100, &first);
	ring_put(test, conn, 200, &next);	/* wraps */
	ring_check(test, conn, first);
	ring_put(test, conn, 400, &next);	/* 900: grows */
	KUNIT_EXPECT_EQ(test, conn->sndbuf_size, 1024U);
	KUNIT_EXPECT_EQ(test, conn->sndbuf_head, 0U);
	ring_check(test, conn, first);
	/* Bytes from the middle: where SND.NXT's segment starts. */
	toytcp_conn_snd_span(conn, 250, 10, &sp);
	KUNIT_EXPECT_EQ(test, sp.len[0], 10U);
	KUNIT_EXPECT_EQ(test, sp.p[0][0], (u8)(first + 250));
	spin_unlock_bh(&conn->lock);
	fake_net_free(tn);
}

static struct kunit_case toytcp_table_cases[] = {
	KUNIT_CASE(toytcp_table_basic_test),
	KUNIT_CASE(toytcp_table_listener_test),
	KUNIT_CASE(toytcp_table_many_test),
	KUNIT_CASE(toytcp_table_netns_test),
	KUNIT_CASE(toytcp_table_counters_test),
	KUNIT_CASE(toytcp_isn_test),
	KUNIT_CASE(toytcp_challenge_limit_test),
	KUNIT_CASE(toytcp_table_bounds_test),
	KUNIT_CASE(toytcp_table_backlog_test),
	KUNIT_CASE(toytcp_table_listener_closed_test),
	KUNIT_CASE(toytcp_conn_ring_test),
	{}
};

static struct kunit_suite toytcp_table_suite = {
	.name = "toytcp_table",
	.test_cases = toytcp_table_cases,
};

/* Take a reference to look at a connection after it is closed. */
static struct toytcp_conn *hold(struct toytcp_conn *conn)
{
	refcount_inc(&conn->refcnt);
	return conn;
}

static bool is_dead(struct toytcp_conn *conn)
{
	bool dead;

	spin_lock_bh(&conn->lock);
	dead = conn->dead;
	spin_unlock_bh(&conn->lock);
	return dead;
}

/*
 * Retransmission backs off, doubling the RTO, and gives up after
 * syn_retries timeouts: a SYN to TEST-NET-1 (no route in the test VM, so
 * nothing leaves) with RTO 10 ms and 3 retries is gone within a second,
 * counted as a failed attempt, its RTO at 80 ms. No route is not a lack of
 * memory: it backs off like a loss. RetransSegs counts segments sent, as
 * Linux's does, and none was.
 */
static void toytcp_timers_backoff_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k = { .laddr = IP(10, 0, 0, 1), .raddr = IP(192, 0, 2, 1),
				.lport = htons(40001), .rport = htons(7) };
	unsigned int retries = toytcp_syn_retries;
	struct toytcp_verdict v;
	struct toytcp_conn *conn;

	WRITE_ONCE(toytcp_syn_retries, 3);
	conn = hold(add(test, tn, &k, TOYTCP_CLOSED));
	spin_lock_bh(&conn->lock);
	toytcp_fsm_open(&conn->tcb, 1000, 1460, &v);
	conn->tcb.state = TOYTCP_CLOSED;
	toytcp_conn_set_state(conn, TOYTCP_SYN_SENT);
	conn->rtt.rto_ms = 10;
	toytcp_timers_after_event(conn, TOYTCP_TIMER_KEEP);
	KUNIT_EXPECT_STREQ(test, toytcp_timer_name(conn), "rtx");
	spin_unlock_bh(&conn->lock);

	msleep(1000);
	KUNIT_EXPECT_TRUE(test, is_dead(conn));
	KUNIT_EXPECT_EQ(test, conn->retries, 3);
	KUNIT_EXPECT_EQ(test, conn->rtt.rto_ms, 80U);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_RETRANSSEGS), 0UL);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_ATTEMPTFAILS), 1UL);

	WRITE_ONCE(toytcp_syn_retries, retries);
	toytcp_conn_put(conn);
	fake_net_free(tn);
}

/*
 * An acknowledgment of new data starts the count over and the timer
 * anew; the backed-off RTO stays until an RTT sample sets it (Karn).
 */
static void toytcp_timers_progress_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k = key_of(1, 7, 40001);
	struct toytcp_conn *conn;

	conn = add(test, tn, &k, TOYTCP_ESTABLISHED);
	spin_lock_bh(&conn->lock);
	conn->tcb.snd_una = 1000;
	conn->tcb.snd_nxt = 1100;	/* 100 bytes in flight */
	conn->tcb.snd_queued = 100;
	conn->rtt.rto_ms = 4000;
	conn->retries = 2;
	toytcp_timers_after_event(conn, TOYTCP_TIMER_RTX);
	KUNIT_EXPECT_EQ(test, conn->retries, 0);
	KUNIT_EXPECT_EQ(test, conn->rtt.rto_ms, 4000U);
	KUNIT_EXPECT_GT(test, toytcp_timer_remaining_ms(conn), 3000LL);
	KUNIT_EXPECT_STREQ(test, toytcp_timer_name(conn), "rtx");
	/* All acknowledged: the timer stops. */
	conn->tcb.snd_una = 1100;
	conn->tcb.snd_queued = 0;
	toytcp_timers_after_event(conn, TOYTCP_TIMER_RTX);
	KUNIT_EXPECT_STREQ(test, toytcp_timer_name(conn), "-");
	spin_unlock_bh(&conn->lock);
	fake_net_free(tn);
}

/*
 * A fast retransmit runs the timer anew from the resend, as Linux does
 * when the oldest segment goes again; the count of timeouts stays, for it
 * is no progress.
 */
static void toytcp_timers_resent_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k = key_of(1, 7, 40002);
	struct toytcp_conn *conn;

	conn = add(test, tn, &k, TOYTCP_ESTABLISHED);
	spin_lock_bh(&conn->lock);
	conn->tcb.snd_una = 1000;
	conn->tcb.snd_nxt = 1500;
	conn->tcb.snd_queued = 500;
	conn->rtt.rto_ms = 4000;
	toytcp_timers_after_event(conn, TOYTCP_TIMER_RTX);
	spin_unlock_bh(&conn->lock);
	msleep(1100);
	spin_lock_bh(&conn->lock);
	conn->retries = 1;
	KUNIT_EXPECT_LT(test, toytcp_timer_remaining_ms(conn), 3000LL);
	toytcp_timers_after_event(conn, TOYTCP_TIMER_KEEP);	/* a duplicate */
	KUNIT_EXPECT_LT(test, toytcp_timer_remaining_ms(conn), 3000LL);
	toytcp_timers_after_event(conn, TOYTCP_TIMER_RESENT);	/* the third */
	KUNIT_EXPECT_GT(test, toytcp_timer_remaining_ms(conn), 3500LL);
	KUNIT_EXPECT_STREQ(test, toytcp_timer_name(conn), "rtx");
	KUNIT_EXPECT_EQ(test, conn->retries, 1);
	conn->tcb.snd_una = 1500;
	conn->tcb.snd_queued = 0;
	toytcp_timers_after_event(conn, TOYTCP_TIMER_RTX);
	spin_unlock_bh(&conn->lock);
	fake_net_free(tn);
}

static struct kunit_case toytcp_timers_cases[] = {
	KUNIT_CASE(toytcp_timers_backoff_test),
	KUNIT_CASE(toytcp_timers_progress_test),
	KUNIT_CASE(toytcp_timers_resent_test),
	{}
};

static struct kunit_suite toytcp_timers_suite = {
	.name = "toytcp_timers",
	.test_cases = toytcp_timers_cases,
};

/* ---- toytcp_timewait ---- */

/*
 * A connection of @key taken to TIME_WAIT, SND.NXT 1000 and RCV.NXT 5000
 * (the peer's FIN at 4999): the tw that takes its place.
 */
static struct toytcp_tw *tw_of(struct kunit *test, struct toytcp_net *tn,
			       const struct toytcp_key *key)
{
	struct toytcp_conn *conn = add(test, tn, key, TOYTCP_FIN_WAIT2);
	struct toytcp_tw *tw;

	KUNIT_ASSERT_NOT_NULL(test, conn);
	spin_lock_bh(&conn->lock);
	conn->tcb.snd_una = 1000;
	conn->tcb.snd_nxt = 1000;
	conn->tcb.rcv_nxt = 5000;
	conn->tcb.rcv_wnd = 65535;
	conn->tcb.snd_wnd = 30000;
	conn->rx_bytes = 7;
	conn->rx_crc = 0x1234abcd;
	toytcp_conn_set_state(conn, TOYTCP_TIME_WAIT);
	spin_unlock_bh(&conn->lock);
	rcu_read_lock();
	tw = toytcp_tw_lookup(&tn->tw, key);
	rcu_read_unlock();
	KUNIT_ASSERT_NOT_NULL(test, tw);
	return tw;
}

/* A segment from the peer of @key. */
static struct toytcp_seg seg_to(const struct toytcp_key *key, u8 flags, u32 seq,
				u32 ack)
{
	return (struct toytcp_seg){
		.saddr = key->raddr, .daddr = key->laddr,
		.sport = key->rport, .dport = key->lport,
		.seq = seq, .ack = ack, .wnd = 1000, .flags = flags,
	};
}

/* Feed @seg to the tw of @key, if it has one: what toytcp_tw_input() says. */
static bool tw_feed(struct toytcp_net *tn, const struct toytcp_key *key,
		    const struct toytcp_seg *seg, u32 *iss)
{
	struct toytcp_tw *tw;
	bool done = false;

	*iss = 0;
	rcu_read_lock();
	tw = toytcp_tw_lookup(&tn->tw, key);
	if (tw)
		done = toytcp_tw_input(tn, tw, seg, iss);
	rcu_read_unlock();
	return done;
}

/* Milliseconds left of the tw of @key; -1 without one. */
static s64 tw_left(struct toytcp_net *tn, const struct toytcp_key *key)
{
	struct toytcp_tw *tw, copy;
	s64 ms = -1;

	rcu_read_lock();
	tw = toytcp_tw_lookup(&tn->tw, key);
	if (tw && !toytcp_tw_snapshot(tn, tw, &copy, &ms))
		ms = -1;
	rcu_read_unlock();
	return ms;
}

/*
 * Entering TIME_WAIT: the connection leaves its table, a tw with its
 * sequence numbers, windows and counters takes its place and its 4-tuple;
 * CLOSE there is an error, ABORT deletes it.
 */
static void toytcp_tw_enter_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k = key_of(1, 7, 40001);
	struct toytcp_tw *tw = tw_of(test, tn, &k), copy;
	s64 ms;

	KUNIT_EXPECT_NULL(test, find(tn, &k));
	KUNIT_EXPECT_EQ(test, toytcp_table_count(&tn->table), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->tw.count), 1);
	KUNIT_EXPECT_TRUE(test, toytcp_tw_snapshot(tn, tw, &copy, &ms));
	KUNIT_EXPECT_EQ(test, copy.snd_nxt, 1000U);
	KUNIT_EXPECT_EQ(test, copy.rcv_nxt, 5000U);
	KUNIT_EXPECT_EQ(test, copy.rcv_wnd, 65535);
	KUNIT_EXPECT_EQ(test, copy.snd_wnd, 30000);
	KUNIT_EXPECT_EQ(test, copy.rx_bytes, 7ULL);
	KUNIT_EXPECT_EQ(test, copy.rx_crc, 0x1234abcdU);
	KUNIT_EXPECT_GT(test, ms, 2LL * toytcp_msl_ms - 1000);
	KUNIT_EXPECT_LE(test, ms, 2LL * toytcp_msl_ms);
	/* The 4-tuple is taken: no new connection gets it. */
	KUNIT_EXPECT_NULL(test, add(test, tn, &k, TOYTCP_SYN_SENT));
	KUNIT_EXPECT_EQ(test, toytcp_user_close(tn, &k), -ENOTCONN);
	KUNIT_EXPECT_EQ(test, toytcp_user_send(tn, &k, "x", 1), -ENOTCONN);
	KUNIT_EXPECT_EQ(test, toytcp_user_abort(tn, &k), 0);
	KUNIT_EXPECT_FALSE(test, toytcp_tw_exists(tn, &k));
	KUNIT_EXPECT_EQ(test, toytcp_user_abort(tn, &k), -ENOENT);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->tw.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->table.conns), 0);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TIMEWAITED), 0UL);
	/* Free again: a new connection may have it. */
	KUNIT_EXPECT_NOT_NULL(test, add(test, tn, &k, TOYTCP_SYN_SENT));
	fake_net_free(tn);
}

/*
 * TIME_WAIT lasts 2 * msl_ms and a retransmitted FIN restarts it, which
 * moves the tw behind one that entered later. With msl_ms = 500: A at 0,
 * B at 300 (due at 1300), A's FIN again at 500 (due at 1500): at 1400 B
 * is gone and A is not; by 1800 A is gone too.
 */
static void toytcp_tw_expire_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key ka = key_of(1, 7, 40001), kb = key_of(1, 7, 40002);
	struct toytcp_seg fin = seg_to(&ka, TOYTCP_FIN | TOYTCP_ACK, 4999, 1000);
	unsigned int msl = toytcp_msl_ms;
	u32 iss;

	WRITE_ONCE(toytcp_msl_ms, 500);
	tw_of(test, tn, &ka);
	msleep(300);
	tw_of(test, tn, &kb);
	msleep(200);
	KUNIT_EXPECT_TRUE(test, tw_feed(tn, &ka, &fin, &iss));
	KUNIT_EXPECT_GT(test, tw_left(tn, &ka), 900LL);
	msleep(900);
	KUNIT_EXPECT_FALSE(test, toytcp_tw_exists(tn, &kb));
	KUNIT_EXPECT_TRUE(test, toytcp_tw_exists(tn, &ka));
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TIMEWAITED), 1UL);
	msleep(400);
	KUNIT_EXPECT_FALSE(test, toytcp_tw_exists(tn, &ka));
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TIMEWAITED), 2UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->tw.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&tn->table.conns), 0);
	WRITE_ONCE(toytcp_msl_ms, msl);
	fake_net_free(tn);
}

/*
 * msl_ms shrinks while a tw waits: a later tw with the shorter 2 * MSL
 * goes before it, and the timer is armed for it.
 */
static void toytcp_tw_msl_shrinks_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key ka = key_of(1, 7, 40001), kb = key_of(1, 7, 40002);
	unsigned int msl = toytcp_msl_ms;

	WRITE_ONCE(toytcp_msl_ms, 5000);
	tw_of(test, tn, &ka);
	WRITE_ONCE(toytcp_msl_ms, 100);
	tw_of(test, tn, &kb);
	msleep(600);
	KUNIT_EXPECT_FALSE(test, toytcp_tw_exists(tn, &kb));
	KUNIT_EXPECT_TRUE(test, toytcp_tw_exists(tn, &ka));
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TIMEWAITED), 1UL);
	WRITE_ONCE(toytcp_msl_ms, msl);
	fake_net_free(tn);
}

/*
 * What the state machine makes of segments in TIME_WAIT, through a tw: a
 * RST is ignored (RFC 1337) and restarts nothing; an old duplicate SYN
 * and a new SYN without a listener are answered and leave it; a new SYN
 * with a listener ends it and goes on with ISS = SND.NXT + 65537.
 */
static void toytcp_tw_segments_test(struct kunit *test)
{
	struct toytcp_net *tn = fake_net(test);
	struct toytcp_key k = key_of(1, 7, 40001), lk = { .lport = htons(7) };
	struct toytcp_seg rst = seg_to(&k, TOYTCP_RST, 5000, 0);
	struct toytcp_seg old = seg_to(&k, TOYTCP_SYN, 4000, 0);
	struct toytcp_seg syn = seg_to(&k, TOYTCP_SYN, 90000, 0);
	s64 before;
	u32 iss;

	tw_of(test, tn, &k);
	before = tw_left(tn, &k);
	KUNIT_EXPECT_TRUE(test, tw_feed(tn, &k, &rst, &iss));
	KUNIT_EXPECT_TRUE(test, toytcp_tw_exists(tn, &k));
	KUNIT_EXPECT_LE(test, tw_left(tn, &k), before);
	KUNIT_EXPECT_TRUE(test, tw_feed(tn, &k, &old, &iss));
	KUNIT_EXPECT_EQ(test, iss, 0U);
	KUNIT_EXPECT_TRUE(test, tw_feed(tn, &k, &syn, &iss));
	KUNIT_EXPECT_EQ(test, iss, 0U);
	KUNIT_EXPECT_TRUE(test, toytcp_tw_exists(tn, &k));
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_CHALLENGEACK), 2UL);

	KUNIT_ASSERT_NOT_NULL(test, add(test, tn, &lk, TOYTCP_LISTEN));
	KUNIT_EXPECT_FALSE(test, tw_feed(tn, &k, &syn, &iss));
	KUNIT_EXPECT_EQ(test, iss, 1000U + 65537);
	KUNIT_EXPECT_FALSE(test, toytcp_tw_exists(tn, &k));
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TWREOPENED), 1UL);
	KUNIT_EXPECT_EQ(test, toytcp_stats_read(tn, TOYTCP_MIB_TIMEWAITED), 0UL);
	fake_net_free(tn);
}

static struct kunit_case toytcp_timewait_cases[] = {
	KUNIT_CASE(toytcp_tw_enter_test),
	KUNIT_CASE(toytcp_tw_expire_test),
	KUNIT_CASE(toytcp_tw_msl_shrinks_test),
	KUNIT_CASE(toytcp_tw_segments_test),
	{}
};

static struct kunit_suite toytcp_timewait_suite = {
	.name = "toytcp_timewait",
	.test_cases = toytcp_timewait_cases,
};

kunit_test_suites(&toytcp_table_suite, &toytcp_timers_suite, &toytcp_timewait_suite);
