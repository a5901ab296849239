#!/usr/bin/env bash
# Host side of tests/pci_balloon.sh (and its variants): the demo's inflate and
# deflate with QMP checks, then a re-inflate, after which the guest removes
# the driver with pages in the balloon.
. "$(dirname "$0")/demo.sh"

host.py wait-mark reinflate 300
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark removed 300
# The driver reported actual = 0 pages on its way out.
expect_actual "${VA_SCENARIO}_qmp_after_remove" $((2048 * MiB))
