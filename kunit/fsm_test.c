// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the state machine (suite toytcp_fsm).
 *
 * The grid: every state x every kind of segment, with the state, reply and
 * timer that RFC 793 asks for. Each state has one fixture connection:
 *
 *   ISS 1000, IRS 5000. Our FIN, when sent, is 1001; the peer's is 5001.
 *
 *   state        SND.UNA SND.NXT RCV.NXT  notes
 *   SYN_SENT     1000    1001    -        our SYN out
 *   SYN_RECV     1000    1001    5001     our SYN,ACK out
 *   ESTABLISHED  1001    1001    5001
 *   FIN_WAIT1    1001    1002    5001     our FIN out
 *   FIN_WAIT2    1002    1002    5001     our FIN acked
 *   CLOSE_WAIT   1001    1001    5002     their FIN in
 *   CLOSING      1001    1002    5002     both FINs out, ours unacked
 *   LAST_ACK     1001    1002    5002
 *   TIME_WAIT    1002    1002    5002
 *
 * Segments carry SEQ=RCV.NXT and ACK=SND.NXT unless said otherwise
 * (CLOSED, LISTEN, SYN_SENT: SEQ=5000, ACK=1001).
 *
 * RST and SYN follow RFC 5961 (a RST resets only at RCV.NXT; an in-window
 * RST, or a SYN in a synchronized state, gets a challenge ACK) and RST in
 * TIME_WAIT follows RFC 1337 (ignored).
 */
#include <kunit/test.h>
#include "fsm.h"

enum ev {
	EV_SYN,		/* SYN */
	EV_SYNACK,	/* SYN,ACK */
	EV_ACK,		/* ACK */
	EV_FIN,		/* FIN without ACK */
	EV_FINACK,	/* FIN,ACK */
	EV_RST,		/* RST */
	EV_RSTACK,	/* RST,ACK */
	EV_DATA,	/* ACK + 100 bytes */
	EV_DATAFIN,	/* FIN,ACK + 100 bytes */
	EV_BADACK,	/* ACK of something never sent: SND.NXT + 100 */
	EV_OOW,		/* ACK with SEQ = RCV.NXT + 100000: past the window */
	EV_FIN_OLDACK,	/* FIN,ACK with ACK = SND.UNA: our FIN not acked */
	EV_FIN_RETX,	/* FIN,ACK at RCV.NXT - 1: a retransmitted FIN */
	EV_RST_INWIN,	/* RST at RCV.NXT + 10: in the window, not exact */
	__EV_MAX
};

static const char * const ev_names[] = {
	"SYN", "SYN+ACK", "ACK", "FIN", "FIN+ACK", "RST", "RST+ACK", "data",
	"data+FIN", "unacceptable-ACK", "out-of-window", "FIN+old-ACK",
	"FIN-retransmitted", "RST-in-window",
};

#define S	TOYTCP_SYN
#define A	TOYTCP_ACK
#define F	TOYTCP_FIN
#define R	TOYTCP_RST

/* Timer ops, short. */
#define K	TOYTCP_TIMER_KEEP
#define X	TOYTCP_TIMER_RTX
#define TW	TOYTCP_TIMER_TIME_WAIT
#define F2	TOYTCP_TIMER_FIN_WAIT2

struct grid_case {
	enum toytcp_state state;
	enum ev ev;
	enum toytcp_state next;
	u8 flags;	/* reply */
	u32 seq;
	u32 ack;
	enum toytcp_timer_op timer;
	bool data;	/* 100 bytes taken */
};

#define C(st, e, nx, fl, sq, ak, tm) \
	{ TOYTCP_##st, EV_##e, TOYTCP_##nx, fl, sq, ak, tm, false }
#define CD(st, e, nx, fl, sq, ak, tm) \
	{ TOYTCP_##st, EV_##e, TOYTCP_##nx, fl, sq, ak, tm, true }

static const struct grid_case grid[] = {
	/* No connection: RST, SEQ=SEG.ACK, or SEQ=0 ACK=SEG.SEQ+SEG.LEN. */
	C(CLOSED, SYN,		CLOSED, R | A, 0, 5001, K),
	C(CLOSED, SYNACK,	CLOSED, R, 1001, 0, K),
	C(CLOSED, ACK,		CLOSED, R, 1001, 0, K),
	C(CLOSED, FIN,		CLOSED, R | A, 0, 5001, K),
	C(CLOSED, FINACK,	CLOSED, R, 1001, 0, K),
	C(CLOSED, RST,		CLOSED, 0, 0, 0, K),
	C(CLOSED, RSTACK,	CLOSED, 0, 0, 0, K),
	C(CLOSED, DATA,		CLOSED, R, 1001, 0, K),
	C(CLOSED, DATAFIN,	CLOSED, R, 1001, 0, K),
	C(CLOSED, BADACK,	CLOSED, R, 1101, 0, K),
	C(CLOSED, OOW,		CLOSED, R, 1001, 0, K),
	C(CLOSED, FIN_OLDACK,	CLOSED, R, 1001, 0, K),
	C(CLOSED, FIN_RETX,	CLOSED, R, 1001, 0, K),
	C(CLOSED, RST_INWIN,	CLOSED, 0, 0, 0, K),
	/* LISTEN: "next" is the child's state; SYN makes one. */
	C(LISTEN, SYN,		SYN_RECV, S | A, 1000, 5001, K),
	C(LISTEN, SYNACK,	LISTEN, R, 1001, 0, K),
	C(LISTEN, ACK,		LISTEN, R, 1001, 0, K),
	C(LISTEN, FIN,		LISTEN, 0, 0, 0, K),
	C(LISTEN, FINACK,	LISTEN, R, 1001, 0, K),
	C(LISTEN, RST,		LISTEN, 0, 0, 0, K),
	C(LISTEN, RSTACK,	LISTEN, 0, 0, 0, K),
	C(LISTEN, DATA,		LISTEN, R, 1001, 0, K),
	C(LISTEN, DATAFIN,	LISTEN, R, 1001, 0, K),
	C(LISTEN, BADACK,	LISTEN, R, 1101, 0, K),
	C(LISTEN, OOW,		LISTEN, R, 1001, 0, K),
	C(LISTEN, FIN_OLDACK,	LISTEN, R, 1001, 0, K),
	C(LISTEN, FIN_RETX,	LISTEN, R, 1001, 0, K),
	C(LISTEN, RST_INWIN,	LISTEN, 0, 0, 0, K),
	/* SYN_SENT: only SYN or an acceptable RST,ACK matter. */
	C(SYN_SENT, SYN,	SYN_RECV, S | A, 1000, 5001, K),
	C(SYN_SENT, SYNACK,	ESTABLISHED, A, 1001, 5001, X),
	C(SYN_SENT, ACK,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, FIN,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, FINACK,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, RST,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, RSTACK,	CLOSED, 0, 0, 0, K),
	C(SYN_SENT, DATA,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, DATAFIN,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, BADACK,	SYN_SENT, R, 1101, 0, K),
	C(SYN_SENT, OOW,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, FIN_OLDACK,	SYN_SENT, R, 1000, 0, K),
	C(SYN_SENT, FIN_RETX,	SYN_SENT, 0, 0, 0, K),
	C(SYN_SENT, RST_INWIN,	SYN_SENT, 0, 0, 0, K),
	/* SYN_RECV: an ACK of our SYN establishes, and processing goes on. */
	C(SYN_RECV, SYN,	CLOSED, R | A, 0, 5002, K),
	C(SYN_RECV, SYNACK,	CLOSED, R, 1001, 0, K),
	C(SYN_RECV, ACK,	ESTABLISHED, 0, 0, 0, X),
	C(SYN_RECV, FIN,	SYN_RECV, 0, 0, 0, K),
	C(SYN_RECV, FINACK,	CLOSE_WAIT, A, 1001, 5002, X),
	C(SYN_RECV, RST,	CLOSED, 0, 0, 0, K),
	C(SYN_RECV, RSTACK,	CLOSED, 0, 0, 0, K),
	CD(SYN_RECV, DATA,	ESTABLISHED, A, 1001, 5101, X),
	CD(SYN_RECV, DATAFIN,	CLOSE_WAIT, A, 1001, 5102, X),
	C(SYN_RECV, BADACK,	SYN_RECV, R, 1101, 0, K),
	C(SYN_RECV, OOW,	SYN_RECV, A, 1001, 5001, K),
	C(SYN_RECV, FIN_OLDACK,	SYN_RECV, R, 1000, 0, K),
	C(SYN_RECV, FIN_RETX,	SYN_RECV, A, 1001, 5001, K),
	C(SYN_RECV, RST_INWIN,	SYN_RECV, A, 1001, 5001, K),
	/* ESTABLISHED */
	C(ESTABLISHED, SYN,	ESTABLISHED, A, 1001, 5001, K),	/* challenge */
	C(ESTABLISHED, SYNACK,	ESTABLISHED, A, 1001, 5001, K),	/* challenge */
	C(ESTABLISHED, ACK,	ESTABLISHED, 0, 0, 0, K),
	C(ESTABLISHED, FIN,	ESTABLISHED, 0, 0, 0, K),
	C(ESTABLISHED, FINACK,	CLOSE_WAIT, A, 1001, 5002, K),
	C(ESTABLISHED, RST,	CLOSED, 0, 0, 0, K),
	C(ESTABLISHED, RSTACK,	CLOSED, 0, 0, 0, K),
	CD(ESTABLISHED, DATA,	ESTABLISHED, A, 1001, 5101, K),
	CD(ESTABLISHED, DATAFIN, CLOSE_WAIT, A, 1001, 5102, K),
	C(ESTABLISHED, BADACK,	ESTABLISHED, A, 1001, 5001, K),
	C(ESTABLISHED, OOW,	ESTABLISHED, A, 1001, 5001, K),
	C(ESTABLISHED, FIN_OLDACK, CLOSE_WAIT, A, 1001, 5002, K),
	C(ESTABLISHED, FIN_RETX, ESTABLISHED, A, 1001, 5001, K),
	C(ESTABLISHED, RST_INWIN, ESTABLISHED, A, 1001, 5001, K),
	/* FIN_WAIT1: ACK=1002 acknowledges our FIN. */
	C(FIN_WAIT1, SYN,	FIN_WAIT1, A, 1002, 5001, K),	/* challenge */
	C(FIN_WAIT1, SYNACK,	FIN_WAIT1, A, 1002, 5001, K),	/* challenge */
	C(FIN_WAIT1, ACK,	FIN_WAIT2, 0, 0, 0, F2),
	C(FIN_WAIT1, FIN,	FIN_WAIT1, 0, 0, 0, K),
	C(FIN_WAIT1, FINACK,	TIME_WAIT, A, 1002, 5002, TW),
	C(FIN_WAIT1, RST,	CLOSED, 0, 0, 0, K),
	C(FIN_WAIT1, RSTACK,	CLOSED, 0, 0, 0, K),
	CD(FIN_WAIT1, DATA,	FIN_WAIT2, A, 1002, 5101, F2),
	CD(FIN_WAIT1, DATAFIN,	TIME_WAIT, A, 1002, 5102, TW),
	C(FIN_WAIT1, BADACK,	FIN_WAIT1, A, 1002, 5001, K),
	C(FIN_WAIT1, OOW,	FIN_WAIT1, A, 1002, 5001, K),
	C(FIN_WAIT1, FIN_OLDACK, CLOSING, A, 1002, 5002, K),	/* simultaneous close */
	C(FIN_WAIT1, FIN_RETX,	FIN_WAIT1, A, 1002, 5001, K),
	C(FIN_WAIT1, RST_INWIN, FIN_WAIT1, A, 1002, 5001, K),
	/* FIN_WAIT2 */
	C(FIN_WAIT2, SYN,	FIN_WAIT2, A, 1002, 5001, K),	/* challenge */
	C(FIN_WAIT2, SYNACK,	FIN_WAIT2, A, 1002, 5001, K),	/* challenge */
	C(FIN_WAIT2, ACK,	FIN_WAIT2, 0, 0, 0, K),
	C(FIN_WAIT2, FIN,	FIN_WAIT2, 0, 0, 0, K),
	C(FIN_WAIT2, FINACK,	TIME_WAIT, A, 1002, 5002, TW),
	C(FIN_WAIT2, RST,	CLOSED, 0, 0, 0, K),
	C(FIN_WAIT2, RSTACK,	CLOSED, 0, 0, 0, K),
	CD(FIN_WAIT2, DATA,	FIN_WAIT2, A, 1002, 5101, F2),	/* restarts */
	CD(FIN_WAIT2, DATAFIN,	TIME_WAIT, A, 1002, 5102, TW),
	C(FIN_WAIT2, BADACK,	FIN_WAIT2, A, 1002, 5001, K),
	C(FIN_WAIT2, OOW,	FIN_WAIT2, A, 1002, 5001, K),
	C(FIN_WAIT2, FIN_OLDACK, TIME_WAIT, A, 1002, 5002, TW),
	C(FIN_WAIT2, FIN_RETX,	FIN_WAIT2, A, 1002, 5001, K),
	C(FIN_WAIT2, RST_INWIN, FIN_WAIT2, A, 1002, 5001, K),
	/*
	 * CLOSE_WAIT, CLOSING, LAST_ACK: text and a FIN after the peer's FIN
	 * are ignored, unanswered (RFC 9293 step 7, "This should not occur
	 * ... Ignore the segment text"; Linux's tcp_rcv_state_process()).
	 * RCV.NXT never moves past the peer's FIN: that "phantom FIN", once
	 * acknowledged here, left LAST_ACK unable to complete.
	 */
	C(CLOSE_WAIT, SYN,	CLOSE_WAIT, A, 1001, 5002, K),	/* challenge */
	C(CLOSE_WAIT, SYNACK,	CLOSE_WAIT, A, 1001, 5002, K),	/* challenge */
	C(CLOSE_WAIT, ACK,	CLOSE_WAIT, 0, 0, 0, K),
	C(CLOSE_WAIT, FIN,	CLOSE_WAIT, 0, 0, 0, K),
	C(CLOSE_WAIT, FINACK,	CLOSE_WAIT, 0, 0, 0, K),	/* no phantom FIN */
	C(CLOSE_WAIT, RST,	CLOSED, 0, 0, 0, K),
	C(CLOSE_WAIT, RSTACK,	CLOSED, 0, 0, 0, K),
	C(CLOSE_WAIT, DATA,	CLOSE_WAIT, 0, 0, 0, K),
	C(CLOSE_WAIT, DATAFIN,	CLOSE_WAIT, 0, 0, 0, K),
	C(CLOSE_WAIT, BADACK,	CLOSE_WAIT, A, 1001, 5002, K),
	C(CLOSE_WAIT, OOW,	CLOSE_WAIT, A, 1001, 5002, K),
	C(CLOSE_WAIT, FIN_OLDACK, CLOSE_WAIT, 0, 0, 0, K),
	C(CLOSE_WAIT, FIN_RETX,	CLOSE_WAIT, A, 1001, 5002, K),
	C(CLOSE_WAIT, RST_INWIN, CLOSE_WAIT, A, 1001, 5002, K),
	/* CLOSING: an ACK of our FIN leads to TIME_WAIT. */
	C(CLOSING, SYN,	CLOSING, A, 1002, 5002, K),	/* challenge */
	C(CLOSING, SYNACK,	CLOSING, A, 1002, 5002, K),	/* challenge */
	C(CLOSING, ACK,		TIME_WAIT, 0, 0, 0, TW),
	C(CLOSING, FIN,		CLOSING, 0, 0, 0, K),
	C(CLOSING, FINACK,	TIME_WAIT, 0, 0, 0, TW),
	C(CLOSING, RST,		CLOSED, 0, 0, 0, K),
	C(CLOSING, RSTACK,	CLOSED, 0, 0, 0, K),
	C(CLOSING, DATA,	TIME_WAIT, 0, 0, 0, TW),
	C(CLOSING, DATAFIN,	TIME_WAIT, 0, 0, 0, TW),
	C(CLOSING, BADACK,	CLOSING, A, 1002, 5002, K),
	C(CLOSING, OOW,		CLOSING, A, 1002, 5002, K),
	C(CLOSING, FIN_OLDACK,	CLOSING, 0, 0, 0, K),
	C(CLOSING, FIN_RETX,	CLOSING, A, 1002, 5002, K),
	C(CLOSING, RST_INWIN, CLOSING, A, 1002, 5002, K),
	/* LAST_ACK: an ACK of our FIN deletes the connection. */
	C(LAST_ACK, SYN,	LAST_ACK, A, 1002, 5002, K),	/* challenge */
	C(LAST_ACK, SYNACK,	LAST_ACK, A, 1002, 5002, K),	/* challenge */
	C(LAST_ACK, ACK,	CLOSED, 0, 0, 0, X),
	C(LAST_ACK, FIN,	LAST_ACK, 0, 0, 0, K),
	C(LAST_ACK, FINACK,	CLOSED, 0, 0, 0, X),
	C(LAST_ACK, RST,	CLOSED, 0, 0, 0, K),
	C(LAST_ACK, RSTACK,	CLOSED, 0, 0, 0, K),
	C(LAST_ACK, DATA,	CLOSED, 0, 0, 0, X),
	C(LAST_ACK, DATAFIN,	CLOSED, 0, 0, 0, X),
	C(LAST_ACK, BADACK,	LAST_ACK, A, 1002, 5002, K),
	C(LAST_ACK, OOW,	LAST_ACK, A, 1002, 5002, K),
	C(LAST_ACK, FIN_OLDACK,	LAST_ACK, 0, 0, 0, K),
	C(LAST_ACK, FIN_RETX,	LAST_ACK, A, 1002, 5002, K),
	C(LAST_ACK, RST_INWIN, LAST_ACK, A, 1002, 5002, K),
	/*
	 * TIME_WAIT: "The only thing that can arrive in this state is a
	 * retransmission of the remote FIN. Acknowledge it, and restart the
	 * 2 MSL timeout." Any FIN gets ACK=RCV.NXT, not one past it.
	 */
	C(TIME_WAIT, SYN,	TIME_WAIT, A, 1002, 5002, K),	/* challenge */
	C(TIME_WAIT, SYNACK,	TIME_WAIT, A, 1002, 5002, K),	/* challenge */
	C(TIME_WAIT, ACK,	TIME_WAIT, 0, 0, 0, K),
	C(TIME_WAIT, FIN,	TIME_WAIT, 0, 0, 0, K),
	C(TIME_WAIT, FINACK,	TIME_WAIT, A, 1002, 5002, TW),
	C(TIME_WAIT, RST,	TIME_WAIT, 0, 0, 0, K),	/* RFC 1337 */
	C(TIME_WAIT, RSTACK,	TIME_WAIT, 0, 0, 0, K),
	C(TIME_WAIT, DATA,	TIME_WAIT, A, 1002, 5002, K),
	C(TIME_WAIT, DATAFIN,	TIME_WAIT, A, 1002, 5002, TW),
	C(TIME_WAIT, BADACK,	TIME_WAIT, A, 1002, 5002, K),
	C(TIME_WAIT, OOW,	TIME_WAIT, A, 1002, 5002, K),
	C(TIME_WAIT, FIN_OLDACK, TIME_WAIT, A, 1002, 5002, TW),
	C(TIME_WAIT, FIN_RETX,	TIME_WAIT, A, 1002, 5002, TW),
	C(TIME_WAIT, RST_INWIN, TIME_WAIT, 0, 0, 0, K),
};

/* The fixture connection of each state (see the table at the top). */
static void fixture(enum toytcp_state state, struct toytcp_tcb *tcb)
{
	static const struct { u32 una, nxt, rcv; bool fin; } f[__TOYTCP_STATE_MAX] = {
		[TOYTCP_CLOSED]		= { 1001, 1001, 5000, false },
		[TOYTCP_LISTEN]		= { 1001, 1001, 5000, false },
		[TOYTCP_SYN_SENT]	= { 1000, 1001, 0, false },
		[TOYTCP_SYN_RECV]	= { 1000, 1001, 5001, false },
		[TOYTCP_ESTABLISHED]	= { 1001, 1001, 5001, false },
		[TOYTCP_FIN_WAIT1]	= { 1001, 1002, 5001, true },
		[TOYTCP_FIN_WAIT2]	= { 1002, 1002, 5001, true },
		[TOYTCP_CLOSE_WAIT]	= { 1001, 1001, 5002, false },
		[TOYTCP_CLOSING]	= { 1001, 1002, 5002, true },
		[TOYTCP_LAST_ACK]	= { 1001, 1002, 5002, true },
		[TOYTCP_TIME_WAIT]	= { 1002, 1002, 5002, true },
	};

	memset(tcb, 0, sizeof(*tcb));
	tcb->state = state;
	tcb->iss = 1000;
	tcb->irs = 5000;
	tcb->snd_una = f[state].una;
	tcb->snd_nxt = f[state].nxt;
	tcb->rcv_nxt = f[state].rcv;
	tcb->fin_queued = f[state].fin;
	tcb->fin_sent = f[state].fin;
	tcb->passive = state == TOYTCP_SYN_RECV;
	tcb->snd_wnd = 65535;
	tcb->max_snd_wnd = 65535;
	tcb->snd_wl1 = 5000;
	tcb->snd_wl2 = 1000;
	tcb->rcv_wnd = TOYTCP_RCV_WND;
	tcb->recover = tcb->iss;
	tcb->adv_mss = 1460;
	tcb->mss = 1460;
	toytcp_cc_init(tcb);
}

static void event(enum ev ev, const struct toytcp_tcb *tcb, struct toytcp_seg *seg)
{
	bool early = tcb->state <= TOYTCP_SYN_SENT;
	u32 seq = early ? 5000 : tcb->rcv_nxt;
	u32 ack = early ? 1001 : tcb->snd_nxt;
	static const u8 flags[__EV_MAX] = {
		[EV_SYN] = S, [EV_SYNACK] = S | A, [EV_ACK] = A, [EV_FIN] = F,
		[EV_FINACK] = F | A, [EV_RST] = R, [EV_RSTACK] = R | A,
		[EV_DATA] = A, [EV_DATAFIN] = F | A, [EV_BADACK] = A,
		[EV_OOW] = A, [EV_FIN_OLDACK] = F | A, [EV_FIN_RETX] = F | A,
		[EV_RST_INWIN] = R,
	};

	memset(seg, 0, sizeof(*seg));
	seg->flags = flags[ev];
	seg->seq = seq;
	seg->ack = ack;
	seg->wnd = 65535;
	switch (ev) {
	case EV_DATA:
	case EV_DATAFIN:
		seg->len = 100;
		break;
	case EV_BADACK:
		seg->ack = ack + 100;
		break;
	case EV_OOW:
		seg->seq = seq + 100000;
		break;
	case EV_FIN_OLDACK:
		seg->ack = tcb->snd_una;
		break;
	case EV_FIN_RETX:
		if (!early)
			seg->seq = seq - 1;
		break;
	case EV_RST_INWIN:
		seg->seq = seq + 10;
		break;
	default:
		break;
	}
}

/* Every way into CLOSED is a reset, but LAST_ACK's ACK of our FIN. */
static bool expect_reset(const struct grid_case *c)
{
	if (c->next != TOYTCP_CLOSED || c->state == TOYTCP_CLOSED)
		return false;
	return c->state != TOYTCP_LAST_ACK || c->ev == EV_SYN ||
	       c->ev == EV_SYNACK || c->ev == EV_RST || c->ev == EV_RSTACK;
}

/*
 * Challenge ACKs: the ACK answer to a SYN or an inexact RST past SYN_SENT,
 * and to an ACK of data never sent (RFC 5961 §5).
 */
static bool expect_challenge(const struct grid_case *c)
{
	return c->state > TOYTCP_SYN_SENT && c->flags == A &&
	       (c->ev == EV_SYN || c->ev == EV_SYNACK || c->ev == EV_RST_INWIN ||
		c->ev == EV_BADACK);
}

/* An out-of-window bare segment's ACK: rate-limited by the caller. */
static bool expect_oow(const struct grid_case *c)
{
	return c->state > TOYTCP_SYN_SENT && c->ev == EV_OOW && c->flags == A;
}

static void grid_desc(const struct grid_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s + %s", toytcp_state_name(c->state),
		 ev_names[c->ev]);
}

KUNIT_ARRAY_PARAM(grid, grid, grid_desc);

static void toytcp_fsm_grid_test(struct kunit *test)
{
	const struct grid_case *c = test->param_value;
	struct toytcp_tcb tcb, child;
	struct toytcp_verdict v;
	struct toytcp_seg seg;
	enum toytcp_state next;

	fixture(c->state, &tcb);
	event(c->ev, &tcb, &seg);
	switch (c->state) {
	case TOYTCP_CLOSED:
		toytcp_fsm_no_conn(&seg, &v);
		next = TOYTCP_CLOSED;
		break;
	case TOYTCP_LISTEN:
		next = toytcp_fsm_listen(&seg, 1000, 1460, &child, &v) ?
		       child.state : TOYTCP_LISTEN;
		break;
	default:
		toytcp_fsm_segment(&tcb, &seg, &v);
		next = tcb.state;
		break;
	}
	KUNIT_EXPECT_STREQ(test, toytcp_state_name(next), toytcp_state_name(c->next));
	KUNIT_EXPECT_EQ(test, v.reply.flags, c->flags);
	if (c->flags) {
		KUNIT_EXPECT_EQ(test, v.reply.seq, c->seq);
		if (c->flags & A)
			KUNIT_EXPECT_EQ(test, v.reply.ack, c->ack);
	}
	KUNIT_EXPECT_EQ(test, v.timer, c->timer);
	KUNIT_EXPECT_EQ(test, v.data_len, c->data ? 100U : 0U);
	KUNIT_EXPECT_EQ(test, v.reset, expect_reset(c));
	KUNIT_EXPECT_EQ(test, v.challenge, expect_challenge(c));
	KUNIT_EXPECT_EQ(test, v.oow, expect_oow(c));
	KUNIT_EXPECT_EQ(test, v.reopen_iss, 0U);
}

/* The grid has every state x every event, exactly once. */
static void toytcp_fsm_grid_complete_test(struct kunit *test)
{
	int seen[__TOYTCP_STATE_MAX][__EV_MAX] = {};
	int s, e, i;

	for (i = 0; i < ARRAY_SIZE(grid); i++)
		seen[grid[i].state][grid[i].ev]++;
	for (s = 0; s < __TOYTCP_STATE_MAX; s++)
		for (e = 0; e < __EV_MAX; e++)
			KUNIT_EXPECT_EQ_MSG(test, seen[s][e], 1, "%s + %s",
					    toytcp_state_name(s), ev_names[e]);
}

/* SPEC §2's numbers: seq 107 + 100 bytes is followed by 207; 301 + 200 -> ack 501. */
static void toytcp_fsm_spec_numbers_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_seg seg = { .flags = A, .ack = 107, .wnd = 65535 };
	struct toytcp_out out;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.iss = 100;
	tcb.snd_una = tcb.snd_nxt = 107;
	tcb.rcv_nxt = 301;
	toytcp_fsm_send(&tcb, 100, &v);
	KUNIT_ASSERT_EQ(test, v.err, 0);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 107U);
	KUNIT_EXPECT_EQ(test, out.len, 100U);
	KUNIT_EXPECT_EQ(test, tcb.snd_nxt, 207U);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));

	seg.seq = 301;
	seg.len = 200;
	seg.ack = 207;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.seq, 207U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 501U);
	KUNIT_EXPECT_EQ(test, v.data_acked, 100U);
	KUNIT_EXPECT_EQ(test, tcb.snd_queued, 0U);
}

/* The three-way handshake and the four-way close, both ends, by numbers. */
static void toytcp_fsm_lifecycle_test(struct kunit *test)
{
	struct toytcp_tcb cl, sv;
	struct toytcp_verdict v;
	struct toytcp_seg seg = { .wnd = 65535 };

	toytcp_fsm_open(&cl, 7000, 1460, &v);				/* SYN seq=x */
	KUNIT_EXPECT_EQ(test, v.reply.flags, S);
	KUNIT_EXPECT_EQ(test, v.reply.seq, 7000U);
	seg.flags = S;
	seg.seq = 7000;
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_listen(&seg, 9000, 1460, &sv, &v));
	KUNIT_EXPECT_EQ(test, v.reply.flags, S | A);		/* SYN+ACK seq=y ack=x+1 */
	KUNIT_EXPECT_EQ(test, v.reply.seq, 9000U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 7001U);
	seg = (struct toytcp_seg){ .flags = S | A, .seq = 9000, .ack = 7001, .wnd = 65535 };
	toytcp_fsm_segment(&cl, &seg, &v);
	KUNIT_EXPECT_EQ(test, cl.state, TOYTCP_ESTABLISHED);	/* ACK seq=x+1 ack=y+1 */
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.seq, 7001U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 9001U);
	seg = (struct toytcp_seg){ .flags = A, .seq = 7001, .ack = 9001, .wnd = 65535 };
	toytcp_fsm_segment(&sv, &seg, &v);
	KUNIT_EXPECT_EQ(test, sv.state, TOYTCP_ESTABLISHED);

	/* Close: FIN+ACK seq=m -> ACK ack=m+1 -> FIN+ACK seq=n ack=m+1 -> ACK ack=n+1 */
	toytcp_fsm_close(&cl, &v);
	KUNIT_EXPECT_EQ(test, cl.state, TOYTCP_FIN_WAIT1);
	seg = (struct toytcp_seg){ .flags = F | A, .seq = 7001, .ack = 9001, .wnd = 65535 };
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&cl, 1460, &(struct toytcp_out){}));
	toytcp_fsm_segment(&sv, &seg, &v);
	KUNIT_EXPECT_EQ(test, sv.state, TOYTCP_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 7002U);
	seg = (struct toytcp_seg){ .flags = A, .seq = 9001, .ack = 7002, .wnd = 65535 };
	toytcp_fsm_segment(&cl, &seg, &v);
	KUNIT_EXPECT_EQ(test, cl.state, TOYTCP_FIN_WAIT2);
	toytcp_fsm_close(&sv, &v);
	KUNIT_EXPECT_EQ(test, sv.state, TOYTCP_LAST_ACK);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&sv, 1460, &(struct toytcp_out){}));
	seg = (struct toytcp_seg){ .flags = F | A, .seq = 9001, .ack = 7002, .wnd = 65535 };
	toytcp_fsm_segment(&cl, &seg, &v);
	KUNIT_EXPECT_EQ(test, cl.state, TOYTCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, v.reply.seq, 7002U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 9002U);
	KUNIT_EXPECT_EQ(test, v.timer, TW);
	seg = (struct toytcp_seg){ .flags = A, .seq = 7002, .ack = 9002, .wnd = 65535 };
	toytcp_fsm_segment(&sv, &seg, &v);
	KUNIT_EXPECT_EQ(test, sv.state, TOYTCP_CLOSED);
}

/* RFC 793 Figure 8: both SYNs cross; each end establishes on the SYN,ACK. */
static void toytcp_fsm_simultaneous_open_test(struct kunit *test)
{
	struct toytcp_tcb a, b;
	struct toytcp_verdict v;
	struct toytcp_seg seg = { .wnd = 65535 };

	toytcp_fsm_open(&a, 100, 1460, &v);
	toytcp_fsm_open(&b, 300, 1460, &v);
	seg.flags = S;
	seg.seq = 300;
	toytcp_fsm_segment(&a, &seg, &v);			/* A gets B's SYN */
	KUNIT_EXPECT_EQ(test, a.state, TOYTCP_SYN_RECV);
	KUNIT_EXPECT_EQ(test, v.reply.flags, S | A);
	KUNIT_EXPECT_EQ(test, v.reply.seq, 100U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 301U);
	seg.seq = 100;
	toytcp_fsm_segment(&b, &seg, &v);			/* B gets A's SYN */
	KUNIT_EXPECT_EQ(test, b.state, TOYTCP_SYN_RECV);

	seg = (struct toytcp_seg){ .flags = S | A, .seq = 300, .ack = 101, .wnd = 65535 };
	toytcp_fsm_segment(&a, &seg, &v);			/* B's SYN,ACK */
	KUNIT_EXPECT_EQ(test, a.state, TOYTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.seq, 101U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 301U);
	seg = (struct toytcp_seg){ .flags = S | A, .seq = 100, .ack = 301, .wnd = 65535 };
	toytcp_fsm_segment(&b, &seg, &v);			/* A's SYN,ACK */
	KUNIT_EXPECT_EQ(test, b.state, TOYTCP_ESTABLISHED);
	/* The ACKs that follow change nothing. */
	seg = (struct toytcp_seg){ .flags = A, .seq = 301, .ack = 101, .wnd = 65535 };
	toytcp_fsm_segment(&a, &seg, &v);
	KUNIT_EXPECT_EQ(test, a.state, TOYTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, v.reply.flags, 0);

	/* A passive SYN_RECV takes no SYN,ACK: the grid's SYN_RECV row. */
}

/* Simultaneous close: FINs cross, both go through CLOSING to TIME_WAIT. */
static void toytcp_fsm_simultaneous_close_test(struct kunit *test)
{
	struct toytcp_tcb a, b;
	struct toytcp_verdict v;
	struct toytcp_out out;
	struct toytcp_seg seg = { .flags = F | A, .wnd = 65535 };

	fixture(TOYTCP_ESTABLISHED, &a);		/* 1001 / 5001 */
	fixture(TOYTCP_ESTABLISHED, &b);
	b.snd_una = b.snd_nxt = 5001;
	b.rcv_nxt = 1001;
	toytcp_fsm_close(&a, &v);
	toytcp_fsm_close(&b, &v);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&a, 1460, &out));
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&b, 1460, &out));
	seg.seq = 5001;
	seg.ack = 1001;					/* B's FIN: our FIN not yet acked */
	toytcp_fsm_segment(&a, &seg, &v);
	KUNIT_EXPECT_EQ(test, a.state, TOYTCP_CLOSING);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5002U);
	seg.seq = 1001;
	seg.ack = 5001;
	toytcp_fsm_segment(&b, &seg, &v);
	KUNIT_EXPECT_EQ(test, b.state, TOYTCP_CLOSING);
	seg = (struct toytcp_seg){ .flags = A, .seq = 5002, .ack = 1002, .wnd = 65535 };
	toytcp_fsm_segment(&a, &seg, &v);
	KUNIT_EXPECT_EQ(test, a.state, TOYTCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, v.timer, TW);
}

/*
 * CLOSE while data waits for the window, then the peer's FIN: CLOSING
 * with our data and FIN still unsent. They go out in CLOSING, and the
 * ACK of our FIN ends it in TIME_WAIT. (Found by sockfuzz.sh: an orphan
 * stuck in CLOSING with nothing armed.)
 */
static void toytcp_fsm_closing_unsent_test(struct kunit *test)
{
	struct toytcp_seg seg = { .flags = F | A, .seq = 5001, .ack = 1001, .wnd = 0 };
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_out out;

	fixture(TOYTCP_ESTABLISHED, &tcb);		/* 1001 / 5001 */
	tcb.snd_wnd = 0;
	toytcp_fsm_send(&tcb, 500, &v);
	toytcp_fsm_close(&tcb, &v);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_FIN_WAIT1);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	toytcp_fsm_segment(&tcb, &seg, &v);		/* the peer's FIN, window 0 */
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_CLOSING);
	KUNIT_EXPECT_FALSE(test, tcb.fin_sent);
	/* A timeout probes the closed window from CLOSING, as from FIN_WAIT1. */
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 1U);
	/* The window opens: the rest of the data and the FIN go. */
	seg = (struct toytcp_seg){ .flags = A, .seq = 5002, .ack = 1002, .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_CLOSING);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 1002U);
	KUNIT_EXPECT_EQ(test, out.len, 499U);
	KUNIT_EXPECT_TRUE(test, out.flags & F);
	seg.ack = 1001 + 500 + 1;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_TIME_WAIT);
}

/*
 * RFC 5961 §5: an ACK field older than SND.UNA - MAX.SND.WND is as bad as
 * one of data never sent: challenge ACK, and the segment (its data too) is
 * dropped. Just inside the bound, the data is taken.
 */
static void toytcp_fsm_ack_throttle_test(struct kunit *test)
{
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct toytcp_seg seg;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_una = tcb.snd_nxt = 100000;
	tcb.max_snd_wnd = 1000;
	event(EV_DATA, &tcb, &seg);
	seg.ack = 100000 - 1001;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_TRUE(test, v.challenge);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5001U);
	KUNIT_EXPECT_EQ(test, v.data_len, 0U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 5001U);

	seg.ack = 100000 - 1000;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_FALSE(test, v.challenge);
	KUNIT_EXPECT_EQ(test, v.data_len, 100U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 5101U);
	KUNIT_EXPECT_EQ(test, tcb.snd_una, 100000U);
}

/*
 * Out-of-order data and its FIN are not taken now: the ACK repeats RCV.NXT
 * (the caller keeps the segment, see toytcp_fsm_ofo_test()).
 */
static void toytcp_fsm_out_of_order_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_seg seg = { .flags = F | A, .seq = 5101, .ack = 1001,
				  .len = 50, .wnd = 65535 };

	fixture(TOYTCP_ESTABLISHED, &tcb);
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, v.data_len, 0U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5001U);
	/* An overlapping retransmission: the new part only. */
	seg = (struct toytcp_seg){ .flags = A, .seq = 4951, .ack = 1001, .len = 100, .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.data_skip, 50U);
	KUNIT_EXPECT_EQ(test, v.data_len, 50U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 5051U);
}

/* Sequence numbers wrap: the window test works across 2^32. */
static void toytcp_fsm_wrap_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_seg seg = { .flags = A, .seq = 0xffffffc0, .ack = 1001,
				  .len = 100, .wnd = 65535 };

	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.rcv_nxt = 0xffffffc0;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.data_len, 100U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 0x24U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 0x24U);
}

/* Output: segments of MSS, the window honoured, PSH and FIN on the last. */
static void toytcp_fsm_output_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_out out;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_wnd = 3000;
	toytcp_fsm_send(&tcb, 4000, &v);
	toytcp_fsm_close(&tcb, &v);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 1001U);
	KUNIT_EXPECT_EQ(test, out.len, 1460U);
	KUNIT_EXPECT_EQ(test, out.flags, A);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 1460U);
	/* 80 bytes left of the window: a silly segment waits (sws.c). */
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	/* The peer acks everything and opens the window. */
	tcb.snd_una = tcb.snd_nxt;
	tcb.snd_queued = 1080;
	tcb.snd_wnd = 65535;
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 1080U);
	KUNIT_EXPECT_EQ(test, out.flags, A | TOYTCP_PSH | F);
	KUNIT_EXPECT_TRUE(test, tcb.fin_sent);
	KUNIT_EXPECT_EQ(test, tcb.snd_nxt, 1001U + 4000 + 1);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
}

/* Retransmission: SYN, SYN,ACK, the oldest data, the FIN; window probes. */
static void toytcp_fsm_retransmit_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_out out;

	fixture(TOYTCP_SYN_SENT, &tcb);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.flags, S);
	KUNIT_EXPECT_EQ(test, out.seq, 1000U);
	fixture(TOYTCP_SYN_RECV, &tcb);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.flags, S | A);
	/* Closed in SYN_RECV: the FIN waits, the SYN,ACK is what is resent. */
	toytcp_fsm_close(&tcb, &v);
	KUNIT_ASSERT_EQ(test, tcb.state, TOYTCP_FIN_WAIT1);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.flags, S | A);
	KUNIT_EXPECT_EQ(test, out.seq, 1000U);
	KUNIT_EXPECT_EQ(test, out.len, 0U);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_resend(&tcb, 1460, &out));

	fixture(TOYTCP_ESTABLISHED, &tcb);
	toytcp_fsm_send(&tcb, 3000, &v);
	while (toytcp_fsm_output(&tcb, 1460, &out))
		;
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 1001U);
	KUNIT_EXPECT_EQ(test, out.len, 1460U);

	fixture(TOYTCP_LAST_ACK, &tcb);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 1001U);
	KUNIT_EXPECT_EQ(test, out.len, 0U);
	KUNIT_EXPECT_EQ(test, out.flags, A | F);

	/* Zero window, data waiting: a one-byte probe that counts as sent. */
	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_wnd = 0;
	toytcp_fsm_send(&tcb, 10, &v);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 1U);
	KUNIT_EXPECT_EQ(test, tcb.snd_nxt, 1002U);
}

/* ESTABLISHED with five segments of 1000 bytes in flight: 1001..6001. */
static void in_flight(struct toytcp_tcb *tcb)
{
	struct toytcp_verdict v;
	struct toytcp_out out;

	fixture(TOYTCP_ESTABLISHED, tcb);
	tcb->mss = 1000;
	toytcp_cc_init(tcb);
	toytcp_fsm_send(tcb, 5000, &v);
	while (toytcp_fsm_output(tcb, 1000, &out))
		;
}

/*
 * An ACK from the peer, <SEQ=RCV.NXT><ACK=@ack>, window @wnd, carrying @len
 * bytes. Returns whether the verdict resends the oldest segment.
 */
static bool ack_in_v(struct toytcp_tcb *tcb, u32 ack, u16 wnd, u32 len,
		     struct toytcp_verdict *v)
{
	struct toytcp_seg seg = { .flags = A, .seq = tcb->rcv_nxt, .ack = ack,
				  .wnd = wnd, .len = len };

	toytcp_fsm_segment(tcb, &seg, v);
	return v->resend;
}

static bool ack_in(struct toytcp_tcb *tcb, u32 ack, u16 wnd, u32 len)
{
	struct toytcp_verdict v;

	return ack_in_v(tcb, ack, wnd, len, &v);
}

/*
 * The window from ACKs of the same SEQ and ACK (Linux's
 * tcp_may_update_window()): a wider one is taken, a narrower one is an
 * older segment overtaken on the way and is not, a zero window is; an ACK
 * of new data, or a newer SEQ, is taken whatever it says.
 */
static void toytcp_fsm_window_update_test(struct kunit *test)
{
	struct toytcp_tcb tcb;

	in_flight(&tcb);
	ack_in(&tcb, 6001, 1295, 0);		/* all acknowledged, window narrow */
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 1295U);
	ack_in(&tcb, 6001, 65535, 0);		/* the update: wider, taken */
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 65535U);
	ack_in(&tcb, 6001, 1295, 0);		/* the older ACK, late: ignored */
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 65535U);
	ack_in(&tcb, 6001, 0, 0);		/* shut: taken */
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 0U);
	ack_in(&tcb, 6001, 4000, 0);
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 4000U);
	/* 10 bytes of data at the same SEQ: its narrower window is not news. */
	ack_in(&tcb, 6001, 3000, 10);
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 4000U);
	/* The next segment has a newer SEQ: its window is taken, narrower too. */
	ack_in(&tcb, 6001, 3000, 0);
	KUNIT_EXPECT_EQ(test, tcb.snd_wnd, 3000U);
}

/*
 * Fast retransmit (RFC 5681 §3.2) on the third duplicate ACK, once; then
 * each partial ACK (RFC 6582) resends the next hole, until recover is
 * acknowledged.
 */
static void toytcp_fsm_fast_retransmit_test(struct kunit *test)
{
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct toytcp_out out;

	in_flight(&tcb);
	KUNIT_ASSERT_EQ(test, tcb.snd_nxt, 6001U);
	KUNIT_EXPECT_FALSE(test, ack_in_v(&tcb, 1001, 65535, 0, &v));
	KUNIT_EXPECT_EQ(test, v.timer, TOYTCP_TIMER_KEEP);
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 1001, 65535, 0));
	/* The resend gets a whole RTO, as Linux re-arms its timer. */
	KUNIT_EXPECT_TRUE(test, ack_in_v(&tcb, 1001, 65535, 0, &v));
	KUNIT_EXPECT_EQ(test, v.timer, TOYTCP_TIMER_RESENT);
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_FAST);
	KUNIT_EXPECT_EQ(test, tcb.recover, 6001U);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_resend(&tcb, 1000, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 1001U);
	KUNIT_EXPECT_EQ(test, out.len, 1000U);
	/* More duplicates: already recovering, nothing more. */
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 1001, 65535, 0));
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 1001, 65535, 0));

	KUNIT_EXPECT_TRUE(test, ack_in(&tcb, 2001, 65535, 0));
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_resend(&tcb, 1000, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 2001U);
	KUNIT_EXPECT_EQ(test, tcb.dupacks, 0);
	KUNIT_EXPECT_TRUE(test, ack_in(&tcb, 5001, 65535, 0));
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 6001, 65535, 0));
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_NONE);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_resend(&tcb, 1000, &out));
}

/*
 * What is not a duplicate ACK (RFC 5681 §2): one carrying data, one that
 * changes the window, one with nothing outstanding. Each breaks the run.
 */
static void toytcp_fsm_not_dupack_test(struct kunit *test)
{
	struct toytcp_tcb tcb;

	in_flight(&tcb);
	ack_in(&tcb, 1001, 65535, 0);
	ack_in(&tcb, 1001, 65535, 0);
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 1001, 65535, 100));
	KUNIT_EXPECT_EQ(test, tcb.dupacks, 0);
	ack_in(&tcb, 1001, 65535, 0);
	ack_in(&tcb, 1001, 65535, 0);
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 1001, 30000, 0));
	KUNIT_EXPECT_EQ(test, tcb.dupacks, 0);
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_NONE);

	fixture(TOYTCP_ESTABLISHED, &tcb);
	ack_in(&tcb, 1001, 65535, 0);
	ack_in(&tcb, 1001, 65535, 0);
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 1001, 65535, 0));
	KUNIT_EXPECT_EQ(test, tcb.dupacks, 0);
}

/*
 * A retransmission timeout enters Loss: everything outstanding counts as
 * lost and goes out again from SND.UNA as ACKs open the congestion window
 * (one segment, then slow start), before any new data; as Linux does.
 */
static void toytcp_fsm_rto_recovery_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_out out;

	in_flight(&tcb);
	toytcp_fsm_send(&tcb, 1000, &v);
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 2001, 65535, 0));
	while (toytcp_fsm_output(&tcb, 1000, &out))
		;
	KUNIT_ASSERT_EQ(test, tcb.snd_nxt, 7001U);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1000, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 2001U);
	KUNIT_EXPECT_TRUE(test, out.rtx);
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_LOSS);
	KUNIT_EXPECT_EQ(test, tcb.recover, 7001U);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 1000U);
	KUNIT_EXPECT_EQ(test, tcb.ssthresh, 2500U);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1000, &out));

	/* Its ACK: cwnd 2000, the next two lost segments go again. */
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 3001, 65535, 0));
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1000, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 3001U);
	KUNIT_EXPECT_TRUE(test, out.rtx);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1000, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 4001U);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1000, &out));

	/* The receiver had the rest: one ACK ends Loss; new data follows. */
	toytcp_fsm_send(&tcb, 1000, &v);
	KUNIT_EXPECT_FALSE(test, ack_in(&tcb, 7001, 65535, 0));
	KUNIT_EXPECT_EQ(test, tcb.recovery, TOYTCP_RECOVERY_NONE);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1000, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 7001U);
	KUNIT_EXPECT_FALSE(test, out.rtx);
}

/*
 * A segment past RCV.NXT is kept (the verdict's @ofo), trimmed to the
 * window, and answered with a duplicate ACK; once the hole fills, the
 * kept segment's text and FIN are taken in order; nothing after the FIN.
 */
static void toytcp_fsm_ofo_test(struct kunit *test)
{
	struct toytcp_seg seg = { .flags = A | F, .seq = 6001, .ack = 1001,
				  .len = 500, .wnd = 65535 };
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_TRUE(test, v.ofo);
	KUNIT_EXPECT_EQ(test, v.ofo_len, 500U);
	KUNIT_EXPECT_TRUE(test, v.ofo_fin);
	KUNIT_EXPECT_EQ(test, v.data_len, 0U);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5001U);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_ESTABLISHED);

	/* At the window's end: 100 bytes fit, the FIN does not. */
	seg = (struct toytcp_seg){ .flags = A | F, .seq = 5001 + 65535 - 100,
				   .ack = 1001, .len = 300, .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_TRUE(test, v.ofo);
	KUNIT_EXPECT_EQ(test, v.ofo_len, 100U);
	KUNIT_EXPECT_FALSE(test, v.ofo_fin);

	/* A FIN alone, early, is kept too. */
	seg = (struct toytcp_seg){ .flags = A | F, .seq = 5501, .ack = 1001,
				   .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_TRUE(test, v.ofo);
	KUNIT_EXPECT_EQ(test, v.ofo_len, 0U);
	KUNIT_EXPECT_TRUE(test, v.ofo_fin);

	/* The hole fills: 5001..6001 in order, then the first kept segment. */
	seg = (struct toytcp_seg){ .flags = A, .seq = 5001, .ack = 1001,
				   .len = 1000, .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_FALSE(test, v.ofo);
	KUNIT_EXPECT_EQ(test, v.data_len, 1000U);
	KUNIT_EXPECT_TRUE(test, toytcp_fsm_reassembled(&tcb, 6001, 500, true, &v));
	KUNIT_EXPECT_EQ(test, v.data_skip, 0U);
	KUNIT_EXPECT_EQ(test, v.data_len, 500U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 6502U);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 6502U);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_reassembled(&tcb, 6502, 10, false, &v));

	/* A kept segment that overlaps what came in order: the new part. */
	fixture(TOYTCP_ESTABLISHED, &tcb);
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_TRUE(test, toytcp_fsm_reassembled(&tcb, 5501, 1000, false, &v));
	KUNIT_EXPECT_EQ(test, v.data_skip, 500U);
	KUNIT_EXPECT_EQ(test, v.data_len, 500U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 6501U);
}

/*
 * Nagle and the sender's SWS avoidance in the output engine (sws.c): a
 * small segment waits while an earlier small one is unacknowledged, goes
 * once it is, or at once with nodelay; a sliver of a big window waits for
 * the retransmission timer, which sends what the window takes.
 */
static void toytcp_fsm_nagle_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_out out;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	toytcp_fsm_send(&tcb, 10, &v);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 10U);
	toytcp_fsm_send(&tcb, 20, &v);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	toytcp_fsm_send(&tcb, 30, &v);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	ack_in(&tcb, 1011, 65535, 0);
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.seq, 1011U);
	KUNIT_EXPECT_EQ(test, out.len, 50U);	/* what waited, in one */
	toytcp_fsm_send(&tcb, 5, &v);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	tcb.nodelay = true;
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 5U);

	/* A peer that offered 65535 and now has 300 free: nothing goes. */
	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_wnd = 300;
	toytcp_fsm_send(&tcb, 5000, &v);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 300U);
}

/*
 * The congestion window bounds new data (RFC 5681): ten segments of the
 * initial window, then one more per ACK in slow start; a window with less
 * than a segment of room waits rather than send a sliver.
 */
static void toytcp_fsm_cwnd_test(struct kunit *test)
{
	struct toytcp_tcb tcb;
	struct toytcp_verdict v;
	struct toytcp_out out;
	int n = 0;

	in_flight(&tcb);		/* 5000 of a 10000 initial window */
	toytcp_fsm_send(&tcb, 20000, &v);
	while (toytcp_fsm_output(&tcb, 1000, &out))
		n++;
	KUNIT_EXPECT_EQ(test, n, 5);
	KUNIT_EXPECT_EQ(test, tcb.snd_nxt, 11001U);
	ack_in(&tcb, 2001, 65535, 0);
	KUNIT_EXPECT_EQ(test, tcb.cwnd, 11000U);
	n = 0;
	while (toytcp_fsm_output(&tcb, 1000, &out))
		n++;
	KUNIT_EXPECT_EQ(test, n, 2);
	/* 300 bytes acknowledged: 300 of room, no segment. */
	tcb.ssthresh = tcb.cwnd;
	ack_in(&tcb, 2301, 65535, 0);
	KUNIT_EXPECT_EQ(test, toytcp_cc_room(&tcb), 300U);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1000, &out));
}

/* The user calls in every state. */
static void toytcp_fsm_user_calls_test(struct kunit *test)
{
	static const struct {
		enum toytcp_state state;
		int send, close;
		enum toytcp_state after_close;
		u8 abort_rst;
	} calls[] = {
		{ TOYTCP_LISTEN, -ENOTCONN, 0, TOYTCP_CLOSED, 0 },
		{ TOYTCP_SYN_SENT, 0, 0, TOYTCP_CLOSED, 0 },
		{ TOYTCP_SYN_RECV, 0, 0, TOYTCP_FIN_WAIT1, R | A },
		{ TOYTCP_ESTABLISHED, 0, 0, TOYTCP_FIN_WAIT1, R | A },
		{ TOYTCP_FIN_WAIT1, -ENOTCONN, -ENOTCONN, TOYTCP_FIN_WAIT1, R | A },
		{ TOYTCP_FIN_WAIT2, -ENOTCONN, -ENOTCONN, TOYTCP_FIN_WAIT2, R | A },
		{ TOYTCP_CLOSE_WAIT, 0, 0, TOYTCP_LAST_ACK, R | A },
		{ TOYTCP_CLOSING, -ENOTCONN, -ENOTCONN, TOYTCP_CLOSING, 0 },
		{ TOYTCP_LAST_ACK, -ENOTCONN, -ENOTCONN, TOYTCP_LAST_ACK, 0 },
		{ TOYTCP_TIME_WAIT, -ENOTCONN, -ENOTCONN, TOYTCP_TIME_WAIT, 0 },
	};
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	int i;

	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		const char *name = toytcp_state_name(calls[i].state);

		fixture(calls[i].state, &tcb);
		tcb.fin_queued = tcb.fin_sent;
		toytcp_fsm_send(&tcb, 10, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.err, calls[i].send, "send in %s", name);
		toytcp_fsm_close(&tcb, &v);
		KUNIT_EXPECT_EQ_MSG(test, v.err, calls[i].close, "close in %s", name);
		KUNIT_EXPECT_EQ_MSG(test, tcb.state, calls[i].after_close, "close in %s", name);
		KUNIT_EXPECT_EQ_MSG(test, tcb.fin_queued || calls[i].after_close == TOYTCP_CLOSED,
				    true, "FIN queued by close in %s", name);

		fixture(calls[i].state, &tcb);
		toytcp_fsm_abort(&tcb, &v);
		KUNIT_EXPECT_EQ_MSG(test, tcb.state, TOYTCP_CLOSED, "abort in %s", name);
		KUNIT_EXPECT_EQ_MSG(test, v.reply.flags, calls[i].abort_rst, "abort in %s", name);
		if (calls[i].abort_rst) {
			KUNIT_EXPECT_EQ_MSG(test, v.reply.seq, tcb.snd_nxt, "abort in %s", name);
			KUNIT_EXPECT_EQ_MSG(test, v.reply.ack, tcb.rcv_nxt, "abort in %s", name);
		}
	}
}

/*
 * RFC 9293 §3.6.1, as Linux: a SYN above RCV.NXT in TIME_WAIT may reopen
 * the connection through a listener, with ISS = SND.NXT + 65535 + 2; at or
 * below RCV.NXT (an old duplicate), or with ACK, it is only challenged.
 */
static void toytcp_fsm_time_wait_syn_test(struct kunit *test)
{
	struct toytcp_seg seg = { .flags = S, .seq = 9000, .wnd = 65535 };
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;

	fixture(TOYTCP_TIME_WAIT, &tcb);
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.reopen_iss, 1002U + 65535 + 2);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_TIME_WAIT);
	KUNIT_EXPECT_TRUE(test, v.challenge);	/* if no listener takes it */
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5002U);

	seg.seq = 5002;				/* not above RCV.NXT: old */
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.reopen_iss, 0U);
	KUNIT_EXPECT_TRUE(test, v.challenge);
	seg.seq = 9000;
	seg.flags = S | A;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.reopen_iss, 0U);

	seg.flags = S;				/* the ISS would be 0: 1 instead */
	tcb.snd_nxt = 0u - 65537;
	tcb.snd_una = tcb.snd_nxt;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.reopen_iss, 1U);
}

/*
 * A listener's child in SYN_RECV answers the peer's SYN again (at its ISN)
 * with the SYN,ACK again, though it carries data or FIN, as Linux's
 * tcp_check_req(); an active open's SYN_RECV challenges an in-window SYN.
 */
static void toytcp_fsm_syn_recv_syn_test(struct kunit *test)
{
	static const struct { u8 flags; u32 len; } again[] = {
		{ S, 0 }, { S, 10 }, { S | F, 0 }, { S | F, 10 },
	};
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct toytcp_seg seg;
	int i;

	for (i = 0; i < ARRAY_SIZE(again); i++) {
		fixture(TOYTCP_SYN_RECV, &tcb);
		seg = (struct toytcp_seg){ .flags = again[i].flags, .seq = 5000,
					   .len = again[i].len, .wnd = 65535 };
		toytcp_fsm_segment(&tcb, &seg, &v);
		KUNIT_EXPECT_EQ_MSG(test, tcb.state, TOYTCP_SYN_RECV, "case %d", i);
		KUNIT_EXPECT_EQ_MSG(test, v.reply.flags, S | A, "case %d", i);
		KUNIT_EXPECT_EQ(test, v.reply.seq, 1000U);
		KUNIT_EXPECT_EQ(test, v.reply.ack, 5001U);
		KUNIT_EXPECT_EQ(test, v.data_len, 0U);
		KUNIT_EXPECT_FALSE(test, v.reset);
	}
	fixture(TOYTCP_SYN_RECV, &tcb);
	tcb.passive = false;
	seg = (struct toytcp_seg){ .flags = S, .seq = 5001, .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_SYN_RECV);
	KUNIT_EXPECT_TRUE(test, v.challenge);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_FALSE(test, v.reset);
}

/*
 * Zero windows. An answer to a probe while the peer's window stays shut
 * says the peer lives (ALIVE); the FIN waits for room like data and goes
 * out as the probe; our own zero window still takes a segment's ACK field.
 */
static void toytcp_fsm_zero_window_test(struct kunit *test)
{
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct toytcp_seg seg;
	struct toytcp_out out;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_wnd = 0;
	tcb.snd_queued = 100;
	tcb.snd_nxt = 1002;			/* a one-byte probe is out */
	seg = (struct toytcp_seg){ .flags = A, .seq = 5001, .ack = 1001, .wnd = 0 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.timer, TOYTCP_TIMER_ALIVE);
	seg.ack = 1002;				/* the probe byte taken: progress */
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.timer, X);

	/* The FIN does not go into a closed window; the probe carries it. */
	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_wnd = 0;
	tcb.fin_queued = true;
	tcb.state = TOYTCP_FIN_WAIT1;
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_TRUE(test, toytcp_fsm_has_unsent(&tcb));
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_retransmit(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.flags, A | F);
	KUNIT_EXPECT_EQ(test, out.seq, 1001U);
	/* 100 bytes into a window of exactly 100: the FIN waits. */
	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_wnd = 100;
	tcb.snd_queued = 100;
	tcb.fin_queued = true;
	tcb.state = TOYTCP_FIN_WAIT1;
	KUNIT_ASSERT_TRUE(test, toytcp_fsm_output(&tcb, 1460, &out));
	KUNIT_EXPECT_EQ(test, out.len, 100U);
	KUNIT_EXPECT_EQ(test, out.flags & F, 0);
	KUNIT_EXPECT_FALSE(test, toytcp_fsm_output(&tcb, 1460, &out));

	/* Our window is zero: data is not taken, its ACK field is. */
	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.snd_nxt = 1101;
	tcb.snd_queued = 100;
	tcb.rcv_wnd = 0;
	seg = (struct toytcp_seg){ .flags = A, .seq = 5001, .ack = 1101,
				   .len = 100, .wnd = 65535 };
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.data_acked, 100U);
	KUNIT_EXPECT_EQ(test, v.data_len, 0U);
	KUNIT_EXPECT_EQ(test, v.reply.flags, A);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5001U);
	KUNIT_EXPECT_EQ(test, tcb.snd_una, 1101U);
}

/* A segment wider than the window on both sides: its middle is taken. */
static void toytcp_fsm_straddle_test(struct kunit *test)
{
	struct toytcp_seg seg = { .flags = A, .seq = 4990, .ack = 1001,
				  .len = 100, .wnd = 65535 };
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	tcb.rcv_wnd = 50;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_EQ(test, v.data_skip, 11U);
	KUNIT_EXPECT_EQ(test, v.data_len, 50U);
	KUNIT_EXPECT_EQ(test, tcb.rcv_nxt, 5051U);
	KUNIT_EXPECT_EQ(test, v.reply.ack, 5051U);
}

/*
 * RFC 5961 §5.2's lower bound never reaches below what was acknowledged:
 * right after the handshake, an ACK of our ISS (before our SYN) is
 * challenged, though MAX.SND.WND is large.
 */
static void toytcp_fsm_ack_below_iss_test(struct kunit *test)
{
	struct toytcp_verdict v;
	struct toytcp_tcb tcb;
	struct toytcp_seg seg;

	fixture(TOYTCP_ESTABLISHED, &tcb);
	event(EV_DATA, &tcb, &seg);
	seg.ack = 1000;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_TRUE(test, v.challenge);
	KUNIT_EXPECT_EQ(test, v.data_len, 0U);
	seg.ack = 1001;
	toytcp_fsm_segment(&tcb, &seg, &v);
	KUNIT_EXPECT_FALSE(test, v.challenge);
	KUNIT_EXPECT_EQ(test, v.data_len, 100U);
}

/* SYN+FIN to a listener: no child, no answer (Linux drops it). */
static void toytcp_fsm_listen_syn_fin_test(struct kunit *test)
{
	struct toytcp_seg seg = { .flags = S | F, .seq = 5000, .wnd = 65535 };
	struct toytcp_tcb child;
	struct toytcp_verdict v;

	KUNIT_EXPECT_FALSE(test, toytcp_fsm_listen(&seg, 1000, 1460, &child, &v));
	KUNIT_EXPECT_EQ(test, v.reply.flags, 0);
}

/*
 * The send MSS: the peer's option, 536 without one (RFC 9293 MUST-15), at
 * most what we announce, at least 48; on either side of the handshake.
 */
struct mss_case {
	u16 peer;	/* the SYN's option, 0: none */
	u16 adv;	/* ours */
	u16 mss;	/* what we send */
};

static const struct mss_case mss_cases[] = {
	{ 0, 1460, 536 }, { 1000, 1460, 1000 }, { 1460, 1460, 1460 },
	{ 9000, 1460, 1460 }, { 1460, 1240, 1240 }, { 0, 500, 500 },
	{ 1, 1460, 48 }, { 0, 48, 48 },
};

static void mss_desc(const struct mss_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "option %u, ours %u", c->peer, c->adv);
}

KUNIT_ARRAY_PARAM(mss, mss_cases, mss_desc);

static void toytcp_fsm_mss_test(struct kunit *test)
{
	const struct mss_case *c = test->param_value;
	struct toytcp_seg syn = { .flags = S, .seq = 5000, .wnd = 65535, .mss = c->peer };
	struct toytcp_tcb child, tcb;
	struct toytcp_verdict v;

	KUNIT_ASSERT_TRUE(test, toytcp_fsm_listen(&syn, 1000, c->adv, &child, &v));
	KUNIT_EXPECT_EQ(test, child.mss, c->mss);
	KUNIT_EXPECT_EQ(test, child.adv_mss, c->adv);

	toytcp_fsm_open(&tcb, 1000, c->adv, &v);
	syn.flags = S | A;
	syn.ack = 1001;
	toytcp_fsm_segment(&tcb, &syn, &v);
	KUNIT_EXPECT_EQ(test, tcb.state, TOYTCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, tcb.mss, c->mss);
}

/*
 * The state diagram (toytcp_transitions[]) against RFC 793's Figure 6,
 * arrow by arrow, with the two corrections RFC 1122 made (CLOSE in
 * CLOSE-WAIT enters LAST-ACK) and the text's ways out that the figure
 * leaves out.
 */
struct arrow_case {
	enum toytcp_state from;
	enum toytcp_event event;
	enum toytcp_state to;	/* TOYTCP_STATE_NONE: no such arrow */
	const char *why;
};

static const struct arrow_case arrows[] = {
	{ TOYTCP_CLOSED, TOYTCP_EV_PASSIVE_OPEN, TOYTCP_LISTEN, "passive OPEN" },
	{ TOYTCP_CLOSED, TOYTCP_EV_ACTIVE_OPEN, TOYTCP_SYN_SENT, "active OPEN" },
	{ TOYTCP_LISTEN, TOYTCP_EV_RCV_SYN, TOYTCP_SYN_RECV, "rcv SYN" },
	{ TOYTCP_LISTEN, TOYTCP_EV_CLOSE, TOYTCP_CLOSED, "CLOSE" },
	{ TOYTCP_SYN_SENT, TOYTCP_EV_RCV_SYN, TOYTCP_SYN_RECV, "simultaneous open" },
	{ TOYTCP_SYN_SENT, TOYTCP_EV_RCV_SYN_ACK, TOYTCP_ESTABLISHED, "rcv SYN,ACK" },
	{ TOYTCP_SYN_SENT, TOYTCP_EV_CLOSE, TOYTCP_CLOSED, "CLOSE" },
	{ TOYTCP_SYN_RECV, TOYTCP_EV_RCV_ACK_OF_SYN, TOYTCP_ESTABLISHED, "rcv ACK of SYN" },
	{ TOYTCP_SYN_RECV, TOYTCP_EV_CLOSE, TOYTCP_FIN_WAIT1, "CLOSE" },
	{ TOYTCP_ESTABLISHED, TOYTCP_EV_CLOSE, TOYTCP_FIN_WAIT1, "CLOSE" },
	{ TOYTCP_ESTABLISHED, TOYTCP_EV_RCV_FIN, TOYTCP_CLOSE_WAIT, "rcv FIN" },
	{ TOYTCP_FIN_WAIT1, TOYTCP_EV_RCV_ACK_OF_FIN, TOYTCP_FIN_WAIT2, "rcv ACK of FIN" },
	{ TOYTCP_FIN_WAIT1, TOYTCP_EV_RCV_FIN, TOYTCP_CLOSING, "rcv FIN" },
	{ TOYTCP_FIN_WAIT2, TOYTCP_EV_RCV_FIN, TOYTCP_TIME_WAIT, "rcv FIN" },
	{ TOYTCP_CLOSING, TOYTCP_EV_RCV_ACK_OF_FIN, TOYTCP_TIME_WAIT, "rcv ACK of FIN" },
	{ TOYTCP_CLOSE_WAIT, TOYTCP_EV_CLOSE, TOYTCP_LAST_ACK, "RFC 1122 4.2.2.20" },
	{ TOYTCP_LAST_ACK, TOYTCP_EV_RCV_ACK_OF_FIN, TOYTCP_CLOSED, "rcv ACK of FIN" },
	{ TOYTCP_TIME_WAIT, TOYTCP_EV_TIMEOUT_2MSL, TOYTCP_CLOSED, "Timeout=2MSL" },
	{ TOYTCP_ESTABLISHED, TOYTCP_EV_RCV_RST, TOYTCP_CLOSED, "reset" },
	{ TOYTCP_LAST_ACK, TOYTCP_EV_ABORT, TOYTCP_CLOSED, "ABORT" },
	{ TOYTCP_SYN_SENT, TOYTCP_EV_GIVE_UP, TOYTCP_CLOSED, "R2 for a SYN" },
	{ TOYTCP_TIME_WAIT, TOYTCP_EV_RCV_RST, TOYTCP_STATE_NONE, "RFC 1337" },
	{ TOYTCP_TIME_WAIT, TOYTCP_EV_RCV_FIN, TOYTCP_STATE_NONE, "FIN again" },
	{ TOYTCP_CLOSE_WAIT, TOYTCP_EV_RCV_FIN, TOYTCP_STATE_NONE, "FIN again" },
	{ TOYTCP_FIN_WAIT1, TOYTCP_EV_CLOSE, TOYTCP_STATE_NONE, "connection closing" },
	{ TOYTCP_TIME_WAIT, TOYTCP_EV_CLOSE, TOYTCP_STATE_NONE, "connection closing" },
	{ TOYTCP_CLOSED, TOYTCP_EV_CLOSE, TOYTCP_STATE_NONE, "no connection" },
	{ TOYTCP_CLOSED, TOYTCP_EV_ABORT, TOYTCP_STATE_NONE, "no connection" },
	{ TOYTCP_ESTABLISHED, TOYTCP_EV_RCV_SYN, TOYTCP_STATE_NONE, "RFC 5961 4" },
};

static void arrow_desc(const struct arrow_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s, %s", toytcp_state_name(c->from),
		 c->why);
}

KUNIT_ARRAY_PARAM(arrow, arrows, arrow_desc);

static void toytcp_fsm_diagram_test(struct kunit *test)
{
	const struct arrow_case *c = test->param_value;
	struct toytcp_tcb tcb = { .state = c->from };

	KUNIT_EXPECT_EQ(test, toytcp_fsm_next(c->from, c->event), c->to);
	if (c->to == TOYTCP_STATE_NONE)
		return;		/* toytcp_fsm_move() would warn: a bug */
	KUNIT_EXPECT_TRUE(test, toytcp_fsm_move(&tcb, c->event));
	KUNIT_EXPECT_EQ(test, tcb.state, c->to);
}

/*
 * The diagram as a whole: every state can be reached from CLOSED and
 * leads back to it, and nothing leaves CLOSED but an OPEN.
 */
static void toytcp_fsm_diagram_paths_test(struct kunit *test)
{
	bool from_closed[__TOYTCP_STATE_MAX] = { [TOYTCP_CLOSED] = true };
	bool to_closed[__TOYTCP_STATE_MAX] = { [TOYTCP_CLOSED] = true };
	enum toytcp_state s, next;
	enum toytcp_event e;
	bool grew = true;

	while (grew) {
		grew = false;
		for (s = 0; s < __TOYTCP_STATE_MAX; s++)
			for (e = 0; e < __TOYTCP_EV_MAX; e++) {
				next = toytcp_fsm_next(s, e);
				if (next == TOYTCP_STATE_NONE)
					continue;
				if (from_closed[s] && !from_closed[next])
					grew = from_closed[next] = true;
				if (to_closed[next] && !to_closed[s])
					grew = to_closed[s] = true;
			}
	}
	for (s = 0; s < __TOYTCP_STATE_MAX; s++) {
		KUNIT_EXPECT_TRUE_MSG(test, from_closed[s], "%s unreachable",
				      toytcp_state_name(s));
		KUNIT_EXPECT_TRUE_MSG(test, to_closed[s], "%s never ends",
				      toytcp_state_name(s));
	}
	for (e = 0; e < __TOYTCP_EV_MAX; e++)
		if (e != TOYTCP_EV_PASSIVE_OPEN && e != TOYTCP_EV_ACTIVE_OPEN)
			KUNIT_EXPECT_EQ(test, toytcp_fsm_next(TOYTCP_CLOSED, e),
					TOYTCP_STATE_NONE);
}

static struct kunit_case toytcp_fsm_cases[] = {
	KUNIT_CASE_PARAM(toytcp_fsm_grid_test, grid_gen_params),
	KUNIT_CASE(toytcp_fsm_grid_complete_test),
	KUNIT_CASE(toytcp_fsm_spec_numbers_test),
	KUNIT_CASE(toytcp_fsm_lifecycle_test),
	KUNIT_CASE(toytcp_fsm_simultaneous_open_test),
	KUNIT_CASE(toytcp_fsm_simultaneous_close_test),
	KUNIT_CASE(toytcp_fsm_closing_unsent_test),
	KUNIT_CASE(toytcp_fsm_ack_throttle_test),
	KUNIT_CASE(toytcp_fsm_out_of_order_test),
	KUNIT_CASE(toytcp_fsm_wrap_test),
	KUNIT_CASE(toytcp_fsm_output_test),
	KUNIT_CASE(toytcp_fsm_retransmit_test),
	KUNIT_CASE(toytcp_fsm_fast_retransmit_test),
	KUNIT_CASE(toytcp_fsm_not_dupack_test),
	KUNIT_CASE(toytcp_fsm_rto_recovery_test),
	KUNIT_CASE(toytcp_fsm_cwnd_test),
	KUNIT_CASE(toytcp_fsm_ofo_test),
	KUNIT_CASE(toytcp_fsm_nagle_test),
	KUNIT_CASE(toytcp_fsm_user_calls_test),
	KUNIT_CASE(toytcp_fsm_time_wait_syn_test),
	KUNIT_CASE(toytcp_fsm_syn_recv_syn_test),
	KUNIT_CASE(toytcp_fsm_zero_window_test),
	KUNIT_CASE(toytcp_fsm_window_update_test),
	KUNIT_CASE(toytcp_fsm_straddle_test),
	KUNIT_CASE(toytcp_fsm_ack_below_iss_test),
	KUNIT_CASE(toytcp_fsm_listen_syn_fin_test),
	KUNIT_CASE_PARAM(toytcp_fsm_mss_test, mss_gen_params),
	KUNIT_CASE_PARAM(toytcp_fsm_diagram_test, arrow_gen_params),
	KUNIT_CASE(toytcp_fsm_diagram_paths_test),
	{}
};

static struct kunit_suite toytcp_fsm_suite = {
	.name = "toytcp_fsm",
	.test_cases = toytcp_fsm_cases,
};

kunit_test_suites(&toytcp_fsm_suite);
