/* SPDX-License-Identifier: GPL-2.0 */
/*
 * toytcp: a TCP variant on IP protocol 253, as a loadable module.
 *
 * Constants of the wire contract (../shared/SPEC.md) that every file needs.
 */
#ifndef _TOYTCP_H
#define _TOYTCP_H

/* IP protocol number: RFC 3692 "use for experimentation and testing". */
#define TOYTCP_IPPROTO		253

#include <linux/types.h>

/* One end of a connection, in network byte order as on the wire. */
struct toytcp_endpoint {
	__be32 addr;
	__be16 port;
};

#endif /* _TOYTCP_H */
