# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: simultaneous-close: both programs close at once; the FINs cross, both sides pass through CLOSING to TIME_WAIT
# load: msl_ms=1000
# The network delays each segment by 100 ms (netem), so that two close()
# calls made within a few ms of each other send FINs that cross.
delay 100
ip netns exec b python3 "$PROG" b listen:7 accept "mark:$sync/b" "wait:$sync/a" close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" "wait:$sync/b" sleep:0.3 \
	"mark:$sync/a" close
wait "$srv"
wait_conn a "$A:40001" "$B:7" state gone 10
wait_conn b "$B:7" "$A:40001" state gone 10
end_capture
