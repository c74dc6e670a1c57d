#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The socket API: the conformance suite (sockapi.py) on Linux TCP and on
# toytcp in the same VM. Each must pass its own expectations, which are
# Linux's, and both must observe the same things, call for call.
# vm-timeout: 600 900
. "$(dirname "$0")/lib.sh"

load msl_ms=2000
ip link set lo up
py=$TOYTCP_TOP/scripts/tests/sockapi.py
out=$(mktemp -d)

step "the suite on Linux TCP (protocol 6)"
python3 "$py" 6 >"$out/tcp" 2>&1 || { cat "$out/tcp"; fail "Linux TCP fails its own expectations"; }
grep -c '^ok' "$out/tcp"

step "the same suite on toytcp (protocol 253)"
st=0
python3 "$py" 253 >"$out/toytcp" 2>&1 || st=$?
cat "$out/toytcp"
[ "$st" = 0 ] || fail "$st case(s) fail on toytcp"

step "both observed the same"
diff -u "$out/tcp" "$out/toytcp" || fail "toytcp differs from Linux TCP"

step "every socket closed: once their orphans end, nothing is left and rmmod is clean"
for _ in $(seq 50); do
	[ "$(grep -c . /proc/toytcp/conns)" = 1 ] && break
	sleep 0.2
done
expect_eq "connections left" "$(grep -c . /proc/toytcp/conns)" 1
unload || fail "rmmod"
echo "sockapi: ok"
