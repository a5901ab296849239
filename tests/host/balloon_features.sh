#!/usr/bin/env bash
# Host side of tests/balloon_features.sh: statistics over QOM, the balloon
# squeezed for the OOM step, a target of all memory, and page accounting
# checked against the guest's own count at each step. The guest has
# 768 MiB; the balloon device is -device ...,id=bal0.
set -euo pipefail

MiB=$((1024 * 1024))
RAM=$((768 * MiB))
S=$VA_SCENARIO
BAL=/machine/peripheral/bal0

actual() { host.py qmp query-balloon | python3 -c 'import json,sys; print(json.load(sys.stdin)["actual"])'; }
# wait_actual BYTES SECONDS: until query-balloon says BYTES; 1 on timeout.
wait_actual() {
	local t=0
	while [ "$(actual)" != "$1" ]; do
		[ $t -ge "$2" ] && return 1
		sleep 1; t=$((t + 1))
	done
}
stats() { host.py qmp qom-get "{\"path\": \"$BAL\", \"property\": \"guest-stats\"}"; }
stat() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["stats"][sys.argv[1]] if sys.argv[1] != "last-update" else d["last-update"])' "$1"; }
# Wait for a guest-stats update newer than $1; print its last-update.
next_update() {
	local t=0 u
	while u=$(stats | stat last-update) && [ "$u" = "$1" ]; do
		[ $t -ge 60 ] && return 1
		sleep 1; t=$((t + 1))
	done
	echo "$u"
}
mark_field() {	# PREFIX: the fields after "VA-MARK PREFIX "
	host.py wait-log "^VA-MARK $1 " 300 | sed "s/^VA-MARK $1 //"
}

# 2. statistics
host.py wait-mark stats 300
u0=$(stats | stat last-update)
host.py qmp qom-set "{\"path\": \"$BAL\", \"property\": \"guest-stats-polling-interval\", \"value\": 2}" >/dev/null
u1=$(next_update "$u0") && u2=$(next_update "$u1") || u2=
host.py qmp qom-set "{\"path\": \"$BAL\", \"property\": \"guest-stats-polling-interval\", \"value\": 0}" >/dev/null
sleep 3
st=$(stats)
host.py send stats-read
read -r g_total g_free1 g_free2 d_total d_free d_req <<< "$(mark_field meminfo)"
q_total=$(stat stat-total-memory <<< "$st")
q_free=$(stat stat-free-memory <<< "$st")
q_avail=$(stat stat-available-memory <<< "$st")
q_majflt=$(stat stat-major-faults <<< "$st")
if [ -z "$u2" ]; then
	host.py result "${S}_stats_polled" FAIL "guest-stats last-update stayed at ${u1:-$u0}"
elif [ "${d_req:-0}" -ge 2 ]; then
	host.py result "${S}_stats_polled" PASS "updates at $u1 and $u2; the driver answered $d_req requests"
else
	host.py result "${S}_stats_polled" FAIL "stats_requests '$d_req'"
fi
# What QEMU read is what the driver last sent (debugfs), byte for byte.
if [ "$q_total" = "$d_total" ] && [ "$q_free" = "$d_free" ]; then
	host.py result "${S}_stats_as_sent" PASS "total $q_total free $q_free bytes"
else
	host.py result "${S}_stats_as_sent" FAIL "QEMU total $q_total free $q_free, driver sent total $d_total free $d_free"
fi
# And it matches /proc/meminfo: MemTotal exactly, MemFree within a page of
# the range the guest saw around the update.
lo=$(( (g_free1 < g_free2 ? g_free1 : g_free2) * 1024 - 4096 ))
hi=$(( (g_free1 > g_free2 ? g_free1 : g_free2) * 1024 + 4096 ))
if [ "$q_total" = $((g_total * 1024)) ] && [ "$q_free" -ge $lo ] && [ "$q_free" -le $hi ]; then
	host.py result "${S}_stats_match_meminfo" PASS "MemTotal $g_total kB; MemFree $g_free1..$g_free2 kB, stat $((q_free / 1024)) kB"
else
	host.py result "${S}_stats_match_meminfo" FAIL "stat total $q_total free $q_free; meminfo total $((g_total * 1024)) free $((g_free1 * 1024))..$((g_free2 * 1024))"
fi
if [ "$q_avail" -gt 0 ] && [ "$q_majflt" -ge 0 ]; then
	host.py result "${S}_stats_event_counters" PASS "available $((q_avail / MiB)) MiB, major faults $q_majflt"
else
	host.py result "${S}_stats_event_counters" FAIL "available '$q_avail' major faults '$q_majflt' (-1: not sent)"
fi
host.py send stats-checked

# 3. deflate on OOM: leave the guest 384 MiB (page_poison=1 checks every
# page the balloon allocates: about 6 MiB/s under TCG with KASAN)
host.py wait-mark oom-inflate 120
host.py qmp balloon "{\"value\": $((384 * MiB))}" >/dev/null
if wait_actual $((384 * MiB)) 300; then
	host.py result "${S}_oom_inflated" PASS "query-balloon actual 384 MiB"
else
	host.py result "${S}_oom_inflated" FAIL "query-balloon actual $(actual), wanted $((384 * MiB))"
fi
host.py send oom-inflated
pages=$(mark_field oom-pages)
a=$(actual)
if [ "$a" = $((RAM - pages * 4096)) ]; then
	host.py result "${S}_oom_accounting" PASS "actual $((a / MiB)) MiB = 768 MiB - $pages pages"
else
	host.py result "${S}_oom_accounting" FAIL "actual $a, balloon $pages pages: wanted $((RAM - pages * 4096))"
fi
host.py send oom-checked

# 4. a target of all memory (QEMU clamps a target above RAM to RAM)
host.py wait-mark huge 120
host.py qmp balloon "{\"value\": $MiB}" >/dev/null
host.py send huge-set
host.py wait-mark huge-settle 120
a=$(actual)
if [ $((RAM - a)) -ge $((384 * MiB)) ]; then
	host.py result "${S}_huge_target_taken" PASS "the balloon holds $(((RAM - a) / MiB)) MiB of 767 asked"
else
	host.py result "${S}_huge_target_taken" FAIL "actual $a: the balloon holds under 384 MiB"
fi
# 64 MiB back: a level the guest can hold without running out of memory.
a=$((a + 64 * MiB))
host.py qmp balloon "{\"value\": $a}" >/dev/null
wait_actual "$a" 120 || true
sleep 2
host.py send huge-settled
pages=$(mark_field huge-pages)
a2=$(actual)
if [ "$a2" = $((RAM - pages * 4096)) ]; then
	host.py result "${S}_huge_accounting" PASS "actual $((a2 / MiB)) MiB = 768 MiB - $pages pages"
else
	host.py result "${S}_huge_accounting" FAIL "actual $a2, balloon $pages pages: wanted $((RAM - pages * 4096))"
fi
host.py send huge-checked

host.py wait-mark deflate 120
host.py qmp balloon "{\"value\": $RAM}" >/dev/null
if wait_actual "$RAM" 240; then
	host.py result "${S}_qmp_deflated" PASS "query-balloon actual 768 MiB"
else
	host.py result "${S}_qmp_deflated" FAIL "query-balloon actual $(actual)"
fi
host.py send deflated
