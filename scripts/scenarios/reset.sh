# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: reset: the client aborts (SO_LINGER 0, then close()): one RST, and the server's next recv() fails with ECONNRESET
# load: msl_ms=500
ip netns exec b python3 "$PROG" b listen:7 accept "mark:$sync/accepted" recv:10 &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" "wait:$sync/accepted" sleep:0.3 \
	linger0 close
wait "$srv"
end_capture
