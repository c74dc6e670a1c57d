/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_GSO_H
#define _TOYTCP_GSO_H

#include <linux/types.h>

struct net_device;
struct sk_buff;

u32 toytcp_gso_size(u32 mss, u32 gso_max_size, u32 gso_max_segs);
u32 toytcp_gso_max(const struct net_device *dev, u32 mss);
void toytcp_gso_mark(struct sk_buff *skb, u32 mss, u32 len);
int toytcp_gso_init(void);
void toytcp_gso_exit(void);

#endif /* _TOYTCP_GSO_H */
