#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two hosts over veth, toytcp in both: handshake, echo, close from either
# side, simultaneous close through CLOSING, abort, refused connect,
# TIME_WAIT expiry; both sides' conns checked after every step.
. "$(dirname "$0")/lib.sh"

A=10.0.0.1 B=10.0.0.2
# both A_STATE B_STATE CLIENT_PORT [SECONDS]: wait for both ends' states
both() {
	wait_conn a "$A:$3" "$B:7" state "$1" "${4:-5}"
	wait_conn b "$B:7" "$A:$3" state "$2" "${4:-5}"
}

two_hosts
load msl_ms=2000
tr=/sys/kernel/tracing
echo 1 >$tr/events/toytcp/toytcp_set_state/enable

step "listen on b; a listener is listed with remote 0.0.0.0:0"
ctl b "listen 7 echo" || fail "listen"
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
expect_eq "listen twice" "$(ctl_errno b "listen 7")" EADDRINUSE

step "handshake: a connects from port 40001"
ctl a "connect $B:7 40001" || fail connect
both ESTABLISHED ESTABLISHED 40001
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
expect_eq "same 4-tuple again" "$(ctl_errno a "connect $B:7 40001")" EADDRINUSE
expect_eq "a ActiveOpens" "$(counter a ActiveOpens)" 1
expect_eq "b PassiveOpens" "$(counter b PassiveOpens)" 1
expect_eq "a CurrEstab" "$(counter a CurrEstab)" 1

step "data both ways: b echoes what a sends; b sends its own"
ctl a "send $A:40001 $B:7 hello, b" || fail "send a"
wait_conn b $B:7 $A:40001 rx_bytes 8
wait_conn a $A:40001 $B:7 rx_bytes 8
ctl b "send $B:7 $A:40001 hi a" || fail "send b"
wait_conn a $A:40001 $B:7 rx_bytes 12
wait_conn b $B:7 $A:40001 tx_bytes 12
wait_conn a $A:40001 $B:7 tx_bytes 8
both ESTABLISHED ESTABLISHED 40001
expect_eq "send to nobody" "$(ctl_errno a "send $A:40009 $B:7 x")" ENOENT

step "close from the client: b stays in CLOSE_WAIT until told"
ctl a "close $A:40001 $B:7" || fail close
both FIN_WAIT2 CLOSE_WAIT 40001
expect_eq "send after close" "$(ctl_errno a "send $A:40001 $B:7 x")" ENOTCONN
expect_eq "close twice" "$(ctl_errno a "close $A:40001 $B:7")" ENOTCONN
sleep 1
both FIN_WAIT2 CLOSE_WAIT 40001
ctl b "close $B:7 $A:40001" || fail "close b"
both TIME_WAIT gone 40001
expect_eq "a TimeWaited before 2*MSL" "$(counter a TimeWaited)" 0
wait_conn a $A:40001 $B:7 state gone 8
expect_eq "a TimeWaited" "$(counter a TimeWaited)" 1

step "close from the server"
ctl a "connect $B:7 40002" || fail connect
both ESTABLISHED ESTABLISHED 40002
ctl b "close $B:7 $A:40002" || fail "close b"
both CLOSE_WAIT FIN_WAIT2 40002
ctl a "close $A:40002 $B:7" || fail "close a"
both gone TIME_WAIT 40002
wait_conn b $B:7 $A:40002 state gone 8

step "simultaneous close: with 1 s of delay each way, the FINs cross"
ctl a "connect $B:7 40003" || fail connect
both ESTABLISHED ESTABLISHED 40003
tc -n a qdisc add dev va root netem delay 1000ms
tc -n b qdisc add dev vb root netem delay 1000ms
echo >$tr/trace
ctl a "close $A:40003 $B:7" || fail "close a"
ctl b "close $B:7 $A:40003" || fail "close b"
both TIME_WAIT TIME_WAIT 40003 10
for side in "$A:40003 remote=$B:7" "$B:7 remote=$A:40003"; do
	for t in "ESTABLISHED -> FIN_WAIT1" "FIN_WAIT1 -> CLOSING" "CLOSING -> TIME_WAIT"; do
		grep -q "local=${side} $t" $tr/trace || fail "no '$t' for $side in the trace"
	done
done
tc -n a qdisc del dev va root
tc -n b qdisc del dev vb root
wait_conn a $A:40003 $B:7 state gone 8
wait_conn b $B:7 $A:40003 state gone 8

step "abort: a resets, b's connection disappears"
ctl a "connect $B:7 40004" || fail connect
both ESTABLISHED ESTABLISHED 40004
rsts=$(counter a OutRsts)
ctl a "abort $A:40004 $B:7" || fail abort
both gone gone 40004
expect_eq "a OutRsts" "$(counter a OutRsts)" $((rsts + 1))
expect_eq "b EstabResets" "$(counter b EstabResets)" 1
expect_eq "abort again" "$(ctl_errno a "abort $A:40004 $B:7")" ENOENT

step "connect to a port nobody listens on: RST, and the attempt is gone"
ctl a "connect $B:9 40005" || fail connect
wait_conn a $A:40005 $B:9 state gone
expect_eq "a AttemptFails" "$(counter a AttemptFails)" 1
expect_eq "b OutRsts" "$(counter b OutRsts)" 1

step "unlisten: the listener goes, established children stay"
ctl a "connect $B:7 40006" || fail connect
both ESTABLISHED ESTABLISHED 40006
ctl b "unlisten 7" || fail unlisten
wait_conn b 0.0.0.0:7 0.0.0.0:0 state gone
both ESTABLISHED ESTABLISHED 40006
expect_eq "unlisten again" "$(ctl_errno b "unlisten 7")" ENOENT
ctl a "connect $B:7 40007" || fail connect
wait_conn a $A:40007 $B:7 state gone

step "unload with a connection still established"
echo 0 >$tr/events/toytcp/toytcp_set_state/enable
expect_eq "CurrEstab a" "$(counter a CurrEstab)" 1
unload
echo PASS
