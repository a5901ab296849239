#!/usr/bin/env bash
# Host side of tests/stock612_bind.sh (and stock61_bind): the demo's inflate
# by 256 MiB and deflate through virtio_alt with QMP checks, then, once the
# device is back on the in-tree virtio-pci, 128 MiB and back through the
# stock virtio_balloon.
. "$(dirname "$0")/demo.sh"

balloon_cycle "${VA_SCENARIO}_stock" 1920 -stock
host.py send finished
