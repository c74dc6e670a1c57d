#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hook takes protocol-253 segments only, per namespace, and lets every
# other packet through; `disable` hands protocol 253 back to the stack.
# The segments sent are RSTs, which toytcp never answers, so that every
# count below is of what was sent.
. "$(dirname "$0")/lib.sh"

two_hosts
load

step "other traffic passes untouched"
nsdo a ping -c 2 -W 2 10.0.0.2 >/dev/null || fail "ping a -> b"
nsdo b ping -c 2 -W 2 10.0.0.1 >/dev/null || fail "ping b -> a"
rm -f /tmp/udp.ready
nsdo b python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.0.0.2", 9)); s.settimeout(3)
open(sys.argv[1], "w").close()
print(s.recv(100).decode())' /tmp/udp.ready >/tmp/udp.out &
wait_ready /tmp/udp.ready
nsdo a python3 -c '
import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"udp ok", ("10.0.0.2", 9))'
wait $! || fail "UDP a -> b"
expect_eq "UDP payload" "$(cat /tmp/udp.out)" "udp ok"
expect_eq "b InSegs after ping and UDP" "$(counter b InSegs)" 0

step "protocol 253 is taken by toytcp in b, counted in b only"
rm -f /tmp/raw.ready
nsdo b "$SEG" recv --timeout 3 --ready /tmp/raw.ready >/tmp/raw.out &
rawpid=$!
wait_ready /tmp/raw.ready
nsdo a "$SEG" send 10.0.0.1 10.0.0.2 --flags R --count 5
sleep 1
expect_eq "b InSegs" "$(counter b InSegs)" 5
expect_eq "a InSegs" "$(counter a InSegs)" 0
expect_eq "init InSegs" "$(counter "" InSegs)" 0
if wait $rawpid; then fail "a raw socket in b saw a segment toytcp took: $(cat /tmp/raw.out)"; fi

step "disabled in b: raw sockets there see protocol 253, toytcp counts nothing"
ctl b disable || fail "disable"
rm -f /tmp/raw.ready
nsdo b "$SEG" recv --timeout 5 --count 2 --ready /tmp/raw.ready >/tmp/raw.out &
rawpid=$!
wait_ready /tmp/raw.ready
nsdo a "$SEG" send 10.0.0.1 10.0.0.2 --count 2 --flags SA --data hi
wait $rawpid || fail "raw socket in b got $(wc -l </tmp/raw.out) of 2 segments"
grep -q '10.0.0.1:40000 > 10.0.0.2:7 SA seq=1000 ack=0 len=2' /tmp/raw.out ||
	fail "raw socket saw: $(cat /tmp/raw.out)"
expect_eq "b InSegs while disabled" "$(counter b InSegs)" 5

step "a is still enabled: disable is per namespace"
nsdo b "$SEG" send 10.0.0.2 10.0.0.1 --flags R --count 3
sleep 1
expect_eq "a InSegs" "$(counter a InSegs)" 3

step "enabled again in b"
ctl b enable || fail "enable"
nsdo a "$SEG" send 10.0.0.1 10.0.0.2 --flags R
sleep 1
expect_eq "b InSegs" "$(counter b InSegs)" 6

step "a namespace with toytcp state can be deleted, then the module unloaded"
ip netns del b
ip netns del a
unload
echo PASS
