/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_INPUT_H
#define _TOYTCP_INPUT_H

struct sk_buff;
struct toytcp_net;

void toytcp_input(struct toytcp_net *tn, struct sk_buff *skb);

#endif /* _TOYTCP_INPUT_H */
