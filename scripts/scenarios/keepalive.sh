# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: keepalive: an idle connection probed every second and answered; then the answers are lost, and after 3 unanswered probes a gives up with a reset
# load: msl_ms=1000
# a's program turns keepalive on (idle 1 s, a probe every 1 s, 3 probes)
# and waits for data that never comes. A probe is a segment one below
# SND.UNA, no data (Linux's tcp_xmit_probe_skb()), which Wireshark calls
# [TCP Keep-Alive]; b's answer is a bare ACK of its RCV.NXT. After
# two (or more) answered probes, the network loses every bare ACK toward
# a: the next three probes go unanswered, and a ends the connection with a
# reset (recv() fails with ETIMEDOUT), which ends b's as well.
ip netns exec b python3 "$PROG" b listen:7 accept eof close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" keepalive:1:1:3 eof close &
cli=$!
# Two probes answered (TCPKeepAlive counts a's probes), then the network
# loses b's answers.
for _ in $(seq 100); do [ "$(counter a TCPKeepAlive)" -ge 2 ] && break; sleep 0.1; done
sleep 0.1
lose a 0x10
wait "$cli"
wait "$srv"
lost a
wait_conn a "$A:40001" "$B:7" state gone 10
wait_conn b "$B:7" "$A:40001" state gone 10
end_capture
