# Guest: device faults on virtio-alt-pci with a QEMU virtio-balloon-pci
# (issue 9, points 3 and 6).
#   1. A configuration change storm: the host changes the balloon's target
#      1000 times as fast as one QMP connection takes it (values from 1024
#      to 2047 MiB in turn), then sets 1536 MiB. The balloon ends at exactly
#      that target: MemTotal down by 512 MiB to the kB and still there 5 s
#      later, the balloon's pages the same, QEMU's query-balloon actual too
#      (the host checks). The counters add up: inflated - deflated = pages,
#      every buffer added to the inflate and deflate queues came back used,
#      no queue broken, configuration change interrupts counted.
#   2. A queue reset requested while buffers are in flight: debugfs
#      queue_reset of the inflate queue over and over during a 512 MiB
#      inflate (to a 1024 MiB target). The accounting is exact afterwards:
#      MemTotal, pages, query-balloon; the inflate queue's bufs_added equals
#      bufs_used plus the buffers the resets returned (their log lines).
#   3. A reset of the statistics queue, whose buffer QEMU holds: it comes
#      back (the log says 1 returned); then statistics flow, or (QEMU 7.2,
#      see below) the queue breaks naming the device's fault; the balloon
#      deflates exactly afterwards.
# Then rmmod gives every page back and kmemleak finds nothing.
# Host side: tests/host/pci_balloon_storm.sh.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt

field() { awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null; }
bfield() { field "$D/$bal/balloon" "$1:"; }
counter() { field "$D/$bal/$1/counters" "$2"; }
stats_over() { [ "$(bfield stats_requests)" -gt "$1" ]; }

va_check "${S}_modprobe" modprobe virtio_alt
bal=$(va_vdev_of 0x1045)
total0=$(va_meminfo MemTotal)

# 1. the storm
va_marker storm
secs=$(va_host_value stormed 600)
target_kb=$((total0 - 512 * 1024))
if va_wait_for 600 va_mem_is $target_kb && sleep 5 && va_mem_is $target_kb &&
   [ "$(bfield pages)" = $((512 * 256)) ]; then
	va_result "${S}_storm_settles" PASS "1000 targets in $secs s, then 1536 MiB: MemTotal $total0 -> $(va_meminfo MemTotal) kB, pages $(bfield pages)"
else
	va_result "${S}_storm_settles" FAIL "1000 targets in $secs s, then 1536 MiB: MemTotal $(va_meminfo MemTotal) kB, wanted $target_kb; pages $(bfield pages)"
fi
for q in vq0 vq1; do
	echo "== $bal/$q"; cat "$D/$bal/$q/counters"
done
cat "$D/$bal/balloon"
inf=$(bfield inflated) def=$(bfield deflated) pg=$(bfield pages)
a0=$(counter vq0 bufs_added) u0=$(counter vq0 bufs_used)
a1=$(counter vq1 bufs_added) u1=$(counter vq1 bufs_used)
br=$(($(counter vq0 broken) + $(counter vq1 broken)))
cfg=$(field "$D/$bal/transport" irqs_config)
if [ $((inf - def)) = "$pg" ] && [ "$def" -gt 0 ] &&
   [ "$a0" = "$u0" ] && [ "$a1" = "$u1" ] && [ "$a1" -gt 0 ] &&
   [ $br = 0 ] && [ "$cfg" -gt 0 ] && [ "$(bfield dead)" = 0 ]; then
	va_result "${S}_storm_counters" PASS "inflated $inf - deflated $def = pages $pg; inflate bufs $a0 added = used, deflate bufs $a1 added = used; irqs_config $cfg"
else
	va_result "${S}_storm_counters" FAIL "inflated $inf deflated $def pages $pg; inflate added $a0 used $u0; deflate added $a1 used $u1; broken $br; irqs_config $cfg; dead $(bfield dead)"
fi
va_marker settled
va_wait_host checked 120

# 2. queue resets during a large inflate
r0=$(counter vq0 resets)
dmesg -c > /dev/null
va_marker big-inflate
target_kb=$((total0 - 1024 * 1024))
# As fast as the shell goes, for at most 900 s.
n=0 bad=0 end=$(($(_va_now_cs) + 90000))
while ! va_mem_is $target_kb && [ "$(_va_now_cs)" -lt $end ]; do
	if echo 0 > "$D/$bal/queue_reset"; then n=$((n + 1)); else bad=$((bad + 1)); fi
done
back=$(dmesg | sed -n "s/.*$bal: inflate queue reset: .* \([0-9]*\) buffers returned.*/\1/p" |
	awk '{ s += $1 } END { print s + 0 }')
lines=$(dmesg | grep -c "$bal: inflate queue reset: ")
inf=$(bfield inflated) def=$(bfield deflated) pg=$(bfield pages)
a0=$(counter vq0 bufs_added) u0=$(counter vq0 bufs_used) r1=$(counter vq0 resets)
if va_mem_is $target_kb && [ "$pg" = $((1024 * 256)) ] &&
   [ $((inf - def)) = "$pg" ] && [ $n -gt 0 ] && [ $bad = 0 ] &&
   [ "$lines" = $n ] && [ $((r1 - r0)) = $n ] &&
   [ "$a0" = $((u0 + back)) ] && [ "$(counter vq0 broken)" = 0 ]; then
	va_result "${S}_reset_in_flight" PASS "MemTotal $(va_meminfo MemTotal) kB, pages $pg across $n inflate queue resets ($back buffers returned); bufs_added $a0 = used $u0 + returned $back"
else
	va_result "${S}_reset_in_flight" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $target_kb; pages $pg inflated $inf deflated $def; $n resets, $bad refused, $lines logged, counter $r0 -> $r1; bufs_added $a0 used $u0 returned $back; broken $(counter vq0 broken)"
fi
va_marker inflated

# 3. All back: the balloon follows the target down to empty.
va_wait_host deflate 120
if va_wait_for 300 va_mem_is "$total0" && [ "$(bfield pages)" = 0 ]; then
	va_result "${S}_deflate_after" PASS "MemTotal back to $total0 kB, pages 0"
else
	va_result "${S}_deflate_after" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0; pages $(bfield pages)"
fi
va_marker deflated

# 4. QEMU holds the statistics queue's buffer until it wants statistics:
# a reset of that queue always finds one buffer in flight, and it must come
# back. QEMU 7.2 keeps its copy across the queue reset (its balloon has no
# queue reset handler) and hands it back at every new buffer
# (virtio_balloon_receive_stats), then twice at its next poll: the queue
# must then break with a message naming it, never count a buffer twice,
# and the balloon must keep working. A device that forgets the old buffer
# passes the other way: statistics flow. Both ways the counters add up
# (read 3 s after the last request: the exchange runs at full speed).
# Or QEMU catches the exchange first: its own check ("Virtqueue size
# exceeded" on its stderr) stops the whole device, which then shows
# DEVICE_NEEDS_RESET; which side sees it first is a race, so this part
# runs last, with the balloon empty, and QMP is not used after it.
sq=$(_va_vq_dir "$bal" stats)
sidx=$(field "$sq/info" index)
req0=$(bfield stats_requests)
dmesg -c > /dev/null
if echo "$sidx" > "$D/$bal/queue_reset"; then rc=ok; else rc=refused; fi
sback=$(dmesg | sed -n "s/.*$bal: stats queue reset: .* \([0-9]*\) buffers returned.*/\1/p")
va_marker poll-stats
va_wait_for 120 stats_over "$req0"
sleep 3
va_marker stats-seen
sa=$(field "$sq/counters" bufs_added) su=$(field "$sq/counters" bufs_used)
sb=$(field "$sq/counters" broken)
why=$(dmesg | grep -m 1 "$bal: vq $sidx (stats) broken: " | sed 's/^\[[^]]*\] //')
sd="queue $sidx reset: '$sback' returned; stats_requests $req0 -> $(bfield stats_requests); bufs_added $sa used $su"
if [ $rc != ok ] || [ "$sback" != 1 ]; then
	va_result "${S}_stats_reset_in_flight" FAIL "reset $rc; $sd"
elif [ "$sb" = 0 ] && [ "$(bfield stats_requests)" -gt "$req0" ] &&
     [ "$sa" = $((su + 2)) ]; then
	va_result "${S}_stats_reset_in_flight" PASS "$sd (= used + 1 returned + 1 held); statistics flow"
elif [ "$sb" = 1 ] && [ -n "$why" ] && [ "$sa" = $((su + 2)) ]; then
	va_result "${S}_stats_reset_in_flight" PASS "$sd (= used + 1 returned + 1 held); the device gave back its stale buffer: $why"
elif grep -q DEVICE_NEEDS_RESET "$D/$bal/status" && [ "$sa" -le $((su + 2)) ]; then
	va_result "${S}_stats_reset_in_flight" PASS "$sd; QEMU stopped the device: $(cat "$D/$bal/status")"
else
	va_result "${S}_stats_reset_in_flight" FAIL "$sd; broken '$sb': '$why'; status $(cat "$D/$bal/status")"
fi

va_check "${S}_rmmod" rmmod virtio_alt
if va_mem_is "$total0"; then
	va_result "${S}_rmmod_returns_pages" PASS "MemTotal $total0 kB"
else
	va_result "${S}_rmmod_returns_pages" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
va_kmemleak_scan "${S}_kmemleak"
