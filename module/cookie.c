// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies (D. J. Bernstein; RFC 4987 §3.6). Once a listener keeps as
 * many half-open connections as `backlog` allows, a SYN no longer makes a
 * SYN_RECV child: the SYN,ACK's initial sequence number encodes what the
 * child would have remembered, and the peer's final ACK, whose ACK field
 * is that number plus one, brings it back. A flood of spoofed SYNs then
 * costs no memory at all.
 *
 * The cookie, for the 4-tuple K, the peer's initial sequence number IRS,
 * the clock T (TOYTCP_COOKIE_TICK_SECS seconds a tick) and the peer's MSS
 * rounded down to one of four values, index I of toytcp_cookie_msstab:
 *
 *   ISS = (T mod 256) << 24 | I << 22 | H(K, IRS, T, I) mod 2^22,
 *         then XOR M(K)
 *
 * H and M are siphash under a secret drawn at load. M hides the clock from
 * anyone not on the path, so cookies look as random as other ISNs; H binds
 * the cookie to this tuple, this SYN, this tick and this MSS. On the final
 * ACK, IRS = SEG.SEQ - 1 and ISS = SEG.ACK - 1: undo M, read T's low bits
 * and so its age, and I, recompute H, and reject a tick older than
 * TOYTCP_COOKIE_MAX_AGE. A blind attacker guesses 22 bits per try, as
 * against Linux's cookies (which carry the same four MSS values).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include "conn.h"
#include "cookie.h"

static siphash_key_t toytcp_cookie_secret __read_mostly;

/**
 * toytcp_cookie_init() - draw the secret cookies are made with
 */
void toytcp_cookie_init(void)
{
	get_random_bytes(&toytcp_cookie_secret, sizeof(toytcp_cookie_secret));
}

/**
 * toytcp_cookie_clock() - the cookie clock now
 *
 * Return: ticks of TOYTCP_COOKIE_TICK_SECS since boot.
 */
u32 toytcp_cookie_clock(void)
{
	return (u32)div_u64(get_jiffies_64(), TOYTCP_COOKIE_TICK_SECS * HZ);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cookie_clock);

static u64 toytcp_cookie_addrs(const struct toytcp_key *key)
{
	return (u64)(__force u32)key->laddr << 32 | (__force u32)key->raddr;
}

static u64 toytcp_cookie_ports(const struct toytcp_key *key)
{
	return (u64)(__force u16)key->lport << 16 | (__force u16)key->rport;
}

/* M(K): the mask. The third word keeps it apart from H's inputs. */
static u32 toytcp_cookie_mask(const struct toytcp_key *key)
{
	return siphash_3u64(toytcp_cookie_addrs(key), toytcp_cookie_ports(key),
			    U64_MAX, &toytcp_cookie_secret);
}

/*
 * The MSS values a cookie can carry, as Linux's msstab for IPv4: 536 (no
 * option, RFC 9293 MUST-15), and the common sizes below a 1500-byte MTU.
 */
static const u16 toytcp_cookie_msstab[] = { 536, 1300, 1440, 1460 };

#define TOYTCP_COOKIE_HASH_BITS	22
#define TOYTCP_COOKIE_HASH_MASK	((1U << TOYTCP_COOKIE_HASH_BITS) - 1)

/*
 * H(K, IRS, T, I), its low 22 bits. The whole clock goes in, not only the
 * 8 bits the cookie shows: a cookie 256 ticks old does not come back to life.
 */
static u32 toytcp_cookie_hash(const struct toytcp_key *key, u32 irs, u32 t,
			      u32 mssind)
{
	u64 h = siphash_3u64(toytcp_cookie_addrs(key),
			     toytcp_cookie_ports(key) << 32 | irs,
			     (u64)mssind << 32 | t, &toytcp_cookie_secret);

	return (u32)h & TOYTCP_COOKIE_HASH_MASK;
}

/* The largest value of the table not above @mss (a SYN's MSS option). */
static u32 toytcp_cookie_mssind(u16 mss)
{
	u32 i = ARRAY_SIZE(toytcp_cookie_msstab) - 1;

	while (i && toytcp_cookie_msstab[i] > mss)
		i--;
	return i;
}

/**
 * toytcp_cookie_make() - the ISS of a SYN,ACK that keeps no state
 * @key: the connection's 4-tuple, local side first
 * @irs: the SYN's sequence number
 * @now: toytcp_cookie_clock()
 * @mss: the SYN's MSS option (0: none)
 *
 * Return: the cookie, to send as the SYN,ACK's sequence number.
 */
u32 toytcp_cookie_make(const struct toytcp_key *key, u32 irs, u32 now, u16 mss)
{
	u32 i = toytcp_cookie_mssind(mss);
	u32 c = (now & 0xff) << 24 | i << TOYTCP_COOKIE_HASH_BITS |
		toytcp_cookie_hash(key, irs, now, i);

	return c ^ toytcp_cookie_mask(key);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cookie_make);

/**
 * toytcp_cookie_check() - is an ACK's ACK field one of our cookies?
 * @key: the 4-tuple the ACK came on, local side first
 * @irs: SEG.SEQ - 1, the sequence number the peer's SYN had
 * @iss: SEG.ACK - 1, the cookie if it is one
 * @now: toytcp_cookie_clock()
 * @mss: out: the MSS the SYN announced, rounded down to what a cookie
 *       carries; set for TOYTCP_COOKIE_OK
 *
 * Return: TOYTCP_COOKIE_OK for a cookie made for this tuple and SYN in
 * this tick or the last TOYTCP_COOKIE_MAX_AGE; STALE or BAD otherwise.
 */
enum toytcp_cookie_result toytcp_cookie_check(const struct toytcp_key *key,
					      u32 irs, u32 iss, u32 now, u16 *mss)
{
	u32 c = iss ^ toytcp_cookie_mask(key);
	u32 age = (now - (c >> 24)) & 0xff;
	u32 i = (c >> TOYTCP_COOKIE_HASH_BITS) & 3;

	if ((c & TOYTCP_COOKIE_HASH_MASK) != toytcp_cookie_hash(key, irs, now - age, i))
		return TOYTCP_COOKIE_BAD;
	*mss = toytcp_cookie_msstab[i];
	return age <= TOYTCP_COOKIE_MAX_AGE ? TOYTCP_COOKIE_OK : TOYTCP_COOKIE_STALE;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_cookie_check);
