# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # sourced by scenarios/run, which sets $sync, $PROG, $A, $B
# scenario: refused: connect() to a port nobody listens on: SYN, then RST+ACK; ECONNREFUSED
# load: msl_ms=500
ip netns exec a python3 "$PROG" a bind:40001 "connect:$B:9"
end_capture
