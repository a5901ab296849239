#!/usr/bin/env bash
# Host side of tests/pci_pm.sh: 256 MiB into the balloon, then 1 GiB.
set -euo pipefail

MiB=$((1024 * 1024))
host.py wait-mark inflate 120
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark big-inflate 300
host.py qmp balloon "{\"value\": $((1024 * MiB))}" >/dev/null
host.py wait-mark removed 300
