# Guest: the module on Debian's stock kernel (stock612_bind: 6.12, where
# virtio, virtio_ring and virtio-pci are built in; stock61_bind: 6.1, where
# they are modules), built against the matching headers. The in-tree
# virtio-pci owns a virtio-balloon-pci and no balloon driver is loaded
# (nothing autoloads one: the initramfs has no udev and the kernel no
# uevent helper); *_packed: the device offers VIRTIO_F_RING_PACKED, both
# drivers use the packed layout. Loading virtio_alt leaves the device there; va-bind moves
# it to virtio-alt-pci, the host inflates and deflates over QMP
# (tests/host/stock612_bind.sh), the counters add up; va-bind moves it
# back, virtio_alt unloads, and the stock virtio_balloon follows a new
# target through the in-tree stack.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144	# 256 MiB, what the host takes through virtio_alt
INTREE_KB=131072	# 128 MiB, through the stock virtio_balloon

drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
vdev() { for v in "$P"/virtio*; do [ -d "$v" ] && basename "$v"; done; }
vdrv() { for v in "$P"/virtio*; do drv_of "$v"; done; }
counter() { awk -v k="$2" '$1 == k { print $2 }' "$D/$1/counters"; }
taint() { cat /proc/sys/kernel/tainted; }

rel=$(uname -r)
bdf=
for p in /sys/bus/pci/devices/*; do
	[ "$(cat "$p/vendor")" = 0x1af4 ] && [ "$(cat "$p/device")" = 0x1045 ] &&
		bdf=$(basename "$p")
done
P=/sys/bus/pci/devices/$bdf

# virtio-pci: built in on 6.12 (no initstate in /sys/module), a module on
# 6.1 (loaded here, as an initramfs would).
if [ -d /sys/bus/pci/drivers/virtio-pci ] && [ ! -e /sys/module/virtio_pci/initstate ]; then
	how="virtio-pci built in"
else
	modprobe virtio_pci
	how="virtio_pci module loaded"
fi
if [ -n "$bdf" ] && [ "$(drv_of "$P")" = virtio-pci ] && [ -n "$(vdev)" ] &&
   [ -z "$(vdrv)" ] && ! grep -q '^virtio_balloon ' /proc/modules; then
	va_result "${S}_intree_owner" PASS "$rel: $how; $bdf on virtio-pci as $(vdev), no balloon driver"
else
	va_result "${S}_intree_owner" FAIL "$rel: $how; '$bdf' on '$(drv_of "$P")', virtio driver '$(vdrv)'"
fi

t0=$(taint)
va_check "${S}_modprobe" modprobe virtio_alt
# Unsigned and out of tree: taint bits E (8192) and O (4096), nothing else
# new. Both are expected on a stock kernel without lockdown.
t1=$(taint)
if [ $(((t1 & ~t0) & ~(8192 | 4096))) = 0 ] && grep -q '^virtio_alt .*Live' /proc/modules; then
	va_result "${S}_loaded_unsigned" PASS "tainted $t0 -> $t1 (O, E); $(dmesg | grep -m1 'module verification failed' | sed 's/^\[[^]]*\] //')"
else
	va_result "${S}_loaded_unsigned" FAIL "tainted $t0 -> $t1"
fi
if [ "$(drv_of "$P")" = virtio-pci ] && [ -z "$(vdrv)" ]; then
	va_result "${S}_no_takeover" PASS "$bdf stays on virtio-pci, no virtio driver"
else
	va_result "${S}_no_takeover" FAIL "$bdf on '$(drv_of "$P")', virtio driver '$(vdrv)'"
fi

# A PCI function that is not virtio (q35's host bridge, 0000:00:00.0) is
# refused and left untouched.
hb=0000:00:00.0
if sh /lib/va/va-bind "$hb" alt 2>/tmp/err; then
	va_result "${S}_refuses_non_virtio" FAIL "va-bind accepted $hb"
elif grep -q 'is not a virtio PCI device' /tmp/err &&
     [ "$(cat /sys/bus/pci/devices/$hb/driver_override)" = "(null)" ]; then
	va_result "${S}_refuses_non_virtio" PASS "$(cat /tmp/err)"
else
	va_result "${S}_refuses_non_virtio" FAIL "$(cat /tmp/err); override '$(cat /sys/bus/pci/devices/$hb/driver_override)'"
fi

va_check "${S}_to_alt" sh /lib/va/va-bind "$bdf" alt
bal=$(vdev)
fmt=split
case $S in *packed*) fmt=packed ;; esac
if [ "$(drv_of "$P")" = virtio-alt-pci ] && [ "$(vdrv)" = virtio_alt_balloon ] &&
   grep -q '^ring alt' "$D/$bal/transport" &&
   grep -qx "format $fmt" "$D/$bal/vq0/layout"; then
	va_result "${S}_alt_balloon" PASS "$bdf on virtio-alt-pci as $bal, virtio_alt_balloon, alt ring, $fmt"
else
	va_result "${S}_alt_balloon" FAIL "pci '$(drv_of "$P")' virtio '$(vdrv)' $(grep '^ring' "$D/$bal/transport" 2>/dev/null), wanted $fmt: $(grep format "$D/$bal/vq0/layout" 2>/dev/null)"
fi

va_balloon_cycle "$S" "$INFLATE_KB"

# The counters add up: every buffer added came back, nothing broke, and
# both queues saw notifications and interrupts.
bad='' sum=''
for q in vq0 vq1; do
	echo "== $bal/$q/counters"; cat "$D/$bal/$q/counters"
	a=$(counter "$bal/$q" bufs_added) u=$(counter "$bal/$q" bufs_used)
	k=$(counter "$bal/$q" kicks) i=$(counter "$bal/$q" irqs)
	b=$(counter "$bal/$q" broken)
	[ "$a" -gt 0 ] && [ "$a" = "$u" ] && [ "$k" -gt 0 ] && [ "$i" -gt 0 ] &&
		[ "$b" = 0 ] || bad="$bad $q: added $a used $u kicks $k irqs $i broken $b;"
	sum="$sum $q: bufs $a kicks $k irqs $i;"
done
if [ -z "$bad" ]; then
	va_result "${S}_counters" PASS "$sum"
else
	va_result "${S}_counters" FAIL "$bad"
fi

va_check "${S}_to_intree" sh /lib/va/va-bind "$bdf" intree
if [ "$(drv_of "$P")" = virtio-pci ] && [ -n "$(vdev)" ] && [ -z "$(vdrv)" ]; then
	va_result "${S}_back_intree" PASS "$bdf on virtio-pci again as $(vdev), our balloon off it"
else
	va_result "${S}_back_intree" FAIL "pci '$(drv_of "$P")' virtio '$(vdrv)'"
fi
va_check "${S}_rmmod" rmmod virtio_alt
if [ ! -e "$D" ] && ! grep -q '^virtio_alt ' /proc/modules &&
   [ "$(drv_of "$P")" = virtio-pci ]; then
	va_result "${S}_unloaded" PASS "no module, no $D, $bdf still on virtio-pci"
else
	va_result "${S}_unloaded" FAIL "$(ls "$D" 2>&1); pci '$(drv_of "$P")'"
fi

# The device works again under the in-tree stack: the stock virtio_balloon
# binds and follows a new target, and a deflate.
va_check "${S}_stock_balloon_modprobe" modprobe virtio_balloon
if [ "$(vdrv)" = virtio_balloon ]; then
	va_result "${S}_stock_balloon_bound" PASS "$(vdev) on virtio-pci, driver virtio_balloon from $rel"
else
	va_result "${S}_stock_balloon_bound" FAIL "virtio driver '$(vdrv)'"
fi
va_balloon_cycle "${S}_stock" "$INTREE_KB" -stock
va_check "${S}_stock_balloon_rmmod" rmmod virtio_balloon
# Keep QEMU up until the host has read query-balloon.
va_wait_host finished 120
