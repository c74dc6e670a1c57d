/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMP errors about toytcp's own segments: see icmp.c.
 */
#ifndef _TOYTCP_ICMP_H
#define _TOYTCP_ICMP_H

#include <linux/types.h>
#include "compat.h"

struct sk_buff;
struct toytcp_net;
struct toytcp_tcb;

/* What an ICMP error does to the connection it is about. */
enum toytcp_icmp_action {
	TOYTCP_ICMP_IGNORE,		/* nothing: not an error TCP acts on */
	TOYTCP_ICMP_OUT_OF_WINDOW,	/* quotes no sequence number in flight */
	TOYTCP_ICMP_ABORT,		/* the connection ends with @err */
	TOYTCP_ICMP_DROP,		/* a half-open child goes, silently */
	TOYTCP_ICMP_SOFT,		/* kept, reported only on a timeout */
};

/**
 * struct toytcp_icmp_err - the parts of an ICMP error toytcp reads
 * @type: ICMP type
 * @code: ICMP code
 * @seq: the sequence number of the quoted segment (host order)
 */
struct toytcp_icmp_err {
	u8 type;
	u8 code;
	u32 seq;
};

/**
 * struct toytcp_icmp_verdict - toytcp_icmp_decide()'s answer
 * @action: what to do
 * @err: the errno it means (negative), for ABORT and SOFT
 */
struct toytcp_icmp_verdict {
	enum toytcp_icmp_action action;
	int err;
};

void toytcp_icmp_rcv(struct toytcp_net *tn, struct sk_buff *skb);

#if IS_ENABLED(CONFIG_KUNIT)
void toytcp_icmp_decide(const struct toytcp_tcb *tcb,
			const struct toytcp_icmp_err *icmp,
			struct toytcp_icmp_verdict *v);
#endif

#endif /* _TOYTCP_ICMP_H */
