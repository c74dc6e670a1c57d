// SPDX-License-Identifier: GPL-2.0
/*
 * The byte stream between a program and its connection:
 *
 *   send()     copies into the connection's send queue (a ring, conn.c),
 *              at most SO_SNDBUF (toytcp_user_send_conn()), and sends
 *              once its last piece is in; blocks for room, which ACKs
 *              make (toytcp_stream_write_space())
 *   receive    in-order data stays in the segments' skbs, queued on
 *              sk_receive_queue (toytcp_stream_queue_data()); the window
 *              is the receive buffer's room (toytcp_stream_set_window())
 *   recv()     copies out, frees what is read, and tells the peer when
 *              the window reopened (toytcp_stream_read_done())
 *   poll()     as Linux's tcp_poll()
 *
 * The protocol side runs with conn->lock held; a program's side holds
 * the socket lock, and only it takes skbs off the receive queue.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include "conn.h"
#include "output.h"
#include "sock.h"
#include "stream.h"
#include "sws.h"
#include "user.h"

/*
 * Truesize a receive queue may always reach: a full 64 KiB window of
 * full-sized segments, with their overhead.
 */
#define TOYTCP_RCVMEM_MIN	(256 * 1024)

/* The most a send or receive buffer may hold, in bytes of data. */
static u32 toytcp_stream_sndbuf(const struct sock *sk)
{
	return min_t(u32, READ_ONCE(sk->sk_sndbuf), TOYTCP_SNDBUF_MAX);
}

/**
 * toytcp_stream_set_window() - the window of a socket's connection
 * @conn: the connection, locked, with conn->sk
 *
 * The receive buffer's room (toytcp_sws_buf_wnd()), opened by no less
 * than an MSS or half the buffer at a time (receiver SWS avoidance,
 * sws.c). tcb.rcv_wnd counts from RCV.NXT.
 */
void toytcp_stream_set_window(struct toytcp_conn *conn)
{
	u32 rcvbuf = READ_ONCE(conn->sk->sk_rcvbuf);
	u32 buf = toytcp_sws_buf_wnd(rcvbuf, 0);

	conn->tcb.rcv_wnd = toytcp_sws_rcv_wnd(conn->tcb.rcv_wnd,
					       toytcp_sws_buf_wnd(rcvbuf,
								  toytcp_sk(conn->sk)->rcvq_bytes),
					       conn->tcb.mss, buf);
}

/**
 * toytcp_stream_rcv_full() - is there no memory for @skb's data?
 * @conn: the connection, locked, with conn->sk
 * @skb: a segment with data
 *
 * The window counts bytes; memory counts skbs, whose overhead a peer
 * sending tiny segments makes large. Past sk_rcvbuf of truesize, or
 * TOYTCP_RCVMEM_MIN when that is more (the window a smaller SO_RCVBUF
 * leaves can still be in flight: it never shrinks), the segment is
 * dropped unacknowledged, as Linux's tcp_try_rmem_schedule() does when
 * pruning fails; the retransmission, cut from a byte stream, comes in
 * full segments.
 *
 * Return: true to drop the segment.
 */
bool toytcp_stream_rcv_full(struct toytcp_conn *conn, const struct sk_buff *skb)
{
	struct toytcp_sock *tsk = toytcp_sk(conn->sk);

	return tsk->rcvq_mem + skb->truesize >
	       max_t(u32, READ_ONCE(conn->sk->sk_rcvbuf), TOYTCP_RCVMEM_MIN);
}

/**
 * toytcp_stream_queue_data() - in-order data for the program to read
 * @conn: the connection, locked, with conn->sk
 * @skb: the segment (the caller keeps its own reference)
 * @off: where the data starts in @skb
 * @len: how many bytes
 */
void toytcp_stream_queue_data(struct toytcp_conn *conn, struct sk_buff *skb,
			    unsigned int off, u32 len)
{
	struct sock *sk = conn->sk;
	struct toytcp_sock *tsk = toytcp_sk(sk);

	skb_get(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	*TOYTCP_RCV_CB(skb) = (struct toytcp_rcv_cb){ .off = off, .len = len };
	tsk->rcvq_bytes += len;
	tsk->rcvq_mem += skb->truesize;
	skb_queue_tail(&sk->sk_receive_queue, skb);
	sk->sk_data_ready(sk);
}

/* Room in the send buffer: what a program may queue now. */
static u32 toytcp_stream_snd_room(struct sock *sk, struct toytcp_conn *conn)
{
	u32 buf = toytcp_stream_sndbuf(sk);
	u32 queued = READ_ONCE(conn->tcb.snd_queued);

	return buf > queued ? buf - queued : 0;
}

/* Writable for poll() and for a blocked sender: a third of the buffer free. */
static bool toytcp_stream_writable(struct sock *sk, struct toytcp_conn *conn)
{
	return toytcp_stream_snd_room(sk, conn) >= toytcp_stream_sndbuf(sk) / 3;
}

/**
 * toytcp_stream_write_space() - the peer acknowledged data: wake a sender
 * @conn: the connection, locked, with conn->sk
 */
void toytcp_stream_write_space(struct toytcp_conn *conn)
{
	struct sock *sk = conn->sk;
	struct socket_wq *wq;

	if (!toytcp_stream_writable(sk, conn))
		return;
	if (sk->sk_socket)
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * The most one copy from the program takes: a large segment's worth
 * (gso.c), so that a send() of 64 KiB takes the connection's lock once.
 */
#define TOYTCP_STREAM_CHUNK	(64 * 1024)

/* A send may go on: false with *err set when it cannot. */
static bool toytcp_stream_may_send(struct sock *sk, int *err)
{
	if (READ_ONCE(sk->sk_err) || (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN)) {
		*err = -EPIPE;
		return false;
	}
	return true;
}

int toytcp_stream_sendmsg(struct socket *sock, struct msghdr *msg,
			       size_t size)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	struct toytcp_conn *conn;
	int flags = msg->msg_flags, err = 0;
	bool queued = false, more;
	size_t copied = 0;
	u8 *buf = NULL;
	long timeo;
	u32 n;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out;
	}
	conn = toytcp_sk(sk)->conn;
	while (msg_data_left(msg)) {
		if (!toytcp_stream_may_send(sk, &err))
			break;
		n = min_t(size_t, msg_data_left(msg), toytcp_stream_snd_room(sk, conn));
		if (!n) {
			if (queued)
				toytcp_user_push(conn);	/* before waiting */
			queued = false;
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			err = -EAGAIN;
			if (!timeo)
				break;
			err = sock_intr_errno(timeo);
			if (signal_pending(current))
				break;
			err = 0;
			add_wait_queue(sk_sleep(sk), &wait);
			sk_wait_event(sk, &timeo, READ_ONCE(sk->sk_err) ||
				      (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) ||
				      toytcp_stream_writable(sk, conn), &wait);
			remove_wait_queue(sk_sleep(sk), &wait);
			continue;
		}
		n = min_t(u32, n, TOYTCP_STREAM_CHUNK);
		if (!buf) {
			/* As big as this call's data, up to a chunk. */
			buf = kvmalloc(min_t(size_t, size, TOYTCP_STREAM_CHUNK),
				       GFP_KERNEL);
			if (!buf) {
				err = -ENOBUFS;
				break;
			}
		}
		if (copy_from_iter(buf, n, &msg->msg_iter) != n) {
			err = -EFAULT;
			break;
		}
		/* The pieces of one send() go out together, after the last. */
		more = msg_data_left(msg) && n < toytcp_stream_snd_room(sk, conn);
		err = toytcp_user_send_conn(conn, buf, n, toytcp_stream_sndbuf(sk), more);
		if (err) {
			err = err == -ENOMEM ? -ENOBUFS : -EPIPE;
			break;
		}
		queued = more;
		copied += n;
	}
	if (queued)
		toytcp_user_push(conn);
	kvfree(buf);
out:
	release_sock(sk);
	if (copied)
		return copied;
	return sk_stream_error(sk, flags, err);
}

/*
 * The program read @bytes (in skbs of @mem truesize, freed): the window
 * may reopen. Tell the peer when it at least doubled, as Linux's
 * tcp_cleanup_rbuf(), or a peer facing a closed window waits for its
 * next probe.
 */
static void toytcp_stream_read_done(struct sock *sk, struct toytcp_conn *conn,
				  u32 bytes, u32 mem)
{
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_reply ack;
	struct sk_buff_head q;
	u32 old;

	if (!bytes && !mem)
		return;
	__skb_queue_head_init(&q);
	spin_lock_bh(&conn->lock);
	tsk->rcvq_bytes -= bytes;
	tsk->rcvq_mem -= mem;
	if (conn->sk == sk && !conn->dead && toytcp_fsm_takes_text(&conn->tcb)) {
		old = conn->tcb.rcv_wnd;
		toytcp_stream_set_window(conn);
		if (toytcp_sws_update_due(old, conn->tcb.rcv_wnd)) {
			ack = (struct toytcp_reply){ TOYTCP_ACK, conn->tcb.snd_nxt,
						     conn->tcb.rcv_nxt };
			toytcp_output_queue_reply(conn, &ack, &q);
		}
	}
	spin_unlock_bh(&conn->lock);
	toytcp_output_xmit(conn->tn, &q);
}

/* Nothing (more) to read now: why, as Linux's tcp_recvmsg() orders it. */
static int toytcp_stream_recv_stop(struct sock *sk, long timeo)
{
	if (sock_flag(sk, SOCK_DONE))
		return 0;
	if (READ_ONCE(sk->sk_err))
		return sock_error(sk);
	if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
		return 0;
	if (sk->sk_state == TCP_CLOSE)
		return -ENOTCONN;
	if (!timeo)
		return -EAGAIN;
	if (signal_pending(current))
		return sock_intr_errno(timeo);
	return 1;	/* wait */
}

/*
 * Copy up to @len bytes from the receive queue; with MSG_PEEK, leave them
 * there. Returns bytes copied or -EFAULT; frees what is read whole,
 * counted in @bytes and @mem.
 */
static int toytcp_stream_copy(struct sock *sk, struct msghdr *msg, size_t len,
			    int flags, u32 *bytes, u32 *mem)
{
	struct sk_buff_head *queue = &sk->sk_receive_queue;
	struct sk_buff *skb, *next;
	struct toytcp_rcv_cb *cb;
	size_t copied = 0;
	unsigned long irq;
	bool done;
	u32 n;

	spin_lock_irqsave(&queue->lock, irq);
	skb = skb_peek(queue);
	spin_unlock_irqrestore(&queue->lock, irq);
	while (skb && copied < len) {
		cb = TOYTCP_RCV_CB(skb);
		n = min_t(size_t, cb->len, len - copied);
		if (skb_copy_datagram_msg(skb, cb->off, msg, n))
			return copied ? copied : -EFAULT;
		copied += n;
		spin_lock_irqsave(&queue->lock, irq);
		next = skb_peek_next(skb, queue);
		done = false;
		if (!(flags & MSG_PEEK)) {
			cb->off += n;
			cb->len -= n;
			*bytes += n;
			done = !cb->len;
			if (done) {
				__skb_unlink(skb, queue);
				*mem += skb->truesize;
			}
		}
		spin_unlock_irqrestore(&queue->lock, irq);
		if (done)
			consume_skb(skb);
		skb = next;
	}
	return copied;
}

int toytcp_stream_recvmsg(struct socket *sock, struct msghdr *msg,
			       size_t len, int flags)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	struct sock *sk = sock->sk;
	struct toytcp_conn *conn;
	u32 bytes = 0, mem = 0;
	int copied = 0, ret;
	long timeo;
	int target;

	if (flags & MSG_OOB)
		return -EINVAL;	/* no urgent data, ever */
	lock_sock(sk);
	conn = toytcp_sk(sk)->conn;
	if (sk->sk_state == TCP_LISTEN || !conn) {
		copied = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	for (;;) {
		ret = toytcp_stream_copy(sk, msg, len - copied, flags, &bytes, &mem);
		if (ret < 0) {
			if (!copied)
				copied = ret;
			break;
		}
		copied += ret;
		if (copied >= target || (flags & MSG_PEEK && copied))
			break;
		ret = toytcp_stream_recv_stop(sk, timeo);
		if (ret <= 0) {
			if (!copied)
				copied = ret;
			break;
		}
		/* Let the window open before sleeping on a half-read buffer. */
		toytcp_stream_read_done(sk, conn, bytes, mem);
		bytes = 0;
		mem = 0;
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, !skb_queue_empty_lockless(&sk->sk_receive_queue) ||
			      READ_ONCE(sk->sk_err) ||
			      (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	toytcp_stream_read_done(sk, conn, bytes, mem);
out:
	release_sock(sk);
	return copied;
}

__poll_t toytcp_stream_poll(struct file *file, struct socket *sock,
				 poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct toytcp_sock *tsk = toytcp_sk(sk);
	struct toytcp_conn *conn;
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return list_empty_careful(&tsk->acceptq) ? 0 : EPOLLIN | EPOLLRDNORM;

	/* As Linux's tcp_poll(). */
	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		rcu_read_lock();
		conn = READ_ONCE(tsk->conn);
		if ((shutdown & SEND_SHUTDOWN) || !conn ||
		    toytcp_stream_writable(sk, conn)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			smp_mb__after_atomic();	/* against the ACK's wakeup */
			if (toytcp_stream_writable(sk, conn))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
		rcu_read_unlock();
	}
	/* As tcp_poll(): sk_err is read after the state it goes with. */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) || !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}
