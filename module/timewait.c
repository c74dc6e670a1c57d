// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT in an object of its own.
 *
 * A connection in TIME_WAIT sends nothing new and takes nothing in: RFC
 * 793 keeps it for 2 * MSL to acknowledge a retransmitted FIN and to keep
 * old duplicates of this incarnation out of the next. Like Linux's
 * tcp_time_wait() with its inet_timewait_sock, toytcp then swaps the whole
 * connection (512 bytes, three timers) for a struct toytcp_tw that keeps
 * only what those duties need: the 4-tuple, SND.NXT, RCV.NXT, the windows,
 * the rate limits of its ACKs and when it ends, plus the counters that
 * /proc/toytcp/conns shows.
 *
 *   toytcp_tw_enter()   the connection enters TIME_WAIT: its tw goes into
 *                       the namespace's TIME_WAIT table before the
 *                       connection leaves the connection table, so that a
 *                       segment finds one or the other
 *   toytcp_tw_input()   a segment for a tw: the state machine decides, on
 *                       a tcb rebuilt from the tw (toytcp_tw_tcb()), as it
 *                       decides for any connection
 *   toytcp_tw_fired()   the namespace's TIME_WAIT timer: ends the tws
 *                       whose 2 * MSL is up (TimeWaited)
 *
 * One timer for all: a namespace keeps its tws in one list, the first to
 * expire first. 2 * MSL is the same for every tw, so a new or restarted
 * one goes to the tail and one hrtimer, armed for the head, serves them
 * all; a timer in each tw would cost 64 of its bytes. Should msl_ms shrink
 * at run time, an insertion walks back from the tail to keep the order.
 *
 * Locking: the namespace's TIME_WAIT lock (twt->lock, spin_lock_bh)
 * protects the list, the timer and every tw's fields; lookups run under
 * RCU and a tw is freed after a grace period, so a lookup may take the
 * lock and then check ->dead. Lock order: conn->lock, twt->lock, the
 * table's bucket locks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "input.h"
#include "listen.h"
#include "netns.h"
#include "output.h"
#include "params.h"
#include "stats.h"
#include "timewait.h"
#include "trace.h"

/* The most tws one run of the timer ends; the rest follow at once. */
#define TOYTCP_TW_BATCH		256

static struct kmem_cache *toytcp_tw_cache __read_mostly;

static const struct rhashtable_params toytcp_tw_params = {
	.key_len		= sizeof(struct toytcp_key),
	.key_offset		= offsetof(struct toytcp_tw, key),
	.head_offset		= offsetof(struct toytcp_tw, node),
	.automatic_shrinking	= true,
};

static struct toytcp_net *toytcp_tw_net(struct toytcp_tw_table *twt)
{
	return container_of(twt, struct toytcp_net, tw);
}

/**
 * toytcp_tw_tcb() - the variables of RFC 793 a tw stands for
 * @tw: the tw
 * @tcb: out: a connection in TIME_WAIT whose FIN was acknowledged
 *
 * What the state machine reads in TIME_WAIT; the rest is zero.
 */
void toytcp_tw_tcb(const struct toytcp_tw *tw, struct toytcp_tcb *tcb)
{
	*tcb = (struct toytcp_tcb){
		.state = TOYTCP_TIME_WAIT,
		.fin_queued = true, .fin_sent = true,
		.snd_una = tw->snd_nxt, .snd_nxt = tw->snd_nxt,
		.snd_wnd = tw->snd_wnd, .max_snd_wnd = tw->snd_wnd,
		.snd_wl1 = tw->rcv_nxt - 1, .snd_wl2 = tw->snd_nxt,
		.rcv_nxt = tw->rcv_nxt, .rcv_wnd = tw->rcv_wnd,
		.mss = TOYTCP_MSS_DEFAULT, .adv_mss = TOYTCP_MSS_DEFAULT,
	};
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_tcb);

/* Arm the timer for the first tw to expire. Called with twt->lock held. */
static void __toytcp_tw_arm(struct toytcp_tw_table *twt)
{
	struct toytcp_tw *first;

	first = list_first_entry_or_null(&twt->list, struct toytcp_tw, list);
	if (first && !twt->dead)
		hrtimer_start(&twt->timer, first->expires, HRTIMER_MODE_ABS_SOFT);
}

/*
 * (Re)start @tw's 2 * MSL: it goes after every tw that expires no later,
 * which is the tail unless msl_ms shrank. @tw is in no list. Called with
 * twt->lock held.
 */
static void __toytcp_tw_schedule(struct toytcp_tw_table *twt,
				 struct toytcp_tw *tw)
{
	struct list_head *pos = twt->list.prev;

	tw->expires = ktime_add_ms(ktime_get(), 2 * (u64)READ_ONCE(toytcp_msl_ms));
	while (pos != &twt->list &&
	       ktime_after(list_entry(pos, struct toytcp_tw, list)->expires,
			   tw->expires))
		pos = pos->prev;
	list_add(&tw->list, pos);
	if (twt->list.next == &tw->list)
		__toytcp_tw_arm(twt);
}

static void toytcp_tw_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(toytcp_tw_cache, container_of(rcu, struct toytcp_tw, rcu));
}

/*
 * End @tw on @event, which the state machine takes from TIME_WAIT to
 * CLOSED: out of the table and the list, its place under max_conns given
 * back, freed after a grace period. Called with twt->lock held.
 */
static void __toytcp_tw_end(struct toytcp_tw_table *twt, struct toytcp_tw *tw,
			    enum toytcp_event event)
{
	struct toytcp_net *tn = toytcp_tw_net(twt);
	struct toytcp_tcb tcb;

	toytcp_tw_tcb(tw, &tcb);
	toytcp_fsm_move(&tcb, event);
	trace_toytcp_set_state(&tw->key, TOYTCP_TIME_WAIT, tcb.state);
	tw->dead = true;
	list_del(&tw->list);
	rhashtable_remove_fast(&twt->ht, &tw->node, toytcp_tw_params);
	atomic_dec(&twt->count);
	if (tw->charged)
		atomic_dec(&tn->table.conns);
	call_rcu(&tw->rcu, toytcp_tw_free_rcu);
}

static enum hrtimer_restart toytcp_tw_fired(struct hrtimer *timer)
{
	struct toytcp_tw_table *twt = container_of(timer, struct toytcp_tw_table, timer);
	struct toytcp_net *tn = toytcp_tw_net(twt);
	ktime_t now = ktime_get();
	struct toytcp_tw *tw, *tmp;
	unsigned int n = 0;

	spin_lock_bh(&twt->lock);
	list_for_each_entry_safe(tw, tmp, &twt->list, list) {
		if (ktime_after(tw->expires, now) || n++ == TOYTCP_TW_BATCH)
			break;
		TOYTCP_INC_STATS(tn, TOYTCP_MIB_TIMEWAITED);
		__toytcp_tw_end(twt, tw, TOYTCP_EV_TIMEOUT_2MSL);
	}
	__toytcp_tw_arm(twt);
	spin_unlock_bh(&twt->lock);
	return HRTIMER_NORESTART;
}

/**
 * toytcp_tw_init() - an empty TIME_WAIT table for a namespace
 * @twt: the table, in the namespace's struct toytcp_net
 *
 * Return: 0 or -ENOMEM.
 */
int toytcp_tw_init(struct toytcp_tw_table *twt)
{
	spin_lock_init(&twt->lock);
	INIT_LIST_HEAD(&twt->list);
	hrtimer_init(&twt->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	twt->timer.function = toytcp_tw_fired;
	atomic_set(&twt->count, 0);
	twt->dead = false;
	return rhashtable_init(&twt->ht, &toytcp_tw_params);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_init);

static void toytcp_tw_free(void *ptr, void *arg)
{
	struct toytcp_tw *tw = ptr;
	struct toytcp_net *tn = arg;

	if (tw->charged)
		atomic_dec(&tn->table.conns);
	kmem_cache_free(toytcp_tw_cache, tw);
}

/**
 * toytcp_tw_flush() - end every tw of a namespace and free the table
 * @twt: the table of a namespace no segment reaches any more
 *
 * Process context. The timer is stopped for good and waited for; then
 * nothing can reach a tw, and each is freed at once, without a word to
 * its peer.
 */
void toytcp_tw_flush(struct toytcp_tw_table *twt)
{
	spin_lock_bh(&twt->lock);
	twt->dead = true;
	spin_unlock_bh(&twt->lock);
	hrtimer_cancel(&twt->timer);
	atomic_set(&twt->count, 0);
	rhashtable_free_and_destroy(&twt->ht, toytcp_tw_free, toytcp_tw_net(twt));
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_flush);

/**
 * toytcp_tw_lookup() - find the tw of a 4-tuple
 * @twt: the namespace's TIME_WAIT table
 * @key: the 4-tuple
 *
 * Called under rcu_read_lock().
 *
 * Return: the tw, perhaps ending meanwhile (->dead), or NULL.
 */
struct toytcp_tw *toytcp_tw_lookup(struct toytcp_tw_table *twt,
				   const struct toytcp_key *key)
{
	return rhashtable_lookup(&twt->ht, key, toytcp_tw_params);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_lookup);

/* A new tw for @conn, not yet in the table; NULL without memory. */
static struct toytcp_tw *toytcp_tw_alloc(const struct toytcp_conn *conn)
{
	const struct toytcp_tcb *tcb = &conn->tcb;
	struct toytcp_tw *tw = kmem_cache_alloc(toytcp_tw_cache, GFP_ATOMIC);

	if (!tw)
		return NULL;
	*tw = (struct toytcp_tw){
		.key = conn->key,
		.snd_nxt = tcb->snd_nxt,
		.rcv_nxt = tcb->rcv_nxt,
		.rcv_wnd = min_t(u32, tcb->rcv_wnd, U16_MAX),
		.snd_wnd = min_t(u32, tcb->snd_wnd, U16_MAX),
		.charged = conn->charged,
		.limit = conn->limit,
		.rx_crc = conn->rx_crc,
		.tx_bytes = conn->tx_bytes,
		.rx_bytes = conn->rx_bytes,
	};
	return tw;
}

/**
 * toytcp_tw_enter() - a tw takes the place of a connection entering TIME_WAIT
 * @conn: the connection, locked, now in TIME_WAIT
 *
 * The tw takes over the connection's place under max_conns; the caller
 * then ends the connection (toytcp_conn_state_changed()). Past
 * max_timewait, or without memory, there is no tw (TCPTimeWaitOverflow):
 * the connection closes at once, as Linux's does past tcp_max_tw_buckets.
 *
 * Return: true when the tw is in the table, its 2 * MSL running.
 */
bool toytcp_tw_enter(struct toytcp_conn *conn)
{
	struct toytcp_tw_table *twt = &conn->tn->tw;
	struct toytcp_tw *tw = NULL;

	if (atomic_add_unless(&twt->count, 1, READ_ONCE(toytcp_max_timewait))) {
		tw = toytcp_tw_alloc(conn);
		if (!tw)
			atomic_dec(&twt->count);
	}
	if (!tw)
		goto overflow;
	spin_lock_bh(&twt->lock);
	if (twt->dead ||
	    rhashtable_lookup_insert_fast(&twt->ht, &tw->node, toytcp_tw_params)) {
		spin_unlock_bh(&twt->lock);
		atomic_dec(&twt->count);
		kmem_cache_free(toytcp_tw_cache, tw);
		goto overflow;
	}
	__toytcp_tw_schedule(twt, tw);
	conn->charged = false;		/* the tw's now */
	spin_unlock_bh(&twt->lock);
	return true;

overflow:
	TOYTCP_INC_STATS(conn->tn, TOYTCP_MIB_TWOVERFLOW);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_enter);

/*
 * A new SYN for a tw (the verdict's @reopen_iss): when a listener takes
 * its port, the tw ends (TWReopened) and the caller hands the SYN to the
 * listener. Called with twt->lock held, under RCU.
 */
static bool __toytcp_tw_reopen(struct toytcp_tw_table *twt, struct toytcp_tw *tw)
{
	struct toytcp_net *tn = toytcp_tw_net(twt);
	struct toytcp_conn *lst;

	lst = toytcp_table_lookup_listener(&tn->table, tw->key.laddr, tw->key.lport);
	if (!lst || READ_ONCE(lst->dead))
		return false;
	TOYTCP_INC_STATS(tn, TOYTCP_MIB_TWREOPENED);
	__toytcp_tw_end(twt, tw, TOYTCP_EV_RCV_NEW_SYN);
	return true;
}

/**
 * toytcp_tw_input() - a segment for a connection in TIME_WAIT
 * @tn: the namespace
 * @tw: its tw, found under RCU
 * @seg: the segment
 * @iss: out: a new SYN ended TIME_WAIT: the ISS for the new connection
 *       (RFC 9293 §3.6.1, toytcp_fsm_time_wait_syn())
 *
 * The state machine decides as for any connection in TIME_WAIT: a
 * retransmitted FIN is acknowledged and restarts 2 * MSL, a RST is
 * ignored (RFC 1337), anything else gets an ACK, rate-limited.
 *
 * Return: true when it is done with; false when the segment is for a
 * listener (@iss set) or for nobody (the tw ended meanwhile, @iss 0).
 */
bool toytcp_tw_input(struct toytcp_net *tn, struct toytcp_tw *tw,
		     const struct toytcp_seg *seg, u32 *iss)
{
	struct toytcp_tw_table *twt = &tn->tw;
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	u16 wnd;

	*iss = 0;
	spin_lock_bh(&twt->lock);
	if (tw->dead) {
		spin_unlock_bh(&twt->lock);
		return false;
	}
	toytcp_tw_tcb(tw, &tcb);
	toytcp_fsm_segment(&tcb, seg, &v);
	if (v.reopen_iss && __toytcp_tw_reopen(twt, tw)) {
		spin_unlock_bh(&twt->lock);
		*iss = v.reopen_iss;
		return false;
	}
	toytcp_input_limit_reply(tn, &tw->limit, &v);
	tw->snd_wnd = min_t(u32, tcb.snd_wnd, U16_MAX);
	wnd = tw->rcv_wnd;
	/* No segment but a new SYN (above) takes TIME_WAIT elsewhere. */
	if (v.timer == TOYTCP_TIMER_TIME_WAIT) {
		list_del(&tw->list);
		__toytcp_tw_schedule(twt, tw);
	}
	spin_unlock_bh(&twt->lock);
	toytcp_output_reply_to(tn, seg, &v.reply, wnd);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_input);

/**
 * toytcp_tw_abort() - ABORT in TIME_WAIT (ctl `abort`)
 * @tn: the namespace
 * @key: the 4-tuple
 *
 * RFC 793: "respond with ok and delete the TCB, enter CLOSED state, and
 * return" - nothing is sent.
 *
 * Return: 0, or -ENOENT when no tw has that 4-tuple.
 */
int toytcp_tw_abort(struct toytcp_net *tn, const struct toytcp_key *key)
{
	struct toytcp_tw_table *twt = &tn->tw;
	struct toytcp_tw *tw;
	int ret = -ENOENT;

	rcu_read_lock();
	tw = toytcp_tw_lookup(twt, key);
	if (tw) {
		spin_lock_bh(&twt->lock);
		if (!tw->dead) {
			__toytcp_tw_end(twt, tw, TOYTCP_EV_ABORT);
			ret = 0;
		}
		spin_unlock_bh(&twt->lock);
	}
	rcu_read_unlock();
	return ret;
}

/**
 * toytcp_tw_exists() - is a 4-tuple in TIME_WAIT?
 * @tn: the namespace
 * @key: the 4-tuple
 *
 * Return: true when a tw has it.
 */
bool toytcp_tw_exists(struct toytcp_net *tn, const struct toytcp_key *key)
{
	bool ret;

	rcu_read_lock();
	ret = toytcp_tw_lookup(&tn->tw, key);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_exists);

/**
 * toytcp_tw_snapshot() - a tw's fields, for /proc/toytcp/conns
 * @tn: the namespace
 * @tw: the tw, under RCU
 * @copy: out: its fields
 * @ms_left: out: milliseconds until TIME_WAIT ends
 *
 * Return: false when it ended meanwhile.
 */
bool toytcp_tw_snapshot(struct toytcp_net *tn, struct toytcp_tw *tw,
			struct toytcp_tw *copy, s64 *ms_left)
{
	bool alive;

	spin_lock_bh(&tn->tw.lock);
	alive = !tw->dead;
	*copy = *tw;
	*ms_left = max_t(s64, 0, ktime_ms_delta(tw->expires, ktime_get()));
	spin_unlock_bh(&tn->tw.lock);
	return alive;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_tw_snapshot);

/**
 * toytcp_tw_cache_init() - the slab for tws
 *
 * Return: 0 or -ENOMEM.
 */
int toytcp_tw_cache_init(void)
{
	/* Its own line in /proc/slabinfo, as toytcp_conn has. */
	toytcp_tw_cache = KMEM_CACHE(toytcp_tw, SLAB_NO_MERGE);
	return toytcp_tw_cache ? 0 : -ENOMEM;
}

/**
 * toytcp_tw_cache_exit() - free the slab; every tw must be gone
 *
 * Waits for the RCU callbacks that free tws into it.
 */
void toytcp_tw_cache_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(toytcp_tw_cache);
}
