#!/usr/bin/env bash
# Host side of tests/smoke.sh: waits for the guest's marker, asks QEMU over
# QMP, then releases the guest over the control port.
set -euo pipefail

host.py wait-mark rng-ok 120
if st=$(host.py qmp query-status) && [[ $st == *'"running"'* ]]; then
	host.py result smoke_qmp PASS
else
	host.py result smoke_qmp FAIL "query-status: ${st:-error}"
fi
host.py send go
