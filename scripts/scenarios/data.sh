# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: data: seq 107 with 100 bytes is acknowledged 207; seq 301 with 200 bytes, 501
# load: msl_ms=500
# As the articles count, in Wireshark's relative numbers: a has sent 106
# bytes (seq 1..106), so its next 100 go at seq 107 and b acknowledges 207;
# b has sent 300, so its next 200 go at 301 and a acknowledges 501.
ip netns exec b python3 "$PROG" b listen:7 accept recv:106 send:300:b sleep:0.3 \
	recv:100 send:200:B "mark:$sync/sent" "wait:$sync/done" linger0 close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" send:106:a recv:300 \
	sleep:0.3 send:100:A recv:200 "mark:$sync/got" "wait:$sync/done" linger0 close &
cli=$!
while [ ! -e "$sync/sent" ] || [ ! -e "$sync/got" ]; do sleep 0.1; done
sleep 0.5	# the last ACKs
end_capture
touch "$sync/done"
wait "$srv" "$cli"
