# Guest: teardown done right on virtio-alt-pci. A suspend cycle
# (pm_test=devices, s2idle) runs freeze and restore through the transport:
# the balloon gives its pages back and inflates again after restore, the
# in-tree virtio_rng keeps working. Then the module is removed while a large
# inflate is under way: every page comes back, nothing leaks.
# Host side: tests/host/pci_pm.sh.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144
mem_below() { [ "$(va_meminfo MemTotal)" -lt "$1" ]; }

va_check pci_pm_modprobe sh -c 'modprobe virtio_alt && modprobe virtio_rng'
bal=$(va_vdev_of 0x1045)
total0=$(va_meminfo MemTotal)
va_marker inflate
if va_wait_for 180 va_mem_is $((total0 - INFLATE_KB)); then
	va_result pci_pm_inflate PASS "MemTotal $total0 -> $(va_meminfo MemTotal) kB"
else
	va_result pci_pm_inflate FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB))"
fi

# Devices go through freeze and restore; the core waits 5 s in between.
echo devices > /sys/power/pm_test
if echo freeze > /sys/power/state; then
	va_result pci_pm_suspend_cycle PASS "$(dmesg | grep -c 'PM: suspend exit') suspend exits"
else
	va_result pci_pm_suspend_cycle FAIL "echo freeze > /sys/power/state failed"
fi
echo none > /sys/power/pm_test
# Probe and restore each log the queue layout once.
if [ "$(dmesg | grep -c "virtio_alt_balloon $bal: queue numbering .*: inflate 0, deflate 1")" = 2 ]; then
	va_result pci_pm_balloon_restored PASS "queues set up again on restore"
else
	va_result pci_pm_balloon_restored FAIL "$(dmesg | grep "$bal" | tail -n 3)"
fi
# The target did not change: after restore the balloon inflates to it again.
# The queues are new, so their counters count only the re-inflate: 256 MiB
# is 256 buffers of 256 page numbers.
added() { awk '$1 == "bufs_added" { print $2 }' "$D/$bal/vq0/counters"; }
if va_wait_for 180 va_mem_is $((total0 - INFLATE_KB)) &&
   grep -q 'DRIVER_OK' "$D/$bal/status" && [ "$(added)" = 256 ]; then
	va_result pci_pm_reinflate PASS "MemTotal $(va_meminfo MemTotal) kB after restore, inflate bufs_added $(added), $(cat "$D/$bal/status")"
else
	va_result pci_pm_reinflate FAIL "MemTotal $(va_meminfo MemTotal) kB, bufs_added $(added), status $(cat "$D/$bal/status")"
fi
# The rng runs with page-per-vq=on: queue notify addresses a page apart.
rng=$(va_vdev_of 0x1044)
n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
m=$(awk '$1 == "notify_off_multiplier" { print $2 }' "$D/$rng/transport")
if [ "$n" = 64 ] && [ "$m" = 4096 ]; then
	va_result pci_pm_rng_after_restore PASS "64 bytes, notify_off_multiplier $m"
else
	va_result pci_pm_rng_after_restore FAIL "$n bytes, notify_off_multiplier $m"
fi

# Remove in the middle of a 1 GiB inflate.
va_marker big-inflate
va_wait_for 60 mem_below $((total0 - INFLATE_KB - 65536))
va_check pci_pm_rmmod_during_inflate sh -c 'rmmod virtio_rng && rmmod virtio_alt'
if va_mem_is "$total0"; then
	va_result pci_pm_rmmod_returns_pages PASS "MemTotal $total0 kB after rmmod"
else
	va_result pci_pm_rmmod_returns_pages FAIL "MemTotal $(va_meminfo MemTotal) kB after rmmod, wanted $total0"
fi
va_marker removed
va_kmemleak_scan pci_pm_kmemleak
