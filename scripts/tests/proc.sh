#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc/toytcp: SPEC's file names, counters, errnos and namespace scope.
. "$(dirname "$0")/lib.sh"

load
ip netns add x
ip -n x link set lo up

step "conns starts with its header"
expect_eq "conns header" "$(head -n 1 /proc/toytcp/conns | awk '{ print $1, $2, $3 }')" "local remote state"
expect_eq "conns lines" "$(wc -l </proc/toytcp/conns)" 1

step "stats has every counter SPEC names, all zero"
for n in ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs \
	OutSegs RetransSegs InErrs InCsumErrors OutRsts TimeWaited; do
	expect_eq "$n" "$(counter "" $n)" 0
	expect_eq "$n in x" "$(counter x $n)" 0
done

step "ctl: errnos"
expect_eq "unknown command" "$(ctl_errno "" frobnicate)" EINVAL
expect_eq "empty command" "$(ctl_errno "" "")" EINVAL
expect_eq "malformed listen" "$(ctl_errno "" "listen 0")" EINVAL
expect_eq "trailing junk" "$(ctl_errno "" "disable now")" EINVAL
expect_eq "enable" "$(ctl_errno "" enable)" OK
expect_eq "without CAP_NET_ADMIN" \
	"$(setpriv --inh-caps=-net_admin --bounding-set=-net_admin bash -c '. '"$TOYTCP_TOP"'/scripts/tests/lib.sh; ctl_errno "" enable')" EPERM
if cat /proc/toytcp/ctl 2>/dev/null; then fail "ctl is readable"; fi

step "ctl acts in the writer's namespace (RSTs: never answered)"
ctl x disable || fail "disable in x"
nsdo x "$SEG" send 127.0.0.1 127.0.0.1 --flags R
expect_eq "x InSegs while disabled" "$(counter x InSegs)" 0
"$SEG" send 127.0.0.1 127.0.0.1 --flags R --count 2
expect_eq "init InSegs" "$(counter "" InSegs)" 2
ctl x enable || fail "enable in x"
nsdo x "$SEG" send 127.0.0.1 127.0.0.1 --flags R
expect_eq "x InSegs" "$(counter x InSegs)" 1

step "ctl acts in the namespace of the process that opened it (SPEC §4)"
nsdo x python3 -c '
import ctypes, os
fd = os.open("/proc/toytcp/ctl", os.O_WRONLY)
init = os.open("/proc/1/ns/net", os.O_RDONLY)
assert ctypes.CDLL(None).setns(init, 0x40000000) == 0
os.write(fd, b"listen 4242")
' || fail "listen through an fd opened in x"
wait_conn x 0.0.0.0:4242 0.0.0.0:0 state LISTEN
expect_eq "init has no 4242" "$(conn_field "" 0.0.0.0:4242 0.0.0.0:0 state)" gone

step "an open stats file keeps its namespace"
nsdo x python3 -c '
import os, subprocess, sys
f = open("/proc/toytcp/stats")
subprocess.run(["ip", "netns", "del", "x"], check=True)
text = f.read()
assert "InSegs 1" in text, text
' || fail "reading stats of a deleted namespace"

unload
echo PASS
