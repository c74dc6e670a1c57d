#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300 300
#
# One bench test under `perf record` (Debian's linux-perf, from the host),
# inside Debian's stock kernel (see README.md, Performance): the hottest
# kernel functions, then who calls the lock's slow path. BENCH_TEST
# (default stream) and BENCH_PROTO (default 253) choose the test.
. "$(dirname "$0")/../tests/lib.sh"
: "${TOYTCP_BENCH:?the bench program: make -s bench-prog BENCH_BIN=...}"
test=${BENCH_TEST:-stream} proto=${BENCH_PROTO:-253}
command -v perf >/dev/null || fail "no perf on the host: apt-get install linux-perf"
sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
load
two_hosts
ip netns exec b "$TOYTCP_BENCH" -P "$proto" serve 7000 >/dev/null &
sleep 0.5
perf record -q -a -g -e cpu-clock -o /tmp/perf.data -- \
	ip netns exec a "$TOYTCP_BENCH" -P "$proto" -t 4 "$test" 10.0.0.2 7000
step "hottest (all CPUs, idle included)"
perf report -i /tmp/perf.data --no-children --sort sym --stdio -g none 2>/dev/null |
	grep -v '^#' | grep -v '^$' | head -n 30
step "who waits for a spinlock"
perf report -i /tmp/perf.data --no-children --stdio -G \
	-S native_queued_spin_lock_slowpath 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 30
kill %1
