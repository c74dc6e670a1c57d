/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The byte stream of a socket's connection: see stream.c.
 */
#ifndef _TOYTCP_STREAM_H
#define _TOYTCP_STREAM_H

#include <linux/poll.h>
#include <linux/skbuff.h>

struct msghdr;
struct socket;
struct toytcp_conn;

/* The protocol's side, with conn->lock held, for a socket's connection. */
void toytcp_stream_set_window(struct toytcp_conn *conn);
bool toytcp_stream_rcv_full(struct toytcp_conn *conn, const struct sk_buff *skb);
void toytcp_stream_queue_data(struct toytcp_conn *conn, struct sk_buff *skb,
			      unsigned int off, u32 len);
void toytcp_stream_write_space(struct toytcp_conn *conn);

/* The program's side: proto_ops. */
int toytcp_stream_sendmsg(struct socket *sock, struct msghdr *msg, size_t size);
int toytcp_stream_recvmsg(struct socket *sock, struct msghdr *msg, size_t len,
			  int flags);
__poll_t toytcp_stream_poll(struct file *file, struct socket *sock,
			    poll_table *wait);

#endif /* _TOYTCP_STREAM_H */
