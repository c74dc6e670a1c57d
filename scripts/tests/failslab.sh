#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400 900
# Allocation failures: failslab fails 20% of the GFP_ATOMIC slab
# allocations made with toytcp on the stack (connections, send buffers,
# segments, and what IP allocates to send them), while the faults workload
# runs: every connection must still open, echo 10 KiB intact and close.
# Each failure is one path toytcp must handle; kmemleak checks the rest.
. "$(dirname "$0")/lib.sh"

conns=$(sized 20 100)
two_hosts
# rto_max_ms 2000, as in faults.sh: with the default 120 s, one run took 707 s.
load rto_ms=200 rto_max_ms=2000 max_retries=15 msl_ms=500
read -r size base < <(awk '$1 == "toytcp" { print $2, $6 }' /proc/modules)
fs=/sys/kernel/debug/failslab
# Only toytcp is loaded: its module memory is the one range to fail in.
echo "$base" >$fs/require-start
python3 -c "print(hex($base + $size))" >$fs/require-end
echo 40 >$fs/stacktrace-depth
echo Y >$fs/ignore-gfp-wait
echo 0 >$fs/verbose
echo 1 >$fs/interval
echo 1000000 >$fs/times
echo 20 >$fs/probability
"$STRESS" --seed "${TOYTCP_SEED:-1}" faults --conns "$conns" --bytes 10240 --timeout 600 ||
	fail "faults under failslab"
echo 0 >$fs/probability
injected=$((1000000 - $(cat $fs/times)))
figure "failslab: $injected allocations failed; b: TCPRcvQDrop $(counter b TCPRcvQDrop)," \
	"ListenDrops $(counter b ListenDrops)"
[ "$injected" -gt 0 ] || fail "no allocation was failed: the filter missed toytcp"
unload
echo PASS
