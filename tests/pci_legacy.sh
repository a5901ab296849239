# Guest: the legacy (0.9.5) interface of virtio-alt-pci. QEMU gives a
# legacy-only balloon (disable-modern=on, PCI id 0x1002) and a transitional
# rng with both interfaces (0x1005). The balloon runs on the alt ring over
# the legacy registers (INTx, device configuration at offset 20): inflate
# and deflate with exact accounting (host side: tests/host/demo.sh). The rng
# takes the modern interface, and with pci_legacy=1 the legacy one, with
# MSI-X (configuration at offset 24).
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
S=$VA_SCENARIO
INFLATE_KB=262144
field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
counter() { field "$D/$bal/vq0/counters" "$1"; }
iface() { field "$D/$1/transport" interface; }

va_check "${S}_modprobe" sh -c 'modprobe virtio_alt && modprobe virtio_rng'
bal=$(va_vdev_of 0x1002)
rng=$(va_vdev_of 0x1005)
if [ -n "$bal" ] && [ "$(iface "$bal")" = legacy ] &&
   grep -qx "layout split" "$D/$bal/vq0/info" &&
   grep -qx "interrupts intx" "$D/$bal/transport"; then
	va_result "${S}_balloon_legacy" PASS "$bal: legacy, alt ring, split, INTx; features $(field "$D/$bal/features" negotiated)"
else
	va_result "${S}_balloon_legacy" FAIL "balloon '$bal': $(tr '\n' ' ' < "$D/$bal/transport" 2>&1)"
fi
if [ -n "$rng" ] && [ "$(iface "$rng")" = modern ]; then
	va_result "${S}_transitional_modern" PASS "$rng: modern interface by default"
else
	va_result "${S}_transitional_modern" FAIL "rng '$rng': interface '$(iface "$rng")'"
fi

total0=$(va_meminfo MemTotal)
va_marker inflate
if va_wait_for 180 va_mem_is $((total0 - INFLATE_KB)); then
	va_result "${S}_inflate" PASS "MemTotal $total0 -> $(va_meminfo MemTotal) kB"
else
	va_result "${S}_inflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB))"
fi
va_marker inflated
va_wait_host deflate 120
if va_wait_for 180 va_mem_is "$total0"; then
	va_result "${S}_deflate" PASS "MemTotal back to $total0 kB"
else
	va_result "${S}_deflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
va_marker deflated
cat "$D/$bal/vq0/counters"
a=$(counter bufs_added) u=$(counter bufs_used) b=$(counter broken)
if [ "$a" = 256 ] && [ "$u" = 256 ] && [ "$b" = 0 ]; then
	va_result "${S}_counters" PASS "inflate queue: $a buffers added and used, kicks $(counter kicks)"
else
	va_result "${S}_counters" FAIL "inflate queue: added $a used $u broken $b"
fi

va_check "${S}_rmmod" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
va_check "${S}_modprobe_pci_legacy" sh -c 'modprobe virtio_alt pci_legacy=1 && modprobe virtio_rng'
rng=$(va_vdev_of 0x1005)
n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
if [ "$(iface "$rng")" = legacy ] &&
   grep -qx "interrupts msix-per-vq" "$D/$rng/transport" && [ "$n" = 64 ]; then
	va_result "${S}_pci_legacy_forced" PASS "$rng: legacy interface with MSI-X, 64 bytes of rng"
else
	va_result "${S}_pci_legacy_forced" FAIL "$rng: $(tr '\n' ' ' < "$D/$rng/transport"); $n bytes"
fi
va_check "${S}_rmmod_again" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
va_kmemleak_scan "${S}_kmemleak"
