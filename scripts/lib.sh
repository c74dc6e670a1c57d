# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers for the toytcp scripts. Source it; do not run it.
#
# TOYTCP_CACHE  where the test kernel, its source tree and module builds live
#               (default /var/cache/toytcp as root, else ~/.cache/toytcp).

TOYTCP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${TOYTCP_CACHE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		TOYTCP_CACHE=/var/cache/toytcp
	else
		TOYTCP_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/toytcp
	fi
fi
export TOYTCP_CACHE TOYTCP_TOP
# depmod and modprobe live in /usr/sbin, which a user's PATH on Debian lacks.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
# shellcheck source=trap.sh
. "$TOYTCP_TOP/scripts/trap.sh"

say() { printf '%s\n' "$*" >&2; }
# die MESSAGE: say why and stop; with the last lines of TOYTCP_LOG, when a
# step that writes a log set it (scripts/trap.sh does the same for errors
# nobody foresaw)
die() {
	printf 'error: %s\n' "$*" >&2
	toytcp_log_tail
	exit 1
}

# need_pkgs PKG...: install the Debian packages that are missing (as root),
# or say exactly what to install and fail.
need_pkgs() {
	local missing=() p
	for p in $(printf '%s\n' "$@" | sort -u); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing Debian packages; run as root: apt-get install ${missing[*]}"
	fi
	local TOYTCP_LOG=$TOYTCP_CACHE/apt.log
	say "installing missing Debian packages: ${missing[*]} (log: $TOYTCP_LOG)"
	# The package lists may be stale or absent on a fresh machine.
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >"$TOYTCP_LOG" 2>&1; then
		say "updating the package lists first (apt-get update)"
		apt-get update -q >>"$TOYTCP_LOG" 2>&1 || die "apt-get update failed"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${missing[@]}" >>"$TOYTCP_LOG" 2>&1 ||
			die "apt-get install ${missing[*]} failed"
	fi
}

# Packages every build of the module needs, on top of a kernel tree.
# shellcheck disable=SC2034 # used by the scripts that source this file
BUILD_PKGS=(make gcc libc6-dev bc flex bison libelf-dev libssl-dev kmod xz-utils rsync)
# Packages the VM runner needs on the host (whose root the guest mounts).
# shellcheck disable=SC2034 # used by the scripts that source this file
VM_PKGS=(qemu-system-x86 busybox-static iproute2 iputils-ping python3 tcpdump kmod util-linux socat gcc libc6-dev tshark librsvg2-bin graphviz)

if ! mkdir -p "$TOYTCP_CACHE" 2>/dev/null || [ ! -w "$TOYTCP_CACHE" ]; then
	die "cannot write to the cache $TOYTCP_CACHE: point TOYTCP_CACHE at a directory you can write"
fi
