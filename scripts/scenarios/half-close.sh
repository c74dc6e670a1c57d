# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: half-close: the client sends its request and shutdown(SHUT_WR); the server, its FIN received, still sends its answer, then closes
# load: msl_ms=1000
# The connection is half-closed: a's FIN says it will send no more, yet
# b, in CLOSE_WAIT, sends 300 bytes that a (FIN_WAIT2) takes in and
# acknowledges, before b's own FIN.
ip netns exec b python3 "$PROG" b listen:7 accept eof sleep:0.3 send:300:answer sleep:0.3 close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" send:20:request sleep:0.3 \
	shutdown recv:300 eof close
wait "$srv"
wait_conn a "$A:40001" "$B:7" state gone 10
end_capture
