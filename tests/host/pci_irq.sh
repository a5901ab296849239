#!/usr/bin/env bash
# Host side of tests/pci_irq.sh: take the virtio-net link down and up again
# once per interrupt mode the guest tries.
set -euo pipefail

for mode in msix-per-vq msix-shared intx auto; do
	host.py wait-mark "link-off-$mode" 180
	host.py qmp set_link '{"name": "net0", "up": false}' >/dev/null
	host.py wait-mark "link-on-$mode" 60
	host.py qmp set_link '{"name": "net0", "up": true}' >/dev/null
done
