/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_HOOK_H
#define _TOYTCP_HOOK_H

struct net;

int toytcp_hook_register(struct net *net);
void toytcp_hook_unregister(struct net *net);

#endif /* _TOYTCP_HOOK_H */
