#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every scenario of `make demo S=NAME` (scripts/scenarios/), played as the
# demo plays it; what it did is checked from its capture, trace and the
# programs' calls (scenarios.py): the segments' flags and numbers in both
# notations, each side's states, and their order; its ladder diagram is
# drawn (SVG and PNG), and the state diagram with the transitions each side
# took (checked against module/fsm.c's table by scenarios.py).
# SCENARIO_ONLY=NAME plays only the scenarios whose names contain NAME.
# vm-timeout: 1200 1200
. "$(dirname "$0")/lib.sh"

out=${TOYTCP_OUT:-/tmp/scenarios}
for sc in "$TOYTCP_TOP"/scripts/scenarios/*"${SCENARIO_ONLY:-}"*.sh; do
	name=$(basename "$sc" .sh)
	step "scenario $name"
	TOYTCP_OUT=$out "$TOYTCP_TOP/scripts/scenarios/run" "$name" >"$out.$name.log" 2>&1 ||
		{ cat "$out.$name.log"; fail "scenario $name"; }
	python3 "$TOYTCP_TOP/scripts/tests/scenarios.py" "$out/$name" "$name" ||
		{ cat "$out.$name.log"; fail "scenario $name: its story"; }
	for f in "$name.pcap" "$name-b.pcap" "$name.svg" "$name.png" "$name-states.svg" \
		"$name-states.png"; do
		[ -s "$out/$name/$f" ] || fail "$name: no $f"
	done
	grep -q '<line' "$out/$name/$name.svg" || fail "$name: a ladder without arrows"
done
echo "scenarios: ok"
