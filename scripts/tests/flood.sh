#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300 1200
# SYN flood: spoofed SYNs from 10.128.0.0/9 at b:7. Half-open state stays
# within the backlog (the rest get SYN cookies), a legitimate client from a
# connects in the middle of the flood, and once the half-open children
# give up, toytcp_conn slab objects are back where they started.
. "$(dirname "$0")/lib.sh"

syns=$(sized 10000 100000)
two_hosts
ip -n b route add 10.128.0.0/9 via 10.0.0.1
load backlog=128 rto_ms=500 synack_retries=2
"$STRESS" --seed "${TOYTCP_SEED:-1}" flood --syns "$syns" --backlog 128 || fail "flood"
unload
echo PASS
