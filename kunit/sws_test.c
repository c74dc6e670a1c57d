// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: silly window syndrome avoidance and Nagle (suite toytcp_sws),
 * table-driven, MSS 1000.
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

static struct kunit_case toytcp_sws_cases[] = {
	KUNIT_CASE_PARAM(toytcp_sws_send_test, send_gen_params),
	KUNIT_CASE_PARAM(toytcp_sws_rcv_test, rcv_gen_params),
	{}
};

static struct kunit_suite toytcp_sws_suite = {
	.name = "toytcp_sws",
	.test_cases = toytcp_sws_cases,
};

kunit_test_suites(&toytcp_sws_suite);
