#!/usr/bin/env bash
# Host side of tests/pci_balloon_storm.sh: 1000 balloon targets on one QMP
# connection, then 1536 MiB, checked in query-balloon; then 1024 MiB (the
# guest resets the inflate queue meanwhile), checked too; all given back;
# statistics polled after the guest resets the statistics queue, last.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

host.py wait-mark storm 300
targets=()
for m in 1024 2047 1200 1900 1400 1700 1600 2000; do
	targets+=("{\"value\": $((m * MiB))}")
done
secs=$(host.py qmp-storm 1000 balloon "${targets[@]}")
host.py qmp balloon "{\"value\": $((1536 * MiB))}" >/dev/null
host.py result "${VA_SCENARIO}_storm_qmp" PASS "1000 balloon commands in $secs s"
host.py send "stormed $secs"
host.py wait-mark settled 900
expect_actual "${VA_SCENARIO}_storm_qmp_actual" $((1536 * MiB))
host.py send checked

host.py wait-mark big-inflate 300
host.py qmp balloon "{\"value\": $((1024 * MiB))}" >/dev/null
host.py wait-mark inflated 900
expect_actual "${VA_SCENARIO}_reset_qmp_actual" $((1024 * MiB))
host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
host.py send deflate
host.py wait-mark deflated 600
expect_actual "${VA_SCENARIO}_deflate_qmp_actual" $((2048 * MiB))

# Statistics, polled every second until the guest has seen a request. Last,
# and no QMP after it: QEMU 7.2 may stop the device (see the guest script).
host.py wait-mark poll-stats 300
host.py qmp qom-set "{\"path\": \"/machine/peripheral/bal0\", \"property\": \"guest-stats-polling-interval\", \"value\": 1}" >/dev/null
host.py wait-mark stats-seen 300
