#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300 3600
# Soak: open/close cycles a->b (handshake, FIN from a, FIN from b,
# TIME_WAIT on a). Once TIME_WAIT is over, toytcp_conn slab objects are
# back at their baseline; after rmmod, kmemleak must find nothing (vm-run).
. "$(dirname "$0")/lib.sh"

cycles=$(sized 3000 100000)
two_hosts
load msl_ms=100
"$STRESS" soak --cycles "$cycles" --batch 100 || fail "soak"
unload
echo PASS
