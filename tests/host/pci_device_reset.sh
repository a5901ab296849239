#!/usr/bin/env bash
# Host side of tests/pci_device_reset.sh: a 1 GiB inflate the guest resets
# the balloon during, then back; QEMU's view checked after each. The guest
# has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

balloon_cycle "$VA_SCENARIO" 1024
