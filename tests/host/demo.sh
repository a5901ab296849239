#!/usr/bin/env bash
# Host side of tests/demo.sh (make demo): inflate by 256 MiB, check QEMU's view,
# deflate, check again. The guest has 2048 MiB.
set -euo pipefail

MiB=$((1024 * 1024))
actual() { host.py qmp query-balloon | python3 -c 'import json,sys; print(json.load(sys.stdin)["actual"])'; }
expect_actual() {	# NAME BYTES
	local a t=0
	while a=$(actual) && [ "$a" != "$2" ] && [ $t -lt 60 ]; do
		sleep 1; t=$((t + 1))
	done
	if [ "$a" = "$2" ]; then
		host.py result "$1" PASS "query-balloon actual $((a / MiB)) MiB"
	else
		host.py result "$1" FAIL "query-balloon actual ${a:-?}, wanted $2"
	fi
}

host.py wait-mark inflate 600
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark inflated 300
expect_actual "${VA_SCENARIO}_qmp_inflated" $((1792 * MiB))
host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
host.py send deflate
host.py wait-mark deflated 300
expect_actual "${VA_SCENARIO}_qmp_deflated" $((2048 * MiB))
