// SPDX-License-Identifier: GPL-2.0
/*
 * Silly window syndrome avoidance (RFC 9293 §3.8.6.2) and Nagle's
 * algorithm (RFC 896, RFC 9293 §3.7.4): no stream of tiny segments, from
 * either side.
 *
 *   sender     toytcp_sws_send_now(): a segment goes when it is full
 *              sized, or holds all that is queued and Nagle allows it, or
 *              fills half the largest window the peer offered (MUST-38);
 *              otherwise it waits for an ACK, or for the retransmission
 *              timer, which then sends what the window takes (the
 *              override of §3.8.6.2.1)
 *   Nagle      a segment smaller than MSS waits while an earlier small
 *              segment is unacknowledged: Linux's form (Minshall's
 *              refinement); `nodelay LOCAL REMOTE on` turns it off
 *   receiver   toytcp_sws_rcv_wnd(): the window's right edge moves on
 *              only by at least min(buffer / 2, MSS) (MUST-39)
 *
 * Pure functions: fsm.c's output engine asks the first, input.c the last.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
#include "fsm.h"
#include "sws.h"
#include "toytcp.h"

/**
 * toytcp_sws_send_now() - may this segment go now?
 * @s: the segment and what the sender knows
 *
 * RFC 9293 §3.8.6.2.1: send "(1) if a maximum-sized segment can be sent
 * ... (2) or if the data is pushed and all queued data can be sent now
 * ... (3) or if at least a fraction Fs of the maximum window can be sent",
 * Fs = 1/2; a FIN goes at once, as Linux sends it. toytcp's data is
 * always pushed: each SEND is a message. Nagle narrows (2) (§3.7.4): not
 * while a small segment is unacknowledged, unless Nagle is off.
 *
 * Return: true to send it now, false to wait.
 */
bool toytcp_sws_send_now(const struct toytcp_sws_send *s)
{
	if (s->len >= s->mss || s->fin)
		return true;
	if (s->len == s->unsent)
		return s->nodelay || !s->small_out;
	return s->len >= s->max_snd_wnd / 2;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_sws_send_now);

/**
 * toytcp_sws_rcv_wnd() - the window to announce, the receiver's side
 * @wnd: the window announced so far, less what arrived since (its right
 *       edge where it was)
 * @room: what the receiver could take now
 * @mss: the receive MSS
 * @buf: the receive buffer's size
 *
 * RFC 9293 §3.8.6.2.2 (MUST-39): the right edge moves on only "if the
 * additional window ... is at least Fr * RCV.BUFF or at least Eff.snd.MSS",
 * Fr = 1/2, so that an opening of a few bytes is not announced and then
 * filled by a tiny segment. The edge never moves back (MUST-NOT shrink).
 *
 * Return: the window to announce.
 */
u32 toytcp_sws_rcv_wnd(u32 wnd, u32 room, u32 mss, u32 buf)
{
	if (room >= wnd + min(buf / 2, mss))
		return room;
	return wnd;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_sws_rcv_wnd);

/**
 * toytcp_sws_update_due() - after a read, is a window update worth a segment?
 * @old: the window announced so far, less what arrived since
 * @wnd: the window now (toytcp_sws_rcv_wnd())
 *
 * As Linux's tcp_cleanup_rbuf(): when the window at least doubled. A
 * window that was closed then opens by at least an MSS (or half the
 * buffer), which the peer, probing a zero window, must learn of.
 *
 * Return: true to send an ACK now.
 */
bool toytcp_sws_update_due(u32 old, u32 wnd)
{
	return wnd > old && wnd >= 2 * old;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_sws_update_due);

/**
 * toytcp_sws_buf_wnd() - the window a socket's receive buffer has room for
 * @rcvbuf: the buffer, sk_rcvbuf (setsockopt(SO_RCVBUF, n) makes it 2n)
 * @unread: bytes in it the program has not read
 *
 * Half the buffer, as Linux keeps the other half for the skbs' overhead
 * (tcp_adv_win_scale 1), so SO_RCVBUF n gives a window of n; less what
 * is unread; then at most TOYTCP_RCV_WND, what the 16-bit field says
 * without window scaling. The room comes first and the field's limit
 * after, as in Linux's __tcp_select_window(): a default buffer (208 KiB,
 * a room of 104 KiB) keeps the window wide open while the program reads
 * the last 64 KiB, instead of closing it until the read is done.
 *
 * Return: the room, in bytes.
 */
u32 toytcp_sws_buf_wnd(u32 rcvbuf, u32 unread)
{
	u32 buf = rcvbuf / 2;

	return min_t(u32, buf > unread ? buf - unread : 0, TOYTCP_RCV_WND);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_sws_buf_wnd);
