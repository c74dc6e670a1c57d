#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400 2400
# Teardown under load: rmmod while thousands of connections are live, with
# retransmission and TIME_WAIT timers armed and data flowing; load and
# unload over and over under traffic; delete namespaces that hold live
# connections. Nothing may be reported, leaked (kmemleak) or left behind.
. "$(dirname "$0")/lib.sh"

conns=$(sized 1000 10000)
cycles=$(sized 10 100)
A=10.0.0.1 B=10.0.0.2
two_hosts
# 20 ms each way: segments are in flight and retransmission timers armed.
tc -n a qdisc add dev va root netem delay 20ms limit 100000

step "rmmod with $conns live connections, timers armed, traffic flowing"
load max_conns=20000 backlog=20000 msl_ms=60000 rto_ms=300
ctl b "listen 7 echo" || fail "listen"
"$STRESS" connect --ns a --to $B:7 --local $A --count "$conns" --data 200 --close 25 ||
	fail "connect"
sleep 1
"$STRESS" close --ns b --state CLOSE_WAIT || fail "close in b"
"$STRESS" traffic --ns a --seconds 600 &
traffic=$!
sleep 2
live=$(nsdo a grep -c . /proc/toytcp/conns || true)
# shellcheck disable=SC2016 # an awk program: $12 is its field, timer
armed=$(nsdo a awk 'NR > 1 && $12 != "-"' /proc/toytcp/conns | wc -l)
tw=$(nsdo a grep -c TIME_WAIT /proc/toytcp/conns || true)
s=$(date +%s%N)
unload
figure "rmmod with $((live - 1)) connections in a ($armed timers armed, $tw in TIME_WAIT)" \
	"and b's as many: $(( ($(date +%s%N) - s) / 1000000 )) ms"
wait $traffic

step "load and unload $cycles times under traffic"
s=$(date +%s)
i=0
while [ $i -lt "$cycles" ]; do
	load rto_ms=100
	ctl b "listen 7 echo" || fail "listen ($i)"
	j=0
	while [ $j -lt 5 ]; do
		ctl a "connect $B:7 $((30000 + j))" || fail "connect ($i)"
		ctl a "send $A:$((30000 + j)) $B:7 hello-$i-$j" || true
		j=$((j + 1))
	done
	unload
	i=$((i + 1))
done
figure "$cycles load/unload cycles with 5 connections each: $(( $(date +%s) - s ))s"

step "delete namespaces with live connections"
load rto_ms=200
ctl b "listen 7 echo" || fail "listen"
"$STRESS" connect --ns a --to $B:7 --local $A --count 200 --data 500 || fail "connect"
ip netns del a
sleep 1
figure "b after a went away: $(nsdo b grep -c ESTABLISHED /proc/toytcp/conns || true) ESTABLISHED"
ip netns del b
sleep 2
unload
echo PASS
