# Guest: VIRTIO_F_RING_RESET on a real device (QEMU 7.2 virtio-balloon-pci,
# queue_reset=on). Through the debugfs action queue_reset: bad requests are
# refused with a message naming the value; one queue is reset, then resized,
# while the device keeps running; the inflate queue is reset again and again
# during a 256 MiB inflate, which still ends exact. Variants (scenario name):
# *_packed runs the packed layout, *_intree the in-tree ring (ring=intree,
# virtqueue_resize()/virtqueue_reset() over our transport's queue reset).
# The host side is tests/host/demo.sh.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144
ring=alt small=2
case $S in *intree*) ring=intree ;; esac
case $S in *packed*) small=3 ;; esac

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
mem_is() { [ "$(meminfo MemTotal)" -eq "$1" ]; }
vdev_of() {
	for p in /sys/bus/pci/devices/*; do
		[ "$(cat "$p/device")" = "$1" ] || continue
		for v in "$p"/virtio*; do [ -d "$v" ] && basename "$v"; done
	done
}
field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
size_of() { field "$D/$bal/$1/info" size; }
counter() { field "$D/$bal/$1/counters" "$2"; }

va_check "${S}_modprobe" modprobe virtio_alt ring=$ring
va_check "${S}_rng_modprobe" modprobe virtio_rng
bal=$(vdev_of 0x1045)
rng=$(vdev_of 0x1044)
QR=$D/$bal/queue_reset
neg=$(field "$D/$bal/features" negotiated)
want="ring alt"
[ $ring = intree ] && want="ring in-tree"
if [ -n "$neg" ] && [ $(((neg >> 40) & 1)) = 1 ] &&
   grep -qx "$want" "$D/$bal/vq0/info"; then
	va_result "${S}_negotiated" PASS "$bal features $neg, $want"
else
	va_result "${S}_negotiated" FAIL "$bal features '$neg', $(tr '\n' ' ' < "$D/$bal/vq0/info")"
fi
max=$(size_of vq0)

# A refused request: the write fails, the log names the value, and the queue
# is untouched.
refused() {	# NAME FILE INPUT LOG-TEXT
	if echo "$3" > "$2" 2>/dev/null; then
		va_result "$1" FAIL "'$3' accepted"
	elif ! dmesg | grep -qF -- "$4"; then
		va_result "$1" FAIL "no '$4' in the log"
	elif [ "$(size_of vq0)" != "$max" ] || [ "$(size_of vq1)" != "$max" ]; then
		va_result "$1" FAIL "queue sizes changed: $(size_of vq0) $(size_of vq1)"
	else
		va_result "$1" PASS "'$3': $(dmesg | grep -F -- "$4" | tail -n 1 | sed 's/^\[[^]]*\] //')"
	fi
}
refused "${S}_refuses_bad_index" "$QR" 7 "has no queue 7"
refused "${S}_refuses_bad_token" "$QR" x1 "'x1' is not a queue index"
refused "${S}_refuses_bad_size" "$QR" "0 zero" "'zero' is not a queue size"
refused "${S}_refuses_too_big" "$QR" "0 $((max * 2))" \
	"size $((max * 2)) exceeds the device's maximum $max"
[ "$small" = 2 ] && refused "${S}_refuses_split_size" "$QR" "1 3" \
	"size 3 is not a power of two"
refused "${S}_refuses_foreign_driver" "$D/$rng/queue_reset" 0 \
	"driver virtio_rng is not this module's"

# Reset at the same size, then resize both queues.
resets0=$(counter vq0 resets)
if echo 0 > "$QR" && [ "$(size_of vq0)" = "$max" ] &&
   [ "$(counter vq0 resets)" = $((resets0 + 1)) ] &&
   dmesg | grep -qF "inflate queue reset: $max entries, 0 buffers returned"; then
	va_result "${S}_reset_same_size" PASS "vq0 $max entries, resets $resets0 -> $(counter vq0 resets)"
else
	va_result "${S}_reset_same_size" FAIL "vq0 size $(size_of vq0), $(dmesg | grep 'queue reset' | tail -n 1)"
fi
if echo "0 64" > "$QR" && echo "1 $small" > "$QR" &&
   [ "$(size_of vq0)" = 64 ] && [ "$(size_of vq1)" = "$small" ]; then
	va_result "${S}_resize" PASS "vq0 $max -> 64, vq1 $max -> $small"
else
	va_result "${S}_resize" FAIL "vq0 $(size_of vq0) vq1 $(size_of vq1)"
fi

# Inflate while the inflate queue is reset over and over: each reset waits
# for the request in flight, and nothing is lost.
total0=$(meminfo MemTotal)
va_marker inflate
n=0 bad=0 t=0
while ! mem_is $((total0 - INFLATE_KB)) && [ $t -lt 1800 ]; do
	if echo 0 > "$QR"; then n=$((n + 1)); else bad=$((bad + 1)); fi
	sleep 0.1
	t=$((t + 1))
done
if mem_is $((total0 - INFLATE_KB)) && [ $n -gt 0 ] && [ $bad = 0 ]; then
	va_result "${S}_inflate_across_resets" PASS "MemTotal $total0 -> $(meminfo MemTotal) kB across $n queue resets"
else
	va_result "${S}_inflate_across_resets" FAIL "MemTotal $(meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB)); $n resets, $bad failed"
fi
va_marker inflated
va_wait_host deflate 120
# The deflate runs on the smallest queue the layout allows (but one).
if va_wait_for 180 mem_is "$total0"; then
	va_result "${S}_deflate_small_queue" PASS "MemTotal back to $total0 kB on a $small-entry deflate queue"
else
	va_result "${S}_deflate_small_queue" FAIL "MemTotal $(meminfo MemTotal) kB, wanted $total0"
fi
va_marker deflated

for q in vq0 vq1; do
	echo "== $bal/$q"; cat "$D/$bal/$q/info" "$D/$bal/$q/counters"
done
r=$(counter vq0 resets)
if [ $ring = alt ]; then
	a=$(counter vq1 bufs_added) u=$(counter vq1 bufs_used)
	w=$(counter vq1 used_wraps)
	b=$(( $(counter vq0 broken) + $(counter vq1 broken) ))
	if [ "$a" = "$u" ] && [ "$w" -gt 0 ] && [ "$r" -ge $((n + 2)) ] &&
	   [ $b = 0 ]; then
		va_result "${S}_counters" PASS "vq1 bufs $a used_wraps $w; vq0 resets $r"
	else
		va_result "${S}_counters" FAIL "vq1 added $a used $u wraps $w; vq0 resets $r (wanted >= $((n + 2))); broken $b"
	fi
elif [ "$r" -ge $((n + 2)) ] && [ "$(counter vq1 resets)" = 1 ]; then
	va_result "${S}_counters" PASS "transport: vq0 resets $r, vq1 resets 1"
else
	va_result "${S}_counters" FAIL "transport: vq0 resets $r (wanted >= $((n + 2))), vq1 resets $(counter vq1 resets)"
fi

va_check "${S}_rmmod" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
va_kmemleak_scan "${S}_kmemleak"
