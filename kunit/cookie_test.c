// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: SYN cookies (suite toytcp_cookie). The clock is passed in, so
 * that age and staleness are tested without waiting minutes.
 */
#include <kunit/test.h>
#include "conn.h"
#include "cookie.h"

#define IP(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static const struct toytcp_key k = {
	.laddr = IP(10, 0, 0, 2), .raddr = IP(10, 0, 0, 1),
	.lport = htons(7), .rport = htons(40001),
};

/* A cookie comes back good in its own tick and the next, stale after. */
static void toytcp_cookie_age_test(struct kunit *test)
{
	u32 now = toytcp_cookie_clock();
	u32 irs = 123456789, iss = toytcp_cookie_make(&k, irs, now, 1460);
	u32 age;
	u16 mss;

	for (age = 0; age <= TOYTCP_COOKIE_MAX_AGE; age++)
		KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss, now + age, &mss),
				TOYTCP_COOKIE_OK);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss,
						  now + TOYTCP_COOKIE_MAX_AGE + 1, &mss),
			TOYTCP_COOKIE_STALE);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss, now + 255, &mss),
			TOYTCP_COOKIE_STALE);
	/* The cookie shows 8 bits of its tick: 256 ticks later it is not new. */
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss, now + 256, &mss),
			TOYTCP_COOKIE_BAD);
	/* From the future (a clock cannot go back): not ours. */
	KUNIT_EXPECT_NE(test, toytcp_cookie_check(&k, irs, iss, now - 1, &mss),
			TOYTCP_COOKIE_OK);
}

/* A cookie is bound to its 4-tuple and to the SYN's sequence number. */
static void toytcp_cookie_binding_test(struct kunit *test)
{
	u32 now = 1000, irs = 0xfffffff0, iss = toytcp_cookie_make(&k, irs, now, 1460);
	struct toytcp_key other = k;
	u16 mss;

	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss, now, &mss), TOYTCP_COOKIE_OK);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs + 1, iss, now, &mss), TOYTCP_COOKIE_BAD);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss + 1, now, &mss), TOYTCP_COOKIE_BAD);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, irs, iss ^ 0x80000000, now, &mss),
			TOYTCP_COOKIE_BAD);
	other.rport = htons(40002);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&other, irs, iss, now, &mss), TOYTCP_COOKIE_BAD);
	other = k;
	other.raddr = IP(10, 0, 0, 3);
	KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&other, irs, iss, now, &mss), TOYTCP_COOKIE_BAD);
}

/*
 * Guessing: of 100 made-up ACK numbers none passes (each has a 2^-22
 * chance), and cookies of one tick do not share a visible clock byte.
 */
static void toytcp_cookie_guess_test(struct kunit *test)
{
	u32 now = 77, i, accepted = 0, top = 0, same_top = 0;
	u16 mss;

	for (i = 0; i < 100; i++)
		accepted += toytcp_cookie_check(&k, 1, i * 0x9e3779b9u, now, &mss) ==
			    TOYTCP_COOKIE_OK;
	KUNIT_EXPECT_EQ(test, accepted, 0U);
	for (i = 0; i < 32; i++) {
		struct toytcp_key ki = k;
		u32 iss;

		ki.rport = htons(40000 + i);
		iss = toytcp_cookie_make(&ki, 1, now, 0);
		KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&ki, 1, iss, now, &mss), TOYTCP_COOKIE_OK);
		if (i && iss >> 24 == top)
			same_top++;
		top = iss >> 24;
	}
	/* 31 pairs, each 1/256 alike by chance: all alike means a bare clock. */
	KUNIT_EXPECT_LT(test, same_top, 31U);
}

/*
 * The peer's MSS comes back rounded down to 536, 1300, 1440 or 1460; no
 * option means 536 (RFC 9293 MUST-15). Changing the MSS bits breaks it.
 */
static void toytcp_cookie_mss_test(struct kunit *test)
{
	static const u16 in[] = { 0, 100, 536, 1299, 1300, 1439, 1440, 1460, 9000 };
	static const u16 out[] = { 536, 536, 536, 536, 1300, 1300, 1440, 1460, 1460 };
	u32 now = 500, iss, i;
	u16 mss;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		iss = toytcp_cookie_make(&k, 42, now, in[i]);
		mss = 0;
		KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, 42, iss, now, &mss),
				TOYTCP_COOKIE_OK);
		KUNIT_EXPECT_EQ_MSG(test, mss, out[i], "MSS option %u", in[i]);
		KUNIT_EXPECT_EQ(test, toytcp_cookie_check(&k, 42, iss ^ (1 << 22), now,
							  &mss), TOYTCP_COOKIE_BAD);
	}
}

static struct kunit_case toytcp_cookie_cases[] = {
	KUNIT_CASE(toytcp_cookie_mss_test),
	KUNIT_CASE(toytcp_cookie_age_test),
	KUNIT_CASE(toytcp_cookie_binding_test),
	KUNIT_CASE(toytcp_cookie_guess_test),
	{}
};

static struct kunit_suite toytcp_cookie_suite = {
	.name = "toytcp_cookie",
	.test_cases = toytcp_cookie_cases,
};

kunit_test_suites(&toytcp_cookie_suite);
