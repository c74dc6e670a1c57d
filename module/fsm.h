/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state machine of RFC 793 §3.9 as pure decisions: given a connection's
 * variables and an event (a segment, a user call, a timeout), update the
 * variables and say what to send and what to do with the timer. No skb, no
 * lock, no timer is touched here; the caller (input.c, user.c, timers.c)
 * acts on the verdict. That is what lets KUnit walk every state.
 */
#ifndef _TOYTCP_FSM_H
#define _TOYTCP_FSM_H

#include "cc.h"
#include "sws.h"
#include "toytcp.h"
#include "wire.h"

/* The window toytcp advertises: it takes in whatever arrives in order. */
#define TOYTCP_RCV_WND		65535

/*
 * MSS. RFC 9293 MUST-15: "If an MSS Option is not received at connection
 * setup, TCP implementations MUST assume a default send MSS of 536". A
 * smaller option is raised to Linux's floor, TCP_MIN_SND_MSS, so that a
 * peer cannot make us send one byte per segment.
 */
#define TOYTCP_MSS_DEFAULT	536
#define TOYTCP_MSS_MIN		48

/*
 * What moves a connection from one state to another: the labels of the
 * arrows of RFC 793's Figure 6, and the few that Figure 6 leaves out (a
 * reset, an abort, a timeout, an ICMP error). The comment after each is
 * the arrow's label in the state diagram scripts/tools/statediagram.py
 * draws from toytcp_transitions[] (fsm.c): keep it "event / what is sent".
 */
enum toytcp_event {
	TOYTCP_EV_PASSIVE_OPEN,		/* passive OPEN */
	TOYTCP_EV_ACTIVE_OPEN,		/* active OPEN / snd SYN */
	TOYTCP_EV_RCV_SYN,		/* rcv SYN / snd SYN,ACK */
	TOYTCP_EV_RCV_SYN_ACK,		/* rcv SYN,ACK / snd ACK */
	TOYTCP_EV_RCV_ACK_OF_SYN,	/* rcv ACK of SYN */
	TOYTCP_EV_CLOSE,		/* CLOSE */
	TOYTCP_EV_RCV_FIN,		/* rcv FIN / snd ACK */
	TOYTCP_EV_RCV_ACK_OF_FIN,	/* rcv ACK of FIN */
	TOYTCP_EV_TIMEOUT_2MSL,		/* timeout = 2MSL */
	TOYTCP_EV_RCV_RST,		/* rcv RST */
	TOYTCP_EV_RCV_SYN_IN_WINDOW,	/* rcv SYN in window / snd RST */
	TOYTCP_EV_RCV_NEW_SYN,		/* rcv new SYN (a listener takes it) */
	TOYTCP_EV_RCV_ICMP,		/* rcv ICMP error */
	TOYTCP_EV_ABORT,		/* ABORT */
	TOYTCP_EV_GIVE_UP,		/* timeout: no answer */
	__TOYTCP_EV_MAX
};

/* No transition: the event is an error in this state. */
#define TOYTCP_STATE_NONE	__TOYTCP_STATE_MAX

/**
 * struct toytcp_tcb - the variables of RFC 793 §3.2 for one connection
 * @state: where the connection is
 * @passive: opened from a listener (a reset in SYN_RECV ends only this
 *           child; the listener stays)
 * @fin_queued: the user closed: a FIN follows the queued data
 * @fin_sent: that FIN has been sent; it is the last sequence number sent,
 *            so it is acknowledged once SND.UNA reaches SND.NXT
 * @iss: initial send sequence number
 * @irs: initial receive sequence number
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send
 * @snd_wnd: the peer's window
 * @max_snd_wnd: the largest window the peer ever offered (MAX.SND.WND of
 *               RFC 5961 §5)
 * @snd_wl1: SEG.SEQ of the segment that last updated the window
 * @snd_wl2: SEG.ACK of the segment that last updated the window
 * @snd_queued: bytes the user queued that the peer has not acknowledged;
 *              the first of them has sequence number SND.UNA once the SYN
 *              is acknowledged
 * @rcv_nxt: next sequence number expected
 * @rcv_wnd: window advertised
 * @dupacks: duplicate ACKs in a row (RFC 5681 §2)
 * @recovery: in loss recovery, and why, until @recover is acknowledged
 * @recover: SND.NXT when recovery began ("recover" of RFC 6582)
 * @rtx_nxt: in Loss, the next sequence number to send again (below it,
 *           what was resent since the timeout; from it up to @recover,
 *           what counts as lost)
 * @cwnd: the congestion window, bytes (cc.c)
 * @ssthresh: the slow start threshold, bytes
 * @cwnd_acked: congestion avoidance: bytes acknowledged toward the next
 *              SMSS of growth
 * @syn_lost: our SYN or SYN,ACK was sent more than once: the initial
 *            window is one segment
 * @snd_sml: the end of the last segment sent smaller than MSS (Nagle,
 *           sws.c)
 * @nodelay: Nagle is off (`nodelay LOCAL REMOTE on`)
 * @adv_mss: the MSS option we send: what our route's MTU lets one segment
 *           carry, at most the `mss` parameter; also the most we send
 * @mss: the send MSS (SMSS): the peer's MSS option (TOYTCP_MSS_DEFAULT
 *       without one), at most @adv_mss; set when the peer's SYN arrives
 */
struct toytcp_tcb {
	enum toytcp_state state;
	bool passive;
	bool fin_queued;
	bool fin_sent;
	u32 iss;
	u32 irs;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_wnd;
	u32 max_snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 snd_queued;
	u32 rcv_nxt;
	u32 rcv_wnd;
	u8 dupacks;
	u8 recovery;
	u32 recover;
	u32 rtx_nxt;
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_acked;
	bool syn_lost;
	u32 snd_sml;
	bool nodelay;
	u16 adv_mss;
	u16 mss;
};

/**
 * struct toytcp_reply - a control segment to send: <SEQ=seq><ACK=ack><CTL=flags>
 * @flags: control bits; 0 means send nothing
 * @seq: sequence number
 * @ack: acknowledgment number, when @flags has TOYTCP_ACK
 */
struct toytcp_reply {
	u8 flags;
	u32 seq;
	u32 ack;
};

/*
 * What the caller does with the connection's timer after an event. RTX:
 * something new was acknowledged, so the retransmission timer starts over
 * from the initial RTO.
 */
enum toytcp_timer_op {
	TOYTCP_TIMER_KEEP,	/* leave it as it is */
	TOYTCP_TIMER_RTX,	/* progress: restart the backoff */
	TOYTCP_TIMER_TIME_WAIT,	/* (re)start the 2*MSL timer */
	TOYTCP_TIMER_FIN_WAIT2,	/* (re)start the FIN_WAIT2 timeout */
	TOYTCP_TIMER_ALIVE,	/* the peer answered a zero-window probe */
	TOYTCP_TIMER_RESENT,	/* a fast retransmit: run it anew, keep the count */
};

/**
 * struct toytcp_verdict - what an event asks of the caller
 * @reply: a control segment to send now (after @tcb is updated)
 * @timer: what to do with the timer
 * @resend: resend the oldest unacknowledged segment now (loss recovery)
 * @data_skip: accepted payload starts this many bytes into the segment's
 * @data_len: bytes of payload accepted, in order (0: none)
 * @data_acked: bytes of the send queue the peer acknowledged: drop them
 * @ofo: the segment starts past RCV.NXT, in the window: keep it in the
 *       out-of-order queue (ofo.c), @ofo_len bytes of its payload and
 *       its FIN if @ofo_fin
 * @ofo_len: payload bytes of it that fit in the window
 * @ofo_fin: its FIN fits too
 * @delay_ack: @reply only acknowledges data taken in order, whole: it may
 *             wait for a segment to ride on (delack.c)
 * @reset: the connection was reset (by the peer, or refused)
 * @challenge: @reply is a challenge ACK (RFC 5961): the caller sends it
 *             only within the connection's rate limit
 * @oow: @reply answers an out-of-window segment without sequence space:
 *       the caller sends it at most once per TOYTCP_OOW_INTERVAL_MS
 * @alive: the segment passed the checks of steps 1 to 5: the peer is
 *         there (keepalive counts it as heard)
 * @reopen_iss: a new SYN in TIME_WAIT (toytcp_fsm_time_wait_syn()): if a
 *              listener takes the port, end this connection and hand the
 *              SYN to it with this ISS; 0 otherwise
 * @err: for user calls, the errno to return (0: done)
 */
struct toytcp_verdict {
	struct toytcp_reply reply;
	enum toytcp_timer_op timer;
	bool resend;
	u32 data_skip;
	u32 data_len;
	u32 data_acked;
	bool ofo;
	u32 ofo_len;
	bool ofo_fin;
	bool delay_ack;
	bool reset;
	bool challenge;
	bool oow;
	bool alive;
	u32 reopen_iss;
	int err;
};

/* Out-of-window ACKs: one per this many ms (Linux's tcp_invalid_ratelimit). */
#define TOYTCP_OOW_INTERVAL_MS	500

/**
 * struct toytcp_out - a segment the output engine decided to send
 * @seq: its sequence number
 * @len: payload bytes, taken from the send queue at offset @seq - SND.UNA
 * @flags: control bits (always ACK; FIN on the last)
 * @rtx: it was sent before: a retransmission
 */
struct toytcp_out {
	u32 seq;
	u32 len;
	u8 flags;
	bool rtx;
};

/* The state diagram: where @event takes a connection in @state. */
enum toytcp_state toytcp_fsm_next(enum toytcp_state state,
				  enum toytcp_event event);
bool toytcp_fsm_move(struct toytcp_tcb *tcb, enum toytcp_event event);

/* Segment arrives (RFC 793 p.65-76). */
void toytcp_fsm_no_conn(const struct toytcp_seg *seg, struct toytcp_verdict *v);
bool toytcp_fsm_listen(const struct toytcp_seg *seg, u32 iss, u16 adv_mss,
		       struct toytcp_tcb *child, struct toytcp_verdict *v);
void toytcp_fsm_segment(struct toytcp_tcb *tcb, const struct toytcp_seg *seg,
			struct toytcp_verdict *v);
bool toytcp_fsm_reassembled(struct toytcp_tcb *tcb, u32 seq, u32 len, bool fin,
			    struct toytcp_verdict *v);

/* User calls (RFC 793 p.54-64). */
void toytcp_fsm_open(struct toytcp_tcb *tcb, u32 iss, u16 adv_mss,
		     struct toytcp_verdict *v);
void toytcp_fsm_send(struct toytcp_tcb *tcb, u32 len, struct toytcp_verdict *v);
void toytcp_fsm_close(struct toytcp_tcb *tcb, struct toytcp_verdict *v);
void toytcp_fsm_abort(struct toytcp_tcb *tcb, struct toytcp_verdict *v);

/*
 * Sending: the next new segment, what a retransmission timeout resends,
 * and the oldest unacknowledged segment (for a verdict's resend).
 */
bool toytcp_fsm_output(struct toytcp_tcb *tcb, u32 mss, struct toytcp_out *out);
bool toytcp_fsm_retransmit(struct toytcp_tcb *tcb, u32 mss,
			   struct toytcp_out *out);
bool toytcp_fsm_resend(const struct toytcp_tcb *tcb, u32 mss,
		       struct toytcp_out *out);

/* Something sent is not yet acknowledged: the retransmission timer runs. */
static inline bool toytcp_fsm_outstanding(const struct toytcp_tcb *tcb)
{
	return tcb->snd_una != tcb->snd_nxt;
}

/* States that take segment text (RFC 793 p.74): the peer's FIN is not in. */
static inline bool toytcp_fsm_takes_text(const struct toytcp_tcb *tcb)
{
	return tcb->state == TOYTCP_ESTABLISHED || tcb->state == TOYTCP_FIN_WAIT1 ||
	       tcb->state == TOYTCP_FIN_WAIT2;
}

/* Data or a FIN waits to be sent or acknowledged. */
static inline bool toytcp_fsm_has_unsent(const struct toytcp_tcb *tcb)
{
	return tcb->snd_queued || (tcb->fin_queued && !tcb->fin_sent);
}

#endif /* _TOYTCP_FSM_H */
