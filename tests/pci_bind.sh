# Guest: no surprise takeover. The in-tree virtio-pci owns the balloon;
# loading virtio_alt leaves it there; va-bind moves it to virtio-alt-pci
# (our balloon driver binds) and back (our balloon driver stays off it).
. /lib/va/guest.sh

bdf=
for p in /sys/bus/pci/devices/*; do
	[ "$(cat "$p/device")" = 0x1045 ] && bdf=$(basename "$p")
done
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
vdrv() { for v in /sys/bus/pci/devices/"$bdf"/virtio*; do drv_of "$v"; done; }
P=/sys/bus/pci/devices/$bdf

va_check bind_intree_modprobe modprobe virtio_pci
va_check bind_alt_modprobe modprobe virtio_alt
if [ "$(drv_of "$P")" = virtio-pci ] && [ -z "$(vdrv)" ]; then
	va_result bind_no_takeover PASS "$bdf stays on virtio-pci, no virtio driver"
else
	va_result bind_no_takeover FAIL "$bdf on '$(drv_of "$P")', virtio driver '$(vdrv)'"
fi
va_check bind_to_alt sh /lib/va/va-bind "$bdf" alt
if [ "$(drv_of "$P")" = virtio-alt-pci ] && [ "$(vdrv)" = virtio_alt_balloon ]; then
	va_result bind_alt_balloon PASS
else
	va_result bind_alt_balloon FAIL "pci '$(drv_of "$P")' virtio '$(vdrv)'"
fi
va_check bind_to_intree sh /lib/va/va-bind "$bdf" intree
if [ "$(drv_of "$P")" = virtio-pci ] && [ -z "$(vdrv)" ]; then
	va_result bind_back_intree PASS
else
	va_result bind_back_intree FAIL "pci '$(drv_of "$P")' virtio '$(vdrv)'"
fi
if sh /lib/va/va-bind "$bdf" sideways 2>/tmp/err; then
	va_result bind_rejects_bad_target FAIL "accepted 'sideways'"
else
	va_result bind_rejects_bad_target PASS "$(cat /tmp/err)"
fi
# A PCI function that is not virtio (the q35 host bridge) is refused, untouched.
hb=/sys/bus/pci/devices/0000:00:00.0
if sh /lib/va/va-bind 0000:00:00.0 alt 2>/tmp/err; then
	va_result bind_rejects_non_virtio FAIL "accepted 0000:00:00.0"
elif grep -q 'is not a virtio PCI device' /tmp/err &&
     [ "$(cat "$hb/driver_override")" = "(null)" ]; then
	va_result bind_rejects_non_virtio PASS "$(cat /tmp/err)"
else
	va_result bind_rejects_non_virtio FAIL "$(cat /tmp/err)"
fi
va_check bind_rmmod rmmod virtio_alt
va_kmemleak_scan bind_kmemleak
