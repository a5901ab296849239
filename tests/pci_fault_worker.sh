# Guest: allocation failures injected into the balloon's worker (issue 9,
# point 2: inflating and deflating), which runs in a kworker that
# /proc/self/fail-nth cannot reach. The kernel's fail_page_alloc and
# failslab are restricted instead to calls made from this module's text
# (require-start/require-end, CONFIG_FAULT_INJECTION_STACKTRACE_FILTER),
# any task:
#   1. every page allocation of ours fails while the host asks for 256 MiB:
#      the balloon holds no page, counts alloc_failed, MemTotal and QEMU's
#      actual stay where they were; once the failures stop, the inflate
#      completes exactly;
#   2. 20 failures, every other call of ours into the page allocator
#      (the balloon asks the batch allocator for a round's pages), during
#      the next 256 MiB: alloc_failed grows by exactly 20 (each injected
#      failure ends one round early), the kernel's count of failures left
#      reads 0, and the inflate completes exactly;
#   3. deflating 512 MiB with every allocation of ours failing (a deflate
#      allocates nothing: it must not notice);
#   4. a queue reset of inflateq to half its size (debugfs queue_reset,
#      the device has queue_reset=on) with every allocation of ours
#      failing: the write fails with a message, the queue keeps its size,
#      and 64 MiB in and out work afterwards;
# then kmemleak must find nothing and rmmod be clean. The host side is
# tests/host/pci_fault_worker.sh; vm-run checks the log for BUG, WARNING,
# KASAN and lockdep reports.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
F=/sys/kernel/debug
MiB_kB=1024

va_check "${S}_modprobe" modprobe virtio_alt
bal=$(va_vdev_of 0x1045)
drv=$(basename "$(readlink "/sys/bus/virtio/devices/$bal/driver" 2>/dev/null)" 2>/dev/null)
if [ "$drv" = virtio_alt_balloon ]; then
	va_result "${S}_bound" PASS "$bal"
else
	va_result "${S}_bound" FAIL "'$bal' driver '$drv'"
fi
bfield() { awk -v k="$1:" '$1 == k { print $2 }' "$D/$bal/balloon"; }

# This module's text: from its first to past its last function.
range=$(awk '$4 == "[virtio_alt]" && ($2 == "t" || $2 == "T") { print $1 }' \
	/proc/kallsyms | sort | sed -n '1p;$p' | tr '\n' ' ')
set -- $range
if [ $# -eq 2 ] && [ "$1" != 0000000000000000 ]; then
	# Hex, as the attributes take it (kstrtoull base 0): the shell's
	# arithmetic is signed.
	start=0x$1 end=$(printf '0x%x' $((0x$2 + 0x10000)))
	va_result "${S}_text_range" PASS "$start-$end"
else
	va_result "${S}_text_range" FAIL "kallsyms gave '$range'"
	start=0 end=0
fi
for a in failslab fail_page_alloc; do
	echo N > "$F/$a/task-filter"
	echo N > "$F/$a/ignore-gfp-wait"
	echo 0 > "$F/$a/verbose"
	echo 0 > "$F/$a/probability"
	echo "$start" > "$F/$a/require-start"
	echo "$end" > "$F/$a/require-end"
	echo 32 > "$F/$a/stacktrace-depth"
done
echo N > "$F/fail_page_alloc/ignore-gfp-highmem"
echo 0 > "$F/fail_page_alloc/min-order"
# fail PROBABILITY INTERVAL TIMES: both attributes, our calls only.
fail() {
	for a in failslab fail_page_alloc; do
		echo 0 > "$F/$a/probability"
		echo "$2" > "$F/$a/interval"
		echo "$3" > "$F/$a/times"
		echo "$1" > "$F/$a/probability"
	done
}
alloc_failed_is_at_least() { [ "$(bfield alloc_failed)" -ge "$1" ]; }

total0=$(va_meminfo MemTotal)
# -- 1. every page allocation of ours fails
fail 100 1 -1
f0=$(bfield alloc_failed)
va_marker inflate1
if va_wait_for 120 alloc_failed_is_at_least $((f0 + 5)) &&
   [ "$(bfield pages)" = 0 ] && [ "$(va_meminfo MemTotal)" = "$total0" ]; then
	va_result "${S}_all_fail_hold" PASS "alloc_failed $f0 -> $(bfield alloc_failed), balloon 0 pages, MemTotal $total0 kB"
else
	va_result "${S}_all_fail_hold" FAIL "alloc_failed $f0 -> $(bfield alloc_failed), pages $(bfield pages), MemTotal $(va_meminfo MemTotal) kB (was $total0)"
fi
va_marker held1
va_wait_host checked1 120
fail 0 1 -1
if va_wait_for 180 va_mem_is $((total0 - 256 * MiB_kB)) &&
   [ "$(bfield pages)" = 65536 ]; then
	va_result "${S}_all_fail_recover" PASS "MemTotal $(va_meminfo MemTotal) kB, balloon 65536 pages"
else
	va_result "${S}_all_fail_recover" FAIL "MemTotal $(va_meminfo MemTotal) kB, balloon $(bfield pages) pages"
fi
va_marker inflated1
va_wait_host checked2 120

# -- 2. exactly 20 failures, every other allocation call of ours
fail 100 2 20
f0=$(bfield alloc_failed)
va_marker inflate2
if va_wait_for 300 va_mem_is $((total0 - 512 * MiB_kB)) &&
   [ "$(bfield pages)" = 131072 ]; then
	va_result "${S}_some_fail_inflate" PASS "MemTotal $(va_meminfo MemTotal) kB, balloon 131072 pages"
else
	va_result "${S}_some_fail_inflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, balloon $(bfield pages) pages"
fi
left=$(cat "$F/fail_page_alloc/times")
f1=$(bfield alloc_failed)
if [ "$left" = 0 ] && [ $((f1 - f0)) = 20 ]; then
	va_result "${S}_some_fail_counted" PASS "20 injected, alloc_failed $f0 -> $f1"
else
	va_result "${S}_some_fail_counted" FAIL "times left $left, alloc_failed $f0 -> $f1 (wanted +20)"
fi
va_marker inflated2
va_wait_host checked3 120

# -- 3. deflate with every allocation of ours failing
fail 100 1 -1
va_marker deflate3
if va_wait_for 180 va_mem_is "$total0" && [ "$(bfield pages)" = 0 ]; then
	va_result "${S}_deflate_under_fail" PASS "MemTotal back to $total0 kB, balloon empty"
else
	va_result "${S}_deflate_under_fail" FAIL "MemTotal $(va_meminfo MemTotal) kB (want $total0), balloon $(bfield pages) pages"
fi
fail 0 1 -1
va_marker deflated3
va_wait_host checked4 120
# -- 4. a queue reset that needs new memory, all of it failing
size_of() { awk '$1 == "size" { print $2 }' "$D/$bal/$1/info"; }
size0=$(size_of vq0)
half=$((size0 / 2))
dmesg -c > /dev/null
fail 100 1 -1
if echo "0 $half" > "$D/$bal/queue_reset" 2>/dev/null; then
	va_result "${S}_queue_reset_refused" FAIL "'0 $half' accepted with every allocation failing"
elif ! dmesg | grep -qE "resizing to $half: -(ENOMEM|12); keeping $size0 entries"; then
	va_result "${S}_queue_reset_refused" FAIL "no 'resizing to $half: -ENOMEM; keeping $size0 entries' in the log"
elif [ "$(size_of vq0)" != "$size0" ]; then
	va_result "${S}_queue_reset_refused" FAIL "vq0 size $(size_of vq0), was $size0"
else
	va_result "${S}_queue_reset_refused" PASS "$(dmesg | grep "resizing to $half" | tail -n 1 | sed 's/^\[[^]]*\] //')"
fi
fail 0 1 -1
va_balloon_cycle "${S}_after_reset" 65536 4
if [ "$(bfield dead)" = 0 ]; then
	va_result "${S}_alive" PASS "dead 0, alloc_failed $(bfield alloc_failed)"
else
	va_result "${S}_alive" FAIL "balloon dead"
fi
va_check "${S}_rmmod" rmmod virtio_alt
va_kmemleak_scan "${S}_kmemleak"
