# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: lost-final-ack: a's last ACK is lost on the way; b sends its FIN again, a in TIME_WAIT acknowledges it again and starts 2 MSL over
# load: msl_ms=4000 rto_min_ms=6000
# a closes first and reaches FIN_WAIT2. Then the network (the bridge
# between the hosts) drops the next bare ACK toward b, which is a's answer
# to b's FIN: a enters TIME_WAIT believing all is done, b stays in
# LAST_ACK. b's retransmission timer (6 s: `lost` spawns tc twice, about
# a second each under TCG, to take the filter away first) sends the FIN
# again; "The only
# thing that can arrive in this state is a retransmission of the remote
# FIN. Acknowledge it, and restart the 2 MSL timeout." (RFC 793 p.73). a's
# TIME_WAIT (8 s, 2 x msl_ms, longer than b's timer) then lasts 8 s from
# that second ACK, not from the first.
ip netns exec b python3 "$PROG" b listen:7 accept eof "mark:$sync/b" "wait:$sync/lose" close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" sleep:0.3 close
wait_conn a "$A:40001" "$B:7" state FIN_WAIT2
for _ in $(seq 50); do [ -e "$sync/b" ] && break; sleep 0.1; done
lose b 0x10
touch "$sync/lose"
lost b
wait "$srv"
wait_conn b "$B:7" "$A:40001" state gone 10
wait_conn a "$A:40001" "$B:7" state gone 10
end_capture
