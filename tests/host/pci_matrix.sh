#!/usr/bin/env bash
# Host side of tests/pci_matrix_{modern,legacy}.sh: in each interrupt mode
# take the virtio-net link down and up again; with INTx (the only mode in
# which QEMU 7.2's virtio-balloon-pci can be driven) inflate by 64 MiB,
# check QEMU's view, deflate, check again. The guest has 2048 MiB.
set -euo pipefail

MiB=$((1024 * 1024))
S=$VA_SCENARIO

for mode in msix-per-vq msix-shared intx; do
	host.py wait-mark "link-off-$mode" 300
	host.py qmp set_link '{"name": "net0", "up": false}' >/dev/null
	host.py wait-mark "link-on-$mode" 60
	host.py qmp set_link '{"name": "net0", "up": true}' >/dev/null
done
T=${S}_intx
host.py wait-mark inflate-intx 120
host.py qmp balloon "{\"value\": $((1984 * MiB))}" >/dev/null
host.py wait-mark inflated-intx 180
host.py expect-balloon "${T}_balloon_qmp_inflated" $((1984 * MiB))
host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
host.py send deflate-intx
host.py wait-mark deflated-intx 180
host.py expect-balloon "${T}_balloon_qmp_deflated" $((2048 * MiB))
