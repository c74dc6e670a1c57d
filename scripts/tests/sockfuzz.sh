#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random socket calls (sockfuzz.py) from several processes at once, over
# loopback and between two namespaces, some killed midway, under the debug
# kernel. Nothing may be reported (vm-run: KASAN, lockdep, panic on warn)
# or leaked (kmemleak after rmmod); every connection must end.
# vm-timeout: 600 900
. "$(dirname "$0")/lib.sh"

A=10.0.0.1 B=10.0.0.2
two_hosts
load msl_ms=500 fin_timeout_ms=2000 rto_max_ms=1000 syn_retries=2 synack_retries=2 max_retries=3
fuzz=$TOYTCP_TOP/scripts/tests/sockfuzz.py
secs=$(sized 20 120)
procs=$(sized 3 6)

step "$procs processes in each of a and b, $secs s of random calls"
pids=()
for i in $(seq "$procs"); do
	ip netns exec a python3 "$fuzz" "$i" "$secs" 127.0.0.1 $A $B >"/tmp/fuzz-a$i" 2>&1 &
	pids+=($!)
	ip netns exec b python3 "$fuzz" "$((100 + i))" "$secs" 127.0.0.1 $B $A >"/tmp/fuzz-b$i" 2>&1 &
	pids+=($!)
done
step "one more, killed midway with its sockets open"
ip netns exec a python3 "$fuzz" 999 "$secs" 127.0.0.1 $A $B >/tmp/fuzz-k 2>&1 &
victim=$!
sleep "$((secs / 2))"
kill -9 $victim
for p in "${pids[@]}"; do
	wait "$p" || fail "a fuzzer failed"
done
cat /tmp/fuzz-a1
for f in /tmp/fuzz-a* /tmp/fuzz-b*; do
	figure "$(head -n 1 "$f")"
done

step "every connection ends"
wait_conns a 0 30
wait_conns b 0 30
unload || fail "rmmod"
echo "sockfuzz: ok"
