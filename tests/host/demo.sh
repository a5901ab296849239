#!/usr/bin/env bash
# Host side of tests/demo.sh (make demo): inflate by 256 MiB, check QEMU's view,
# deflate, check again. The guest has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

balloon_cycle "$VA_SCENARIO" 1792
