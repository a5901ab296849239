# Guest: allocation failures injected into this module's own paths (issue 9,
# point 2) with the kernel's fault injection (failslab and fail_page_alloc)
# restricted to one task by /proc/self/fail-nth: the N-th allocation made by
# this shell fails, for N = 1, 2, ... until a run makes fewer than N, so
# every allocation on the path fails once, in turn.
#   - probe: binding the balloon's PCI function to virtio-alt-pci (the
#     transport's probe, find_vqs and the balloon's probe run in the writing
#     task): each run ends either bound with the balloon driver, or with the
#     write refused, or bound without a balloon driver (its probe failed);
#     unbound again, nothing may be left behind;
# then the balloon must work (inflate and deflate 256 MiB from the host,
# MemTotal exact), and kmemleak find nothing. The log must stay free of
# BUG, WARNING, KASAN and lockdep reports (vm-run checks). The host side is
# tests/host/demo.sh.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
F=/sys/kernel/debug
MAX_N=2000	# a bound: a path longer than this is reported, not looped on

drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
bdf=
for p in /sys/bus/pci/devices/*; do
	[ "$(cat "$p/device")" = 0x1045 ] && bdf=$(basename "$p")
done
P=/sys/bus/pci/devices/$bdf
PD=/sys/bus/pci/drivers/virtio-alt-pci

for a in failslab fail_page_alloc; do
	# Waiting allocations too (the default injects only atomic ones), no
	# stack dump per failure; fail-nth ignores probability and times.
	echo N > "$F/$a/ignore-gfp-wait"
	echo 0 > "$F/$a/verbose"
done
echo N > "$F/fail_page_alloc/ignore-gfp-highmem"

va_check "${S}_modprobe" modprobe virtio_alt
echo virtio-alt-pci > "$P/driver_override"
[ -z "$(drv_of "$P")" ] || echo "$bdf" > "$P/driver/unbind"
# Keep the function enabled from sysfs, so the transport's
# pci_enable_device() only counts and the firmware's interrupt routing
# (ACPI _PRT) is not evaluated in the bind: ACPICA 20240827 (6.12.117)
# has a use-after-free when an allocation fails there (KASAN in
# acpi_ns_get_attached_object() after "Could not update object reference
# count"), which is the kernel's, not this module's.
echo 1 > "$P/enable"

# fail_nth N CMD...: run CMD (a builtin, in this shell) with the N-th
# allocation of this shell failing; print what was left of the count (0:
# the failure was injected, more: the path made fewer allocations).
fail_nth() {
	_n=$1
	shift
	echo "$_n" > /proc/self/fail-nth
	"$@" 2>/dev/null
	_rc=$?
	# A failed read: the count ran out at its open, so it was used.
	read -r _left < /proc/self/fail-nth || _left=0
	echo 0 > /proc/self/fail-nth
	echo "$_left $_rc"
}
bind() { echo "$bdf" > "$PD/bind"; }
vdrv() { for v in "$P"/virtio*; do drv_of "$v"; done; }

# -- probe
n=0 refused=0 nodriver=0 bound=0 bad=
while [ $n -lt $MAX_N ]; do
	n=$((n + 1))
	set -- $(fail_nth $n bind)
	left=$1
	pdrv=$(drv_of "$P") vd=$(vdrv)
	if [ -z "$pdrv" ]; then
		refused=$((refused + 1))
	elif [ "$vd" = virtio_alt_balloon ]; then
		bound=$((bound + 1))
	elif [ -z "$vd" ]; then
		nodriver=$((nodriver + 1))
	else
		bad="$bad n=$n: pci '$pdrv' virtio '$vd';"
	fi
	[ -z "$pdrv" ] || echo "$bdf" > "$PD/unbind"
	[ "$left" = 0 ] || break
done
if [ "$left" != 0 ] && [ -z "$bad" ] && [ "$bound" -ge 1 ]; then
	va_result "${S}_probe" PASS "$((n - 1)) allocations failed in turn: $refused bind refused, $nodriver bound without the balloon driver, $((bound - 1)) bound anyway; run $n made $((n - 1)) and bound"
else
	va_result "${S}_probe" FAIL "n=$n left '$left': refused $refused, no driver $nodriver, bound $bound;$bad"
fi

# -- bound again, no fault: the balloon must work
bind
bal=$(va_vdev_of 0x1045)

# -- and the balloon still works
if [ "$(vdrv)" = virtio_alt_balloon ]; then
	va_result "${S}_bound_after" PASS "$bal on virtio-alt-pci"
else
	va_result "${S}_bound_after" FAIL "virtio driver '$(vdrv)'"
fi
va_balloon_cycle "$S" 262144
va_check "${S}_rmmod" rmmod virtio_alt
va_kmemleak_scan "${S}_kmemleak"
