/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_OUTPUT_H
#define _TOYTCP_OUTPUT_H

#include <linux/types.h>

struct net;
struct sk_buff;
struct sk_buff_head;
struct toytcp_conn;
struct toytcp_net;
struct toytcp_out;
struct toytcp_reply;
struct toytcp_seg;

int toytcp_output_route(struct net *net, __be32 daddr, __be32 *saddr, u16 *mss);
int toytcp_output_queue_out(struct toytcp_conn *conn,
			     const struct toytcp_out *out, struct sk_buff_head *q);
int toytcp_output_queue_reply(struct toytcp_conn *conn,
			      const struct toytcp_reply *reply,
			      struct sk_buff_head *q);
void toytcp_output_queue_data(struct toytcp_conn *conn, struct sk_buff_head *q);
void toytcp_output_queue_resend(struct toytcp_conn *conn, struct sk_buff_head *q);
void toytcp_output_reply_to(struct toytcp_net *tn, const struct toytcp_seg *seg,
			    const struct toytcp_reply *reply, u16 wnd);
void toytcp_output_answer(struct toytcp_net *tn, const struct toytcp_seg *seg,
			  const struct toytcp_reply *reply);
void toytcp_output_xmit(struct toytcp_net *tn, struct sk_buff_head *q);

#if IS_ENABLED(CONFIG_KUNIT)
struct toytcp_span;
struct sk_buff *toytcp_output_alloc(unsigned int hlen,
				    const struct toytcp_span *data,
				    u32 len, __wsum *csum);
#endif

#endif /* _TOYTCP_OUTPUT_H */
