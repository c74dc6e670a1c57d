#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 400 1200
# Faults: netem drops 20%, duplicates and reorders on both directions of
# the a-b link. Every connection opens, sends 10 KiB through b's echo,
# gets it all back intact (CRC-32 of the stream), closes from both sides
# and leaves TIME_WAIT: nothing reset, nothing stuck.
. "$(dirname "$0")/lib.sh"

conns=$(sized 20 200)
two_hosts
for side in a:va b:vb; do
	tc -n "${side%:*}" qdisc add dev "${side#*:}" root netem loss 20% duplicate 10% \
		delay 10ms reorder 25% 50% limit 100000
done
# max_retries 15: seven losses in a row must not end a connection here.
# rto_max_ms 2000: RFC 6298's Karn rule keeps a backed-off RTO until a
# segment sent once is acknowledged, which under this much loss is rare:
# with the default ceiling of 120 s, one run took 351 s. The ceiling keeps
# the test about loss, not about waiting.
load rto_ms=200 rto_max_ms=2000 max_retries=15 msl_ms=500 backlog=1024
"$STRESS" --seed "${TOYTCP_SEED:-1}" faults --conns "$conns" --bytes 10240 --timeout 900 ||
	fail "faults"
unload
echo PASS
