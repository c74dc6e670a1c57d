// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the keepalive decision (suite toytcp_keepalive), with RFC 1122's
 * numbers scaled down: probe after 1000 ms idle, every 300 ms, 3 probes.
 */
#include <kunit/test.h>
#include "keepalive.h"

static const struct toytcp_ka_params p = { .time_ms = 1000, .intvl_ms = 300,
					   .probes = 3 };

struct ka_case {
	const char *name;
	bool busy;
	u32 idle_ms;
	u32 probes_out;
	enum toytcp_ka_action action;
	u32 next_ms;	/* WAIT and PROBE */
};

static const struct ka_case ka_cases[] = {
	{ "just heard from", false, 0, 0, TOYTCP_KA_WAIT, 1000 },
	{ "idle 400 ms: 600 to go", false, 400, 0, TOYTCP_KA_WAIT, 600 },
	{ "idle 999 ms", false, 999, 0, TOYTCP_KA_WAIT, 1 },
	{ "idle 1000 ms: the first probe", false, 1000, 0, TOYTCP_KA_PROBE, 300 },
	{ "a probe unanswered: the next", false, 1300, 1, TOYTCP_KA_PROBE, 300 },
	{ "two unanswered: the third", false, 1600, 2, TOYTCP_KA_PROBE, 300 },
	{ "three unanswered: gone", false, 1900, 3, TOYTCP_KA_DEAD, 0 },
	{ "data in flight: not idle", true, 5000, 2, TOYTCP_KA_WAIT, 1000 },
};

static void ka_desc(const struct ka_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ka, ka_cases, ka_desc);

static void toytcp_keepalive_decide_test(struct kunit *test)
{
	const struct ka_case *c = test->param_value;
	u32 next = 0;

	KUNIT_EXPECT_EQ(test, toytcp_keepalive_decide(c->busy, c->idle_ms,
						      c->probes_out, &p, &next),
			c->action);
	if (c->action != TOYTCP_KA_DEAD)
		KUNIT_EXPECT_EQ(test, next, c->next_ms);
}

static struct kunit_case toytcp_keepalive_cases[] = {
	KUNIT_CASE_PARAM(toytcp_keepalive_decide_test, ka_gen_params),
	{}
};

static struct kunit_suite toytcp_keepalive_suite = {
	.name = "toytcp_keepalive",
	.test_cases = toytcp_keepalive_cases,
};

kunit_test_suites(&toytcp_keepalive_suite);
