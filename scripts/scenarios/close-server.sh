# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: close-server: the server answers and closes first; the client's recv() returns 0 and it stays in CLOSE_WAIT until it closes
# load: msl_ms=1000
ip netns exec b python3 "$PROG" b listen:7 accept recv:5 send:6:reply. close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" send:5:ask.. recv:6 eof sleep:0.5 close
wait "$srv"
wait_conn b "$B:7" "$A:40001" state gone 10
end_capture
