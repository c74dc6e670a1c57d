#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two hosts, the client's VM: 10.1.0.2 on eth0. Connects to the server
# (again, while the server is still starting and answers RST), sends data,
# checks the echo, closes; passes when TIME_WAIT has run out and a socket
# program (scripts/echo-client) got its echo from the server's.
. "$(dirname "$0")/../lib.sh"

ip addr add 10.1.0.2/24 dev eth0
ip link set eth0 up
load msl_ms=3000
c=(10.1.0.2:40001 10.1.0.1:7)
i=0
until [ "$(conn_field "" "${c[@]}" state)" = ESTABLISHED ]; do
	[ $i -lt 60 ] || fail "no connection to the server after 60 tries"
	ctl "" "connect 10.1.0.1:7 40001" || true
	sleep 1
	i=$((i + 1))
done
echo "client: ESTABLISHED"
ctl "" "send ${c[*]} hello over the wire" || fail send
wait_conn "" "${c[@]}" rx_bytes 19 20
echo "client: 19 bytes came back"
ctl "" "close ${c[*]}" || fail close
# FIN_WAIT2 may last no longer than the server takes to close: wait for
# TIME_WAIT, which lasts 2 * msl_ms = 6 s.
wait_conn "" "${c[@]}" state TIME_WAIT 30
echo "client: TIME_WAIT"
wait_conn "" "${c[@]}" state gone 10
echo "client: gone"
# A socket program (scripts/echo-client), once the server's is up.
for _ in $(seq 60); do
	out=$("$TOYTCP_TOP/scripts/echo-client" 10.1.0.1 --port 8 "hello over a socket" 2>&1) && break
	sleep 1
done
echo "$out"
grep -q "got back 'hello over a socket'" <<<"$out" || fail "no echo over a socket"
unload
echo PASS
