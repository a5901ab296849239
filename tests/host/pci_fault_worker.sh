#!/usr/bin/env bash
# Host side of tests/pci_fault_worker.sh: targets at the guest's marks and
# QEMU's view of the balloon after each step. The guest has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

S=$VA_SCENARIO
host.py wait-mark inflate1 300
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark held1 300
a=$(actual)
if [ "$a" = $((2048 * MiB)) ]; then
	host.py result "${S}_qmp_held" PASS "query-balloon actual 2048 MiB while every allocation fails"
else
	host.py result "${S}_qmp_held" FAIL "query-balloon actual $a, wanted $((2048 * MiB))"
fi
host.py send checked1
host.py wait-mark inflated1 300
expect_actual "${S}_qmp_inflated1" $((1792 * MiB))
host.py send checked2
host.py wait-mark inflate2 300
host.py qmp balloon "{\"value\": $((1536 * MiB))}" >/dev/null
host.py wait-mark inflated2 600
expect_actual "${S}_qmp_inflated2" $((1536 * MiB))
host.py send checked3
host.py wait-mark deflate3 300
host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
host.py wait-mark deflated3 300
expect_actual "${S}_qmp_deflated" $((2048 * MiB))
host.py send checked4
balloon_cycle "${S}_after_reset" 1984 4
