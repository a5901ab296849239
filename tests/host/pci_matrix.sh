#!/usr/bin/env bash
# Host side of tests/pci_matrix_{modern,legacy}.sh: in each interrupt mode
# take the virtio-net link down and up again, then move 16 MiB of random
# data to the guest (through the user network's hostfwd to guest port 5555,
# scripts/check.sh) and take 16 MiB from it (a listener on a free loopback
# port, which the guest reaches at 10.0.2.2). After each transfer the
# sender's (host to guest) or the receiver's (guest to host) "BYTES SHA256"
# goes to the guest, which compares. With INTx (the only mode in which
# QEMU 7.2's virtio-balloon-pci can be driven) inflate by 64 MiB, check
# QEMU's view, deflate, check again. The guest has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"
S=$VA_SCENARIO
NET_MIB=16
NET_PORT=5555
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pci_matrix.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

net_traffic() {	# MODE
	local port rpid
	head -c $((NET_MIB * MiB)) /dev/urandom > "$tmp/h2g"
	host.py wait-mark "net-listen-$1" 300
	port=$(host.py hostfwd $NET_PORT) && host.py tcp-send "$port" "$tmp/h2g" ||
		echo "net $1: sending to hostfwd port '$port' failed"
	host.py send "net-h2g-$1 $(wc -c < "$tmp/h2g") $(sha256sum < "$tmp/h2g" | cut -d ' ' -f 1)"

	rm -f "$tmp/port" "$tmp/g2h"
	host.py tcp-recv "$tmp/port" 300 > "$tmp/g2h" &
	rpid=$!
	for _ in $(seq 50); do [ -s "$tmp/port" ] || sleep 0.2; done
	host.py send "net-g2h-port-$1 $(cat "$tmp/port" 2>/dev/null)"
	wait "$rpid" || echo "net $1: tcp-recv rc=$?"
	host.py send "net-g2h-got-$1 $(cat "$tmp/g2h")"
}

for mode in msix-per-vq msix-shared intx; do
	# the first wait covers the boot: minutes on a loaded machine
	host.py wait-mark "link-off-$mode" 900
	host.py qmp set_link '{"name": "net0", "up": false}' >/dev/null
	host.py wait-mark "link-on-$mode" 60
	host.py qmp set_link '{"name": "net0", "up": true}' >/dev/null
	net_traffic "$mode"
done
T=${S}_intx
balloon_cycle "${T}_balloon" 1984 -intx
