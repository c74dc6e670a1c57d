/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_USER_H
#define _TOYTCP_USER_H

#include "conn.h"

struct sock;
struct toytcp_net;

int toytcp_user_listen(struct toytcp_net *tn, __be16 port, bool echo);
int toytcp_user_listen_on(struct toytcp_net *tn, __be32 addr, __be16 port,
			  bool echo, struct sock *sk, struct toytcp_conn **connp);
int toytcp_user_open(struct toytcp_net *tn, struct toytcp_key *key,
		     struct sock *sk, struct toytcp_conn **connp);
int toytcp_user_connect(struct toytcp_net *tn, __be32 daddr, __be16 dport,
			__be16 sport);
int toytcp_user_send(struct toytcp_net *tn, const struct toytcp_key *key,
		     const void *data, u32 len);
int toytcp_user_close(struct toytcp_net *tn, const struct toytcp_key *key);
int toytcp_user_abort(struct toytcp_net *tn, const struct toytcp_key *key);
int toytcp_user_keepalive(struct toytcp_net *tn, const struct toytcp_key *key,
			  bool on);
int toytcp_user_nodelay(struct toytcp_net *tn, const struct toytcp_key *key,
			bool on);


/* The same calls on a connection the caller holds (a socket's, sock.c). */
int toytcp_user_send_conn(struct toytcp_conn *conn, const void *data, u32 len,
			  u32 limit, bool more);
void toytcp_user_push(struct toytcp_conn *conn);
int toytcp_user_close_conn(struct toytcp_conn *conn, long unused);
int toytcp_user_abort_conn(struct toytcp_conn *conn, long unused);
int toytcp_user_keepalive_conn(struct toytcp_conn *conn, long on);
int toytcp_user_nodelay_conn(struct toytcp_conn *conn, long on);

#endif /* _TOYTCP_USER_H */
