#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/toytcp-watch, as a learner runs it in `make shell`: its table
# shows each namespace's connections with states and timers counting down,
# the state changes come from its own tracing instance (removed on exit),
# and it says so when toytcp is not loaded or a namespace is not there.
. "$(dirname "$0")/lib.sh"

watch=$TOYTCP_TOP/scripts/toytcp-watch
out=$(mktemp)
A=10.0.0.1 B=10.0.0.2

step "without toytcp it says so"
"$watch" --frames 1 --no-trace >"$out" 2>&1 || fail "toytcp-watch failed: $(cat "$out")"
grep -q "is toytcp loaded" "$out" || fail "no word of toytcp missing: $(cat "$out")"

step "a connection's life, watched from both hosts"
# Watch runs until the connection is gone, then SIGTERM ends it: a frame
# takes a second or more on a loaded machine, so a fixed number of frames
# need not reach TIME_WAIT. TIME_WAIT lasts 2 x msl_ms = 10 s.
load msl_ms=5000
two_hosts
ctl b "listen 7"
"$watch" -n a -n b -i 0.3 >"$out" 2>&1 &
w=$!
for _ in $(seq 100); do
	[ -d /sys/kernel/tracing/instances/toytcp-watch ] && break
	sleep 0.1
done
sleep 0.5
ctl a "connect $B:7 40001" || fail "connect"
wait_conn a "$A:40001" "$B:7" state ESTABLISHED
ctl a "close $A:40001 $B:7"
ctl b "close $B:7 $A:40001"
wait_conn a "$A:40001" "$B:7" state TIME_WAIT
wait_conns a 0 30
sleep 1
kill -TERM "$w"
wait "$w" || fail "toytcp-watch exited with $? on SIGTERM: $(tail "$out")"
grep -q "^toytcp-watch .*(a, b)" "$out" || fail "no frame header"
grep -Eq "^b +0\.0\.0\.0:7 +0\.0\.0\.0:0 +LISTEN" "$out" || fail "no listener row for b"
grep -Eq "^a +$A:40001 +$B:7 +ESTABLISHED" "$out" || fail "no ESTABLISHED row for a"
for t in "CLOSED -> SYN_SENT" "SYN_SENT -> ESTABLISHED" "FIN_WAIT2 -> TIME_WAIT" \
	"LISTEN -> SYN_RECV" "LAST_ACK -> CLOSED" "TIME_WAIT -> CLOSED"; do
	grep -q "$t" "$out" || fail "the trace part lacks '$t': $(grep -- '->' "$out" | sort -u)"
done
frames=$(grep -c "^toytcp-watch " "$out")
# TIME_WAIT's timer, counting down from 10 s frame by frame
left=$(grep -E "^a +$A:40001 .*TIME_WAIT" "$out" | sed -n 's/.*timewait *\([0-9.]*\)s.*/\1/p')
[ "$(echo "$left" | wc -l)" -ge 2 ] ||
	fail "TIME_WAIT seen in fewer than 2 of $frames frames: $left"
echo "$left" | sort -rn -c || fail "the timewait timer does not count down: $(tr "\n" " " <<<"$left")"
[ "$(echo "$left" | head -n 1 | cut -d. -f1)" -le 10 ] || fail "timewait above 10 s: $left"
figure "toytcp-watch: TIME_WAIT counting down $(echo "$left" | head -n 1) s ..." \
	"$(echo "$left" | tail -n 1) s in $(echo "$left" | wc -l) of $frames frames"
[ ! -d /sys/kernel/tracing/instances/toytcp-watch ] || fail "the tracing instance stayed"
[ "$(cat /sys/kernel/tracing/events/toytcp/toytcp_set_state/enable)" = 0 ] ||
	fail "toytcp-watch turned on the top-level trace"

step "a namespace that does not exist is named, the others still shown"
"$watch" -n nosuch -n b --frames 2 -i 0 --no-trace >"$out" 2>&1 ||
	fail "toytcp-watch failed: $(cat "$out")"
grep -q "^nosuch .*no network namespace nosuch" "$out" || fail "no word of nosuch: $(cat "$out")"
[ "$(grep -Ec "^b +0\.0\.0\.0:7 +0\.0\.0\.0:0 +LISTEN" "$out")" = 2 ] ||
	fail "b's listener not in both frames: $(cat "$out")"

unload
ip netns del a
ip netns del b
echo "watch: ok"
