#!/usr/bin/env bash
# Host side of tests/demo.sh (make demo): inflate by 256 MiB, check QEMU's view,
# deflate, check again. The guest has 2048 MiB.
set -euo pipefail

MiB=$((1024 * 1024))

host.py wait-mark inflate 120
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark inflated 300
host.py expect-balloon "${VA_SCENARIO}_qmp_inflated" $((1792 * MiB))
host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
host.py send deflate
host.py wait-mark deflated 300
host.py expect-balloon "${VA_SCENARIO}_qmp_deflated" $((2048 * MiB))
