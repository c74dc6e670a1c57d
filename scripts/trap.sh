# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by every bash script here, on the host (through scripts/lib.sh)
# and in the guest (through scripts/tests/lib.sh): no script stops on an
# unexpected error without saying where. A command that fails under
# `set -e` prints
#
#   error: scripts/kernel-build:92: 'make -C "$src" ...' failed (exit 2)
#          called from scripts/demo:9
#          log: /var/cache/toytcp/kernel-.../.build.log (last lines below)
#
# and the script then exits as `set -e` says; one stopped by SIGINT or
# SIGTERM says that. A script names the log a
# long step writes by setting TOYTCP_LOG before it; the last lines of that
# log follow the message.
#
# The trap only speaks where `set -e` is on: scripts that check statuses
# themselves (scripts/check) and command substitutions (bash turns -e off
# in them; the command using the result fails, and reports, in its turn)
# stay quiet.

# toytcp_log_tail: the last lines of TOYTCP_LOG, when it is set and not empty
toytcp_log_tail() {
	if [ -n "${TOYTCP_LOG:-}" ] && [ -s "$TOYTCP_LOG" ]; then
		printf '       log: %s (last lines below)\n' "$TOYTCP_LOG" >&2
		tail -n 15 "$TOYTCP_LOG" | sed 's/^/       | /' >&2
	fi
}

# toytcp_on_err STATUS COMMAND LINE FILE: the ERR trap
toytcp_on_err() {
	local st=$1 cmd=$2 line=$3 file=$4 i
	case $- in *e*) ;; *) return 0 ;; esac
	file=${file#"${TOYTCP_TOP:-}/"}
	# A failing command longer than a line is shown by its first line.
	cmd=${cmd%%$'\n'*}
	[ ${#cmd} -le 100 ] || cmd="${cmd:0:97}..."
	printf "error: %s:%s: '%s' failed (exit %s)\n" "$file" "$line" "$cmd" "$st" >&2
	# FUNCNAME[0] is this handler; [1] is the function that failed, if any.
	for ((i = 1; i < ${#FUNCNAME[@]} - 1; i++)); do
		printf '       called from %s:%s\n' \
			"${BASH_SOURCE[i + 1]#"${TOYTCP_TOP:-}/"}" "${BASH_LINENO[i]}" >&2
	done
	toytcp_log_tail
	return 0
}

# toytcp_on_signal SIG: a script stopped from outside (Ctrl-C, a timeout)
# says so too, then dies of the same signal, so that its caller sees it.
toytcp_on_signal() {
	# On a terminal, after the ^C the terminal echoed, on a line of its own.
	[ ! -t 2 ] || printf '\n' >&2
	printf 'error: %s: stopped by SIG%s\n' "${0#"${TOYTCP_TOP:-}/"}" "$1" >&2
	trap - "$1"
	kill -s "$1" $$
}

set -E
trap 'toytcp_on_err $? "$BASH_COMMAND" "$LINENO" "${BASH_SOURCE[0]}"' ERR
trap 'toytcp_on_signal INT' INT
trap 'toytcp_on_signal TERM' TERM
