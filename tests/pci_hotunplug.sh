# Guest: the balloon hot-unplugged in the middle of a 1 GiB inflate (issue 9,
# point 3). QEMU's virtio-balloon-pci sits behind a pcie-root-port; the host
# (tests/host/pci_hotunplug.sh) sets the target, waits for our mark once
# the inflate is underway, then removes the device with QMP device_del. The
# guest's hotplug driver ejects the function: our balloon's remove stops the
# inflate, tells the device about every page (it is still there until the
# eject), resets it, and gives every page back to the guest. Then MemTotal
# must be exact, rmmod clean and kmemleak quiet.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
bdf=
for p in /sys/bus/pci/devices/*; do
	[ "$(cat "$p/device")" = 0x1045 ] && bdf=$(basename "$p")
done

va_check "${S}_modprobe" modprobe virtio_alt
bal=$(va_vdev_of 0x1045)
if [ -n "$bdf" ] && [ "$(drv_of "/sys/bus/pci/devices/$bdf")" = virtio-alt-pci ] &&
   [ "$(drv_of "/sys/bus/virtio/devices/$bal")" = virtio_alt_balloon ]; then
	va_result "${S}_bound" PASS "$bdf behind $(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$bdf")")"), $bal"
else
	va_result "${S}_bound" FAIL "'$bdf' '$bal'"
fi
total0=$(va_meminfo MemTotal)
below() { [ "$(va_meminfo MemTotal)" -lt "$1" ]; }
dmesg -c > /dev/null
va_marker inflate
# Underway: 64 MiB in, far from the 1 GiB asked.
if va_wait_for 300 below $((total0 - 65536)); then
	mid=$(va_meminfo MemTotal)
	pages=$(awk '$1 == "pages:" { print $2 }' "$D/$bal/balloon")
	va_marker unplug
	if va_wait_for 300 sh -c "[ ! -e /sys/bus/pci/devices/$bdf ]"; then
		va_result "${S}_unplugged" PASS "at MemTotal $mid kB (balloon $pages pages), $bdf gone"
	else
		va_result "${S}_unplugged" FAIL "$bdf still there; MemTotal $(va_meminfo MemTotal) kB"
	fi
else
	va_result "${S}_unplugged" FAIL "the inflate did not start: MemTotal $(va_meminfo MemTotal) kB"
	va_marker unplug
fi
va_marker unplugged
va_wait_host checked 120
if va_wait_for 60 va_mem_is "$total0"; then
	va_result "${S}_pages_back" PASS "MemTotal back to $total0 kB; $(dmesg | grep -c "$bal") log lines of $bal"
else
	va_result "${S}_pages_back" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
if [ ! -e "$D/$bal" ] && [ ! -e "/sys/bus/virtio/devices/$bal" ]; then
	va_result "${S}_gone" PASS "no $bal in sysfs or debugfs"
else
	va_result "${S}_gone" FAIL "$bal still in sysfs or debugfs"
fi
va_check "${S}_rmmod" rmmod virtio_alt
va_kmemleak_scan "${S}_kmemleak"
