# Guest: VIRTIO_F_RING_RESET on virtio-mmio version 2. QEMU 7.2 offers the
# feature on virtio-balloon-device (queue_reset=on) but its virtio-mmio has
# no QueueReset register, so virtio-alt-mmio does not accept it (see
# vm_finalize_features()): the debugfs action queue_reset is refused with a
# message, the queue keeps working, and the module unloads.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

va_check "${S}_modprobe" modprobe virtio_alt
for v in /sys/bus/virtio/devices/*; do
	[ "$(cat "$v/device")" = 0x0005 ] && bal=$(basename "$v")
done
dev=$(field "$D/$bal/features" device)
neg=$(field "$D/$bal/features" negotiated)
if [ -n "$dev" ] && [ $(((dev >> 40) & 1)) = 1 ] && [ $(((neg >> 40) & 1)) = 0 ]; then
	va_result "${S}_not_accepted" PASS "device offers VIRTIO_F_RING_RESET ($dev), negotiated $neg"
else
	va_result "${S}_not_accepted" FAIL "device '$dev' negotiated '$neg'"
fi
if echo 0 > "$D/$bal/queue_reset" 2>/dev/null; then
	va_result "${S}_refused" FAIL "queue_reset accepted"
elif dmesg | grep -q 'queue 0: VIRTIO_F_RING_RESET not negotiated' &&
     [ "$(field "$D/$bal/vq0/counters" broken)" = 0 ]; then
	va_result "${S}_refused" PASS "$(dmesg | grep -m1 'RING_RESET not negotiated' | sed 's/^\[[^]]*\] //'); vq0 not broken"
else
	va_result "${S}_refused" FAIL "no message or queue broken: $(tr '\n' ' ' < "$D/$bal/vq0/counters")"
fi
va_check "${S}_rmmod" rmmod virtio_alt
va_kmemleak_scan "${S}_kmemleak"
