#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300 1800
# Fuzz: random and mutated segments (every flag combination, truncated,
# bad data offset, bad checksum, options, random and near-window seq/ack)
# from a raw socket in a, aimed at b's connections in every state. c's
# connections to b must still carry data after, b's stats must account for
# every segment, and the kernel must report nothing (vm-run).
. "$(dirname "$0")/lib.sh"

count=$(sized 20000 200000)
two_hosts
third_host
sysctl -qw net.core.netdev_max_backlog=1000000
# Long timers: the targets stay in their states while the fuzz runs.
load rto_ms=5000 rto_min_ms=5000 max_retries=30 msl_ms=600000 fin_timeout_ms=600000
ctl a disable || fail "disable in a"
"$STRESS" --seed "${TOYTCP_SEED:-1}" fuzz --count "$count" || fail "fuzz"
unload
echo PASS
