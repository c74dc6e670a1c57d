#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sockets over a bad link and a dead peer (namespaces a and b): 1 MiB each
# way under netem loss, duplication and reordering, sha256-checked; ICMP
# errors: a connect() that one answers fails with its errno, a guessed one
# is ignored, one about a connection is kept for SO_ERROR and the timeout;
# a connect() that no SYN,ACK answers fails with ETIMEDOUT; keepalive at
# the socket's own settings finds a peer gone and the next call fails with
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

# icmp_helper NAME ARGS...: seg.py icmp in b, in the background (pid in
# ICMP_PID, output in $out/NAME); returns once its raw socket is open
icmp_helper() {
	local name=$1
	shift
	ip netns exec b python3 "$SEG" icmp "$@" >"$out/$name" &
	ICMP_PID=$!
	for _ in $(seq 100); do grep -q ready "$out/$name" && return 0; sleep 0.1; done
	fail "seg.py icmp did not start"
}

# timed_connect: connect() from a to b's port 9: "OK", or "ERRNO after N s"
timed_connect() {
	ip netns exec a python3 -c '
import errno, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
t = time.time()
try:
    s.connect((sys.argv[1], 9))
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno], "after %d s" % (time.time() - t))' $B
}

step "ICMP errors: b has no toytcp and says so (protocol unreachable): connect() fails at once"
ctl b disable || fail disable
got=$(timed_connect)
expect_eq "connect() to a host without the protocol" "$got" "ENOPROTOOPT after 0 s"

step "ICMP errors: a guessed sequence number is ignored; the SYN's own ends connect()"
# A raw socket in b: b's stack answers nothing itself any more.
ip netns exec b python3 "$SEG" recv --count 100000 --timeout 600 >/dev/null &
sink=$!
icmp_helper syn --syn --seq-add 100 0 --gap 1
got=$(timed_connect)
cat "$out/syn"
expect_eq "connect(), host unreachable after a guess" "$got" "EHOSTUNREACH after 1 s"
expect_eq "OutOfWindowIcmps" "$(counter a OutOfWindowIcmps)" 1

step "ICMP errors: a connection of ctl is not a program's: it stays in SYN_SENT"
icmp_helper ctl --syn
ctl a "connect $B:10 40010" || fail "connect"
wait "$ICMP_PID" || fail "seg.py icmp"
sleep 0.5
wait_conn a 10.0.0.1:40010 $B:10 state SYN_SENT
ctl a "abort 10.0.0.1:40010 $B:10" || fail "abort"

step "ICMP errors: once connected, soft: SO_ERROR tells it, a timeout reports it"
ctl b enable || fail enable
ctl b "listen 11" || fail "listen 11"
# Retransmissions every 300 ms at most, 30 of them: the connection lives
# while the second seg.py starts, however slow the machine, and it has one
# to catch. Then max_retries 1 ends it at the next timeout.
p=/sys/module/toytcp/parameters
retries=$(cat $p/max_retries) rto_max=$(cat $p/rto_max_ms)
echo 30 >$p/max_retries
echo 300 >$p/rto_max_ms
got=$(ip netns exec a python3 - "$B" "$SEG" "$out" <<'PY'
import errno, socket, subprocess, sys, time
b, seg, out = sys.argv[1:]


def helper(name):
    h = subprocess.Popen(["ip", "netns", "exec", "b", "python3", seg, "icmp", "--data"],
                         stdout=open(f"{out}/{name}", "w"))
    for _ in range(100):
        if "ready" in open(f"{out}/{name}").read():
            return h
        time.sleep(0.1)
    sys.exit("seg.py icmp did not start")


def so_error(s):
    e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    return errno.errorcode[e] if e else "0"


def state(s):
    me = "%s:%d" % s.getsockname()
    for line in open("/proc/toytcp/conns"):
        if line.split()[0] == me:
            return line.split()[2]
    return "GONE"


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 253)
s.connect((b, 11))
print("port", s.getsockname()[1])
subprocess.run(["ip", "netns", "exec", "b", "sh", "-c", "echo disable >/proc/toytcp/ctl"],
               check=True)
h = helper("data1")
s.send(b"hello")
h.wait()
time.sleep(0.3)
print("after one:", so_error(s), state(s), so_error(s))
h = helper("data2")
h.wait()
time.sleep(0.3)
with open("/sys/module/toytcp/parameters/max_retries", "w") as f:
    f.write("1")
s.settimeout(60)
try:
    s.recv(10)
    print("recv: OK")
except OSError as e:
    print("recv:", errno.errorcode.get(e.errno, e))
PY
)
echo "$retries" >$p/max_retries
echo "$rto_max" >$p/rto_max_ms
cat "$out/data1" "$out/data2"
echo "$got"
port=$(echo "$got" | awk '$1 == "port" { print $2 }')
expect_eq "after one ICMP error" "$(echo "$got" | grep '^after one')" \
	"after one: EHOSTUNREACH ESTABLISHED 0"
expect_eq "when retransmission gives up" "$(echo "$got" | grep '^recv')" "recv: EHOSTUNREACH"
ctl b enable || fail enable
kill $sink
wait $sink 2>/dev/null || true
ctl b "abort $B:11 10.0.0.1:$port" || fail "abort b's end"
ctl b "unlisten 11" || fail "unlisten 11"

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
