#!/usr/bin/env bash
# Host side of tests/mmio_seed004.sh: for each queue alignment, ask QEMU
# (QMP x-query-virtio-queue-status) where it put the balloon's inflate queue
# and its used ring, compare with the driver's offset, read the used ring's
# idx at both offsets from guest memory after the inflate (HMP xp), and
# give the guest the verdict. The guest has 2048 MiB.
set -euo pipefail

MiB=$((1024 * 1024))
path=$(host.py qmp x-query-virtio | python3 -c '
import json, sys
print(next(d["path"] for d in json.load(sys.stdin) if d["name"] == "virtio-balloon"))')
# used.idx (16 bits at offset 2 of the used ring) at guest physical ADDR
used_idx() {
	host.py qmp human-monitor-command "{\"command-line\": \"xp /1hx $1\"}" |
		python3 -c 'import json, sys; print(json.load(sys.stdin).split()[-1])'
}

for a in 4 64 4096; do
	P=${VA_SCENARIO}_a$a
	host.py wait-mark "rings-$a" 300
	line=$(host.py wait-log "^SEED a=$a " 10)
	desc=$(sed -n 's/.* desc=\(0x[0-9a-f]*\).*/\1/p' <<< "$line")
	dused=$(sed -n 's/.* used_off=\([0-9]*\).*/\1/p' <<< "$line")
	q=$(host.py qmp x-query-virtio-queue-status "{\"path\": \"$path\", \"queue\": 0}")
	read -r qdesc qavail qused qalign qnum < <(python3 -c '
import json, sys
q = json.loads(sys.argv[1])
print(q["vring-desc"], q["vring-avail"], q["vring-used"], q["vring-align"], q["vring-num"])' "$q")
	qoff=$((qused - qdesc))
	if [ "$qdesc" = "$((desc))" ] && [ "$qalign" = "$a" ]; then
		verdict=differ
		[ "$qoff" != "$dused" ] || verdict=same
		host.py result "${P}_device_used_off" PASS "QEMU: QueueAlign $qalign, size $qnum, avail at +$((qavail - qdesc)), used ring at +$qoff; driver: used ring at +$dused ($verdict)"
	else
		verdict=unknown
		host.py result "${P}_device_used_off" FAIL "QEMU desc $qdesc align $qalign, driver desc $desc align $a: $q"
	fi
	host.py qmp balloon "{\"value\": $((2048 * MiB - 16 * MiB))}" > /dev/null
	host.py send "go-$a $verdict"
	host.py wait-mark "outcome-$a" 120
	# Where the used entries went: used.idx at QEMU's offset and at ours.
	qi=$(used_idx $((qused + 2))) di=$(used_idx $((qdesc + dused + 2)))
	# The device used buffers (its used.idx moved); where the offsets
	# agree the driver's used.idx is the same word.
	ok=0
	if [ $((qi)) -gt 0 ]; then
		case $verdict in
		same) [ "$qi" != "$di" ] || ok=1 ;;
		differ) ok=1 ;;
		esac
	fi
	if [ "$ok" = 1 ]; then
		host.py result "${P}_used_idx" PASS "after the inflate, used.idx at QEMU's +$qoff is $qi, at the driver's +$dused is $di"
	else
		host.py result "${P}_used_idx" FAIL "verdict $verdict: used.idx at QEMU's +$qoff is $qi, at the driver's +$dused is $di"
	fi
	host.py qmp balloon "{\"value\": $((2048 * MiB))}" > /dev/null
	host.py send "back-$a"
done
