# Guest side of the seed 004 experiment on QEMU microvm with legacy
# (version 1) virtio-mmio devices: for each queue alignment (mmio_align=4, 64,
# 4096) load virtio_alt, show where the driver put the used ring, let the host
# ask QEMU where it writes used entries (tests/host/mmio_seed004.sh), inflate
# the balloon by 16 MiB, and unload. Where the two offsets agree the balloon
# must work; where they differ it must fail within its bound with a message,
# and the module must unload: never a hang, never a crash. The scenario name
# says whether QEMU offers event_idx (*noevidx*: event_idx=off).
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
S=$VA_SCENARIO
KB=16384		# 16 MiB, what the host asks for

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
mem_is() { [ "$(meminfo MemTotal)" -eq "$1" ]; }
bal_dev() {
	for v in /sys/bus/virtio/devices/*; do
		[ "$(cat "$v/device")" = 0x0005 ] && basename "$v"
	done
}
# The value of the line "go-ALIGN VERDICT" the host sent (va_wait_host
# wants the whole line; the verdict is the host's to give).
host_word() { sed -n "s/^$1 //p" /tmp/va-host.in | tail -n 1; }
has_host_word() { [ -n "$(host_word "$1")" ]; }
settled() { mem_is "$1" || dmesg | grep -q 'balloon stopped until'; }

for a in 4 64 4096; do
	P=${S}_a$a
	dmesg -c > /dev/null
	if ! va_check "${P}_modprobe" modprobe virtio_alt mmio_align=$a; then
		continue
	fi
	bal=$(bal_dev)
	t=$D/$bal/transport
	cat "$t"
	# The driver's used ring offset, and the specification's (2.7.2:
	# after the avail ring's used_event word, aligned to QueueAlign).
	set -- $(sed -n 's/^vq0 size \([0-9]*\) desc \(0x[0-9a-f]*\) avail_off [0-9]* used_off \([0-9]*\)$/\1 \2 \3/p' "$t")
	n=$1 desc=$2 used=$3
	spec=$(( (16 * n + 2 * (3 + n) + a - 1) / a * a ))
	if [ "$(awk '$1 == "version" { print $2 }' "$t")" = 1 ] &&
	   [ "$(awk '$1 == "queue_align" { print $2 }' "$t")" = "$a" ] &&
	   [ "$used" = "$spec" ]; then
		va_result "${P}_driver_used_off" PASS "version 1, QueueAlign $a, size $n, features $(sed -n 's/^negotiated //p' "$D/$bal/features"): used ring at offset $used as 2.7.2 says"
	else
		va_result "${P}_driver_used_off" FAIL "size $n used_off $used, spec $spec: $(tr '\n' ' ' < "$t")"
	fi
	_va_emit "SEED a=$a desc=$desc used_off=$used size=$n"
	va_marker "rings-$a"

	total0=$(meminfo MemTotal)
	va_wait_for 60 has_host_word "go-$a"
	verdict=$(host_word "go-$a")
	va_wait_for 60 settled $((total0 - KB))
	if [ "$verdict" = same ]; then
		if mem_is $((total0 - KB)); then
			va_result "${P}_outcome" PASS "offsets agree: balloon inflated by 16 MiB"
		else
			va_result "${P}_outcome" FAIL "offsets agree but MemTotal $(meminfo MemTotal) kB, wanted $((total0 - KB)): $(dmesg | grep -m1 virtio_alt_balloon)"
		fi
	elif [ "$verdict" = differ ]; then
		msg=$(dmesg | grep -m1 'balloon stopped until')
		warn=$(dmesg | grep -m1 'loses every used buffer')
		if [ -n "$msg" ] && [ -n "$warn" ]; then
			va_result "${P}_outcome" PASS "offsets differ: balloon failed in bounded time: ${msg#*] }; transport said: ${warn#*] }"
		else
			va_result "${P}_outcome" FAIL "offsets differ: balloon message '${msg}', transport warning '${warn}', MemTotal $(meminfo MemTotal)"
		fi
	else
		va_result "${P}_outcome" FAIL "no verdict from the host ('$verdict')"
	fi
	va_marker "outcome-$a"
	va_wait_host "back-$a" 60
	if [ "$verdict" = same ] && ! va_wait_for 60 mem_is "$total0"; then
		va_result "${P}_deflate" FAIL "MemTotal $(meminfo MemTotal) kB, wanted $total0"
	fi
	start=$(cut -d. -f1 /proc/uptime)
	va_check "${P}_rmmod" rmmod virtio_alt
	echo "rmmod took $(( $(cut -d. -f1 /proc/uptime) - start )) s"
	if mem_is "$total0"; then
		va_result "${P}_memtotal_restored" PASS "MemTotal $total0 kB"
	else
		va_result "${P}_memtotal_restored" FAIL "MemTotal $(meminfo MemTotal) kB, wanted $total0"
	fi
done
va_kmemleak_scan "${S}_kmemleak"
