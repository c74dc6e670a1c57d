// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the /proc/toytcp/ctl parser (suite toytcp_ctl) and the `listen`
 * module parameter's port list (suite toytcp_params).
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include "ctl.h"
#include "params.h"

#define IP(a, b, c, d)	htonl(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

struct ctl_case {
	const char *line;
	int ret;
	enum toytcp_ctl_op op;
	__be32 laddr;
	u16 lport;
	__be32 raddr;
	u16 rport;
	bool echo;
	const char *data;
	bool on;
};

static const struct ctl_case ctl_cases[] = {
	/* well-formed, one per command */
	{ "listen 7", 0, TOYTCP_CTL_LISTEN, 0, 7 },
	{ "listen 7\n", 0, TOYTCP_CTL_LISTEN, 0, 7 },
	{ "listen 65535 echo", 0, TOYTCP_CTL_LISTEN, 0, 65535, .echo = true },
	{ "  listen\t80  echo\t\n", 0, TOYTCP_CTL_LISTEN, 0, 80, .echo = true },
	{ "unlisten 7", 0, TOYTCP_CTL_UNLISTEN, 0, 7 },
	{ "connect 10.0.0.2:7", 0, TOYTCP_CTL_CONNECT, 0, 0, IP(10, 0, 0, 2), 7 },
	{ "connect 10.0.0.2:7 40001", 0, TOYTCP_CTL_CONNECT, 0, 40001, IP(10, 0, 0, 2), 7 },
	{ "send 10.0.0.1:40001 10.0.0.2:7 hello", 0, TOYTCP_CTL_SEND,
	  IP(10, 0, 0, 1), 40001, IP(10, 0, 0, 2), 7, .data = "hello" },
	{ "send 10.0.0.1:40001 10.0.0.2:7  two  spaces kept\n", 0, TOYTCP_CTL_SEND,
	  IP(10, 0, 0, 1), 40001, IP(10, 0, 0, 2), 7, .data = " two  spaces kept" },
	{ "close 10.0.0.1:40001 10.0.0.2:7", 0, TOYTCP_CTL_CLOSE,
	  IP(10, 0, 0, 1), 40001, IP(10, 0, 0, 2), 7 },
	{ "abort 0.0.0.0:7 0.0.0.0:0", 0, TOYTCP_CTL_ABORT, 0, 7, 0, 0 },
	{ "disable", 0, TOYTCP_CTL_DISABLE },
	{ "enable\n", 0, TOYTCP_CTL_ENABLE },
	{ "keepalive 10.0.0.1:40001 10.0.0.2:7 on", 0, TOYTCP_CTL_KEEPALIVE,
	  IP(10, 0, 0, 1), 40001, IP(10, 0, 0, 2), 7, .on = true },
	{ "keepalive 0.0.0.0:7 0.0.0.0:0 off\n", 0, TOYTCP_CTL_KEEPALIVE, 0, 7, 0, 0 },
	{ "nodelay 10.0.0.1:40001 10.0.0.2:7 on", 0, TOYTCP_CTL_NODELAY,
	  IP(10, 0, 0, 1), 40001, IP(10, 0, 0, 2), 7, .on = true },
	{ "nodelay 0.0.0.0:7 0.0.0.0:0 off", 0, TOYTCP_CTL_NODELAY, 0, 7, 0, 0 },
	/* malformed */
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "frobnicate", -EINVAL },
	{ "LISTEN 7", -EINVAL },
	{ "listen", -EINVAL },
	{ "listen 0", -EINVAL },
	{ "listen 65536", -EINVAL },
	{ "listen -1", -EINVAL },
	{ "listen +7", -EINVAL },
	{ "listen 7x", -EINVAL },
	{ "listen 7 echo extra", -EINVAL },
	{ "listen 7 ECHO", -EINVAL },
	{ "unlisten 7 echo", -EINVAL },
	{ "connect 10.0.0.2", -EINVAL },
	{ "connect 10.0.0.2:0", -EINVAL },
	{ "connect 10.0.0.256:7", -EINVAL },
	{ "connect 10.0.0:7", -EINVAL },
	{ "connect 10.0.0.2:7 0", -EINVAL },
	{ "connect 10.0.0.2:7 1 2", -EINVAL },
	{ "send 10.0.0.1:40001 10.0.0.2:7", -EINVAL },
	{ "send 10.0.0.1:40001 10.0.0.2:7 ", -EINVAL },
	{ "send 10.0.0.1:40001", -EINVAL },
	{ "close 10.0.0.1:40001", -EINVAL },
	{ "close 10.0.0.1:40001 10.0.0.2:7 now", -EINVAL },
	{ "abort 10.0.0.1 10.0.0.2:7", -EINVAL },
	{ "disable now", -EINVAL },
	{ "keepalive 10.0.0.1:40001 10.0.0.2:7", -EINVAL },
	{ "keepalive 10.0.0.1:40001 10.0.0.2:7 yes", -EINVAL },
	{ "keepalive 10.0.0.1:40001 10.0.0.2:7 on now", -EINVAL },
	{ "nodelay 10.0.0.1:40001 10.0.0.2:7", -EINVAL },
	{ "nodelay 10.0.0.1:40001 10.0.0.2:7 1", -EINVAL },
};

static void ctl_case_desc(const struct ctl_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->line);
	strreplace(desc, '\n', '$');
}

KUNIT_ARRAY_PARAM(ctl_parse, ctl_cases, ctl_case_desc);

static void toytcp_ctl_parse_test(struct kunit *test)
{
	const struct ctl_case *c = test->param_value;
	struct toytcp_ctl_cmd cmd;
	size_t len = strlen(c->line);
	char *buf;
	int ret;

	buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, c->line, len);

	ret = toytcp_ctl_parse(buf, len, &cmd);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret) {
		KUNIT_EXPECT_NOT_NULL(test, cmd.why);
		return;
	}
	KUNIT_EXPECT_EQ(test, cmd.op, c->op);
	KUNIT_EXPECT_EQ(test, cmd.local.addr, c->laddr);
	KUNIT_EXPECT_EQ(test, ntohs(cmd.local.port), c->lport);
	KUNIT_EXPECT_EQ(test, cmd.remote.addr, c->raddr);
	KUNIT_EXPECT_EQ(test, ntohs(cmd.remote.port), c->rport);
	KUNIT_EXPECT_EQ(test, cmd.echo, c->echo);
	KUNIT_EXPECT_EQ(test, cmd.on, c->on);
	if (c->data) {
		KUNIT_ASSERT_NOT_NULL(test, cmd.data);
		KUNIT_EXPECT_EQ(test, cmd.len, strlen(c->data));
		KUNIT_EXPECT_STREQ(test, cmd.data, c->data);
	} else {
		KUNIT_EXPECT_NULL(test, cmd.data);
	}
}

/* A NUL inside the written bytes must not cut the command short. */
static void toytcp_ctl_parse_nul_test(struct kunit *test)
{
	char buf[] = "listen 7\0echo";
	struct toytcp_ctl_cmd cmd;

	KUNIT_EXPECT_EQ(test, toytcp_ctl_parse(buf, sizeof(buf) - 1, &cmd), -EINVAL);
}

static void toytcp_parse_endpoint_test(struct kunit *test)
{
	struct toytcp_endpoint ep;

	KUNIT_ASSERT_EQ(test, toytcp_parse_endpoint("192.168.1.20:40001", &ep), 0);
	KUNIT_EXPECT_EQ(test, ep.addr, IP(192, 168, 1, 20));
	KUNIT_EXPECT_EQ(test, ep.port, htons(40001));
	KUNIT_EXPECT_EQ(test, toytcp_parse_endpoint("0.0.0.0:0", &ep), 0);
	KUNIT_EXPECT_EQ(test, ep.addr, 0);
	KUNIT_EXPECT_EQ(test, toytcp_parse_endpoint("1.2.3.4:", &ep), -EINVAL);
	KUNIT_EXPECT_EQ(test, toytcp_parse_endpoint(":7", &ep), -EINVAL);
	KUNIT_EXPECT_EQ(test, toytcp_parse_endpoint("1.2.3.4:7:8", &ep), -EINVAL);
	KUNIT_EXPECT_EQ(test, toytcp_parse_endpoint("1.2.3.4.5:7", &ep), -EINVAL);
}

static struct kunit_case toytcp_ctl_cases[] = {
	KUNIT_CASE_PARAM(toytcp_ctl_parse_test, ctl_parse_gen_params),
	KUNIT_CASE(toytcp_ctl_parse_nul_test),
	KUNIT_CASE(toytcp_parse_endpoint_test),
	{}
};

static struct kunit_suite toytcp_ctl_suite = {
	.name = "toytcp_ctl",
	.test_cases = toytcp_ctl_cases,
};

struct port_list_case {
	const char *s;
	int ret;
	u16 ports[4];
};

static const struct port_list_case port_list_cases[] = {
	{ NULL, 0 },
	{ "", 0 },
	{ "7", 1, { 7 } },
	{ "7,9,65535", 3, { 7, 9, 65535 } },
	{ "1,2,3,4", 4, { 1, 2, 3, 4 } },
	{ "1,2,3,4,5", -E2BIG },
	{ "0", -EINVAL },
	{ "65536", -EINVAL },
	{ "7,", -EINVAL },
	{ ",7", -EINVAL },
	{ "7,,9", -EINVAL },
	{ "7 9", -EINVAL },
	{ "+7", -EINVAL },
	{ "x", -EINVAL },
};

static void port_list_desc(const struct port_list_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->s ?: "(null)");
}

KUNIT_ARRAY_PARAM(port_list, port_list_cases, port_list_desc);

static void toytcp_parse_port_list_test(struct kunit *test)
{
	const struct port_list_case *c = test->param_value;
	u16 ports[4] = {};
	int i, ret;

	ret = toytcp_parse_port_list(c->s, ports, ARRAY_SIZE(ports));
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	for (i = 0; i < ret; i++)
		KUNIT_EXPECT_EQ(test, ports[i], c->ports[i]);
}

static struct kunit_case toytcp_params_cases[] = {
	KUNIT_CASE_PARAM(toytcp_parse_port_list_test, port_list_gen_params),
	{}
};

static struct kunit_suite toytcp_params_suite = {
	.name = "toytcp_params",
	.test_cases = toytcp_params_cases,
};

kunit_test_suites(&toytcp_ctl_suite, &toytcp_params_suite);
