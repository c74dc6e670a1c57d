# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by the VM tests (scripts/tests/*.sh), which run inside the test VM
# as root with TOYTCP_MODDIR pointing at a directory holding toytcp.ko.
set -eu
: "${TOYTCP_TOP:?vm-run sets TOYTCP_TOP}"
# shellcheck source=../trap.sh
. "$TOYTCP_TOP/scripts/trap.sh"
: "${TOYTCP_MODDIR:?TOYTCP_MODDIR must name the directory of toytcp.ko}"
# shellcheck disable=SC2034 # used by the tests that source this file
SEG=$TOYTCP_TOP/scripts/tools/seg.py

# On Debian's stock kernel (scripts/stock-kernel) the root is the host's,
# whose /lib/modules lacks that kernel's modules: put them there, so that
# the kernel's own requests (veth, netem) find them.
if [ -n "${TOYTCP_STOCK_MODULES:-}" ] && [ ! -e "/lib/modules/$(uname -r)/modules.dep" ]; then
	mount -t tmpfs stock-modules /lib/modules
	mkdir "/lib/modules/$(uname -r)"
	mount --bind "$TOYTCP_STOCK_MODULES" "/lib/modules/$(uname -r)"
fi

fail() { echo "FAIL: $*"; exit 1; }
step() { echo "-- $*"; }

# shellcheck disable=SC2120 # module parameters, when the test has any
load() { insmod "$TOYTCP_MODDIR/toytcp.ko" "$@"; }
unload() { rmmod toytcp; }

# nsdo NS CMD...: run CMD in network namespace NS ("" for the initial one)
nsdo() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# wait_ready FILE: wait (at most 20 s) for a receiver started in the
# background to create FILE once its socket is open; a fixed sleep was not
# always enough for python3 to start in a busy TCG guest
wait_ready() {
	local _
	for _ in $(seq 200); do [ -e "$1" ] && return 0; sleep 0.1; done
	fail "no receiver ready after 20 s ($1)"
}

# counter NS NAME: one counter of /proc/toytcp/stats as NS sees it
# shellcheck disable=SC2016 # an awk program: $1 and $2 are its fields
counter() { nsdo "$1" awk -v n="$2" '$1 == n { print $2; f = 1 } END { exit !f }' /proc/toytcp/stats; }

# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }

# ctl NS COMMAND: write one command; prints nothing, returns write's status
# shellcheck disable=SC2016 # $1 is the inner shell's argument
ctl() { nsdo "$1" sh -c 'printf "%s\n" "$1" >/proc/toytcp/ctl' ctl "$2" 2>/dev/null; }

# ctl_errno NS COMMAND: the errno name the write fails with, or OK
ctl_errno() {
	nsdo "$1" python3 -c '
import errno, os, sys
fd = os.open("/proc/toytcp/ctl", os.O_WRONLY)
try:
    os.write(fd, sys.argv[1].encode())
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])' "$2"
}

# veth_link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2: join two existing namespaces by veth
veth_link() {
	ip link add "$2" netns "$1" type veth peer "$5" netns "$4"
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$4" addr add "$6/24" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# two_hosts: namespaces a (10.0.0.1) and b (10.0.0.2) joined by veth
two_hosts() {
	ip netns add a
	ip netns add b
	veth_link a va 10.0.0.1 b vb 10.0.0.2
	ip -n a link set lo up
	ip -n b link set lo up
}

# conn_field NS LOCAL REMOTE COLUMN: a column of a connection in NS's conns
# (columns by header name), or "gone" when it is not listed
conn_field() {
	# shellcheck disable=SC2016 # an awk program: $i and $1 are its fields
	nsdo "$1" awk -v l="$2" -v r="$3" -v c="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == l && $2 == r { print $col[c]; f = 1 }
		END { if (!f) print "gone" }' /proc/toytcp/conns
}

# wait_conn NS LOCAL REMOTE COLUMN VALUE [SECONDS]: poll until it holds
wait_conn() {
	local i=0 got
	while [ $i -lt $((${6:-5} * 5)) ]; do
		got=$(conn_field "$1" "$2" "$3" "$4")
		[ "$got" = "$5" ] && return 0
		sleep 0.2
		i=$((i + 1))
	done
	fail "${1:-init}: $2 $3 $4: got '$got', want '$5'"
}

# conn_count NS: how many connections (listeners included) NS's conns lists
conn_count() { nsdo "$1" awk 'NR > 1' /proc/toytcp/conns | wc -l; }

# wait_conns NS MAX [SECONDS]: until NS lists at most MAX connections
wait_conns() {
	local i
	for i in $(seq $((${3:-10} * 5))); do
		[ "$(conn_count "$1")" -le "$2" ] && return 0
		sleep 0.2
	done
	nsdo "$1" cat /proc/toytcp/conns
	fail "${1:-init}: $(conn_count "$1") connections left, want at most $2"
}

# sized SHORT LONG: SHORT in `make check`, LONG in `make check-long`
sized() { if [ "${TOYTCP_LONG:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi; }

# third_host: namespace c (10.0.1.1) joined to b (10.0.1.2) by its own veth
third_host() {
	ip netns add c
	veth_link c vc 10.0.1.1 b vb2 10.0.1.2
	ip -n c link set lo up
}

# figure TEXT...: a figure the test measured; `make check` shows it
figure() { echo "= $*"; }

# shellcheck disable=SC2034 # used by the tests that source this file
STRESS=$TOYTCP_TOP/scripts/tools/stress.py

# sockapi_both: the socket API conformance suite (sockapi.py) on Linux TCP
# and on toytcp, in a namespace "t" of its own: loopback, routes of type
# unreachable (203.0.113.1) and prohibit (203.0.113.2), and a veth link
# 10.77.0.1/24 where nobody answers ARP (which gives up after 0.1 s); no
# route leads out. Each must pass (Linux's gets a second try: its run is
# the reference, not what is tested), and both must observe the same
sockapi_both() {
	local py=$TOYTCP_TOP/scripts/tests/sockapi.py dir st=0
	dir=$(mktemp -d)
	ulimit -n 65536	# epoll_many holds two descriptors per connection
	ip netns add t
	ip -n t link set lo up
	ip -n t route add unreachable 203.0.113.1/32
	ip -n t route add prohibit 203.0.113.2/32
	ip -n t link add vt0 type veth peer name vt1
	ip -n t addr add 10.77.0.1/24 dev vt0
	ip -n t link set vt0 up
	ip -n t link set vt1 up
	ip netns exec t sysctl -qw net.ipv4.neigh.vt0.ucast_solicit=0 \
		net.ipv4.neigh.vt0.mcast_solicit=1 net.ipv4.neigh.vt0.retrans_time_ms=100
	step "the conformance suite on Linux TCP (protocol 6)"
	# Linux's run only makes the reference: should a case of it fail
	# (a timing of the VM's), say which, and run the suite once more.
	if ! ip netns exec t python3 "$py" 6 >"$dir/tcp" 2>&1; then
		grep '^FAIL' "$dir/tcp" | sed 's/^/= Linux TCP, first run: /'
		ip netns exec t python3 "$py" 6 >"$dir/tcp" 2>&1 ||
			{ cat "$dir/tcp"; fail "Linux TCP fails its own expectations, twice"; }
	fi
	echo "$(grep -c '^ok' "$dir/tcp") cases pass"
	step "the same suite on toytcp (protocol 253)"
	ip netns exec t python3 "$py" 253 >"$dir/toytcp" 2>&1 || st=$?
	cat "$dir/toytcp"
	[ "$st" = 0 ] || fail "$st case(s) fail on toytcp"
	step "both observed the same"
	diff -u "$dir/tcp" "$dir/toytcp" || fail "toytcp differs from Linux TCP"
}

# sockcat_both_ways SIZE SECONDS: sockcat (sock/sockcat.c, a C netcat)
# copies SIZE random bytes each way at once between namespaces a and b
# (server 10.0.0.2:9000), within SECONDS; the bytes must arrive intact
# (sha256). SOCKCAT_SECS: how many seconds it took.
sockcat_both_ways() {
	local dir s srv
	dir=$(mktemp -d)
	gcc -O2 -Wall -o "$dir/sockcat" "$TOYTCP_TOP/scripts/tests/sock/sockcat.c" || fail "gcc"
	head -c "$1" /dev/urandom >"$dir/fa"
	head -c "$1" /dev/urandom >"$dir/fb"
	ip netns exec b "$dir/sockcat" -l 9000 <"$dir/fb" >"$dir/at_b" &
	srv=$!
	wait_conn b 0.0.0.0:9000 0.0.0.0:0 state LISTEN
	s=$(date +%s)
	ip netns exec a timeout "$2" "$dir/sockcat" 10.0.0.2 9000 <"$dir/fa" >"$dir/at_a" ||
		fail "sockcat client"
	wait $srv || fail "sockcat server"
	[ "$(sha256sum <"$dir/fa")" = "$(sha256sum <"$dir/at_b")" ] || fail "a to b differs"
	[ "$(sha256sum <"$dir/fb")" = "$(sha256sum <"$dir/at_a")" ] || fail "b to a differs"
	# shellcheck disable=SC2034 # read by the test that calls it
	SOCKCAT_SECS=$(($(date +%s) - s))
}
