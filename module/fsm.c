// SPDX-License-Identifier: GPL-2.0
/*
 * The state machine: RFC 793 §3.9 "Event Processing", step by step, as pure
 * functions of (connection variables, event). Each step below carries the
 * RFC's own words. Which event a segment or a call is gets decided here;
 * where the event leads is one table, toytcp_transitions[], the state
 * diagram itself (make demo S=NAME draws it from this file, lit where a
 * scenario went):
 *
 *   segment to no connection   toytcp_fsm_no_conn()   answer with RST
 *   segment to a listener      toytcp_fsm_listen()    SYN -> SYN_RECV child
 *   segment in SYN_SENT        toytcp_fsm_syn_sent()  SYN+ACK -> ESTABLISHED,
 *                                                     SYN -> SYN_RECV
 *   segment in any other state toytcp_fsm_segment()   steps 1..8 below
 *   OPEN SEND CLOSE ABORT      toytcp_fsm_open() ...  the user calls
 *
 * RFC 9293 (which obsoletes 793) fixes one rule used here: SYN_RECV enters
 * ESTABLISHED only on SND.UNA < SEG.ACK =< SND.NXT, an ACK of our SYN.
 *
 * Against blind injection, RFC 5961 replaces two of RFC 793's rules: a RST
 * resets only at exactly RCV.NXT, and a SYN in a synchronized state never
 * resets; both get a "challenge ACK" instead, which a peer that really
 * lost its connection answers with a RST at the right sequence number.
 * RFC 1337: a RST in TIME_WAIT is ignored, so that an old duplicate cannot
 * cut TIME_WAIT short.
 *
 * Where RFC 793 left room, toytcp does what RFC 9293 and Linux 6.12 do: a
 * new SYN may end TIME_WAIT (toytcp_fsm_time_wait_syn()); a listener's
 * child answers the peer's SYN again with its SYN,ACK again
 * (toytcp_fsm_syn_again()); nothing the peer sends after its FIN counts
 * (toytcp_fsm_after_fin()); the send MSS comes from the peer's SYN
 * (toytcp_fsm_peer_mss()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include "fsm.h"

static const char * const toytcp_state_names[__TOYTCP_STATE_MAX] = {
	[TOYTCP_CLOSED]		= "CLOSED",
	[TOYTCP_LISTEN]		= "LISTEN",
	[TOYTCP_SYN_SENT]	= "SYN_SENT",
	[TOYTCP_SYN_RECV]	= "SYN_RECV",
	[TOYTCP_ESTABLISHED]	= "ESTABLISHED",
	[TOYTCP_FIN_WAIT1]	= "FIN_WAIT1",
	[TOYTCP_FIN_WAIT2]	= "FIN_WAIT2",
	[TOYTCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TOYTCP_CLOSING]	= "CLOSING",
	[TOYTCP_LAST_ACK]	= "LAST_ACK",
	[TOYTCP_TIME_WAIT]	= "TIME_WAIT",
};

/**
 * toytcp_state_name() - a state's name as netstat prints it
 * @state: the state
 *
 * Return: the name; "?" for a value out of range.
 */
const char *toytcp_state_name(enum toytcp_state state)
{
	return state < __TOYTCP_STATE_MAX ? toytcp_state_names[state] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_state_name);

/**
 * struct toytcp_transition - one arrow of the state diagram
 * @from: the state the connection is in
 * @event: what happens (&enum toytcp_event)
 * @to: the state it enters
 */
struct toytcp_transition {
	u8 from;
	u8 event;
	u8 to;
};

/*
 * Every state change toytcp makes, and no other: each one goes through
 * toytcp_fsm_next(). The code below decides which event a segment or a
 * call is; this table says where that event leads. It is RFC 793's Figure
 * 6 with the text's rules that the figure leaves out, and
 * scripts/tools/statediagram.py draws the diagram from it.
 */
static const struct toytcp_transition toytcp_transitions[] = {
	/* OPEN (p.54): "passive ... enter LISTEN"; active: "enter SYN-SENT" */
	{ TOYTCP_CLOSED,	TOYTCP_EV_PASSIVE_OPEN,	TOYTCP_LISTEN },
	{ TOYTCP_CLOSED,	TOYTCP_EV_ACTIVE_OPEN,	TOYTCP_SYN_SENT },
	/* LISTEN (p.66): "The connection state should be changed to SYN-RECEIVED" */
	{ TOYTCP_LISTEN,	TOYTCP_EV_RCV_SYN,	TOYTCP_SYN_RECV },
	/* SYN-SENT (p.68): "If SND.UNA > ISS (our SYN has been ACKed), change
	 * the connection state to ESTABLISHED ... Otherwise enter SYN-RECEIVED":
	 * both SYNs crossed, a simultaneous open.
	 */
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_RCV_SYN_ACK,	TOYTCP_ESTABLISHED },
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_RCV_SYN,	TOYTCP_SYN_RECV },
	/* SYN-RECEIVED (p.72): "If SND.UNA < SEG.ACK =< SND.NXT then enter
	 * ESTABLISHED state"; after a simultaneous open, the peer's SYN,ACK does
	 * it (Figure 8, toytcp_fsm_unacceptable()).
	 */
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_RCV_ACK_OF_SYN, TOYTCP_ESTABLISHED },
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_RCV_SYN_ACK,	TOYTCP_ESTABLISHED },
	/* CLOSE (p.60): LISTEN, SYN-SENT "Delete the TCB and enter CLOSED
	 * state"; SYN-RECEIVED, ESTABLISHED queue a FIN "and enter FIN-WAIT-1
	 * state"; CLOSE-WAIT: "send a FIN segment, enter CLOSING state" --
	 * LAST-ACK, as RFC 1122 §4.2.2.20 corrects it. Later: "error:
	 * connection closing".
	 */
	{ TOYTCP_LISTEN,	TOYTCP_EV_CLOSE,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_CLOSE,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_CLOSE,	TOYTCP_FIN_WAIT1 },
	{ TOYTCP_ESTABLISHED,	TOYTCP_EV_CLOSE,	TOYTCP_FIN_WAIT1 },
	{ TOYTCP_CLOSE_WAIT,	TOYTCP_EV_CLOSE,	TOYTCP_LAST_ACK },
	/* Eighth, the FIN bit (p.75), for a FIN in order: SYN-RECEIVED,
	 * ESTABLISHED "Enter the CLOSE-WAIT state"; FIN-WAIT-1 "If our FIN has
	 * been ACKed (perhaps in this segment), then enter TIME-WAIT ...
	 * otherwise enter the CLOSING state" (an ACK of our FIN took us to
	 * FIN-WAIT-2 in step 5 already); FIN-WAIT-2 "Enter the TIME-WAIT state".
	 */
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_RCV_FIN,	TOYTCP_CLOSE_WAIT },
	{ TOYTCP_ESTABLISHED,	TOYTCP_EV_RCV_FIN,	TOYTCP_CLOSE_WAIT },
	{ TOYTCP_FIN_WAIT1,	TOYTCP_EV_RCV_FIN,	TOYTCP_CLOSING },
	{ TOYTCP_FIN_WAIT2,	TOYTCP_EV_RCV_FIN,	TOYTCP_TIME_WAIT },
	/* Fifth, the ACK field (p.73): FIN-WAIT-1 "if our FIN is now
	 * acknowledged then enter FIN-WAIT-2"; CLOSING "if the ACK acknowledges
	 * our FIN then enter the TIME-WAIT state"; LAST-ACK "if our FIN is now
	 * acknowledged, delete the TCB, enter the CLOSED state".
	 */
	{ TOYTCP_FIN_WAIT1,	TOYTCP_EV_RCV_ACK_OF_FIN, TOYTCP_FIN_WAIT2 },
	{ TOYTCP_CLOSING,	TOYTCP_EV_RCV_ACK_OF_FIN, TOYTCP_TIME_WAIT },
	{ TOYTCP_LAST_ACK,	TOYTCP_EV_RCV_ACK_OF_FIN, TOYTCP_CLOSED },
	/* "When a connection is closed actively, it MUST linger in the
	 * TIME-WAIT state for a time 2xMSL" (RFC 9293 §3.6.1), then goes.
	 */
	{ TOYTCP_TIME_WAIT,	TOYTCP_EV_TIMEOUT_2MSL,	TOYTCP_CLOSED },
	/* Second, the RST bit (p.70, RFC 5961 §3.2: at RCV.NXT exactly); in
	 * SYN-SENT (p.67) with an acceptable ACK. TIME-WAIT ignores it (RFC
	 * 1337). A listener's child ends alone: the listener stays in LISTEN.
	 */
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_ESTABLISHED,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_FIN_WAIT1,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_FIN_WAIT2,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_CLOSE_WAIT,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_CLOSING,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	{ TOYTCP_LAST_ACK,	TOYTCP_EV_RCV_RST,	TOYTCP_CLOSED },
	/* Fourth, the SYN bit, at a listener's child: "If the SYN is in the
	 * window it is an error, send a reset" (toytcp_fsm_segment()).
	 */
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_RCV_SYN_IN_WINDOW, TOYTCP_CLOSED },
	/* A new SYN ends TIME-WAIT when a listener takes it (RFC 9293 §3.6.1,
	 * toytcp_fsm_time_wait_syn()).
	 */
	{ TOYTCP_TIME_WAIT,	TOYTCP_EV_RCV_NEW_SYN,	TOYTCP_CLOSED },
	/* A hard ICMP error while the connection opens (icmp.c). */
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_RCV_ICMP,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_RCV_ICMP,	TOYTCP_CLOSED },
	/* ABORT (p.62): in every state, "delete the TCB". */
	{ TOYTCP_LISTEN,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_ESTABLISHED,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_FIN_WAIT1,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_FIN_WAIT2,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_CLOSE_WAIT,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_CLOSING,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_LAST_ACK,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	{ TOYTCP_TIME_WAIT,	TOYTCP_EV_ABORT,	TOYTCP_CLOSED },
	/* Giving up (timers.c, keepalive.c): the retransmissions (RFC 9293
	 * §3.8.3's R2) or keepalive probes went unanswered, or FIN-WAIT-2 idled
	 * past its timeout (Linux's tcp_fin_timeout).
	 */
	{ TOYTCP_SYN_SENT,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_SYN_RECV,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_ESTABLISHED,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_FIN_WAIT1,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_FIN_WAIT2,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_CLOSE_WAIT,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_CLOSING,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
	{ TOYTCP_LAST_ACK,	TOYTCP_EV_GIVE_UP,	TOYTCP_CLOSED },
};

/**
 * toytcp_fsm_next() - where an event takes a connection
 * @state: the state it is in
 * @event: what happened
 *
 * Return: the next state (&toytcp_transitions); TOYTCP_STATE_NONE when
 * @event moves nothing in @state.
 */
enum toytcp_state toytcp_fsm_next(enum toytcp_state state,
				  enum toytcp_event event)
{
	const struct toytcp_transition *t;

	for (t = toytcp_transitions; t < toytcp_transitions +
	     ARRAY_SIZE(toytcp_transitions); t++)
		if (t->from == state && t->event == event)
			return t->to;
	return TOYTCP_STATE_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_next);

/* Take @event's arrow when the state has one; false when it has none. */
static bool toytcp_fsm_try(struct toytcp_tcb *tcb, enum toytcp_event event)
{
	enum toytcp_state next = toytcp_fsm_next(tcb->state, event);

	if (next == TOYTCP_STATE_NONE)
		return false;
	tcb->state = next;
	return true;
}

/**
 * toytcp_fsm_move() - take a transition of the state diagram
 * @tcb: the connection's variables; @tcb->state moves on
 * @event: what happened
 *
 * The one way the state changes. An event the diagram has no arrow for
 * in this state is a bug in the caller: the state stays.
 *
 * Return: true when the state moved.
 */
bool toytcp_fsm_move(struct toytcp_tcb *tcb, enum toytcp_event event)
{
	return !WARN_ONCE(!toytcp_fsm_try(tcb, event), "no transition from %s on event %d\n",
			  toytcp_state_name(tcb->state), event);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_move);

static void toytcp_reply(struct toytcp_verdict *v, u8 flags, u32 seq, u32 ack)
{
	v->reply.flags = flags;
	v->reply.seq = seq;
	v->reply.ack = ack;
}

/* RFC 5961: "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>", then drop the segment. */
static void toytcp_reply_challenge(const struct toytcp_tcb *tcb,
				   struct toytcp_verdict *v)
{
	toytcp_reply(v, TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt);
	v->challenge = true;
}

/*
 * The reset for a segment that belongs to no connection (RFC 793 p.36):
 * "If the incoming segment has an ACK field, the reset takes its sequence
 * number from the ACK field of the segment, otherwise the reset has
 * sequence number zero and the ACK field is set to the sum of the sequence
 * number and segment length of the incoming segment."
 */
static void toytcp_reply_reset(const struct toytcp_seg *seg,
			       struct toytcp_verdict *v)
{
	if (seg->flags & TOYTCP_ACK)
		toytcp_reply(v, TOYTCP_RST, seg->ack, 0);
	else
		toytcp_reply(v, TOYTCP_RST | TOYTCP_ACK, 0,
			     seg->seq + toytcp_seg_seqlen(seg));
}

/**
 * toytcp_fsm_no_conn() - a segment for which there is no connection
 * @seg: the segment
 * @v: the verdict: a reset, unless @seg is one ("RST is never answered")
 *
 * RFC 793 p.65, "If the state is CLOSED (i.e., TCB does not exist) then
 * all data in the incoming segment is discarded. An incoming segment
 * containing a RST is discarded. An incoming segment not containing a RST
 * causes a RST to be sent in response."
 */
void toytcp_fsm_no_conn(const struct toytcp_seg *seg, struct toytcp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (!(seg->flags & TOYTCP_RST))
		toytcp_reply_reset(seg, v);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_no_conn);

/*
 * The peer's SYN sets the send MSS: its MSS option, or 536 without one
 * (RFC 9293 MUST-15); never more than we announced ourselves, since our
 * own route's MTU bounds what we can send (MUST-14: "the maximum size of a
 * segment that TCP really sends ... MUST be the smaller of the send MSS
 * ... and the largest transmission size permitted by the IP layer").
 */
static void toytcp_fsm_peer_mss(struct toytcp_tcb *tcb,
				const struct toytcp_seg *seg)
{
	u16 mss = seg->mss ?: TOYTCP_MSS_DEFAULT;

	tcb->mss = max_t(u16, min(mss, tcb->adv_mss), TOYTCP_MSS_MIN);
	toytcp_cc_init(tcb);
}

/**
 * toytcp_fsm_listen() - a segment for a listener
 * @seg: the segment
 * @iss: the initial sequence number a new connection would use
 * @adv_mss: the MSS option the child would send (see &struct toytcp_tcb)
 * @child: filled in, in SYN_RECV, when @seg opens a connection
 * @v: the verdict: the SYN+ACK to send, or a reset, or nothing
 *
 * RFC 793 p.65, LISTEN: "first check for an RST: An incoming RST should be
 * ignored. second check for an ACK: Any acknowledgment is bad if it
 * arrives on a connection still in the LISTEN state. An acceptable reset
 * segment should be formed for any arriving ACK-bearing segment. third
 * check for a SYN: ... Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ ...
 * ISS should be selected and a SYN segment sent of the form
 * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and SND.UNA
 * to ISS. The connection state should be changed to SYN-RECEIVED."
 * Data on a SYN is not taken: the SYN+ACK does not acknowledge it.
 *
 * Return: true when @child is a new connection.
 */
bool toytcp_fsm_listen(const struct toytcp_seg *seg, u32 iss, u16 adv_mss,
		       struct toytcp_tcb *child, struct toytcp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (seg->flags & TOYTCP_RST)
		return false;
	if (seg->flags & TOYTCP_ACK) {
		toytcp_reply(v, TOYTCP_RST, seg->ack, 0);
		return false;
	}
	if (!(seg->flags & TOYTCP_SYN))
		return false;
	/* SYN and FIN together make no sense: Linux drops it (TCP_FLAGS). */
	if (seg->flags & TOYTCP_FIN)
		return false;

	memset(child, 0, sizeof(*child));
	child->state = TOYTCP_LISTEN;
	toytcp_fsm_move(child, TOYTCP_EV_RCV_SYN);
	child->passive = true;
	child->irs = seg->seq;
	child->rcv_nxt = seg->seq + 1;
	child->rcv_wnd = TOYTCP_RCV_WND;
	child->iss = iss;
	child->snd_sml = iss;
	child->snd_una = iss;
	child->snd_nxt = iss + 1;
	child->snd_wnd = seg->wnd;
	child->max_snd_wnd = seg->wnd;
	child->snd_wl1 = seg->seq;
	child->adv_mss = adv_mss;
	toytcp_fsm_peer_mss(child, seg);
	toytcp_reply(v, TOYTCP_SYN | TOYTCP_ACK, iss, child->rcv_nxt);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_listen);

/*
 * SND.UNA moves up to @ack: count the bytes of the send queue it covers.
 * Returns the sequence space acknowledged, our SYN not counted.
 */
static u32 toytcp_fsm_advance_una(struct toytcp_tcb *tcb, u32 ack,
				  struct toytcp_verdict *v)
{
	u32 acked = ack - tcb->snd_una;
	u32 data;

	if (tcb->snd_una == tcb->iss)
		acked--;		/* our SYN */
	data = min(acked, tcb->snd_queued);
	tcb->snd_queued -= data;
	v->data_acked += data;
	tcb->snd_una = ack;
	v->timer = TOYTCP_TIMER_RTX;
	return acked;
}

/*
 * "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK), set
 * SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK."
 *
 * As Linux's tcp_may_update_window(), a segment that carries neither a
 * newer SEQ nor an ACK of new data (@advanced) only widens the window, or
 * shuts it: two such segments can arrive in the other order than they
 * were sent (the peer's window update, sent as its program reads, can
 * overtake the ACK of the data read when they leave from two CPUs), and
 * the older, narrower one must not undo the update. Taken, it left the
 * sender facing a sliver of window until its retransmission timer.
 */
static void toytcp_fsm_update_window(struct toytcp_tcb *tcb,
				     const struct toytcp_seg *seg, bool advanced)
{
	if (advanced || toytcp_seq_lt(tcb->snd_wl1, seg->seq) ||
	    (tcb->snd_wl1 == seg->seq && (seg->wnd > tcb->snd_wnd || !seg->wnd))) {
		tcb->snd_wnd = seg->wnd;
		tcb->max_snd_wnd = max(tcb->max_snd_wnd, tcb->snd_wnd);
		tcb->snd_wl1 = seg->seq;
		tcb->snd_wl2 = seg->ack;
	}
}

/*
 * SYN-SENT (RFC 793 p.66): "first check the ACK bit: If SEG.ACK =< ISS, or
 * SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so drop
 * the segment and return) <SEQ=SEG.ACK><CTL=RST>. second check the RST
 * bit: If the ACK was acceptable then signal the user "error: connection
 * reset", drop the segment, enter CLOSED state. Otherwise drop the segment.
 * fourth check the SYN bit: RCV.NXT is set to SEG.SEQ+1, IRS is set to
 * SEG.SEQ. SND.UNA should be advanced to equal SEG.ACK (if there is an
 * ACK). If SND.UNA > ISS (our SYN has been ACKed), change the connection
 * state to ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT>
 * <CTL=ACK> and send it. Otherwise enter SYN-RECEIVED, form a SYN,ACK
 * segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it. fifth, if
 * neither of the SYN or RST bits is set then drop the segment and return."
 */
static void toytcp_fsm_syn_sent(struct toytcp_tcb *tcb,
				const struct toytcp_seg *seg,
				struct toytcp_verdict *v)
{
	bool ack = seg->flags & TOYTCP_ACK;

	if (ack && (toytcp_seq_le(seg->ack, tcb->iss) ||
		    toytcp_seq_lt(tcb->snd_nxt, seg->ack))) {
		if (!(seg->flags & TOYTCP_RST))
			toytcp_reply(v, TOYTCP_RST, seg->ack, 0);
		return;
	}
	if (seg->flags & TOYTCP_RST) {
		if (ack) {
			toytcp_fsm_move(tcb, TOYTCP_EV_RCV_RST);
			v->reset = true;
		}
		return;
	}
	if (!(seg->flags & TOYTCP_SYN))
		return;

	tcb->irs = seg->seq;
	tcb->rcv_nxt = seg->seq + 1;
	tcb->snd_wnd = seg->wnd;
	tcb->max_snd_wnd = seg->wnd;
	tcb->snd_wl1 = seg->seq;
	toytcp_fsm_peer_mss(tcb, seg);
	if (ack) {
		toytcp_fsm_advance_una(tcb, seg->ack, v);
		tcb->snd_wl2 = seg->ack;
	}
	if (toytcp_seq_lt(tcb->iss, tcb->snd_una)) {
		toytcp_fsm_move(tcb, TOYTCP_EV_RCV_SYN_ACK);
		toytcp_reply(v, TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt);
	} else {
		/* Simultaneous open: both SYNs crossed. */
		toytcp_fsm_move(tcb, TOYTCP_EV_RCV_SYN);
		toytcp_reply(v, TOYTCP_SYN | TOYTCP_ACK, tcb->iss, tcb->rcv_nxt);
	}
}

/* A child of a listener that has not yet heard the peer's ACK. */
static bool toytcp_fsm_embryonic(const struct toytcp_tcb *tcb)
{
	return tcb->state == TOYTCP_SYN_RECV && tcb->passive;
}

/*
 * The peer's SYN once more at a child in SYN-RECEIVED: our SYN,ACK was
 * lost. Linux (tcp_check_req()) answers any SYN without ACK or RST at the
 * peer's ISN with the SYN,ACK again, whatever else it carries (data, FIN),
 * and takes none of it; RFC 793's rules would have reset the child.
 */
static bool toytcp_fsm_syn_again(const struct toytcp_tcb *tcb,
				 const struct toytcp_seg *seg,
				 struct toytcp_verdict *v)
{
	if (!toytcp_fsm_embryonic(tcb) || seg->seq != tcb->irs ||
	    (seg->flags & (TOYTCP_SYN | TOYTCP_ACK | TOYTCP_RST)) != TOYTCP_SYN)
		return false;
	toytcp_reply(v, TOYTCP_SYN | TOYTCP_ACK, tcb->iss, tcb->rcv_nxt);
	return true;
}

/*
 * A new SYN in TIME-WAIT. RFC 9293 §3.6.1 (RFC 1122 §4.2.2.13): a TCP "MAY
 * accept a new SYN from the remote TCP to reopen the connection directly,
 * if it: (1) assigns its initial sequence number for the new connection to
 * be larger than the largest sequence number it used on the previous
 * connection incarnation". As Linux does (tcp_timewait_state_process()): a
 * SYN without ACK or RST whose sequence number is above RCV.NXT asks the
 * caller to end TIME-WAIT and hand the SYN to the listener, with ISS =
 * SND.NXT + 65535 + 2 (@v->reopen_iss). Without a listener, TIME-WAIT
 * stays and the SYN is challenged like any other, which is the answer an
 * old duplicate SYN (at or below RCV.NXT) always gets. Like Linux, toytcp
 * does not go back to TIME-WAIT should the new SYN prove an old duplicate.
 */
static bool toytcp_fsm_time_wait_syn(const struct toytcp_tcb *tcb,
				     const struct toytcp_seg *seg,
				     struct toytcp_verdict *v)
{
	if (tcb->state != TOYTCP_TIME_WAIT ||
	    (seg->flags & (TOYTCP_SYN | TOYTCP_ACK | TOYTCP_RST)) != TOYTCP_SYN)
		return false;
	if (toytcp_seq_lt(tcb->rcv_nxt, seg->seq))
		v->reopen_iss = tcb->snd_nxt + 65535 + 2 ?: 1;
	toytcp_reply_challenge(tcb, v);
	return true;
}

/*
 * First step, the sequence number (RFC 793 p.69): a segment is acceptable
 * when some of it falls in the receive window.
 *
 *   SEG.LEN RCV.WND  test
 *   0       0        SEG.SEQ = RCV.NXT
 *   0       >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *   >0      0        not acceptable
 *   >0      >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *                 or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
 */
static bool toytcp_in_window(const struct toytcp_tcb *tcb, u32 seq)
{
	return seq - tcb->rcv_nxt < tcb->rcv_wnd;
}

static bool toytcp_fsm_acceptable(const struct toytcp_tcb *tcb,
				  const struct toytcp_seg *seg)
{
	u32 len = toytcp_seg_seqlen(seg);

	if (!tcb->rcv_wnd)
		/*
		 * RFC 9293: "If the RCV.WND is zero, no segments will be
		 * acceptable, but special allowance should be made to accept
		 * valid ACKs, URGs, and RSTs." A segment at RCV.NXT goes on:
		 * its ACK field counts, its text is not taken.
		 */
		return seg->seq == tcb->rcv_nxt;
	if (!len)
		return toytcp_in_window(tcb, seg->seq);
	/*
	 * Some of it in the window: it starts before the window ends and
	 * ends after RCV.NXT. That is the RFC's two tests, and also a
	 * segment that begins left of the window and ends right of it.
	 */
	return toytcp_seq_lt(seg->seq, tcb->rcv_nxt + tcb->rcv_wnd) &&
	       toytcp_seq_lt(tcb->rcv_nxt, seg->seq + len);
}

/*
 * "If an incoming segment is not acceptable, an acknowledgment should be
 * sent in reply (unless the RST bit is set, if so drop the segment and
 * return) ... After sending the acknowledgment, drop the unacceptable
 * segment and return." Linux limits that ACK, for a segment that carries
 * no sequence space, to one per 500 ms (tcp_oow_rate_limited(): two stacks
 * that disagree about the window must not ACK each other forever): the
 * verdict's @oow. A SYN is challenged instead (RFC 5961 §4). Two
 * unacceptable segments get more than that:
 *  - SYN-RECEIVED after a simultaneous open: the peer's SYN,ACK, its SYN
 *    once more with an acceptable ACK of ours. RFC 793's Figure 8 has it
 *    establish the connection and be acknowledged, though its sequence
 *    number lies left of the window; Linux makes the same exception in
 *    tcp_validate_incoming().
 *  - TIME-WAIT: "The only thing that can arrive in this state is a
 *    retransmission of the remote FIN. Acknowledge it, and restart the
 *    2 MSL timeout."
 */
static void toytcp_fsm_unacceptable(struct toytcp_tcb *tcb,
				    const struct toytcp_seg *seg,
				    struct toytcp_verdict *v)
{
	if (seg->flags & TOYTCP_RST)
		return;
	if (tcb->state == TOYTCP_SYN_RECV && !tcb->passive && seg->seq == tcb->irs &&
	    !seg->len && (seg->flags & (TOYTCP_SYN | TOYTCP_ACK | TOYTCP_FIN)) ==
	    (TOYTCP_SYN | TOYTCP_ACK) && toytcp_seq_lt(tcb->snd_una, seg->ack) &&
	    toytcp_seq_le(seg->ack, tcb->snd_nxt)) {
		toytcp_fsm_advance_una(tcb, seg->ack, v);
		toytcp_fsm_move(tcb, TOYTCP_EV_RCV_SYN_ACK);
	}
	if (tcb->state == TOYTCP_TIME_WAIT && (seg->flags & TOYTCP_FIN) &&
	    seg->seq + toytcp_seg_seqlen(seg) == tcb->rcv_nxt)
		v->timer = TOYTCP_TIMER_TIME_WAIT;
	if ((seg->flags & TOYTCP_SYN) && !toytcp_fsm_embryonic(tcb)) {
		/* RFC 5961 §4: a SYN "irrespective of the sequence number" */
		toytcp_reply_challenge(tcb, v);
		return;
	}
	toytcp_reply(v, TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt);
	v->oow = !toytcp_seg_seqlen(seg);
}

/*
 * RFC 5681 §2: "An acknowledgment is considered a "duplicate" ... when (a)
 * the receiver of the ACK has outstanding data, (b) the incoming
 * acknowledgment carries no data, (c) the SYN and FIN bits are both off,
 * (d) the acknowledgment number is equal to the greatest acknowledgment
 * received on the given connection (SND.UNA) and (e) the advertised window
 * in the incoming acknowledgment equals the advertised window in the last
 * incoming acknowledgment." Called before the window is updated. A zero
 * window is flow control, not loss: the answers to a zero-window probe
 * are no duplicates (Linux has no packet out then).
 */
static bool toytcp_fsm_dupack(const struct toytcp_tcb *tcb,
			      const struct toytcp_seg *seg)
{
	return toytcp_fsm_outstanding(tcb) && !seg->len && seg->wnd &&
	       !(seg->flags & (TOYTCP_SYN | TOYTCP_FIN)) &&
	       seg->ack == tcb->snd_una && seg->wnd == tcb->snd_wnd;
}

/*
 * How far below SND.UNA an ACK may lie: MAX.SND.WND (RFC 5961 §5.2), but
 * never below our ISS, which would acknowledge bytes never sent: Linux
 * bounds it by what was acknowledged so far (tcp_ack(), bytes_acked).
 */
static u32 toytcp_fsm_ack_span(const struct toytcp_tcb *tcb)
{
	u32 acked = tcb->snd_una == tcb->iss ? 0 : tcb->snd_una - tcb->iss - 1;

	return min(tcb->max_snd_wnd, acked);
}

/*
 * Fifth step, the ACK field (RFC 793 p.72). Returns false when the segment
 * is to be dropped here.
 *
 * SYN-RECEIVED: "If SND.UNA < SEG.ACK =< SND.NXT then enter ESTABLISHED
 * state and continue processing. If the segment acknowledgment is not
 * acceptable, form a reset segment, <SEQ=SEG.ACK><CTL=RST> and send it."
 * ESTABLISHED and later: "If SND.UNA < SEG.ACK =< SND.NXT then, set SND.UNA
 * <- SEG.ACK ... If the ACK is a duplicate (SEG.ACK < SND.UNA), it can be
 * ignored. If the ACK acks something not yet sent (SEG.ACK > SND.NXT) then
 * send an ACK, drop the segment, and return."
 *
 * RFC 5961 §5.2 narrows what is acceptable, against blind data injection:
 * "The ACK value is considered acceptable only if it is in the range of
 * ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming segments
 * whose ACK value doesn't satisfy the above condition MUST be discarded
 * and an ACK sent back." That ACK is a challenge ACK, rate-limited (§7).
 */
static bool toytcp_fsm_ack(struct toytcp_tcb *tcb, const struct toytcp_seg *seg,
			   struct toytcp_verdict *v)
{
	bool advanced, dup;
	u32 acked = 0;

	if (tcb->state == TOYTCP_SYN_RECV) {
		if (!toytcp_seq_lt(tcb->snd_una, seg->ack) ||
		    toytcp_seq_lt(tcb->snd_nxt, seg->ack)) {
			toytcp_reply(v, TOYTCP_RST, seg->ack, 0);
			return false;
		}
		toytcp_fsm_move(tcb, TOYTCP_EV_RCV_ACK_OF_SYN);
	}
	if (toytcp_seq_lt(tcb->snd_nxt, seg->ack) ||
	    toytcp_seq_lt(seg->ack, tcb->snd_una - toytcp_fsm_ack_span(tcb))) {
		toytcp_reply_challenge(tcb, v);
		return false;
	}
	dup = toytcp_fsm_dupack(tcb, seg);
	advanced = toytcp_seq_lt(tcb->snd_una, seg->ack);
	if (advanced)
		acked = toytcp_fsm_advance_una(tcb, seg->ack, v);
	if (toytcp_seq_le(tcb->snd_una, seg->ack))
		toytcp_fsm_update_window(tcb, seg, advanced);
	/*
	 * Loss recovery and the congestion window learn of it (cc.c): the
	 * third duplicate ACK, or a partial ACK in recovery, sends the
	 * segment at SND.UNA again.
	 */
	v->resend = toytcp_cc_ack(tcb, acked, dup);
	/*
	 * A fast retransmit gives the segment it resends a whole RTO, as
	 * Linux's tcp_xmit_retransmit_queue() re-arms the timer when the
	 * oldest segment goes again: not what is left of the first
	 * transmission's. (A partial ACK's resend comes with progress, which
	 * restarts the timer anyway.)
	 */
	if (v->resend && v->timer == TOYTCP_TIMER_KEEP)
		v->timer = TOYTCP_TIMER_RESENT;
	/*
	 * An answer while the peer's window is closed: the peer lives, though
	 * it acknowledges nothing new. RFC 9293 MUST-37: the sender "MUST NOT
	 * close a connection because of a zero window" as long as the peer
	 * answers; Linux starts its probe count over on every ACK.
	 */
	if (!advanced && !tcb->snd_wnd && toytcp_fsm_has_unsent(tcb))
		v->timer = TOYTCP_TIMER_ALIVE;

	if (tcb->fin_sent && tcb->snd_una == tcb->snd_nxt &&
	    toytcp_fsm_try(tcb, TOYTCP_EV_RCV_ACK_OF_FIN)) {
		if (tcb->state == TOYTCP_FIN_WAIT2)
			v->timer = TOYTCP_TIMER_FIN_WAIT2;
		else if (tcb->state == TOYTCP_TIME_WAIT)
			v->timer = TOYTCP_TIMER_TIME_WAIT;
	}
	return tcb->state != TOYTCP_CLOSED;
}

/*
 * A segment that starts past RCV.NXT, behind a hole. What of it lies in
 * the window goes to the out-of-order queue (the caller keeps it, ofo.c),
 * and the ACK repeats RCV.NXT at once: a duplicate ACK, which tells the
 * sender of the hole (RFC 5681 §4.2: "A TCP receiver SHOULD send an
 * immediate duplicate ACK when an out-of-order segment arrives").
 */
static void toytcp_fsm_early(const struct toytcp_tcb *tcb,
			     const struct toytcp_seg *seg,
			     struct toytcp_verdict *v)
{
	u32 room = tcb->rcv_nxt + tcb->rcv_wnd - seg->seq;

	toytcp_reply(v, TOYTCP_ACK, 0, 0);	/* numbers filled in at the end */
	v->ofo_len = min(seg->len, room);
	v->ofo_fin = (seg->flags & TOYTCP_FIN) && room > seg->len;
	v->ofo = v->ofo_len || v->ofo_fin;
}

/*
 * Seventh step, the segment text (RFC 793 p.74), in ESTABLISHED, FIN-WAIT-1
 * and FIN-WAIT-2: "Once in the ESTABLISHED state, it is possible to deliver
 * segment text ... Once the TCP takes responsibility for the data it
 * advances RCV.NXT over the data accepted ... Send an acknowledgment of the
 * form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>". Text is taken in order: a
 * segment that starts past RCV.NXT is kept for later (toytcp_fsm_early()).
 * Returns false when the segment was early, or not all of it fit, so that
 * its FIN is not taken now. Data arriving in FIN-WAIT-2 keeps the
 * half-closed connection open: its timeout starts over (only an idle
 * FIN-WAIT-2 times out).
 */
static bool toytcp_fsm_text(struct toytcp_tcb *tcb, const struct toytcp_seg *seg,
			    struct toytcp_verdict *v)
{
	u32 skip, len;

	if (toytcp_seq_lt(tcb->rcv_nxt, seg->seq)) {
		if (seg->len || (seg->flags & TOYTCP_FIN))
			toytcp_fsm_early(tcb, seg, v);
		return false;
	}
	if (!seg->len)
		return true;
	toytcp_reply(v, TOYTCP_ACK, 0, 0);	/* numbers filled in at the end */
	skip = tcb->rcv_nxt - seg->seq;
	if (skip >= seg->len)
		return true;	/* all of it seen before */
	len = min(seg->len - skip, tcb->rcv_wnd);
	v->data_skip = skip;
	v->data_len = len;
	v->delay_ack = !skip && len == seg->len;
	tcb->rcv_nxt += len;
	if (len && tcb->state == TOYTCP_FIN_WAIT2)
		v->timer = TOYTCP_TIMER_FIN_WAIT2;
	return len == seg->len - skip;
}

/*
 * Eighth step, the FIN bit (RFC 793 p.75), for a FIN right after the text
 * taken: "advance RCV.NXT over the FIN, and send an acknowledgment for the
 * FIN", and the state moves on (TOYTCP_EV_RCV_FIN in toytcp_transitions[]).
 */
static void toytcp_fsm_fin(struct toytcp_tcb *tcb, const struct toytcp_seg *seg,
			   struct toytcp_verdict *v)
{
	if (!(seg->flags & TOYTCP_FIN) || seg->seq + seg->len != tcb->rcv_nxt ||
	    !toytcp_fsm_try(tcb, TOYTCP_EV_RCV_FIN))
		return;
	tcb->rcv_nxt++;
	toytcp_reply(v, TOYTCP_ACK, 0, 0);
	v->delay_ack = false;	/* the peer waits for it to go on */
	if (tcb->state == TOYTCP_TIME_WAIT)
		v->timer = TOYTCP_TIMER_TIME_WAIT;
}

/* The states in which the peer's FIN is in. */
static bool toytcp_fsm_fin_rcvd(enum toytcp_state state)
{
	return state == TOYTCP_CLOSE_WAIT || state == TOYTCP_CLOSING ||
	       state == TOYTCP_LAST_ACK || state == TOYTCP_TIME_WAIT;
}

/*
 * Seventh and eighth steps once the peer's FIN is in (@in: the state the
 * segment found). RFC 9293, seventh: "This should not occur since a FIN
 * has been received from the remote side. Ignore the segment text." A FIN
 * at RCV.NXT is ignored too: the peer's FIN was the last sequence number
 * it sends, and acknowledging one beyond it would move RCV.NXT past
 * anything the peer can send, so LAST-ACK could never complete. Linux
 * drops both without a word (tcp_rcv_state_process()). TIME-WAIT answers,
 * as RFC 793 says and Linux does: "The only thing that can arrive in this
 * state is a retransmission of the remote FIN. Acknowledge it, and restart
 * the 2 MSL timeout." (A segment that took CLOSING to TIME-WAIT in step 5
 * is not answered: @in is CLOSING.)
 */
static void toytcp_fsm_after_fin(enum toytcp_state in, struct toytcp_tcb *tcb,
				 const struct toytcp_seg *seg,
				 struct toytcp_verdict *v)
{
	if (in != TOYTCP_TIME_WAIT || !toytcp_seg_seqlen(seg))
		return;
	toytcp_reply(v, TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt);
	if (seg->flags & TOYTCP_FIN)
		v->timer = TOYTCP_TIMER_TIME_WAIT;
}

/**
 * toytcp_fsm_segment() - a segment for a connection past SYN_SENT, or in it
 * @tcb: the connection's variables, updated
 * @seg: the segment
 * @v: the verdict
 *
 * RFC 793 p.69-76, "Otherwise": the eight checks in the RFC's order (the
 * third, security and precedence, does not apply).
 */
void toytcp_fsm_segment(struct toytcp_tcb *tcb, const struct toytcp_seg *seg,
			struct toytcp_verdict *v)
{
	enum toytcp_state in = tcb->state;

	memset(v, 0, sizeof(*v));
	switch (tcb->state) {
	case TOYTCP_CLOSED:
	case TOYTCP_LISTEN:
		toytcp_fsm_no_conn(seg, v);
		return;
	case TOYTCP_SYN_SENT:
		toytcp_fsm_syn_sent(tcb, seg, v);
		return;
	default:
		break;
	}
	if (toytcp_fsm_syn_again(tcb, seg, v) || toytcp_fsm_time_wait_syn(tcb, seg, v))
		return;

	/* first, check sequence number */
	if (!toytcp_fsm_acceptable(tcb, seg)) {
		toytcp_fsm_unacceptable(tcb, seg, v);
		return;
	}
	/*
	 * second, check the RST bit (RFC 5961 §3.2): "If the RST bit is set
	 * and the sequence number exactly matches the next expected sequence
	 * number (RCV.NXT), then TCP MUST reset the connection ... yet is
	 * within the current receive window, TCP MUST send an acknowledgment
	 * (challenge ACK)". Resetting means RFC 793's "enter the CLOSED state,
	 * delete the TCB" (SYN-RECEIVED from a passive OPEN returns to LISTEN:
	 * the listener was never left). In TIME-WAIT, RFC 1337's first fix:
	 * "ignore RST segments in TIME-WAIT state".
	 */
	if (seg->flags & TOYTCP_RST) {
		if (tcb->state == TOYTCP_TIME_WAIT)
			return;
		if (seg->seq != tcb->rcv_nxt) {
			toytcp_reply_challenge(tcb, v);
			return;
		}
		toytcp_fsm_move(tcb, TOYTCP_EV_RCV_RST);
		v->reset = true;
		return;
	}
	/*
	 * fourth, check the SYN bit. A listener's child in SYN-RECEIVED is
	 * not yet synchronized: RFC 793, "If the SYN is in the window it is
	 * an error, send a reset ... enter the CLOSED state" (Linux's
	 * tcp_check_req() does so). Everywhere else, an active open's
	 * SYN-RECEIVED included, RFC 9293 follows RFC 5961 §4: "If the SYN
	 * bit is set, irrespective of the sequence number, TCP MUST send an
	 * ACK (also referred to as challenge ACK) to the remote peer".
	 */
	if (seg->flags & TOYTCP_SYN) {
		if (!toytcp_fsm_embryonic(tcb)) {
			toytcp_reply_challenge(tcb, v);
			return;
		}
		toytcp_reply_reset(seg, v);
		toytcp_fsm_move(tcb, TOYTCP_EV_RCV_SYN_IN_WINDOW);
		v->reset = true;
		return;
	}
	/* fifth, check the ACK field: "if the ACK bit is off drop the segment" */
	if (!(seg->flags & TOYTCP_ACK) || !toytcp_fsm_ack(tcb, seg, v))
		return;
	v->alive = true;
	/* sixth, the URG bit: not used. */
	if (toytcp_fsm_fin_rcvd(in)) {
		toytcp_fsm_after_fin(in, tcb, seg, v);
		return;
	}
	/* seventh, the segment text; eighth, the FIN bit, for a FIN in order */
	if (toytcp_fsm_text(tcb, seg, v))
		toytcp_fsm_fin(tcb, seg, v);
	if (v->reply.flags == TOYTCP_ACK) {
		v->reply.seq = tcb->snd_nxt;
		v->reply.ack = tcb->rcv_nxt;
	}
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_segment);

/**
 * toytcp_fsm_reassembled() - a kept segment whose hole has filled
 * @tcb: the connection's variables
 * @seq: the sequence number of what the out-of-order queue kept of it
 * @len: payload bytes kept
 * @fin: its FIN was kept too
 * @v: the verdict of the segment that filled the hole, updated: the text
 *     to take now (@data_skip bytes into what was kept, @data_len), the
 *     FIN's state change and timer, the ACK of the new RCV.NXT
 *
 * Its first six steps were done when it arrived (toytcp_fsm_early()); the
 * seventh and eighth come now, in order.
 *
 * Return: false when the state takes no text any more (the peer's FIN is
 * in): nothing queued behind it can be taken.
 */
bool toytcp_fsm_reassembled(struct toytcp_tcb *tcb, u32 seq, u32 len, bool fin,
			    struct toytcp_verdict *v)
{
	struct toytcp_seg seg = { .flags = TOYTCP_ACK | (fin ? TOYTCP_FIN : 0),
				  .seq = seq, .len = len };

	v->data_skip = 0;
	v->data_len = 0;
	if (!toytcp_fsm_takes_text(tcb))
		return false;
	if (toytcp_fsm_text(tcb, &seg, v))
		toytcp_fsm_fin(tcb, &seg, v);
	toytcp_reply(v, TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt);
	/* RFC 5681 §4.2: at once, for a segment that fills a hole. */
	v->delay_ack = false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_reassembled);

/**
 * toytcp_fsm_open() - the active OPEN call
 * @tcb: a fresh connection's variables
 * @iss: its initial sequence number
 * @adv_mss: the MSS option to send (see &struct toytcp_tcb)
 * @v: the verdict: the SYN to send
 *
 * RFC 793 p.54: "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent. Set
 * SND.UNA to ISS, SND.NXT to ISS+1, enter SYN-SENT state".
 */
void toytcp_fsm_open(struct toytcp_tcb *tcb, u32 iss, u16 adv_mss,
		     struct toytcp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	memset(tcb, 0, sizeof(*tcb));		/* CLOSED */
	toytcp_fsm_move(tcb, TOYTCP_EV_ACTIVE_OPEN);
	tcb->iss = iss;
	tcb->snd_sml = iss;
	tcb->snd_una = iss;
	tcb->snd_nxt = iss + 1;
	tcb->rcv_wnd = TOYTCP_RCV_WND;
	tcb->adv_mss = adv_mss;
	tcb->mss = adv_mss;	/* until the peer's SYN says otherwise */
	toytcp_reply(v, TOYTCP_SYN, iss, 0);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_open);

/**
 * toytcp_fsm_send() - the SEND call: queue @len bytes
 * @tcb: the connection's variables
 * @len: bytes the user queues
 * @v: the verdict; @v->err is -ENOTCONN once the user has closed, or in a
 *     state that takes no data ("error: connection closing")
 *
 * Data queued in SYN_SENT or SYN_RECV goes out once ESTABLISHED.
 */
void toytcp_fsm_send(struct toytcp_tcb *tcb, u32 len, struct toytcp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	switch (tcb->state) {
	case TOYTCP_SYN_SENT:
	case TOYTCP_SYN_RECV:
	case TOYTCP_ESTABLISHED:
	case TOYTCP_CLOSE_WAIT:
		if (!tcb->fin_queued) {
			tcb->snd_queued += len;
			return;
		}
		fallthrough;
	default:
		v->err = -ENOTCONN;
	}
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_send);

/**
 * toytcp_fsm_close() - the CLOSE call
 * @tcb: the connection's variables
 * @v: the verdict; @v->err is -ENOTCONN when already closing
 *
 * The FIN itself goes out through toytcp_fsm_output(), after the data
 * queued before it.
 */
void toytcp_fsm_close(struct toytcp_tcb *tcb, struct toytcp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	if (!toytcp_fsm_try(tcb, TOYTCP_EV_CLOSE)) {
		v->err = -ENOTCONN;
		return;
	}
	if (tcb->state != TOYTCP_CLOSED)
		tcb->fin_queued = true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_close);

/**
 * toytcp_fsm_abort() - the ABORT call
 * @tcb: the connection's variables
 * @v: the verdict: the reset to send, if any
 *
 * RFC 793 p.62: LISTEN, SYN-SENT: delete the TCB. SYN-RECEIVED,
 * ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: "Send a reset segment:
 * <SEQ=SND.NXT><CTL=RST>" and delete the TCB. CLOSING, LAST-ACK, TIME-WAIT:
 * "respond with "ok" and delete the TCB", no reset. The reset carries
 * ACK=RCV.NXT as well, as Linux's does: every segment after the first SYN
 * carries ACK (SPEC §2), and the peer checks only its sequence number.
 */
void toytcp_fsm_abort(struct toytcp_tcb *tcb, struct toytcp_verdict *v)
{
	memset(v, 0, sizeof(*v));
	switch (tcb->state) {
	case TOYTCP_SYN_RECV:
	case TOYTCP_ESTABLISHED:
	case TOYTCP_FIN_WAIT1:
	case TOYTCP_FIN_WAIT2:
	case TOYTCP_CLOSE_WAIT:
		toytcp_reply(v, TOYTCP_RST | TOYTCP_ACK, tcb->snd_nxt, tcb->rcv_nxt);
		break;
	default:
		break;
	}
	if (tcb->state != TOYTCP_CLOSED)
		toytcp_fsm_move(tcb, TOYTCP_EV_ABORT);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_abort);

/*
 * States in which queued data and the FIN after it go out. CLOSING too:
 * the peer's FIN may cross ours before ours has left, when data queued
 * before CLOSE still waits for the window (RFC 793 p.61: CLOSE queues the
 * FIN "until all preceding SENDs have been segmentized").
 */
static bool toytcp_fsm_may_send(const struct toytcp_tcb *tcb)
{
	switch (tcb->state) {
	case TOYTCP_ESTABLISHED:
	case TOYTCP_CLOSE_WAIT:
	case TOYTCP_FIN_WAIT1:
	case TOYTCP_CLOSING:
	case TOYTCP_LAST_ACK:
		/* Not before our SYN is acknowledged (CLOSE in SYN_RECV). */
		return !tcb->fin_sent && tcb->snd_una != tcb->iss;
	default:
		return false;
	}
}

/* Bytes queued and not yet sent. */
static u32 toytcp_fsm_unsent(const struct toytcp_tcb *tcb)
{
	return tcb->snd_queued - (tcb->snd_nxt - tcb->snd_una);
}

/* What the peer's window takes beyond SND.NXT (0 when it is full). */
static u32 toytcp_fsm_wnd_room(const struct toytcp_tcb *tcb)
{
	s32 room = tcb->snd_una + tcb->snd_wnd - tcb->snd_nxt;

	return max(room, 0);
}

/*
 * The next segment of new data (and the FIN after the last of it), at most
 * @mss bytes and @room of the peer's window; nothing changes until
 * toytcp_fsm_sent_new() says it goes.
 */
static bool toytcp_fsm_next_new(const struct toytcp_tcb *tcb, u32 mss, u32 room,
				struct toytcp_out *out)
{
	u32 unsent = toytcp_fsm_unsent(tcb), len = min3(unsent, mss, room);
	/* The FIN takes a sequence number too: not into a closed window. */
	bool fin = tcb->fin_queued && len == unsent && room > len;

	if (!toytcp_fsm_may_send(tcb) || (!len && !fin))
		return false;
	*out = (struct toytcp_out){ tcb->snd_nxt, len, TOYTCP_ACK |
		(len && len == unsent ? TOYTCP_PSH : 0) | (fin ? TOYTCP_FIN : 0) };
	return true;
}

/* The segment toytcp_fsm_next_new() formed goes: SND.NXT moves over it. */
static bool toytcp_fsm_sent_new(struct toytcp_tcb *tcb, u32 mss,
				const struct toytcp_out *out)
{
	bool fin = out->flags & TOYTCP_FIN;

	if (out->len && out->len < mss)
		tcb->snd_sml = out->seq + out->len;	/* Nagle: a small one out */
	tcb->snd_nxt += out->len + fin;
	tcb->fin_sent = fin;
	return true;
}

/*
 * A segment sent before, starting at @seq and ending by @end: at most @mss
 * bytes of data, and our FIN with them if it was sent and lies before @end.
 */
static void toytcp_fsm_old_segment(const struct toytcp_tcb *tcb, u32 seq,
				   u32 end, u32 mss, struct toytcp_out *out)
{
	u32 data_end = tcb->snd_nxt - tcb->fin_sent;
	u32 data = toytcp_seq_lt(seq, data_end) ? data_end - seq : 0;
	u32 len = min3(data, mss, end - seq);
	bool fin = tcb->fin_sent && seq + len == data_end &&
		   toytcp_seq_lt(data_end, end);

	*out = (struct toytcp_out){ seq, len, TOYTCP_ACK | (len ? TOYTCP_PSH : 0) |
		(fin ? TOYTCP_FIN : 0), true };
}

/*
 * Loss (after a timeout): what counts as lost goes out again, from rtx_nxt
 * up to recover, before anything new, as the congestion window lets it.
 */
static bool toytcp_fsm_loss_resend(struct toytcp_tcb *tcb, u32 mss,
				   struct toytcp_out *out)
{
	toytcp_fsm_old_segment(tcb, tcb->rtx_nxt, tcb->recover, mss, out);
	if (toytcp_cc_room(tcb) < out->len + !!(out->flags & TOYTCP_FIN))
		return false;
	tcb->rtx_nxt += out->len + !!(out->flags & TOYTCP_FIN);
	return true;
}

/**
 * toytcp_fsm_output() - the next segment to send, if any
 * @tcb: the connection's variables; SND.NXT advances over new data sent
 * @mss: the largest payload of one segment
 * @out: the segment
 *
 * In Loss, first what counts as lost (@out->rtx). Then queued data, up to
 * the peer's window (SND.UNA + SND.WND), in segments of at most @mss
 * bytes, and after the last of it the FIN if the user closed. A segment
 * goes only when the congestion window has room for all of it (cc.c): a
 * nearly full window waits for an ACK rather than send a sliver, and a
 * small segment waits as Nagle and SWS avoidance say (sws.c). Call it
 * until it returns false.
 *
 * Return: true when @out is a segment to send.
 */
bool toytcp_fsm_output(struct toytcp_tcb *tcb, u32 mss, struct toytcp_out *out)
{
	u32 unsent = toytcp_fsm_unsent(tcb);
	struct toytcp_sws_send s;

	if (tcb->recovery == TOYTCP_RECOVERY_LOSS &&
	    toytcp_seq_lt(tcb->rtx_nxt, tcb->recover))
		return toytcp_fsm_loss_resend(tcb, mss, out);
	if (toytcp_cc_room(tcb) < min(unsent, mss) ||
	    !toytcp_fsm_next_new(tcb, mss, toytcp_fsm_wnd_room(tcb), out))
		return false;
	/* No silly segments: Nagle and the sender's SWS avoidance (sws.c). */
	s = (struct toytcp_sws_send){
		.len = out->len, .unsent = unsent, .mss = mss,
		.max_snd_wnd = tcb->max_snd_wnd, .nodelay = tcb->nodelay,
		.small_out = toytcp_seq_lt(tcb->snd_una, tcb->snd_sml),
		.fin = out->flags & TOYTCP_FIN,
	};
	return toytcp_sws_send_now(&s) && toytcp_fsm_sent_new(tcb, mss, out);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_output);

/**
 * toytcp_fsm_resend() - the oldest unacknowledged segment
 * @tcb: the connection's variables, not changed
 * @mss: the largest payload of one segment
 * @out: the segment
 *
 * Up to @mss bytes from SND.UNA, with the FIN if it was sent and fits.
 *
 * Return: true when @out is a segment to send: something is outstanding
 * past our SYN.
 */
bool toytcp_fsm_resend(const struct toytcp_tcb *tcb, u32 mss,
		       struct toytcp_out *out)
{
	if (!toytcp_fsm_outstanding(tcb) || tcb->snd_una == tcb->iss)
		return false;
	toytcp_fsm_old_segment(tcb, tcb->snd_una, tcb->snd_nxt, mss, out);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_resend);

/**
 * toytcp_fsm_retransmit() - what a retransmission timeout sends again
 * @tcb: the connection's variables; SND.NXT moves only for a window probe
 * @mss: the largest payload of one segment
 * @out: the segment
 *
 * While our SYN is unacknowledged: the SYN in SYN_SENT, the SYN,ACK
 * otherwise (SYN_RECV, or FIN_WAIT1 after a CLOSE in SYN_RECV). Otherwise
 * the connection enters Loss (toytcp_cc_timeout()): everything
 * outstanding counts as lost, and its first segment goes now; the rest
 * follows from toytcp_fsm_output() as ACKs open the congestion window.
 * With nothing outstanding but data held back by a zero window, a
 * one-byte window probe (RFC 1122 §4.2.2.17); by a small window, what it
 * takes (the override of RFC 9293 §3.8.6.2.1).
 *
 * Return: true when @out is a segment to send.
 */
bool toytcp_fsm_retransmit(struct toytcp_tcb *tcb, u32 mss,
			   struct toytcp_out *out)
{
	if (tcb->snd_una == tcb->iss) {
		/* Our SYN is not acknowledged: SYN_SENT, SYN_RECV, or
		 * FIN_WAIT1 after a CLOSE in SYN_RECV (the FIN waits for it).
		 */
		toytcp_cc_syn_lost(tcb);
		*out = (struct toytcp_out){ tcb->iss, 0, TOYTCP_SYN |
			(tcb->state == TOYTCP_SYN_SENT ? 0 : TOYTCP_ACK), true };
		return true;
	}
	if (!toytcp_fsm_outstanding(tcb)) {
		u32 room = toytcp_fsm_wnd_room(tcb);

		/* What the window takes, held back by SWS avoidance; or a probe. */
		if (!room)
			mss = room = 1;
		return toytcp_fsm_next_new(tcb, mss, room, out) &&
		       toytcp_fsm_sent_new(tcb, mss, out);
	}
	toytcp_cc_timeout(tcb);
	return toytcp_fsm_loss_resend(tcb, mss, out);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_fsm_retransmit);
