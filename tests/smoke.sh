#!/bin/sh
# Smoke scenario: proves the runner and the test kernel with in-tree virtio.
# Devices: q35: -device virtio-rng-pci,disable-legacy=on
#          microvm: -device virtio-rng-device
# With a host script (tests/host/smoke.sh) it also checks both signal paths.
# shellcheck source-path=SCRIPTDIR source=lib/guest.sh
. /lib/va/guest.sh

va_check smoke_debugfs grep -q ' /sys/kernel/debug debugfs ' /proc/mounts

if [ "$VA_MACHINE" = microvm ]; then
	tr=virtio_mmio
	bound() {
		for d in /sys/bus/platform/devices/LNRO0005:*; do
			[ "$(basename "$(readlink "$d/driver")")" = virtio-mmio ] && return 0
		done
		return 1
	}
else
	tr=virtio_pci
	bound() {
		for d in /sys/bus/pci/devices/*; do
			# 0x1044: modern (1.x) entropy device
			[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1af4:0x1044 ] || continue
			[ "$(basename "$(readlink "$d/driver")")" = virtio-pci ] && return 0
		done
		return 1
	}
fi
va_check smoke_modprobe_transport modprobe $tr
va_check smoke_bound va_wait_for 10 bound

va_check smoke_modprobe_rng modprobe virtio_rng
va_check smoke_rng_current va_wait_for 10 grep -q '^virtio_rng' \
	/sys/class/misc/hw_random/rng_current
n=$(head -c 64 /dev/hwrng | wc -c)
if [ "$n" = 64 ]; then va_result smoke_rng_read PASS; else va_result smoke_rng_read FAIL "read $n of 64 bytes"; fi

if [ "$VA_HOST" = 1 ]; then
	va_marker rng-ok
	if va_wait_host go 60; then va_result smoke_ctl PASS; else va_result smoke_ctl FAIL; fi
fi

va_check smoke_unload rmmod virtio_rng $tr
va_kmemleak_scan smoke_kmemleak
