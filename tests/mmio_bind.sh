# Guest: no surprise takeover on MMIO. The in-tree virtio_mmio owns the
# balloon's LNRO0005 device; loading virtio_alt leaves it there; va-bind moves
# it to virtio-alt-mmio (our balloon driver binds, the host inflates and
# deflates over QMP) and back (our balloon
# driver stays off it), and the module unloads with the device on the
# in-tree driver. stock6*_mmio_bind: the same on Debian's stock kernels.
. /lib/va/guest.sh

S=$VA_SCENARIO
dev=
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
vdrv() { for v in "$P"/virtio*; do drv_of "$v"; done; }
vid() { for v in "$P"/virtio*; do cat "$v/device"; done; }

va_check "${S}_intree_modprobe" modprobe virtio_mmio
# The platform device whose virtio device is the balloon (id 5).
for p in /sys/bus/platform/devices/LNRO0005:*; do
	for v in "$p"/virtio*; do
		[ "$(cat "$v/device" 2>/dev/null)" = 0x0005 ] && dev=$(basename "$p")
	done
done
P=/sys/bus/platform/devices/$dev
va_check "${S}_alt_modprobe" modprobe virtio_alt
if [ -n "$dev" ] && [ "$(drv_of "$P")" = virtio-mmio ] && [ -z "$(vdrv)" ]; then
	va_result "${S}_no_takeover" PASS "$dev stays on virtio-mmio, no virtio driver"
else
	va_result "${S}_no_takeover" FAIL "'$dev' on '$(drv_of "$P")', virtio driver '$(vdrv)'"
fi
va_check "${S}_to_alt" sh /lib/va/va-bind "$dev" alt
if [ "$(drv_of "$P")" = virtio-alt-mmio ] && [ "$(vdrv)" = virtio_alt_balloon ] &&
   [ "$(vid)" = 0x0005 ]; then
	va_result "${S}_alt_balloon" PASS "$dev on virtio-alt-mmio, virtio_alt_balloon bound"
else
	va_result "${S}_alt_balloon" FAIL "platform '$(drv_of "$P")' virtio '$(vdrv)'"
fi
# The host inflates by 256 MiB, deflates and checks QEMU's view.
va_balloon_cycle "$S" 262144
va_wait_host checked 120
va_check "${S}_to_intree" sh /lib/va/va-bind "$dev" intree
if [ "$(drv_of "$P")" = virtio-mmio ] && [ -z "$(vdrv)" ] && [ "$(vid)" = 0x0005 ]; then
	va_result "${S}_back_intree" PASS "$dev on virtio-mmio again"
else
	va_result "${S}_back_intree" FAIL "platform '$(drv_of "$P")' virtio '$(vdrv)'"
fi
# Twice to alt and back: nothing is left over from the first round.
va_check "${S}_to_alt_again" sh /lib/va/va-bind "$dev" alt
va_check "${S}_to_intree_again" sh /lib/va/va-bind "$dev" intree
if sh /lib/va/va-bind LNRO0005:99 alt 2>/tmp/err; then
	va_result "${S}_rejects_missing_device" FAIL "accepted LNRO0005:99"
else
	va_result "${S}_rejects_missing_device" PASS "$(cat /tmp/err)"
fi
# A platform device that is not virtio-mmio is refused, left untouched.
other=
for p in /sys/bus/platform/devices/*; do
	case $(basename "$p") in LNRO0005:*|virtio*) ;; *) other=$(basename "$p"); break ;; esac
done
if [ -z "$other" ]; then
	va_result "${S}_refuses_non_virtio" FAIL "no other platform device to try"
elif sh /lib/va/va-bind "$other" alt 2>/tmp/err; then
	va_result "${S}_refuses_non_virtio" FAIL "accepted $other"
elif grep -q 'is not a virtio-mmio device' /tmp/err &&
     [ "$(cat "/sys/bus/platform/devices/$other/driver_override")" = "(null)" ]; then
	va_result "${S}_refuses_non_virtio" PASS "$(cat /tmp/err)"
else
	va_result "${S}_refuses_non_virtio" FAIL "$(cat /tmp/err)"
fi
va_check "${S}_rmmod" rmmod virtio_alt
if [ "$(drv_of "$P")" = virtio-mmio ]; then
	va_result "${S}_intree_kept" PASS "$dev still on virtio-mmio after rmmod virtio_alt"
else
	va_result "${S}_intree_kept" FAIL "'$(drv_of "$P")'"
fi
va_check "${S}_intree_rmmod" rmmod virtio_mmio
va_kmemleak_scan "${S}_kmemleak"
