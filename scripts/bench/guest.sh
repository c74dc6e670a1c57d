#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 3000 3000
#
# The benchmarks, inside the bench VM (scripts/bench/run boots it):
# scripts/bench/guest.py measures toytcp and Linux TCP and writes
# $TOYTCP_OUT/bench.csv. TOYTCP_BENCH names the bench program,
# TOYTCP_BENCH_SIZE is full or tiny.
. "$(dirname "$0")/../tests/lib.sh"
: "${TOYTCP_BENCH:?scripts/bench/run sets TOYTCP_BENCH}"
: "${TOYTCP_OUT:?vm-run --out sets TOYTCP_OUT}"
exec python3 "$TOYTCP_TOP/scripts/bench/guest.py" --size "${TOYTCP_BENCH_SIZE:-full}" \
	--bench "$TOYTCP_BENCH" --module "$TOYTCP_MODDIR/toytcp.ko" --csv "$TOYTCP_OUT/bench.csv"
