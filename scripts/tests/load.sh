#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly; its files and parameters are SPEC's.
. "$(dirname "$0")/lib.sh"

step "load with default parameters"
load
for f in conns stats ctl; do
	[ -e /proc/toytcp/$f ] || fail "/proc/toytcp/$f missing"
done
expect_eq "conns mode" "$(stat -c %a /proc/toytcp/conns)" 444
expect_eq "stats mode" "$(stat -c %a /proc/toytcp/stats)" 444
expect_eq "ctl mode" "$(stat -c %a /proc/toytcp/ctl)" 200
p=/sys/module/toytcp/parameters
expect_eq msl_ms "$(cat $p/msl_ms)" 30000
expect_eq rto_ms "$(cat $p/rto_ms)" 1000
expect_eq "listen mode" "$(stat -c %a $p/listen)" 444

step "msl_ms is writable at run time, within bounds"
echo 500 >$p/msl_ms
expect_eq msl_ms "$(cat $p/msl_ms)" 500
if echo 0 >$p/msl_ms 2>/dev/null; then fail "msl_ms=0 accepted"; fi
expect_eq msl_ms "$(cat $p/msl_ms)" 500

step "unload removes /proc/toytcp"
unload
[ ! -e /proc/toytcp ] || fail "/proc/toytcp still there after rmmod"

step "load with parameters"
load msl_ms=1000 rto_ms=200 listen=7,9
expect_eq msl_ms "$(cat $p/msl_ms)" 1000
expect_eq rto_ms "$(cat $p/rto_ms)" 200
expect_eq listen "$(cat $p/listen)" 7,9
unload

step "malformed parameters refuse to load"
for bad in listen=0 listen=7,,9 listen=x listen=70000 msl_ms=0 rto_ms=-1; do
	if load $bad 2>/dev/null; then unload; fail "loaded with $bad"; fi
done
[ ! -e /proc/toytcp ] || fail "/proc/toytcp left behind by a failed load"

step "load and unload 20 times"
i=0
while [ $i -lt 20 ]; do load; unload; i=$((i + 1)); done
echo PASS
