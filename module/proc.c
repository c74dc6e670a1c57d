// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/toytcp/{conns,stats,ctl} (SPEC §4).
 *
 * There is one directory for the whole system; each file acts on the network
 * namespace of the process that opens it (ctl: that writes to it). An open
 * file holds a reference on its namespace until it is closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "ctl.h"
#include "netns.h"
#include "proc.h"
#include "sock.h"
#include "stats.h"
#include "timers.h"

static struct proc_dir_entry *toytcp_proc_dir;

/* ---- conns ---- */

/*
 * One line per connection, listeners included, in hash order:
 *
 *   local remote state snd_una snd_nxt rcv_nxt snd_wnd sendq tx_bytes
 *   rx_bytes rx_crc32 timer app
 *
 * sendq: bytes queued and not yet acknowledged; tx_bytes: data bytes the
 * peer acknowledged; rx_bytes: data bytes taken in order; rx_crc32: the
 * CRC-32 of those bytes, as zlib.crc32() computes it; timer: what the
 * timer is armed for and the milliseconds left ("rtx:850"), or "-"; app:
 * what toytcp, playing the application, does with received data ("echo"
 * sends it back, "-" drops it after counting); mss: the send MSS, the
 * most payload one segment carries (the peer's MSS option, 536 without
 * one, at most what our route allows); rtt: SRTT/RTTVAR in ms, as `ss -i`
 * shows them ("-" before the first sample); rto: the retransmission
 * timeout now, in ms (RFC 6298, rtt.c); keepalive: "-" when off, else the
 * milliseconds until the keepalive timer looks again and the probes sent
 * unanswered ("7199876/0"); a listener shows "on" when its children get it.
 *
 * The listing walks the connection table, then the TIME_WAIT table
 * (timewait.c), with rhashtable walkers kept in the open file, so each
 * read() goes on where the last one stopped: reading the whole file costs
 * time linear in the number of connections.
 */
struct toytcp_conns_iter {
	struct net *net;
	struct rhashtable_iter walk;
	struct rhashtable_iter tw_walk;
	bool in_tw;
};

#define TOYTCP_CONNS_FMT \
	"%-21s %-21s %-11s %10s %10s %10s %7s %7s %10s %10s %8s %-14s %-6s %5s %-15s %6s %-13s %-9s %-9s %7s %5s %s\n"
/* The same columns for a tw. */
#define TOYTCP_CONNS_FMT_TW \
	"%-21s %-21s %-11s %10u %10u %10u %7u %7u %10llu %10llu %08x %-14s %-6s %5s %-15s %6s %-13s %-9s %-9s %7s %5s %s\n"

/* The walker of the table the listing is in. */
static struct rhashtable_iter *toytcp_conns_walk(struct toytcp_conns_iter *it)
{
	return it->in_tw ? &it->tw_walk : &it->walk;
}

/* (Re)start both walks at the top of their tables. */
static void toytcp_conns_rewind(struct toytcp_conns_iter *it)
{
	struct toytcp_net *tn = toytcp_pernet(it->net);

	rhashtable_walk_exit(&it->walk);
	rhashtable_walk_exit(&it->tw_walk);
	rhashtable_walk_enter(&tn->table.ht, &it->walk);
	rhashtable_walk_enter(&tn->tw.ht, &it->tw_walk);
	it->in_tw = false;
}

/*
 * The walker's next entry, skipping a resize's -EAGAIN; at the end of the
 * connection table, on to the TIME_WAIT table. @peek: the current one
 * again (a read() going on where the last stopped).
 */
static void *toytcp_conns_walk_on(struct toytcp_conns_iter *it, bool peek)
{
	void *p;

	for (;;) {
		struct rhashtable_iter *walk = toytcp_conns_walk(it);

		do {
			p = peek ? rhashtable_walk_peek(walk) : rhashtable_walk_next(walk);
		} while (IS_ERR(p));
		if (p || it->in_tw)
			return p;
		rhashtable_walk_stop(&it->walk);
		it->in_tw = true;
		rhashtable_walk_start(&it->tw_walk);
		peek = false;
	}
}

static void *toytcp_conns_start(struct seq_file *seq, loff_t *pos)
{
	struct toytcp_conns_iter *it = seq->private;

	if (!*pos)
		toytcp_conns_rewind(it);	/* from the top: fresh walks */
	rhashtable_walk_start(toytcp_conns_walk(it));
	return *pos ? toytcp_conns_walk_on(it, true) : SEQ_START_TOKEN;
}

static void *toytcp_conns_next(struct seq_file *seq, void *v, loff_t *pos)
{
	++*pos;
	return toytcp_conns_walk_on(seq->private, false);
}

static void toytcp_conns_stop(struct seq_file *seq, void *v)
{
	struct toytcp_conns_iter *it = seq->private;

	rhashtable_walk_stop(toytcp_conns_walk(it));
}

/*
 * Who plays the application (the `app` column): a socket, an orphan whose
 * socket closed, ctl's echo, or nobody (ctl). For a socket, @own gets its
 * unread bytes, uid and inode, as /proc/net/tcp shows them; "-" otherwise.
 * Under RCU (the walk): sockets are freed after a grace period.
 */
static const char *toytcp_conns_app(struct seq_file *seq, struct toytcp_conn *conn,
				    char own[3][24])
{
	struct toytcp_sock_info info;
	int i;

	for (i = 0; i < 3; i++)
		strscpy(own[i], "-", sizeof(own[i]));
	if (toytcp_sock_info(conn, &info)) {
		snprintf(own[0], sizeof(own[0]), "%u", info.recvq);
		snprintf(own[1], sizeof(own[1]), "%u",
			 from_kuid_munged(seq_user_ns(seq), info.uid));
		snprintf(own[2], sizeof(own[2]), "%lu", info.ino);
		return "sock";
	}
	if (READ_ONCE(conn->orphan))
		return "orphan";
	return conn->echo ? "echo" : "-";
}

static void toytcp_conns_show_conn(struct seq_file *seq, struct toytcp_conn *conn)
{
	const struct toytcp_key *k = &conn->key;
	const struct toytcp_tcb *tcb = &conn->tcb;
	char local[24], remote[24], num[14][24], timer[24], own[3][24];
	const char *app = toytcp_conns_app(seq, conn, own);
	s64 ms;

	snprintf(local, sizeof(local), "%pI4:%u", &k->laddr, ntohs(k->lport));
	snprintf(remote, sizeof(remote), "%pI4:%u", &k->raddr, ntohs(k->rport));
	if (tcb->state == TOYTCP_LISTEN) {
		seq_printf(seq, TOYTCP_CONNS_FMT, local, remote, "LISTEN",
			   "-", "-", "-", "-", "-", "-", "-", "-", "-", app, "-", "-", "-",
			   "-", "-", conn->ka_on ? "on" : "-", own[0], own[1], own[2]);
		return;
	}
	snprintf(num[0], sizeof(num[0]), "%u", tcb->snd_una);
	snprintf(num[1], sizeof(num[1]), "%u", tcb->snd_nxt);
	snprintf(num[2], sizeof(num[2]), "%u", tcb->rcv_nxt);
	snprintf(num[3], sizeof(num[3]), "%u", tcb->snd_wnd);
	snprintf(num[4], sizeof(num[4]), "%u", tcb->snd_queued);
	snprintf(num[5], sizeof(num[5]), "%llu", conn->tx_bytes);
	snprintf(num[6], sizeof(num[6]), "%llu", conn->rx_bytes);
	snprintf(num[7], sizeof(num[7]), "%08x", conn->rx_crc);
	snprintf(num[8], sizeof(num[8]), "%u", tcb->mss);
	if (conn->rtt.srtt_us)
		snprintf(num[9], sizeof(num[9]), "%u.%03u/%u.%03u",
			 conn->rtt.srtt_us / 1000, conn->rtt.srtt_us % 1000,
			 conn->rtt.rttvar_us / 1000, conn->rtt.rttvar_us % 1000);
	else
		strscpy(num[9], "-", sizeof(num[9]));
	snprintf(num[10], sizeof(num[10]), "%u", conn->rtt.rto_ms);
	if (!tcb->cwnd)
		strscpy(num[12], "-", sizeof(num[12]));
	else if (tcb->ssthresh == TOYTCP_INFINITE_SSTHRESH)
		snprintf(num[12], sizeof(num[12]), "%u/-", tcb->cwnd);
	else
		snprintf(num[12], sizeof(num[12]), "%u/%u", tcb->cwnd, tcb->ssthresh);
	ms = toytcp_timer_delack_remaining_ms(conn);
	if (ms < 0)
		strscpy(num[13], "-", sizeof(num[13]));
	else
		snprintf(num[13], sizeof(num[13]), "%lld", ms);
	ms = toytcp_timer_keepalive_remaining_ms(conn);
	if (ms < 0)
		strscpy(num[11], "-", sizeof(num[11]));
	else
		snprintf(num[11], sizeof(num[11]), "%lld/%u", ms, conn->ka_probes);
	ms = toytcp_timer_remaining_ms(conn);
	if (ms < 0)
		strscpy(timer, "-", sizeof(timer));
	else
		snprintf(timer, sizeof(timer), "%s:%lld", toytcp_timer_name(conn), ms);
	seq_printf(seq, TOYTCP_CONNS_FMT, local, remote,
		   toytcp_state_name(tcb->state), num[0], num[1], num[2], num[3],
		   num[4], num[5], num[6], num[7], timer, app, num[8], num[9], num[10],
		   num[12], num[13], num[11], own[0], own[1], own[2]);
}

/* A connection in TIME_WAIT: its tw, with what a tw keeps (timewait.c). */
static void toytcp_conns_show_tw(struct seq_file *seq, struct toytcp_tw *tw)
{
	struct toytcp_conns_iter *it = seq->private;
	struct toytcp_net *tn = toytcp_pernet(it->net);
	char local[24], remote[24], timer[24];
	struct toytcp_tw t;
	s64 ms;

	if (!toytcp_tw_snapshot(tn, tw, &t, &ms))
		return;
	snprintf(local, sizeof(local), "%pI4:%u", &t.key.laddr, ntohs(t.key.lport));
	snprintf(remote, sizeof(remote), "%pI4:%u", &t.key.raddr, ntohs(t.key.rport));
	snprintf(timer, sizeof(timer), "timewait:%lld", ms);
	seq_printf(seq, TOYTCP_CONNS_FMT_TW, local, remote, "TIME_WAIT",
		   t.snd_nxt, t.snd_nxt, t.rcv_nxt, t.snd_wnd, 0, t.tx_bytes,
		   t.rx_bytes, t.rx_crc, timer, "-", "-", "-", "-", "-", "-", "-",
		   "-", "-", "-");
}

static int toytcp_conns_show(struct seq_file *seq, void *v)
{
	struct toytcp_conns_iter *it = seq->private;
	struct toytcp_conn *conn = v;

	if (v == SEQ_START_TOKEN) {
		seq_printf(seq, TOYTCP_CONNS_FMT, "local", "remote", "state",
			   "snd_una", "snd_nxt", "rcv_nxt", "snd_wnd", "sendq",
			   "tx_bytes", "rx_bytes", "rx_crc32", "timer", "app", "mss",
			   "rtt", "rto", "cwnd", "delack", "keepalive", "recvq",
			   "uid", "inode");
		return 0;
	}
	if (it->in_tw) {
		toytcp_conns_show_tw(seq, v);
		return 0;
	}
	spin_lock_bh(&conn->lock);
	if (!conn->dead)
		toytcp_conns_show_conn(seq, conn);
	spin_unlock_bh(&conn->lock);
	return 0;
}

static const struct seq_operations toytcp_conns_seq_ops = {
	.start	= toytcp_conns_start,
	.next	= toytcp_conns_next,
	.stop	= toytcp_conns_stop,
	.show	= toytcp_conns_show,
};

static int toytcp_conns_open(struct inode *inode, struct file *file)
{
	struct toytcp_conns_iter *it;

	it = __seq_open_private(file, &toytcp_conns_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->net = get_net(current->nsproxy->net_ns);
	rhashtable_walk_enter(&toytcp_pernet(it->net)->table.ht, &it->walk);
	rhashtable_walk_enter(&toytcp_pernet(it->net)->tw.ht, &it->tw_walk);
	return 0;
}

static int toytcp_conns_release(struct inode *inode, struct file *file)
{
	struct toytcp_conns_iter *it = ((struct seq_file *)file->private_data)->private;

	rhashtable_walk_exit(&it->walk);
	rhashtable_walk_exit(&it->tw_walk);
	put_net(it->net);
	return seq_release_private(inode, file);
}

static const struct proc_ops toytcp_conns_ops = {
	.proc_open	= toytcp_conns_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= toytcp_conns_release,
};

/* ---- stats ---- */

static int toytcp_stats_seq_show(struct seq_file *seq, void *v)
{
	toytcp_stats_show(seq, toytcp_pernet(seq->private));
	return 0;
}

static int toytcp_stats_open(struct inode *inode, struct file *file)
{
	struct net *net = get_net(current->nsproxy->net_ns);
	int ret;

	ret = single_open(file, toytcp_stats_seq_show, net);
	if (ret)
		put_net(net);
	return ret;
}

static int toytcp_stats_release(struct inode *inode, struct file *file)
{
	put_net(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static const struct proc_ops toytcp_stats_ops = {
	.proc_open	= toytcp_stats_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= toytcp_stats_release,
};

/* ---- ctl ---- */

/* ctl acts on the opener's namespace (SPEC §4), as conns and stats show it. */
static int toytcp_ctl_open(struct inode *inode, struct file *file)
{
	file->private_data = get_net(current->nsproxy->net_ns);
	return 0;
}

static int toytcp_ctl_release(struct inode *inode, struct file *file)
{
	put_net(file->private_data);
	return 0;
}

static ssize_t toytcp_ctl_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct net *net = file->private_data;
	struct toytcp_ctl_cmd cmd;
	char *buf;
	int ret;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) {
		pr_info_ratelimited("ctl: needs CAP_NET_ADMIN\n");
		return -EPERM;
	}
	if (count == 0 || count > TOYTCP_CTL_MAX) {
		pr_info_ratelimited("ctl: a command is 1 to %d bytes\n", TOYTCP_CTL_MAX);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	ret = toytcp_ctl_parse(buf, count, &cmd);
	if (ret)
		pr_info_ratelimited("ctl: %s\n", cmd.why);
	else
		ret = toytcp_ctl_exec(toytcp_pernet(net), &cmd);
	kfree(buf);
	return ret ? ret : count;
}

static const struct proc_ops toytcp_ctl_ops = {
	.proc_open	= toytcp_ctl_open,
	.proc_release	= toytcp_ctl_release,
	.proc_write	= toytcp_ctl_write,
	.proc_lseek	= noop_llseek,
};

/**
 * toytcp_proc_init() - create /proc/toytcp and its files
 *
 * Return: 0 or -ENOMEM.
 */
int toytcp_proc_init(void)
{
	toytcp_proc_dir = proc_mkdir("toytcp", NULL);
	if (!toytcp_proc_dir)
		return -ENOMEM;
	if (!proc_create("conns", 0444, toytcp_proc_dir, &toytcp_conns_ops) ||
	    !proc_create("stats", 0444, toytcp_proc_dir, &toytcp_stats_ops) ||
	    !proc_create("ctl", 0200, toytcp_proc_dir, &toytcp_ctl_ops)) {
		proc_remove(toytcp_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

/**
 * toytcp_proc_exit() - remove /proc/toytcp
 *
 * Waits for readers and writers inside our handlers; open files fail from
 * then on and are released here.
 */
void toytcp_proc_exit(void)
{
	proc_remove(toytcp_proc_dir);
}
