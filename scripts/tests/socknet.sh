#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sockets over a bad link and a dead peer (namespaces a and b): 1 MiB each
# way under netem loss, duplication and reordering, sha256-checked; a
# connect() that no SYN,ACK answers fails with ETIMEDOUT; keepalive at the
# socket's own settings finds a peer gone and the next call fails with
# ETIMEDOUT; a namespace deleted while its process holds sockets.
# vm-timeout: 600 900
. "$(dirname "$0")/lib.sh"

B=10.0.0.2
two_hosts
load msl_ms=1000 rto_min_ms=50
out=$(mktemp -d)
size=$(sized 1048576 8388608)

step "$size bytes each way under loss 2%, duplication 1%, reordering"
ip netns exec a tc qdisc add dev va root netem delay 5ms loss 2% duplicate 1% reorder 10% 50%
ip netns exec b tc qdisc add dev vb root netem delay 5ms loss 2% duplicate 1% reorder 10% 50%
sockcat_both_ways "$size" 300
figure "netem: $size bytes each way in $SOCKCAT_SECS s," \
	"$(counter a RetransSegs) + $(counter b RetransSegs) retransmitted"
ip netns exec a tc qdisc del dev va root
ip netns exec b tc qdisc del dev vb root

step "connect() to a peer that never answers: ETIMEDOUT once syn_retries run out"
echo 1 >/sys/module/toytcp/parameters/syn_retries
echo 200 >/sys/module/toytcp/parameters/rto_ms
ip netns exec b tc qdisc add dev vb root netem loss 100%
got=$(ip netns exec a python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
try:
    s.connect((sys.argv[1], 9))
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])' $B)
expect_eq "connect()" "$got" ETIMEDOUT

step "keepalive (KEEPIDLE 1 s, KEEPINTVL 1 s, KEEPCNT 2) finds the peer gone: ETIMEDOUT"
ip netns exec b tc qdisc del dev vb root
ctl b "listen 8" || fail "listen 8"
got=$(ip netns exec a python3 -c '
import errno, socket, subprocess, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
for opt, val in ((4, 1), (5, 1), (6, 2)):
    s.setsockopt(253, opt, val)
s.connect((sys.argv[1], 8))
subprocess.run(["ip", "netns", "exec", "b", "tc", "qdisc", "add", "dev", "vb", "root",
                "netem", "loss", "100%"], check=True)
t = time.time()
s.settimeout(30)
try:
    s.recv(10)
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, e), round(time.time() - t))' $B)
case "$got" in
ETIMEDOUT\ [2-9]) ;;
*) fail "recv() with the peer gone: got '$got', want ETIMEDOUT after 3 s or so" ;;
esac
[ "$(counter a TCPKeepAlive)" -ge 2 ] || fail "TCPKeepAlive: $(counter a TCPKeepAlive)"
ip netns exec b tc qdisc del dev vb root

step "a namespace deleted while its process holds sockets"
ip netns add c
ip -n c link set lo up
ip netns exec c python3 -c '
import socket, time
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
lst.bind(("127.0.0.1", 7000))
lst.listen(64)
socks = []
for i in range(50):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
    c.connect(("127.0.0.1", 7000))
    c.sendall(b"x" * 1000)
    socks.append(c)
print("holding", flush=True)
time.sleep(300)' >"$out/c" &
holder=$!
for _ in $(seq 100); do grep -q holding "$out/c" && break; sleep 0.2; done
grep -q holding "$out/c" || fail "the holder did not start"
ip netns del c
kill -9 $holder
wait $holder 2>/dev/null || true
echo "sockets closed with the process; the namespace goes with its last one"

n=$(sized 1000 4000)
ulimit -n 65536
step "$n connected sockets closed at once, by the end of their process"
ip netns exec b python3 -c '
import socket, sys
n = int(sys.argv[1])
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
lst.bind(("127.0.0.1", 7001))
lst.listen(n)
cs, ss = [], []
for i in range(n):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
    c.connect(("127.0.0.1", 7001))
    cs.append(c)
    ss.append(lst.accept()[0])
print(len(cs), "pairs open; exiting")' "$n" || fail "open $n pairs"
for _ in $(seq 150); do
	[ "$(nsdo b grep -c . /proc/toytcp/conns)" -le 2 ] && break
	sleep 0.2
done
nsdo b grep -c . /proc/toytcp/conns

step "nothing left: rmmod is clean"
ctl b "unlisten 8"
for _ in $(seq 100); do
	[ "$(nsdo a grep -c . /proc/toytcp/conns)$(nsdo b grep -c . /proc/toytcp/conns)" = 11 ] && break
	sleep 0.2
done
for _ in $(seq 100); do
	rmmod toytcp 2>/dev/null && break
	sleep 0.2
done
[ ! -d /sys/module/toytcp ] || fail "rmmod"
echo "socknet: ok"
