#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 600 900
# Scripted peer: each scripts/tests/peer/*.pkt plays exact segments at a
# freshly loaded toytcp in namespace b from a raw socket in namespace a,
# where toytcp is disabled (see scripts/tools/peer.py for the format).
# PEER_ONLY=NAME runs only the scripts whose names contain NAME.
. "$(dirname "$0")/lib.sh"

two_hosts
failed=0
for pkt in "$TOYTCP_TOP"/scripts/tests/peer/*"${PEER_ONLY:-}"*.pkt; do
	read -r -a params <<<"$(sed -n 's/^# params: //p' "$pkt")"
	step "$(basename "$pkt") (${params[*]})"
	load "${params[@]}"
	ctl a disable || fail "disable in a"
	if ! nsdo a python3 "$TOYTCP_TOP/scripts/tools/peer.py" --modns b "$pkt"; then
		failed=$((failed + 1))
	fi
	# What a script started in b (a listening program) goes before rmmod.
	for _ in $(seq 50); do
		pids=$(ip netns pids b)
		[ -n "$pids" ] || break
		# shellcheck disable=SC2086 # one pid per word
		kill $pids 2>/dev/null
		sleep 0.1
	done
	unload
done
[ $failed = 0 ] || fail "$failed script(s) failed"
echo PASS
