# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: syn-flood: 8 SYNs from a forged address; b keeps 4 half-open (its backlog), answers the rest with SYN cookies and keeps nothing; a's real connect() is still served
# load: synack_retries=3 msl_ms=1000
# The flood comes from a (tools/seg.py, a raw socket writing its own IP
# header) with source 10.0.0.99, an address nobody holds: b's SYN,ACKs to
# it never leave b (no ARP answer). b's listening socket, listen(4),
# keeps 4 children in SYN_RECV; past that it answers each SYN with a
# SYN,ACK whose sequence number is a cookie (cookie.c) and forgets it. a's own SYN gets a cookie
# too; a's ACK brings it back, and only then does b make the connection:
# LISTEN -> SYN_RECV -> ESTABLISHED in one step, at the ACK.
# The 4 half-open children must still be there when a connects. They end
# when ARP for 10.0.0.99 gives up (3 tries, retrans_time_ms apart: the
# ICMP host unreachable that follows closes a SYN_RECV child, icmp.c), or
# after synack_retries; 1 s apart, 3 s was less than a busy TCG guest
# takes to start the flood's and a's programs: 5 s apart, and 3 retries.
# shellcheck disable=SC2016 # $d is the inner shell's
ip netns exec b sh -c 'for d in /proc/sys/net/ipv4/neigh/*/; do echo 5000 >"$d/retrans_time_ms"; done'
ip netns exec b python3 "$PROG" b listen:7:4 accept recv:5 eof close &
srv=$!
wait_conn b 0.0.0.0:7 0.0.0.0:0 state LISTEN
app a "raw socket: 8 SYNs, 10.0.0.99"
ip netns exec a python3 "$TOYTCP_TOP/scripts/tools/seg.py" send 10.0.0.99 "$B" \
	--forge --flags S --sport 50000 --ports 8 --seq 1000 || fail "seg.py"
sleep 0.5
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:7" send:5:hello close
wait "$srv"
for c in ListenOverflows SyncookiesSent SyncookiesRecv; do
	app b "stats: $c $(counter b $c)"
done
wait_conn a "$A:40001" "$B:7" state gone 10
end_capture
