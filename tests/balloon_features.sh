# Guest side of the balloon feature scenarios (pci_balloon_features on q35,
# mmio_balloon_features on microvm): a balloon device with deflate-on-oom=on
# and QEMU's default page-poison=on, a guest booted with page_poison=1.
#   1. features: statistics, deflate on OOM and page poisoning negotiated,
#      poison_val 0xaaaaaaaa, the statistics queue at index 2;
#   2. statistics: QEMU polls every 2 s (guest-stats-polling-interval);
#      what it reads equals what the driver sent, and matches /proc/meminfo;
#   3. deflate on OOM: with the balloon holding most of memory, a tmpfs file
#      larger than what is left gets written; the balloon gives pages back
#      and nothing is OOM-killed; then compaction moves ballooned pages;
#   4. a target of all memory: the guest keeps answering, the count stays
#      exact, and the balloon deflates to nothing afterwards.
# Host side: tests/host/balloon_features.sh.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
S=$VA_SCENARIO

# The balloon's virtio device: the PCI function 0x1045, or on microvm the
# platform device with virtio device id 5.
balloon_vdev() {
	case $S in
	pci*) va_vdev_of 0x1045 ;;
	*)	for v in /sys/bus/virtio/devices/*; do
			[ "$(cat "$v/device")" = 0x0005 ] && basename "$v"
		done ;;
	esac
}
bfield() { sed -n "s/^$1: //p" "$B"; }

va_check "${S}_modprobe" modprobe virtio_alt
bal=$(balloon_vdev)
B=$D/$bal/balloon
if [ -n "$bal" ] && [ -r "$B" ]; then
	va_result "${S}_bound" PASS "$bal"
else
	va_result "${S}_bound" FAIL "no balloon debugfs file for '$bal'"
	exit 0
fi
echo "== $B"; cat "$B"

# 1. negotiated features and the queue layout
neg=$(bfield negotiated)
missing=
for f in stats_vq deflate_on_oom page_poison; do
	case " $neg " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
if [ -z "$missing" ] && [ "$(bfield 'queue stats')" != none ] &&
   [ "$(bfield numbering)" = offered ]; then
	va_result "${S}_features" PASS "negotiated $neg; stats $(bfield 'queue stats')"
else
	va_result "${S}_features" FAIL "negotiated '$neg' (missing$missing), stats '$(bfield 'queue stats')'"
fi
# page_poison=1 on the command line: the kernel fills free pages with 0xaa.
if [ "$(bfield poison_val)" = 0xaaaaaaaa ]; then
	va_result "${S}_poison_val" PASS "poison_val $(bfield poison_val)"
else
	va_result "${S}_poison_val" FAIL "poison_val '$(bfield poison_val)', wanted 0xaaaaaaaa"
fi
case $(bfield managed) in
*"stay in MemTotal"*) va_result "${S}_oom_pages_stay_managed" PASS "$(bfield managed)" ;;
*) va_result "${S}_oom_pages_stay_managed" FAIL "managed: '$(bfield managed)'" ;;
esac

# Tracepoints (events/virtio_alt): on from here to the end, then checked
# against the queue counters.
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo 8192 > $T/buffer_size_kb
echo 1 > $T/events/virtio_alt/enable
vqc() { awk -v k="$2" '$1 == k { print $2 }' "$D/$bal/vq$1/counters"; }
added0=$(vqc 0 bufs_added) used0=$(vqc 0 bufs_used) kicks0=$(vqc 0 kicks)

# 2. statistics: the host turns polling on, waits for two updates and
# turns it off again while the guest waits. MemFree is read by the
# shell's own read and the wait is a read with a timeout on a FIFO: no
# process of ours starts or ends between the two readings and the
# driver's statistics, so MemFree holds still (an awk reading it and a
# sleep waiting differ by dozens of pages).
memfree_kb() {	# sets mf
	while read -r _mk _mv _mu; do
		if [ "$_mk" = MemFree: ]; then mf=$_mv; return 0; fi
	done < /proc/meminfo
}
mkfifo /tmp/va-idle
exec 3<> /tmp/va-idle
memfree_kb; free1=$mf
va_marker stats
read -r -t 25 _ <&3
memfree_kb; free2=$mf
exec 3>&-
va_wait_host stats-read 120
echo "== $B"; cat "$B"
va_marker "meminfo $(va_meminfo MemTotal) $free1 $free2 $(bfield 'stat total_memory') $(bfield 'stat free_memory') $(bfield stats_requests)"
va_wait_host stats-checked 60

# 3. deflate on OOM: the host leaves the guest 384 MiB of its 768
total0=$(va_meminfo MemTotal)
va_marker oom-inflate
va_wait_host oom-inflated 300
pages0=$(bfield pages)
avail=$(va_meminfo MemAvailable)
# More than what is left: MemAvailable plus 32 MiB, in a tmpfs file (no
# swap: those pages can only come from the balloon, 1 MiB per OOM call).
want_mb=$((avail / 1024 + 32))
mkdir -p /mnt/oom
mount -t tmpfs -o size=4g none /mnt/oom
if dd if=/dev/zero of=/mnt/oom/fill bs=1M count=$want_mb 2>/tmp/dd.err &&
   [ "$(wc -c < /mnt/oom/fill)" -eq $((want_mb * 1048576)) ]; then
	va_result "${S}_oom_alloc" PASS "wrote $want_mb MiB with $((avail / 1024)) MiB available"
else
	va_result "${S}_oom_alloc" FAIL "dd of $want_mb MiB: $(tr '\n' ' ' < /tmp/dd.err)"
fi
oomd=$(bfield oom_deflated)
if dmesg | grep -qiE 'Killed process|oom-kill:|invoked oom-killer'; then
	va_result "${S}_oom_no_kill" FAIL "$(dmesg | grep -iE 'Killed process|oom-kill' | head -n 2 | tr '\n' ' ')"
elif [ "${oomd:-0}" -gt 0 ] && [ "$(bfield pages)" -lt "$pages0" ]; then
	va_result "${S}_oom_no_kill" PASS "balloon gave back $oomd pages ($pages0 -> $(bfield pages)); nothing killed"
else
	va_result "${S}_oom_no_kill" FAIL "oom_deflated '$oomd', pages $pages0 -> $(bfield pages)"
fi
if va_mem_is "$total0"; then
	va_result "${S}_oom_memtotal" PASS "MemTotal $total0 kB throughout (deflate_on_oom)"
else
	va_result "${S}_oom_memtotal" FAIL "MemTotal $(va_meminfo MemTotal), wanted $total0"
fi
rm -f /mnt/oom/fill
umount /mnt/oom
# Compaction moves ballooned pages (balloon compaction API): the device
# hears of each move, and the count stays exact (checked by the host).
mig0=$(bfield migrated)
echo 1 > /proc/sys/vm/compact_memory
mig=$(bfield migrated)
if [ "$mig" -gt "$mig0" ]; then
	va_result "${S}_compaction" PASS "$((mig - mig0)) balloon pages migrated"
else
	va_result "${S}_compaction" FAIL "migrated $mig0 -> $mig after compact_memory"
fi
va_marker "oom-pages $(bfield pages)"
va_wait_host oom-checked 120

# 4. a target of all memory
va_marker huge
va_wait_host huge-set 60
# The guest keeps answering while the balloon cannot reach its target.
n=0 ok=0
while [ $n -lt 20 ]; do
	if [ "$(echo alive)" = alive ] && [ -r /proc/meminfo ]; then
		ok=$((ok + 1))
	fi
	sleep 1
	n=$((n + 1))
done
fails=$(bfield alloc_failed)
if [ "$ok" = 20 ] && [ "${fails:-0}" -gt 0 ]; then
	va_result "${S}_huge_target_responsive" PASS "20 s of commands while the balloon holds $(bfield pages) pages; $fails short rounds"
else
	va_result "${S}_huge_target_responsive" FAIL "$ok/20 commands, alloc_failed '$fails'"
fi
# The host settles the target where the balloon is; the count is exact.
va_marker huge-settle
va_wait_host huge-settled 300
va_marker "huge-pages $(bfield pages)"
va_wait_host huge-checked 120
# Back to nothing: every page returns.
va_marker deflate
va_wait_host deflated 300
if [ "$(bfield pages)" = 0 ] && va_mem_is "$total0"; then
	va_result "${S}_deflate_all" PASS "pages 0, MemTotal $total0 kB"
else
	va_result "${S}_deflate_all" FAIL "pages $(bfield pages), MemTotal $(va_meminfo MemTotal) (wanted $total0)"
fi
if dmesg | grep -qiE 'memory corruption|Bad page'; then
	va_result "${S}_poison_intact" FAIL "$(dmesg | grep -iE 'memory corruption|Bad page' | head -n 1)"
else
	va_result "${S}_poison_intact" PASS "no poison check failed"
fi
echo "== $B"; cat "$B"
echo 0 > $T/events/virtio_alt/enable
# Every inflate buffer since tracing began has its add and get_buf event,
# every notification sent its kick event; the dropped count must be 0.
ev() { grep -c "virtio_alt_$1: $bal vq 0$2" $T/trace; }
n_add=$(ev add ' ') n_get=$(ev get_buf ' ') n_kick=$(ev kick ' sent')
added=$(($(vqc 0 bufs_added) - added0)) used=$(($(vqc 0 bufs_used) - used0))
kicks=$(($(vqc 0 kicks) - kicks0))
lost=$(awk '/entries-written|overrun/ { print }' $T/per_cpu/cpu0/stats | tr '\n' ' ')
if [ "$n_add" = "$added" ] && [ "$n_get" = "$used" ] && [ "$n_kick" = "$kicks" ] &&
   [ "$added" -gt 0 ] && grep -q "virtio_alt_interrupt: $bal vq 0" $T/trace; then
	va_result "${S}_tracepoints" PASS "vq 0: $n_add add, $n_get get_buf, $n_kick kick events = counters"
else
	va_result "${S}_tracepoints" FAIL "vq 0 events add $n_add get_buf $n_get kick $n_kick; counters $added $used $kicks; $lost"
fi
va_check "${S}_rmmod" rmmod virtio_alt
va_kmemleak_scan "${S}_kmemleak"
