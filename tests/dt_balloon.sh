# Guest side of device tree discovery on QEMU's aarch64 `virt` machine
# (scripts/vm-run.sh --arch arm64): QEMU's device tree lists 32
# "virtio,mmio" transports; one has a virtio-balloon-device behind it, the
# other 31 read DeviceID 0. The test kernel has no in-tree virtio-mmio
# (scripts/kernel-arm64.config), so virtio-alt-mmio must bind the balloon's
# node by its of_match_table, decline the empty ones without a word, and
# drive the balloon (alt ring, virtio_alt_balloon) through QMP inflates
# (tests/host/dt_balloon.sh). There is no host->guest control port on `virt`:
# the guest only marks, the host only answers marks.
# The scenario name says the interface: *legacy* is virtio-mmio version 1
# (QEMU 7.2's default, force-legacy=on), *modern* version 2.
# shellcheck source-path=SCRIPTDIR source=lib/guest.sh
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144	# 256 MiB, what the host takes
S=$VA_SCENARIO
P=/sys/bus/platform/devices

drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
tr_field() { awk -v k="$2" '$1 == k { print $2 }' "$D/$1/transport"; }
counter() { awk -v k="$2" '$1 == k { print $2 }' "$D/$1/counters"; }
# A device tree property as hex bytes, without blanks.
dt_hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }
# The platform devices made from "virtio,mmio" device tree nodes (the
# compatible property is a NUL-separated list).
dt_nodes() {
	for d in "$P"/*; do
		[ -f "$d/of_node/compatible" ] || continue
		tr '\0' '\n' < "$d/of_node/compatible" | grep -qx 'virtio,mmio' &&
			basename "$d"
	done
}
# The virtio device (virtioN) below a platform device, if any.
vdev_below() {
	for v in "$P/$1"/virtio*; do [ -d "$v" ] && basename "$v"; done
}

want_version=2
case $S in *legacy*) want_version=1 ;; esac

nodes=$(dt_nodes)
n=$(echo "$nodes" | grep -c .)
bound_before=0
for d in $nodes; do [ -z "$(drv_of "$P/$d")" ] || bound_before=$((bound_before + 1)); done
if [ "$n" -ge 1 ] && [ "$bound_before" = 0 ]; then
	va_result "${S}_nodes" PASS "$n virtio,mmio nodes, none bound before modprobe, up $(cut -d' ' -f1 /proc/uptime) s"
else
	va_result "${S}_nodes" FAIL "$n virtio,mmio nodes, $bound_before bound before modprobe"
fi

log0=$(dmesg | wc -l)
va_check "${S}_modprobe" modprobe virtio_alt

# Exactly the transports with a device behind them are bound (DeviceID !=
# 0, the balloon); the others have neither a driver nor a virtio device.
bound='' unbound=0 stray=''
for d in $nodes; do
	if [ "$(drv_of "$P/$d")" = virtio-alt-mmio ]; then
		bound="$bound $d"
	elif [ -z "$(drv_of "$P/$d")" ] && [ -z "$(vdev_below "$d")" ]; then
		unbound=$((unbound + 1))
	else
		stray="$stray $d:$(drv_of "$P/$d")"
	fi
done
bound=${bound# }
plat=$bound
bal=$(vdev_below "$plat")
if [ "$(echo "$bound" | wc -w)" = 1 ] && [ -n "$bal" ] &&
   [ "$(cat "/sys/bus/virtio/devices/$bal/device")" = 0x0005 ] &&
   [ "$(drv_of "/sys/bus/virtio/devices/$bal")" = virtio_alt_balloon ] &&
   [ $((unbound + 1)) = "$n" ] && [ -z "$stray" ]; then
	va_result "${S}_bound" PASS "$plat -> $bal (virtio_alt_balloon); $unbound empty transports declined"
else
	va_result "${S}_bound" FAIL "bound '$bound' vdev '$bal', $unbound of $n declined, other:$stray"
fi

# Declined quietly: no line from any transport but the bound one, no
# failed probe. (DeviceID 0 is a placeholder, 4.2.2: not an error.)
dmesg | tail -n +$((log0 + 1)) > /tmp/modprobe.log
noisy=$(grep '\.virtio_mmio: ' /tmp/modprobe.log | grep -vF "$plat: " | grep -c .)
failed=$(grep -ci 'probe.*failed' /tmp/modprobe.log)
if [ -n "$plat" ] && [ "$noisy" = 0 ] && [ "$failed" = 0 ]; then
	va_result "${S}_quiet" PASS "$(grep -c . /tmp/modprobe.log) log lines at modprobe: $(grep -F "$plat: " /tmp/modprobe.log | sed 's/^\[[^]]*\] //' | head -n 1)"
else
	cat /tmp/modprobe.log
	va_result "${S}_quiet" FAIL "$noisy lines from declined transports, $failed failed probes"
fi

# debugfs against the device tree node: name, base (reg: 64-bit address
# and size cells), interrupt (GIC SPI n is hwirq 32 + n in /proc/interrupts),
# version.
if [ -n "$bal" ]; then
	cat "$D/$bal/transport"
	reg=$(dt_hex "$P/$plat/of_node/reg")
	dt_base=$((0x$(echo "$reg" | cut -c1-16)))
	dt_size=$((0x$(echo "$reg" | cut -c17-32)))
	ints=$(dt_hex "$P/$plat/of_node/interrupts")
	spi=$((0x$(echo "$ints" | cut -c9-16)))
	base=$(tr_field "$bal" base) size=$(tr_field "$bal" size)
	irq=$(tr_field "$bal" irq) v=$(tr_field "$bal" version)
	pi=$(grep "^ *$irq:" /proc/interrupts)
	echo "/proc/interrupts: $pi"
	if [ "$(tr_field "$bal" mmio)" = "$plat" ] &&
	   [ "$((base))" = "$dt_base" ] && [ "$size" = "$dt_size" ] &&
	   echo "$pi" | grep -qE " $((spi + 32)) +Edge +$bal\$" &&
	   [ "$v" = "$want_version" ] && grep -q '^ring alt' "$D/$bal/transport"; then
		va_result "${S}_debugfs" PASS "mmio $plat base $base size $size irq $irq (SPI $spi) version $v, alt ring"
	else
		va_result "${S}_debugfs" FAIL "debugfs base $base size $size irq $irq version $v; DT base $dt_base size $dt_size SPI $spi; want version $want_version; interrupts '$pi'"
	fi
else
	va_result "${S}_debugfs" FAIL "no balloon device"
fi

# Inflate and deflate: the host sets the target at our marks and checks
# query-balloon; MemTotal must move by exactly what it took.
total0=$(va_meminfo MemTotal)
va_marker inflate
if va_wait_for 300 va_mem_is $((total0 - INFLATE_KB)); then
	va_result "${S}_inflate" PASS "MemTotal $total0 -> $(va_meminfo MemTotal) kB"
else
	va_result "${S}_inflate" FAIL "MemTotal $total0 -> $(va_meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB))"
fi
va_marker inflated
if va_wait_for 300 va_mem_is "$total0"; then
	va_result "${S}_deflate" PASS "MemTotal back to $total0 kB"
else
	va_result "${S}_deflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
va_marker deflated

if [ -n "$bal" ]; then
	k=$(counter "$bal/vq0" kicks) i=$(counter "$bal/vq0" irqs)
	a=$(counter "$bal/vq0" bufs_added) u=$(counter "$bal/vq0" bufs_used)
	b=$(counter "$bal/vq0" broken)
	if [ "$k" -gt 0 ] && [ "$i" -gt 0 ] && [ "$a" = "$u" ] && [ "$a" -ge 256 ] && [ "$b" = 0 ]; then
		va_result "${S}_counters" PASS "inflate: kicks $k irqs $i bufs $a"
	else
		va_result "${S}_counters" FAIL "inflate: kicks $k irqs $i added $a used $u broken $b"
	fi
fi

# Unbind and bind again through a module reload: the same node is bound,
# the empty ones still quietly declined.
log0=$(dmesg | wc -l)
if rmmod virtio_alt && modprobe virtio_alt; then
	again=''
	for d in $nodes; do
		[ "$(drv_of "$P/$d")" = virtio-alt-mmio ] && again="$again $d"
	done
	again=${again# }
	bal=$(vdev_below "$plat")
	noisy=$(dmesg | tail -n +$((log0 + 1)) | grep '\.virtio_mmio: ' | grep -vF "$plat: " | grep -c .)
	if [ "$again" = "$plat" ] && [ -n "$bal" ] && [ "$noisy" = 0 ] &&
	   [ "$(drv_of "/sys/bus/virtio/devices/$bal")" = virtio_alt_balloon ]; then
		va_result "${S}_reload" PASS "$plat -> $bal again"
	else
		va_result "${S}_reload" FAIL "bound '$again' vdev '$bal', $noisy lines from declined transports"
	fi
else
	va_result "${S}_reload" FAIL "rmmod or modprobe failed"
fi

# Remove with pages in the balloon: every page comes back, and the nodes
# are left unbound.
va_marker reinflate
if va_wait_for 300 va_mem_is $((total0 - INFLATE_KB)); then
	va_check "${S}_rmmod" rmmod virtio_alt
	left=0
	for d in $nodes; do [ -z "$(drv_of "$P/$d")" ] || left=$((left + 1)); done
	if va_mem_is "$total0" && [ "$left" = 0 ]; then
		va_result "${S}_remove_returns_pages" PASS "MemTotal $total0 kB after rmmod, no node bound"
	else
		va_result "${S}_remove_returns_pages" FAIL "MemTotal $(va_meminfo MemTotal) kB after rmmod, wanted $total0; $left nodes still bound"
	fi
else
	va_result "${S}_remove_returns_pages" FAIL "re-inflate did not happen: MemTotal $(va_meminfo MemTotal) kB"
fi
va_marker removed
# The host reads query-balloon after this mark; with no control port to
# hear that it is done, give it the time the x86 guests spend in their
# kmemleak scan before powering off.
sleep 5
echo "test time $(cut -d' ' -f1 /proc/uptime) s since boot"
