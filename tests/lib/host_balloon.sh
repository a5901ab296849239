# Host-side balloon helpers for scenario host scripts (bash), sourced:
#   . "$(dirname "$0")/../lib/host_balloon.sh"
# Needs host.py on PATH (scripts/vm-run.sh puts it there). The guests have
# 2048 MiB.
# shellcheck shell=bash

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

# balloon_cycle NAME MIB [TAG]: the other side of the guest's
# va_balloon_cycle: at its mark inflate<TAG> set the target to MIB, check
# query-balloon (NAME_qmp_inflated), give everything back, send
# deflate<TAG>, check again (NAME_qmp_deflated).
balloon_cycle() {
	host.py wait-mark "inflate${3:-}" 600
	host.py qmp balloon "{\"value\": $(($2 * MiB))}" >/dev/null
	host.py wait-mark "inflated${3:-}" 300
	expect_actual "$1_qmp_inflated" $(($2 * MiB))
	host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
	host.py send "deflate${3:-}"
	host.py wait-mark "deflated${3:-}" 300
	expect_actual "$1_qmp_deflated" $((2048 * MiB))
}
