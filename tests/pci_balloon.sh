# Guest side of the main job on q35: virtio-alt-pci drives a modern
# virtio-balloon-pci (alt ring, virtio_alt_balloon) and a virtio-rng-pci (the
# in-tree virtio_rng over our transport, in-tree ring). The host inflates and
# deflates over QMP (tests/host/pci_balloon.sh).
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144	# 256 MiB, what the host takes

drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
counter() { awk -v k="$2" '$1 == k { print $2 }' "$D/$1/counters"; }

# *_window: device configuration through the PCI_CFG access window.
opts=
case $VA_SCENARIO in *window*) opts=pci_cfg_window=1 ;; esac
va_check "${VA_SCENARIO}_modprobe" modprobe virtio_alt $opts

bal=$(va_vdev_of 0x1045)
rng=$(va_vdev_of 0x1044)
bal_pci=$(dirname "$(readlink -f "/sys/bus/virtio/devices/$bal")")
if [ -n "$bal" ] && [ "$(drv_of "$bal_pci")" = virtio-alt-pci ] &&
   [ "$(drv_of "/sys/bus/virtio/devices/$bal")" = virtio_alt_balloon ]; then
	va_result "${VA_SCENARIO}_bound" PASS "$bal"
else
	va_result "${VA_SCENARIO}_bound" FAIL "balloon '$bal' pci driver '$(drv_of "$bal_pci")'"
fi
# QEMU 7.2 virtio-balloon-pci has no MSI-X capability: INTx, ISR read.
if grep -q '^ring alt' "$D/$bal/transport" &&
   grep -q '^interrupts intx' "$D/$bal/transport"; then
	va_result "${VA_SCENARIO}_alt_ring_intx" PASS "intx"
else
	va_result "${VA_SCENARIO}_alt_ring_intx" FAIL "$(tr '\n' ' ' < "$D/$bal/transport")"
fi

# The layout QEMU was told to offer (scenario name says packed or not).
want=split
case $VA_SCENARIO in *packed*) want=packed ;; esac
if grep -qx "layout $want" "$D/$bal/vq0/info"; then
	va_result "${VA_SCENARIO}_layout" PASS "$want; features $(sed -n 's/^negotiated //p' "$D/$bal/features")"
else
	va_result "${VA_SCENARIO}_layout" FAIL "wanted $want: $(tr '\n' ' ' < "$D/$bal/vq0/info")"
fi

# VIRTIO_F_RING_RESET (bit 40): QEMU offers it unless queue_reset=off, as
# the *_noevidx scenarios say. Without it a queue reset is refused.
neg=$(sed -n 's/^negotiated //p' "$D/$bal/features")
rr=1
case $VA_SCENARIO in *noevidx*) rr=0 ;; esac
if [ $(((neg >> 40) & 1)) != $rr ]; then
	va_result "${VA_SCENARIO}_queue_reset" FAIL "negotiated $neg, wanted RING_RESET $rr"
elif [ $rr = 1 ] && echo 0 > "$D/$bal/queue_reset"; then
	va_result "${VA_SCENARIO}_queue_reset" PASS "inflate queue reset, resets $(counter "$bal/vq0" resets)"
elif [ $rr = 0 ] && ! echo 0 > "$D/$bal/queue_reset" 2>/dev/null &&
     dmesg | grep -q 'queue 0: VIRTIO_F_RING_RESET not negotiated'; then
	va_result "${VA_SCENARIO}_queue_reset" PASS "refused: RING_RESET not negotiated"
else
	va_result "${VA_SCENARIO}_queue_reset" FAIL "RING_RESET $rr: $(dmesg | grep queue | tail -n 1)"
fi

if [ -n "$opts" ]; then
	acc=$(awk '$1 == "window_accesses" { print $2 }' "$D/$bal/transport")
	if grep -qx "config_access window" "$D/$bal/transport" &&
	   [ "${acc:-0}" -gt 0 ]; then
		va_result "${VA_SCENARIO}_config_window" PASS "$acc window accesses so far"
	else
		va_result "${VA_SCENARIO}_config_window" FAIL "$(grep -E 'config_access|window' "$D/$bal/transport")"
	fi
fi

total0=$(va_meminfo MemTotal)
va_marker inflate
if va_wait_for 180 va_mem_is $((total0 - INFLATE_KB)); then
	va_result "${VA_SCENARIO}_inflate" PASS "MemTotal $total0 -> $(va_meminfo MemTotal) kB"
else
	va_result "${VA_SCENARIO}_inflate" FAIL "MemTotal $total0 -> $(va_meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB))"
fi
va_marker inflated
va_wait_host deflate 120
if va_wait_for 180 va_mem_is "$total0"; then
	va_result "${VA_SCENARIO}_deflate" PASS "MemTotal back to $total0 kB"
else
	va_result "${VA_SCENARIO}_deflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
va_marker deflated

for q in vq0 vq1; do
	echo "== $bal/$q/counters"; cat "$D/$bal/$q/counters"
done
k=$(counter "$bal/vq0" kicks) i=$(counter "$bal/vq0" irqs)
w=$(counter "$bal/vq0" used_wraps) a=$(counter "$bal/vq0" bufs_added)
u=$(counter "$bal/vq0" bufs_used) b=$(counter "$bal/vq0" broken)
s=$(counter "$bal/vq0" kicks_suppressed)
if [ "$k" -gt 0 ] && [ "$i" -gt 0 ] && [ "$w" -gt 0 ] && [ "$a" = "$u" ] && [ "$b" = 0 ]; then
	va_result "${VA_SCENARIO}_counters" PASS "inflate: kicks $k irqs $i used_wraps $w bufs $a"
else
	va_result "${VA_SCENARIO}_counters" FAIL "inflate: kicks $k irqs $i used_wraps $w added $a used $u broken $b"
fi
# Several page-number buffers per notification: far fewer notifications
# than buffers. (QEMU under TCG handles a notification before the driver
# adds again, so its event index never suppresses one here; KUnit covers
# kicks_suppressed.)
if [ $((k * 2)) -le "$a" ]; then
	va_result "${VA_SCENARIO}_notifications_below_buffers" PASS "kicks $k (suppressed $s) for $a buffers"
else
	va_result "${VA_SCENARIO}_notifications_below_buffers" FAIL "kicks $k (suppressed $s) for $a buffers"
fi

# The in-tree virtio_rng over our transport, on the in-tree ring.
va_check "${VA_SCENARIO}_rng_modprobe" modprobe virtio_rng
if [ "$(drv_of "/sys/bus/virtio/devices/$rng")" = virtio_rng ] &&
   grep -q '^ring in-tree' "$D/$rng/transport" &&
   grep -q '^interrupts msix-per-vq' "$D/$rng/transport"; then
	va_result "${VA_SCENARIO}_intree_rng_bound" PASS "$rng"
else
	va_result "${VA_SCENARIO}_intree_rng_bound" FAIL "rng '$rng' driver '$(drv_of "/sys/bus/virtio/devices/$rng")'"
fi
n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
k=$(counter "$rng/vq0" kicks) i=$(counter "$rng/vq0" irqs)
if [ "$n" = 64 ] && [ "$k" -gt 0 ] && [ "$i" -gt 0 ]; then
	va_result "${VA_SCENARIO}_intree_rng_data" PASS "64 bytes, kicks $k irqs $i"
else
	va_result "${VA_SCENARIO}_intree_rng_data" FAIL "$n bytes, kicks $k irqs $i"
fi

# Remove with pages in the balloon: every page comes back.
va_marker reinflate
if va_wait_for 180 va_mem_is $((total0 - INFLATE_KB)); then
	va_check "${VA_SCENARIO}_rmmod" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
	if va_mem_is "$total0"; then
		va_result "${VA_SCENARIO}_remove_returns_pages" PASS "MemTotal $total0 kB after rmmod"
	else
		va_result "${VA_SCENARIO}_remove_returns_pages" FAIL "MemTotal $(va_meminfo MemTotal) kB after rmmod, wanted $total0"
	fi
else
	va_result "${VA_SCENARIO}_remove_returns_pages" FAIL "re-inflate did not happen: MemTotal $(va_meminfo MemTotal) kB"
fi
va_marker removed
va_kmemleak_scan "${VA_SCENARIO}_kmemleak"
