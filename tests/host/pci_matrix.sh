#!/usr/bin/env bash
# Host side of tests/pci_matrix_{modern,legacy}.sh: in each interrupt mode
# take the virtio-net link down and up again; with INTx (the only mode in
# which QEMU 7.2's virtio-balloon-pci can be driven) inflate by 64 MiB,
# check QEMU's view, deflate, check again. The guest has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"
S=$VA_SCENARIO

for mode in msix-per-vq msix-shared intx; do
	host.py wait-mark "link-off-$mode" 300
	host.py qmp set_link '{"name": "net0", "up": false}' >/dev/null
	host.py wait-mark "link-on-$mode" 60
	host.py qmp set_link '{"name": "net0", "up": true}' >/dev/null
done
T=${S}_intx
balloon_cycle "${T}_balloon" 1984 -intx
