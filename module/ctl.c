// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/toytcp/ctl: parse one command per write(2) and carry it out in the
 * writer's namespace (SPEC §4). Parsing is a pure function so that KUnit can
 * feed it every malformed line we can think of.
 *
 *   listen PORT [echo]         unlisten PORT
 *   connect ADDR:PORT [SPORT]  send LOCAL REMOTE TEXT
 *   close LOCAL REMOTE         abort LOCAL REMOTE
 *   disable                    enable
 *   keepalive LOCAL REMOTE on|off
 *   nodelay LOCAL REMOTE on|off
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "ctl.h"
#include "netns.h"
#include "user.h"

/* Cut the next blank-separated word off *cur; NULL when none is left. */
static char *toytcp_ctl_word(char **cur)
{
	char *s = skip_spaces(*cur), *end;

	if (!*s)
		return NULL;
	end = s;
	while (*end && !isspace(*end))
		end++;
	if (*end)
		*end++ = '\0';
	*cur = end;
	return s;
}

/* A decimal port, 0..65535, digits only. */
static int toytcp_parse_port(const char *s, __be16 *port)
{
	u16 p;

	if (!isdigit(*s) || kstrtou16(s, 10, &p))
		return -EINVAL;
	*port = htons(p);
	return 0;
}

/**
 * toytcp_parse_endpoint() - parse "ADDR:PORT" as /proc/toytcp/conns prints it
 * @s: the word, dotted-quad address, colon, decimal port
 * @ep: the result, in network byte order
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int toytcp_parse_endpoint(const char *s, struct toytcp_endpoint *ep)
{
	const char *end;

	if (!in4_pton(s, -1, (u8 *)&ep->addr, ':', &end) || *end != ':')
		return -EINVAL;
	return toytcp_parse_port(end + 1, &ep->port);
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_parse_endpoint);

static const struct {
	const char *name;
	enum toytcp_ctl_op op;
} toytcp_ctl_ops[] = {
	{ "listen",	TOYTCP_CTL_LISTEN },
	{ "unlisten",	TOYTCP_CTL_UNLISTEN },
	{ "connect",	TOYTCP_CTL_CONNECT },
	{ "send",	TOYTCP_CTL_SEND },
	{ "close",	TOYTCP_CTL_CLOSE },
	{ "abort",	TOYTCP_CTL_ABORT },
	{ "disable",	TOYTCP_CTL_DISABLE },
	{ "enable",	TOYTCP_CTL_ENABLE },
	{ "keepalive",	TOYTCP_CTL_KEEPALIVE },
	{ "nodelay",	TOYTCP_CTL_NODELAY },
};

/* The arguments of one command; @cur is what follows its name. */
static int toytcp_ctl_parse_args(char *cur, struct toytcp_ctl_cmd *cmd)
{
	char *w;

	switch (cmd->op) {
	case TOYTCP_CTL_LISTEN:
	case TOYTCP_CTL_UNLISTEN:
		w = toytcp_ctl_word(&cur);
		if (!w || toytcp_parse_port(w, &cmd->local.port) || !cmd->local.port)
			return -EINVAL;
		w = toytcp_ctl_word(&cur);
		if (w && cmd->op == TOYTCP_CTL_LISTEN && !strcmp(w, "echo")) {
			cmd->echo = true;
			w = toytcp_ctl_word(&cur);
		}
		break;
	case TOYTCP_CTL_CONNECT:
		w = toytcp_ctl_word(&cur);
		if (!w || toytcp_parse_endpoint(w, &cmd->remote) || !cmd->remote.port)
			return -EINVAL;
		w = toytcp_ctl_word(&cur);
		if (w) {
			if (toytcp_parse_port(w, &cmd->local.port) || !cmd->local.port)
				return -EINVAL;
			w = toytcp_ctl_word(&cur);
		}
		break;
	case TOYTCP_CTL_SEND:
	case TOYTCP_CTL_CLOSE:
	case TOYTCP_CTL_ABORT:
	case TOYTCP_CTL_KEEPALIVE:
	case TOYTCP_CTL_NODELAY:
		w = toytcp_ctl_word(&cur);
		if (!w || toytcp_parse_endpoint(w, &cmd->local))
			return -EINVAL;
		/* For send, the text starts right after REMOTE's one separator. */
		w = toytcp_ctl_word(&cur);
		if (!w || toytcp_parse_endpoint(w, &cmd->remote))
			return -EINVAL;
		if (cmd->op == TOYTCP_CTL_KEEPALIVE || cmd->op == TOYTCP_CTL_NODELAY) {
			w = toytcp_ctl_word(&cur);
			if (!w || (strcmp(w, "on") && strcmp(w, "off")))
				return -EINVAL;
			cmd->on = !strcmp(w, "on");
		}
		if (cmd->op != TOYTCP_CTL_SEND) {
			w = toytcp_ctl_word(&cur);
			break;
		}
		cmd->data = cur;
		cmd->len = strlen(cur);
		return cmd->len ? 0 : -EINVAL;
	case TOYTCP_CTL_DISABLE:
	case TOYTCP_CTL_ENABLE:
		w = toytcp_ctl_word(&cur);
		break;
	}
	/* Nothing may follow a complete command. */
	return w ? -EINVAL : 0;
}

/**
 * toytcp_ctl_parse() - parse one ctl command
 * @buf: the bytes written, NUL-terminated at @len; modified in place
 * @len: their number
 * @cmd: the result; @cmd->data points into @buf
 *
 * One trailing newline is not part of the command. Words are separated by
 * blanks; the TEXT of send is everything after REMOTE and one blank.
 *
 * Return: 0, or -EINVAL with @cmd->why set.
 */
int toytcp_ctl_parse(char *buf, size_t len, struct toytcp_ctl_cmd *cmd)
{
	char *cur = buf, *name;
	int i;

	memset(cmd, 0, sizeof(*cmd));
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (strlen(buf) != len) {
		cmd->why = "NUL byte in command";
		return -EINVAL;
	}
	name = toytcp_ctl_word(&cur);
	if (!name) {
		cmd->why = "empty command";
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(toytcp_ctl_ops); i++) {
		if (!strcmp(name, toytcp_ctl_ops[i].name))
			break;
	}
	if (i == ARRAY_SIZE(toytcp_ctl_ops)) {
		cmd->why = "unknown command";
		return -EINVAL;
	}
	cmd->op = toytcp_ctl_ops[i].op;
	if (toytcp_ctl_parse_args(cur, cmd)) {
		cmd->why = "malformed arguments";
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(toytcp_ctl_parse);

/**
 * toytcp_ctl_exec() - carry out a parsed command in a namespace
 * @tn: the writer's namespace
 * @cmd: the command
 *
 * Return: 0 or the errno SPEC §4 gives for the failure: -ENOENT no such
 * connection or listener, -EADDRINUSE port already listening or 4-tuple in
 * use, -ENOTCONN the state forbids it; or what routing or memory says.
 */
int toytcp_ctl_exec(struct toytcp_net *tn, const struct toytcp_ctl_cmd *cmd)
{
	struct toytcp_key key = {
		.laddr = cmd->local.addr, .raddr = cmd->remote.addr,
		.lport = cmd->local.port, .rport = cmd->remote.port,
	};

	switch (cmd->op) {
	case TOYTCP_CTL_LISTEN:
		return toytcp_user_listen(tn, cmd->local.port, cmd->echo);
	case TOYTCP_CTL_UNLISTEN:
		return toytcp_user_close(tn, &key);
	case TOYTCP_CTL_CONNECT:
		return toytcp_user_connect(tn, cmd->remote.addr, cmd->remote.port,
					   cmd->local.port);
	case TOYTCP_CTL_SEND:
		return toytcp_user_send(tn, &key, cmd->data, cmd->len);
	case TOYTCP_CTL_CLOSE:
		return toytcp_user_close(tn, &key);
	case TOYTCP_CTL_ABORT:
		return toytcp_user_abort(tn, &key);
	case TOYTCP_CTL_DISABLE:
		WRITE_ONCE(tn->enabled, false);
		return 0;
	case TOYTCP_CTL_ENABLE:
		WRITE_ONCE(tn->enabled, true);
		return 0;
	case TOYTCP_CTL_KEEPALIVE:
		return toytcp_user_keepalive(tn, &key, cmd->on);
	case TOYTCP_CTL_NODELAY:
		return toytcp_user_nodelay(tn, &key, cmd->on);
	}
	return -EINVAL;
}
