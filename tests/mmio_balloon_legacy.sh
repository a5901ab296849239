# Guest side of the MMIO balloon on QEMU microvm (ACPI, LNRO0005 devices):
# virtio-alt-mmio drives a virtio-balloon-device (alt ring,
# virtio_alt_balloon), a virtio-rng-device and a virtio-blk-device (the
# in-tree virtio_rng and virtio_blk over our transport, in-tree ring). The
# host inflates and deflates over QMP (tests/host/mmio_balloon.sh).
# The scenario name says the interface: *legacy* is virtio-mmio version 1
# (QEMU -global virtio-mmio.force-legacy=on), otherwise version 2.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144	# 256 MiB, what the host takes
S=$VA_SCENARIO

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# The virtio device (virtioN) of this id on a platform (MMIO) device.
vdev_of() {
	for v in /sys/bus/virtio/devices/*; do
		[ "$(cat "$v/device")" = "$1" ] || continue
		case $(readlink -f "$v") in /sys/devices/platform/*) basename "$v" ;; esac
	done
}
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
mem_is() { [ "$(meminfo MemTotal)" -eq "$1" ]; }
counter() { awk -v k="$2" '$1 == k { print $2 }' "$D/$1/counters"; }
tr_field() { awk -v k="$2" '$1 == k { print $2 }' "$D/$1/transport"; }

want_version=2
case $S in *legacy*) want_version=1 ;; esac

va_check "${S}_modprobe" modprobe virtio_alt

bal=$(vdev_of 0x0005)
rng=$(vdev_of 0x0004)
blk=$(vdev_of 0x0002)
bal_plat=$(dirname "$(readlink -f "/sys/bus/virtio/devices/$bal")")
if [ -n "$bal" ] && [ "$(drv_of "$bal_plat")" = virtio-alt-mmio ] &&
   [ "$(drv_of "/sys/bus/virtio/devices/$bal")" = virtio_alt_balloon ]; then
	va_result "${S}_bound" PASS "$bal on $(basename "$bal_plat")"
else
	va_result "${S}_bound" FAIL "balloon '$bal' platform driver '$(drv_of "$bal_plat")'"
fi
v=$(tr_field "$bal" version)
if grep -q '^ring alt' "$D/$bal/transport" && [ "$v" = "$want_version" ]; then
	va_result "${S}_version" PASS "virtio-mmio version $v, alt ring, features $(sed -n 's/^negotiated //p' "$D/$bal/features")"
else
	va_result "${S}_version" FAIL "wanted version $want_version: $(tr '\n' ' ' < "$D/$bal/transport")"
fi
cat "$D/$bal/transport"

total0=$(meminfo MemTotal)
va_marker inflate
if va_wait_for 180 mem_is $((total0 - INFLATE_KB)); then
	va_result "${S}_inflate" PASS "MemTotal $total0 -> $(meminfo MemTotal) kB"
else
	va_result "${S}_inflate" FAIL "MemTotal $total0 -> $(meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB))"
fi
va_marker inflated
va_wait_host deflate 120
if va_wait_for 180 mem_is "$total0"; then
	va_result "${S}_deflate" PASS "MemTotal back to $total0 kB"
else
	va_result "${S}_deflate" FAIL "MemTotal $(meminfo MemTotal) kB, wanted $total0"
fi
va_marker deflated

for q in vq0 vq1; do
	echo "== $bal/$q/counters"; cat "$D/$bal/$q/counters"
done
k=$(counter "$bal/vq0" kicks) i=$(counter "$bal/vq0" irqs)
a=$(counter "$bal/vq0" bufs_added) u=$(counter "$bal/vq0" bufs_used)
b=$(counter "$bal/vq0" broken)
if [ "$k" -gt 0 ] && [ "$i" -gt 0 ] && [ "$a" = "$u" ] && [ "$a" -ge 256 ] && [ "$b" = 0 ]; then
	va_result "${S}_counters" PASS "inflate: kicks $k irqs $i bufs $a"
else
	va_result "${S}_counters" FAIL "inflate: kicks $k irqs $i added $a used $u broken $b"
fi

# The in-tree virtio_rng and virtio_blk over our transport, in-tree ring.
va_check "${S}_intree_modprobe" modprobe -a virtio_rng virtio_blk
if [ "$(drv_of "/sys/bus/virtio/devices/$rng")" = virtio_rng ] &&
   grep -q '^ring in-tree' "$D/$rng/transport" &&
   [ "$(tr_field "$rng" version)" = "$want_version" ]; then
	va_result "${S}_intree_rng_bound" PASS "$rng"
else
	va_result "${S}_intree_rng_bound" FAIL "rng '$rng' driver '$(drv_of "/sys/bus/virtio/devices/$rng")'"
fi
n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
k=$(counter "$rng/vq0" kicks) i=$(counter "$rng/vq0" irqs)
if [ "$n" = 64 ] && [ "$k" -gt 0 ] && [ "$i" -gt 0 ]; then
	va_result "${S}_intree_rng_data" PASS "64 bytes, kicks $k irqs $i"
else
	va_result "${S}_intree_rng_data" FAIL "$n bytes, kicks $k irqs $i"
fi

# virtio_blk: 4 MiB of random data out to the disk and back, checksummed.
dev=
for b in /sys/bus/virtio/devices/"$blk"/block/*; do [ -e "$b" ] && dev=/dev/$(basename "$b"); done
if [ "$(drv_of "/sys/bus/virtio/devices/$blk")" = virtio_blk ] && [ -b "$dev" ] &&
   grep -q '^ring in-tree' "$D/$blk/transport"; then
	va_result "${S}_intree_blk_bound" PASS "$blk as $dev"
	dd if=/dev/urandom of=/tmp/data bs=65536 count=64 2>/dev/null
	dd if=/tmp/data of="$dev" bs=65536 conv=fsync 2>/dev/null
	echo 3 > /proc/sys/vm/drop_caches
	want=$(md5sum < /tmp/data | cut -d' ' -f1)
	got=$(dd if="$dev" bs=65536 count=64 2>/dev/null | md5sum | cut -d' ' -f1)
	k=$(counter "$blk/vq0" kicks)
	if [ "$want" = "$got" ] && [ "$k" -gt 0 ]; then
		va_result "${S}_intree_blk_data" PASS "4 MiB written and read back, md5 $got, kicks $k"
	else
		va_result "${S}_intree_blk_data" FAIL "md5 wrote $want read $got, kicks $k"
	fi
else
	va_result "${S}_intree_blk_bound" FAIL "blk '$blk' driver '$(drv_of "/sys/bus/virtio/devices/$blk")' dev '$dev'"
fi

# Remove with pages in the balloon: every page comes back.
va_marker reinflate
if va_wait_for 180 mem_is $((total0 - INFLATE_KB)); then
	va_check "${S}_rmmod" sh -c 'rmmod virtio_rng virtio_blk && rmmod virtio_alt'
	if mem_is "$total0"; then
		va_result "${S}_remove_returns_pages" PASS "MemTotal $total0 kB after rmmod"
	else
		va_result "${S}_remove_returns_pages" FAIL "MemTotal $(meminfo MemTotal) kB after rmmod, wanted $total0"
	fi
else
	va_result "${S}_remove_returns_pages" FAIL "re-inflate did not happen: MemTotal $(meminfo MemTotal) kB"
fi
va_marker removed
va_kmemleak_scan "${S}_kmemleak"
