#!/usr/bin/env bash
# Host side of tests/mmio_bind.sh (and stock6*_mmio_bind): while the balloon
# is on virtio-alt-mmio, inflate by 256 MiB and deflate with QMP checks;
# then tell the guest, which goes on binding the device back and forth.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

balloon_cycle "$VA_SCENARIO" 1792
host.py send checked
