/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_LISTEN_H
#define _TOYTCP_LISTEN_H

#include <linux/types.h>

struct sk_buff;
struct toytcp_conn;
struct toytcp_key;
struct toytcp_net;
struct toytcp_seg;

bool toytcp_listen_input(struct toytcp_net *tn, struct toytcp_conn *lst,
			 const struct toytcp_key *key, struct sk_buff *skb,
			 const struct toytcp_seg *seg, u32 iss);

#endif /* _TOYTCP_LISTEN_H */
