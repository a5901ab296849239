# Host-side virtio_net traffic helper for scenario host scripts (bash),
# sourced:
#   . "$(dirname "$0")/../lib/host_net.sh"
# Needs host.py on PATH (scripts/vm-run.sh puts it there) and QEMU started
# with "-netdev user,...,hostfwd=tcp:127.0.0.1:0-:5555" (a free host port,
# which host.py hostfwd reads back from 'info usernet').
# shellcheck shell=bash

# net_traffic MIB [TAG]: the other side of the guest's va_net_traffic
# (tests/lib/guest.sh). At its mark net-listen<TAG> send MIB MiB of random
# data through the hostfwd to guest port 5555, then "net-h2g<TAG> BYTES
# SHA256" of what was sent; listen on a free loopback port, send
# "net-g2h-port<TAG> PORT", take the guest's data and send "net-g2h-got<TAG>
# BYTES SHA256 SECONDS" of what arrived. The guest compares and records
# the results. Each direction may take up to NET_TIMEOUT seconds (default
# 900, as the guest's).
net_traffic() {
	local tmp port rpid sent t=${NET_TIMEOUT:-900}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/net_traffic.XXXXXX")
	head -c $(($1 * 1024 * 1024)) /dev/urandom > "$tmp/h2g"
	host.py wait-mark "net-listen${2:-}" 900
	if port=$(host.py hostfwd 5555) && host.py tcp-send "$port" "$tmp/h2g" "$t"; then
		sent="$(wc -c < "$tmp/h2g") $(sha256sum < "$tmp/h2g" | cut -d ' ' -f 1)"
	else
		sent="sending to hostfwd port '${port:-}' failed"
	fi
	host.py send "net-h2g${2:-} $sent"

	host.py tcp-recv "$tmp/port" "$t" > "$tmp/g2h" &
	rpid=$!
	for _ in $(seq 600); do [ -s "$tmp/port" ] && break; sleep 0.1; done
	host.py send "net-g2h-port${2:-} $(cat "$tmp/port" 2>/dev/null)"
	wait "$rpid" || echo "net_traffic${2:-}: host.py tcp-recv failed"
	host.py send "net-g2h-got${2:-} $(cat "$tmp/g2h")"
	rm -rf "$tmp"
}
