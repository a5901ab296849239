#!/usr/bin/env bash
# Host side of tests/pci_module_cycles.sh: a target of 1984 MiB (64 MiB in
# the balloon) at the first probe, left there for all cycles; at the last
# probe QEMU's query-balloon must say 1984 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

host.py wait-mark target 300
host.py qmp balloon "{\"value\": $((1984 * MiB))}" >/dev/null
host.py wait-mark final 3000
expect_actual "${VA_SCENARIO}_qmp_actual" $((1984 * MiB))
host.py send checked
