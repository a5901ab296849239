#!/usr/bin/env bash
# Host side of tests/pci_debugfs.sh: inflate by 256 MiB and deflate over
# QMP; in between compare the guest's vq<N>/layout (VA-QUEUE lines: index,
# descriptor, driver and device area addresses, size) and the inflate
# queue's indexes from vq0/ring (VA-INDEX) with QEMU's own view of the
# queues (x-query-virtio-queue-status). The guest has 2048 MiB.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

S=$VA_SCENARIO
path=$(host.py qmp x-query-virtio | python3 -c '
import json, sys
print(next(d["path"] for d in json.load(sys.stdin) if d["name"] == "virtio-balloon"))')
qstatus() {	# QUEUE: "desc avail used num last_avail_idx used_idx"
	host.py qmp x-query-virtio-queue-status \
		"{\"path\": \"$path\", \"queue\": $1}" | python3 -c '
import json, sys
q = json.load(sys.stdin)
print(q["vring-desc"], q["vring-avail"], q["vring-used"], q["vring-num"],
      q["last-avail-idx"], q["used-idx"])'
}
guest_lines() {	# TAG: the guest's "TAG ..." lines, without TAG
	sed -e 's/\r//g' "$VA_LOG" | grep -o "$1 .*" | sed "s/^$1 //"
}

host.py wait-mark inflate 600
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark inflated 300
expect_actual "${S}_qmp_inflated" $((1792 * MiB))

bad="" seen=""
while read -r q desc drv dev num; do
	read -r qd qa qu qn _ _ < <(qstatus "$q")
	seen="$seen vq$q"
	[ "$qd $qa $qu $qn" = "$desc $drv $dev $num" ] ||
		bad="$bad vq$q: guest $desc $drv $dev $num, QEMU $qd $qa $qu $qn;"
done < <(guest_lines VA-QUEUE)
if [ -n "$seen" ] && [ -z "$bad" ]; then
	host.py result "${S}_layout_is_qemus" PASS "addresses and sizes of$seen"
else
	host.py result "${S}_layout_is_qemus" FAIL "${bad:-no VA-QUEUE lines}"
fi

read -r q avail used < <(guest_lines VA-INDEX | tail -n 1) || true
read -r _ _ _ _ qavail qused < <(qstatus "${q:-0}")
if [ -n "${avail:-}" ] && [ "$avail $used" = "$qavail $qused" ]; then
	host.py result "${S}_ring_indexes_are_qemus" PASS "vq$q next avail $avail, used $used"
else
	host.py result "${S}_ring_indexes_are_qemus" FAIL "guest '${avail:-} ${used:-}', QEMU last-avail-idx $qavail used-idx $qused"
fi

host.py qmp balloon "{\"value\": $((2048 * MiB))}" >/dev/null
host.py send deflate
host.py wait-mark deflated 300
expect_actual "${S}_qmp_deflated" $((2048 * MiB))
