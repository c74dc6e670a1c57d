/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_INPUT_H
#define _TOYTCP_INPUT_H

struct sk_buff;
struct toytcp_conn;
struct toytcp_net;
struct toytcp_seg;

void toytcp_input(struct toytcp_net *tn, struct sk_buff *skb);
void toytcp_input_conn(struct toytcp_conn *conn, struct sk_buff *skb,
		       const struct toytcp_seg *seg);

#endif /* _TOYTCP_INPUT_H */
