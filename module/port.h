/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_PORT_H
#define _TOYTCP_PORT_H

#include <linux/types.h>

struct sock;

int toytcp_port_bind(struct sock *sk, __be32 addr, u16 port);
bool toytcp_port_check(struct sock *sk);
void toytcp_port_hold(struct sock *sk);
void toytcp_port_release(struct sock *sk);
void toytcp_port_range(struct net *net, u16 *low, u16 *high);
bool toytcp_port_reserved(struct toytcp_net *tn, __be32 addr, u16 port);

#endif /* _TOYTCP_PORT_H */
