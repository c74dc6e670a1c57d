/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies: a listener's answer to a SYN flood (see cookie.c).
 */
#ifndef _TOYTCP_COOKIE_H
#define _TOYTCP_COOKIE_H

#include <linux/types.h>
#include "compat.h"

struct toytcp_key;

/* The cookie clock ticks every 64 s; a cookie is good this tick and the next. */
#define TOYTCP_COOKIE_TICK_SECS	64
#define TOYTCP_COOKIE_MAX_AGE	1

/* What a returning cookie turned out to be. */
enum toytcp_cookie_result {
	TOYTCP_COOKIE_OK,
	TOYTCP_COOKIE_STALE,	/* ours, but older than TOYTCP_COOKIE_MAX_AGE ticks */
	TOYTCP_COOKIE_BAD,	/* not ours: forged, or for another SYN */
};

void toytcp_cookie_init(void);
u32 toytcp_cookie_clock(void);
u32 toytcp_cookie_make(const struct toytcp_key *key, u32 irs, u32 now, u16 mss);
enum toytcp_cookie_result toytcp_cookie_check(const struct toytcp_key *key,
					      u32 irs, u32 iss, u32 now, u16 *mss);

#endif /* _TOYTCP_COOKIE_H */
