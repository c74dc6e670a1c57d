# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: close-client: the client closes first: FIN, ACK; the server's program closes: FIN, ACK; TIME_WAIT
# load: msl_ms=1000
# b's program reads to the end of the stream: recv() returns 0 when a's FIN
# is in, and b stays in CLOSE_WAIT until its program calls close(). a
# waits out TIME_WAIT (2 x msl_ms = 2 s) before the connection is gone.
ip netns exec b python3 "$PROG" b listen:7 accept eof sleep:0.5 close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" sleep:0.3 close
wait "$srv"
wait_conn a "$A:40001" "$B:7" state gone 10
end_capture
