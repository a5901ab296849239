#!/usr/bin/env bash
# Host side of tests/dt_balloon.sh (arm64 `virt`, 1024 MiB): at the guest's
# marks take 256 MiB and give it back, with query-balloon checks; take it
# again before the guest removes the driver, which must report it all back.
# `virt` has no control port: nothing is sent, the guest polls MemTotal.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

mem=1024
S=$VA_SCENARIO
host.py wait-mark inflate 600
host.py qmp balloon "{\"value\": $(((mem - 256) * MiB))}" >/dev/null
host.py wait-mark inflated 600
expect_actual "${S}_qmp_inflated" $(((mem - 256) * MiB))
host.py qmp balloon "{\"value\": $((mem * MiB))}" >/dev/null
host.py wait-mark deflated 600
expect_actual "${S}_qmp_deflated" $((mem * MiB))
host.py wait-mark reinflate 600
host.py qmp balloon "{\"value\": $(((mem - 256) * MiB))}" >/dev/null
host.py wait-mark removed 600
# The driver reported actual = 0 pages on its way out.
expect_actual "${S}_qmp_after_remove" $((mem * MiB))
