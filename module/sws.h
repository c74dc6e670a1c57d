/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Silly window syndrome avoidance, both sides, and Nagle: see sws.c.
 */
#ifndef _TOYTCP_SWS_H
#define _TOYTCP_SWS_H

#include <linux/types.h>
#include "compat.h"

/**
 * struct toytcp_sws_send - what the sender knows when a segment could go
 * @len: the segment's payload: min(unsent, MSS, room in the peer's window)
 * @unsent: bytes queued and not yet sent
 * @mss: the send MSS
 * @max_snd_wnd: the largest window the peer ever offered
 * @small_out: a segment smaller than @mss is sent and not yet
 *             acknowledged (Minshall's refinement of Nagle, as Linux)
 * @nodelay: Nagle is off for this connection
 * @fin: the FIN goes with this segment
 */
struct toytcp_sws_send {
	u32 len;
	u32 unsent;
	u32 mss;
	u32 max_snd_wnd;
	bool small_out;
	bool nodelay;
	bool fin;
};

bool toytcp_sws_send_now(const struct toytcp_sws_send *s);
u32 toytcp_sws_rcv_wnd(u32 wnd, u32 room, u32 mss, u32 buf);
bool toytcp_sws_update_due(u32 old, u32 wnd);
u32 toytcp_sws_buf_wnd(u32 rcvbuf, u32 unread);

#endif /* _TOYTCP_SWS_H */
