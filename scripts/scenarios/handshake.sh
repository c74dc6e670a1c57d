# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: handshake: connect() and accept() make the three-way handshake: SYN, SYN+ACK, ACK
# load: msl_ms=500
ip netns exec b python3 "$PROG" b listen:7 accept "mark:$sync/accepted" "wait:$sync/done" linger0 close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" "mark:$sync/connected" \
	"wait:$sync/done" linger0 close &
cli=$!
while [ ! -e "$sync/accepted" ] || [ ! -e "$sync/connected" ]; do sleep 0.1; done
end_capture
touch "$sync/done"
wait "$srv" "$cli"
