// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: silly window syndrome avoidance, Nagle and window updates after
 * a read (suite toytcp_sws), table-driven, MSS 1000.
 */
#include <kunit/test.h>
#include "sws.h"

struct send_case {
	const char *name;
	struct toytcp_sws_send s;
	bool now;
};

#define MSS	1000

static const struct send_case send_cases[] = {
	{ "a full segment goes", { 1000, 5000, MSS, 65535, true, false, false }, true },
	{ "all that is queued, nothing small out", { 300, 300, MSS, 65535, false, false, false }, true },
	{ "Nagle: a small one is unacknowledged", { 300, 300, MSS, 65535, true, false, false }, false },
	{ "Nagle off: it goes", { 300, 300, MSS, 65535, true, true, false }, true },
	{ "the FIN goes with it", { 300, 300, MSS, 65535, true, false, true }, true },
	{ "a sliver of a big window waits", { 200, 5000, MSS, 65535, false, false, false }, false },
	{ "even with Nagle off", { 200, 5000, MSS, 65535, false, true, false }, false },
	{ "half the largest window goes", { 400, 5000, MSS, 800, false, false, false }, true },
	{ "a tiny peer's whole window goes", { 100, 5000, MSS, 100, false, false, false }, true },
};

static void send_desc(const struct send_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(send, send_cases, send_desc);

static void toytcp_sws_send_test(struct kunit *test)
{
	const struct send_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toytcp_sws_send_now(&c->s), c->now);
}

struct rcv_case {
	const char *name;
	u32 wnd, room, buf;
	u32 announce;
};

static const struct rcv_case rcv_cases[] = {
	{ "no more room: the edge stays", 3000, 3000, 65535, 3000 },
	{ "a few bytes more: not announced", 3000, 3999, 65535, 3000 },
	{ "an MSS more: announced", 3000, 4000, 65535, 4000 },
	{ "closed, an MSS frees up: it opens", 0, 1000, 65535, 1000 },
	{ "closed, less than an MSS: stays shut", 0, 999, 65535, 0 },
	{ "a small buffer: half of it is enough", 0, 600, 1200, 600 },
	{ "less room than promised: no shrinking", 3000, 1000, 65535, 3000 },
};

static void rcv_desc(const struct rcv_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rcv, rcv_cases, rcv_desc);

static void toytcp_sws_rcv_test(struct kunit *test)
{
	const struct rcv_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toytcp_sws_rcv_wnd(c->wnd, c->room, MSS, c->buf),
			c->announce);
}

struct update_case {
	const char *name;
	u32 old, wnd;
	bool due;
};

static const struct update_case update_cases[] = {
	{ "a closed window opens: tell the peer", 0, 1000, true },
	{ "it doubled", 3000, 6000, true },
	{ "it grew, not doubled: the next segment tells", 3000, 5999, false },
	{ "it did not move", 3000, 3000, false },
	{ "still closed", 0, 0, false },
};

static void update_desc(const struct update_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(update, update_cases, update_desc);

/* After a read: the window update rule of Linux's tcp_cleanup_rbuf(). */
static void toytcp_sws_update_test(struct kunit *test)
{
	const struct update_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toytcp_sws_update_due(c->old, c->wnd), c->due);
}

/*
 * A program reads: the window a socket announces comes from its receive
 * buffer's room (stream.c), through the receiver's SWS rule and then the
 * update rule. SO_RCVBUF 4096, filled, then read in 1000-byte steps.
 */
static void toytcp_sws_read_test(struct kunit *test)
{
	u32 rcvbuf = 8192, buf = toytcp_sws_buf_wnd(rcvbuf, 0), queued = buf;
	u32 wnd = 0, old;
	int updates = 0;

	while (queued) {
		queued -= min(queued, 1000u);
		old = wnd;
		wnd = toytcp_sws_rcv_wnd(wnd, toytcp_sws_buf_wnd(rcvbuf, queued), MSS, buf);
		updates += toytcp_sws_update_due(old, wnd);
	}
	/*
	 * The edge moves by an MSS at a time: 1000, 2000, 3000, 4000; the
	 * last 96 bytes wait for more. Of those steps, two are worth a
	 * segment of their own: 0 -> 1000 (it was closed) and 1000 -> 2000
	 * (doubled); the rest rides on the next ACK.
	 */
	KUNIT_EXPECT_EQ(test, wnd, 4000);
	KUNIT_EXPECT_EQ(test, updates, 2);
}

struct buf_case {
	const char *name;
	u32 rcvbuf, unread;
	u32 room;
};

static const struct buf_case buf_cases[] = {
	{ "SO_RCVBUF 4096 (sk_rcvbuf 8192), empty", 8192, 0, 4096 },
	{ "half of it unread", 8192, 2048, 2048 },
	{ "all of it unread: closed", 8192, 4096, 0 },
	{ "more unread than the buffer now holds", 8192, 6000, 0 },
	{ "the default buffer: the 16-bit field's most", 212992, 0, 65535 },
	/* The room first, then the field's limit: still wide open. */
	{ "the default buffer, 10000 unread", 212992, 10000, 65535 },
	{ "the default buffer, 60000 unread", 212992, 60000, 46496 },
	{ "the default buffer, all its half unread", 212992, 106496, 0 },
};

static void buf_desc(const struct buf_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(buf, buf_cases, buf_desc);

/* A socket's window: the room its receive buffer has (stream.c). */
static void toytcp_sws_buf_test(struct kunit *test)
{
	const struct buf_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toytcp_sws_buf_wnd(c->rcvbuf, c->unread), c->room);
}

static struct kunit_case toytcp_sws_cases[] = {
	KUNIT_CASE_PARAM(toytcp_sws_send_test, send_gen_params),
	KUNIT_CASE_PARAM(toytcp_sws_rcv_test, rcv_gen_params),
	KUNIT_CASE_PARAM(toytcp_sws_update_test, update_gen_params),
	KUNIT_CASE_PARAM(toytcp_sws_buf_test, buf_gen_params),
	KUNIT_CASE(toytcp_sws_read_test),
	{}
};

static struct kunit_suite toytcp_sws_suite = {
	.name = "toytcp_sws",
	.test_cases = toytcp_sws_cases,
};

kunit_test_suites(&toytcp_sws_suite);
