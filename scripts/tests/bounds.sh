#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bounds: max_conns refuses connections past it on both sides (counted as
# ConnOverflows, and ListenDrops on a listener); max_timewait closes at
# once the connections that would wait past it (TCPTimeWaitOverflow),
# while their last ACK still goes out.
. "$(dirname "$0")/lib.sh"

A=10.0.0.1 B=10.0.0.2
two_hosts
load max_conns=4 max_timewait=2 msl_ms=60000

step "max_conns=4: a fifth connect is refused with ENOBUFS"
ctl b "listen 7" || fail "listen"
for p in 40001 40002 40003 40004; do
	ctl a "connect $B:7 $p" || fail "connect $p"
	wait_conn b $B:7 $A:$p state ESTABLISHED
done
expect_eq "fifth connect" "$(ctl_errno a "connect $B:7 40005")" ENOBUFS
expect_eq "a ConnOverflows" "$(counter a ConnOverflows)" 1

step "b is full too: a SYN from elsewhere is dropped unanswered"
nsdo a "$SEG" send $A $B --sport 50000 --dport 7 --flags S
sleep 0.5
expect_eq "b ListenDrops" "$(counter b ListenDrops)" 1
expect_eq "b ConnOverflows" "$(counter b ConnOverflows)" 1
expect_eq "no child" "$(conn_field b $B:7 $A:50000 state)" gone

step "max_timewait=2: of four active closes, two wait and two close at once"
for p in 40001 40002 40003 40004; do
	ctl a "close $A:$p $B:7" || fail "close a $p"
	wait_conn b $B:7 $A:$p state CLOSE_WAIT
	ctl b "close $B:7 $A:$p" || fail "close b $p"
done
for p in 40001 40002 40003 40004; do
	# b's LAST_ACK got its ACK in every case: the ACK is sent either way.
	wait_conn b $B:7 $A:$p state gone
done
expect_eq "a in TIME_WAIT" "$(nsdo a grep -c TIME_WAIT /proc/toytcp/conns)" 2
expect_eq "a TCPTimeWaitOverflow" "$(counter a TCPTimeWaitOverflow)" 2

step "the charges came back: four connections fit again, less the two waiting"
ctl a "connect $B:7 40011" || fail "connect after close"
ctl a "connect $B:7 40012" || fail "connect after close"
expect_eq "and no more" "$(ctl_errno a "connect $B:7 40013")" ENOBUFS
unload
echo PASS
