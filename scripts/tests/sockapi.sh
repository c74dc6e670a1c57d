#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The socket API: the conformance suite (sockapi.py) on Linux TCP and on
# toytcp in the same VM. Each must pass its own expectations, which are
# Linux's, and both must observe the same things, call for call.
# vm-timeout: 600 900
. "$(dirname "$0")/lib.sh"

load msl_ms=2000
sockapi_both

step "every socket closed: once their orphans end, nothing is left and rmmod is clean"
wait_conns t 0
unload || fail "rmmod"
echo "sockapi: ok"
