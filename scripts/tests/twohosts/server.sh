#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two hosts, the server's VM: 10.1.0.1 on eth0, echo listener on port 7.
# Waits for the client's connection to arrive, carry data and close, then
# closes its side; then a socket program (scripts/echo-server) serves one
# connection of a socket client; passes when both are done.
. "$(dirname "$0")/../lib.sh"

ip addr add 10.1.0.1/24 dev eth0
ip link set eth0 up
load msl_ms=1000
ctl "" "listen 7 echo" || fail listen
echo "server: listening"
c=(10.1.0.1:7 10.1.0.2:40001)
wait_conn "" "${c[@]}" state ESTABLISHED 60
echo "server: ESTABLISHED"
wait_conn "" "${c[@]}" rx_bytes 19 20
echo "server: got 19 bytes, echoed them"
wait_conn "" "${c[@]}" state CLOSE_WAIT 20
echo "server: CLOSE_WAIT"
ctl "" "close ${c[*]}" || fail close
wait_conn "" "${c[@]}" state gone 20
echo "server: gone (LAST_ACK done)"
echo "server: a socket program serves port 8"
"$TOYTCP_TOP/scripts/echo-server" --once --port 8 || fail "echo-server"
unload
echo PASS
