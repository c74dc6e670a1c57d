# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: simultaneous-open: both programs connect() to each other at once; the SYNs cross, both sides pass through SYN_RECV, no listener anywhere
# load: msl_ms=1000
# Each program binds its own port and connects to the other's; the network
# delays each segment by 100 ms (netem), so that the two SYNs cross. Each
# side answers the SYN it gets in SYN_SENT with a SYN,ACK (RFC 793 Figure
# 8) and enters SYN_RECV; each SYN,ACK then takes its receiver to
# ESTABLISHED. Then a closes, as in close-client.
delay 100
ip netns exec b python3 "$PROG" b bind:40002 "mark:$sync/b" "wait:$sync/a" \
	"connect:$A:40001" eof close &
other=$!
ip netns exec a python3 "$PROG" a bind:40001 "mark:$sync/a" "wait:$sync/b" \
	"connect:$B:40002" sleep:0.3 close
wait "$other"
wait_conn a "$A:40001" "$B:40002" state gone 10
wait_conn b "$B:40002" "$A:40001" state gone 10
end_capture
