/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOYTCP_CTL_H
#define _TOYTCP_CTL_H

#include <linux/types.h>
#include "compat.h"
#include "toytcp.h"

/* Longest command one write(2) to /proc/toytcp/ctl may carry. */
#define TOYTCP_CTL_MAX		4096

enum toytcp_ctl_op {
	TOYTCP_CTL_LISTEN,
	TOYTCP_CTL_UNLISTEN,
	TOYTCP_CTL_CONNECT,
	TOYTCP_CTL_SEND,
	TOYTCP_CTL_CLOSE,
	TOYTCP_CTL_ABORT,
	TOYTCP_CTL_DISABLE,
	TOYTCP_CTL_ENABLE,
	TOYTCP_CTL_KEEPALIVE,
	TOYTCP_CTL_NODELAY,
};

/**
 * struct toytcp_ctl_cmd - one parsed ctl command
 * @op: what to do
 * @local: listen/unlisten: the port (address 0); connect: the source port,
 *         0 for an ephemeral one; send/close/abort: the connection's LOCAL
 * @remote: connect: the destination; send/close/abort: REMOTE
 * @echo: listen ... echo
 * @on: keepalive/nodelay ... on (off: false)
 * @data: send: the text, pointing into the parsed buffer
 * @len: send: its length
 * @why: when parsing fails, a reason for the log
 */
struct toytcp_ctl_cmd {
	enum toytcp_ctl_op op;
	struct toytcp_endpoint local;
	struct toytcp_endpoint remote;
	bool echo;
	bool on;
	const char *data;
	size_t len;
	const char *why;
};

struct toytcp_net;

int toytcp_ctl_parse(char *buf, size_t len, struct toytcp_ctl_cmd *cmd);
int toytcp_ctl_exec(struct toytcp_net *tn, const struct toytcp_ctl_cmd *cmd);

#if IS_ENABLED(CONFIG_KUNIT)
int toytcp_parse_endpoint(const char *s, struct toytcp_endpoint *ep);
#endif

#endif /* _TOYTCP_CTL_H */
