#!/usr/bin/env bash
# Host side of tests/pci_hotunplug.sh: a 1 GiB target, then device_del of
# the balloon once the guest says the inflate is underway; the device must
# be gone from QEMU (its QOM path) once the guest ejected it.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

host.py wait-mark inflate 300
host.py qmp balloon "{\"value\": $((1024 * MiB))}" >/dev/null
host.py wait-mark unplug 600
host.py qmp device_del '{"id": "bal0"}' >/dev/null
host.py wait-mark unplugged 600
if host.py qmp qom-get '{"path": "/machine/peripheral/bal0", "property": "type"}' \
	> /dev/null 2>&1; then
	host.py result "${VA_SCENARIO}_qemu_removed" FAIL "bal0 still in QEMU's tree"
else
	host.py result "${VA_SCENARIO}_qemu_removed" PASS "bal0 gone from QEMU's tree"
fi
host.py send checked
