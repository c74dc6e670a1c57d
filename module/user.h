/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_USER_H
#define _TOYTCP_USER_H

#include "conn.h"

struct toytcp_net;

int toytcp_user_listen(struct toytcp_net *tn, __be16 port, bool echo);
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

#endif /* _TOYTCP_USER_H */
