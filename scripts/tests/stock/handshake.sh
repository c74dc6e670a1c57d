#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On Debian's stock kernel: toytcp built against linux-headers-amd64 loads,
# completes a handshake, carries data, closes, passes the socket API
# conformance suite as Linux TCP does, and unloads.
. "$(dirname "$0")/../lib.sh"

echo "kernel $(uname -r)"
two_hosts
load msl_ms=1000
ctl b "listen 7 echo" || fail listen
ctl a "connect 10.0.0.2:7 40001" || fail connect
wait_conn a 10.0.0.1:40001 10.0.0.2:7 state ESTABLISHED
wait_conn b 10.0.0.2:7 10.0.0.1:40001 state ESTABLISHED
echo "handshake done"
ctl a "send 10.0.0.1:40001 10.0.0.2:7 stock kernel" || fail send
wait_conn a 10.0.0.1:40001 10.0.0.2:7 rx_bytes 12
echo "12 bytes echoed"
ctl a "close 10.0.0.1:40001 10.0.0.2:7" || fail close
wait_conn b 10.0.0.2:7 10.0.0.1:40001 state CLOSE_WAIT
ctl b "close 10.0.0.2:7 10.0.0.1:40001" || fail close
wait_conn a 10.0.0.1:40001 10.0.0.2:7 state gone 10
echo "closed, TIME_WAIT over"
sockapi_both
for _ in $(seq 50); do
	[ "$(nsdo t grep -c . /proc/toytcp/conns)" = 1 ] && break
	sleep 0.2
done
unload
echo PASS
