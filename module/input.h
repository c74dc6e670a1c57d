/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_INPUT_H
#define _TOYTCP_INPUT_H

struct sk_buff;
struct toytcp_ack_limit;
struct toytcp_conn;
struct toytcp_net;
struct toytcp_seg;
struct toytcp_verdict;

void toytcp_input(struct toytcp_net *tn, struct sk_buff *skb);
void toytcp_input_limit_reply(struct toytcp_net *tn, struct toytcp_ack_limit *limit,
			      struct toytcp_verdict *v);
bool toytcp_input_conn(struct toytcp_conn *conn, struct sk_buff *skb,
		       const struct toytcp_seg *seg);

#endif /* _TOYTCP_INPUT_H */
