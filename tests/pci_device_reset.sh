# Guest: the debugfs action reset (issue 9, point 3): the whole device
# reset under its driver, through the driver's freeze and restore. Bad
# writes are refused with a message naming the value; the in-tree
# virtio_rng over our transport is reset idle and still gives data; the
# balloon is reset again and again while the host's 1 GiB inflate is in
# flight (its freeze gives every page back, its restore inflates to the
# target again), and still ends exact (MemTotal here, query-balloon on the
# host: tests/host/pci_device_reset.sh); then deflates exactly, and rmmod
# and kmemleak are clean. 1 GiB: a 256 MiB inflate now ends within the
# half second this shell polls at, before a first reset.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
INFLATE_KB=1048576

va_check "${S}_modprobe" modprobe virtio_alt
va_check "${S}_rng_modprobe" modprobe virtio_rng
bal=$(va_vdev_of 0x1045)
rng=$(va_vdev_of 0x1044)
R=$D/$bal/reset

bad=
for v in 0 2 yes "" "1 1"; do
	if echo "$v" > "$R" 2>/dev/null; then
		bad="$bad '$v' accepted;"
	elif ! dmesg | grep -qF "$bal: reset: '$v' refused; write 1 to reset the device"; then
		bad="$bad no message for '$v';"
	fi
done
if [ -z "$bad" ]; then
	va_result "${S}_bad_writes" PASS "0, 2, yes, '', '1 1' refused with a message"
else
	va_result "${S}_bad_writes" FAIL "$bad"
fi

# The rng, idle.
if echo 1 > "$D/$rng/reset" &&
   dmesg | grep -qF "$rng: reset: done; driver virtio_rng restored" &&
   [ "$(head -c 64 /dev/hwrng | wc -c)" = 64 ]; then
	va_result "${S}_rng" PASS "$rng reset, /dev/hwrng gives 64 bytes after"
else
	va_result "${S}_rng" FAIL "$(dmesg | grep "$rng: reset" | tail -n 1)"
fi

# The balloon, during the host's inflate.
total0=$(va_meminfo MemTotal)
target=$((total0 - INFLATE_KB))
dmesg -c > /dev/null
va_marker inflate
below() { [ "$(va_meminfo MemTotal)" -lt "$1" ]; }
va_wait_for 120 below "$total0"
n=0 refused=0
while [ $n -lt 5 ] && ! va_mem_is $target; do
	if echo 1 > "$R"; then n=$((n + 1)); else refused=$((refused + 1)); fi
	sleep 0.2
done
done_lines=$(dmesg | grep -c "$bal: reset: done; driver virtio_alt_balloon restored")
if va_wait_for 180 va_mem_is $target && [ $n -ge 1 ] && [ $refused = 0 ] &&
   [ "$done_lines" = $n ] && grep -q DRIVER_OK "$D/$bal/status"; then
	va_result "${S}_during_inflate" PASS "$n resets during the inflate; MemTotal $total0 -> $target kB exact; $(cat "$D/$bal/status")"
else
	va_result "${S}_during_inflate" FAIL "$n resets ($refused refused, $done_lines done); MemTotal $(va_meminfo MemTotal) kB, wanted $target; $(cat "$D/$bal/status")"
fi
va_marker inflated
va_wait_host deflate 120
if va_wait_for 180 va_mem_is "$total0"; then
	va_result "${S}_deflate" PASS "MemTotal back to $total0 kB"
else
	va_result "${S}_deflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
va_marker deflated
va_check "${S}_rmmod" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
va_kmemleak_scan "${S}_kmemleak"
