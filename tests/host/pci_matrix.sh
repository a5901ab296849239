#!/usr/bin/env bash
# Host side of tests/pci_matrix_{modern,legacy}.sh: in each interrupt mode
# take the virtio-net link down and up again, then move 16 MiB of random
# data each way over the user network (net_traffic, tests/lib/host_net.sh;
# the guest compares byte counts and sha256). With INTx (the only mode in
# which QEMU 7.2's virtio-balloon-pci can be driven) inflate by 64 MiB,
# check QEMU's view, deflate, check again. The guest has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"
. "$(dirname "$0")/../lib/host_net.sh"
S=$VA_SCENARIO

for mode in msix-per-vq msix-shared intx; do
	# the first wait covers the boot: minutes on a loaded machine
	host.py wait-mark "link-off-$mode" 900
	host.py qmp set_link '{"name": "net0", "up": false}' >/dev/null
	host.py wait-mark "link-on-$mode" 60
	host.py qmp set_link '{"name": "net0", "up": true}' >/dev/null
	net_traffic 16 "-$mode"
done
T=${S}_intx
balloon_cycle "${T}_balloon" 1984 -intx
