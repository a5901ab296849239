# Guest library of the virtio-alt-pci matrix (issue 5): one interface
# ($MATRIX_IFACE, modern or legacy, set by tests/pci_matrix_<iface>.sh),
# each forced interrupt mode (pci_irq=msix-per-vq, msix-shared, intx) in
# turn, and in each cell the in-tree virtio_rng, virtio_blk and virtio_net
# over our transport (in-tree ring) and virtio_alt_balloon (alt ring):
#   - every device reports the interface and interrupt mode asked for;
#   - rng: 64 bytes from /dev/hwrng, queue interrupts in that mode;
#   - blk: 4 MiB of random data written (O_DIRECT, fsync), caches dropped,
#     read back with O_DIRECT: checksums match, queue interrupts arrive;
#   - net: the netdev exists; a QMP set_link off and on each arrive as a
#     configuration change interrupt; then, over QEMU's user network,
#     16 MiB from the host (a TCP hostfwd to guest port 5555) and 16 MiB
#     to the host (a loopback listener reached at 10.0.2.2): byte count
#     and sha256 equal on both ends, rx interrupts and kicks and tx kicks
#     counted on the queues (va_net_traffic in tests/lib/guest.sh);
#   - balloon: QEMU 7.2's virtio-balloon-pci has no MSI-X, so with MSI-X
#     forced its probe is refused with a message; with INTx it inflates by
#     64 MiB and deflates, MemTotal exact (QMP side: tests/host/pci_matrix.sh).
# Each cell ends with rmmod of everything; the guest ends with kmemleak.
# shellcheck shell=sh
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
S=$VA_SCENARIO
INFLATE_KB=65536	# 64 MiB, what the host takes
BLK_MIB=4
NET_MIB=16	# each way
case $MATRIX_IFACE in
modern) id_net=0x1041 id_blk=0x1042 id_rng=0x1044 id_bal=0x1045 ;;
legacy) id_net=0x1000 id_blk=0x1001 id_rng=0x1005 id_bal=0x1002 ;;
*) va_result "${S}_setup" FAIL "MATRIX_IFACE '$MATRIX_IFACE'"; exit 1 ;;
esac

field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
drv_of() { basename "$(readlink "/sys/bus/virtio/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
# Queue interrupts the transport took for device $1 in mode $2: INTx, or
# every MSI-X vector but the configuration one (vector0).
q_irqs() {
	case $2 in
	intx) field "$D/$1/transport" irqs_intx ;;
	*) awk '$1 ~ /^vector[1-9]/ { n += $3 } END { print n + 0 }' "$D/$1/transport" ;;
	esac
}
config_irqs() { field "$D/$net/transport" irqs_config; }
config_irqs_above() { [ "$(config_irqs)" -gt "$1" ]; }
# The vector layout of mode $2 on device $1.
vectors_ok() {
	_v=$(field "$D/$1/transport" vectors)
	case $2 in
	msix-per-vq) [ "${_v:-0}" -ge 2 ] && grep -q '^vector0 .*-config ' "$D/$1/transport" &&
		! grep -q -- '-virtqueues ' "$D/$1/transport" ;;
	msix-shared) [ "$_v" = 2 ] && grep -q '^vector1 .*-virtqueues ' "$D/$1/transport" ;;
	intx) [ "$_v" = 0 ] && grep -q '^irqs_intx ' "$D/$1/transport" ;;
	esac
}
# Device $1 ($2: the driver it must have) in interface $MATRIX_IFACE, mode $3.
cell_mode() {	# NAME VDEV DRIVER MODE
	if [ -n "$2" ] && [ "$(drv_of "$2")" = "$3" ] &&
	   grep -qx "interface $MATRIX_IFACE" "$D/$2/transport" &&
	   grep -qx "interrupts $4" "$D/$2/transport" && vectors_ok "$2" "$4"; then
		va_result "$1" PASS "$2: $3, $MATRIX_IFACE, $4, $(field "$D/$2/transport" vectors) vectors"
	else
		va_result "$1" FAIL "'$2' driver '$(drv_of "$2")': $(tr '\n' ' ' < "$D/$2/transport" 2>&1)"
	fi
}

for mode in msix-per-vq msix-shared intx; do
	T=${S}_$(echo "$mode" | tr - _)
	va_check "${T}_modprobe" sh -c "modprobe virtio_alt pci_irq=$mode && modprobe virtio_rng && modprobe virtio_blk && modprobe virtio_net"
	net=$(va_vdev_of $id_net) blk=$(va_vdev_of $id_blk)
	rng=$(va_vdev_of $id_rng) bal=$(va_vdev_of $id_bal)

	# rng
	cell_mode "${T}_rng_mode" "$rng" virtio_rng "$mode"
	i0=$(q_irqs "$rng" $mode)
	n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
	i1=$(q_irqs "$rng" $mode)
	if [ "$n" = 64 ] && [ "${i1:-0}" -gt "${i0:-0}" ]; then
		va_result "${T}_rng_data" PASS "64 bytes from /dev/hwrng; queue interrupts $i0 -> $i1"
	else
		va_result "${T}_rng_data" FAIL "$n bytes; queue interrupts $i0 -> $i1"
	fi

	# blk
	cell_mode "${T}_blk_mode" "$blk" virtio_blk "$mode"
	disk=$(ls "/sys/bus/virtio/devices/$blk/block" 2>/dev/null | head -n 1)
	dd if=/dev/urandom of=/tmp/pattern bs=1M count=$BLK_MIB 2>/dev/null
	i0=$(q_irqs "$blk" $mode)
	if [ -b "/dev/$disk" ] &&
	   dd if=/tmp/pattern of="/dev/$disk" bs=1M oflag=direct conv=fsync 2>/dev/null &&
	   echo 3 > /proc/sys/vm/drop_caches &&
	   dd if="/dev/$disk" of=/tmp/readback bs=1M count=$BLK_MIB iflag=direct 2>/dev/null; then
		i1=$(q_irqs "$blk" $mode)
		w=$(md5sum < /tmp/pattern) r=$(md5sum < /tmp/readback)
		if [ "$w" = "$r" ] && [ "$(wc -c < /tmp/readback)" = $((BLK_MIB << 20)) ] &&
		   [ "${i1:-0}" -gt "${i0:-0}" ]; then
			va_result "${T}_blk_data" PASS "/dev/$disk: $BLK_MIB MiB written, read back with O_DIRECT, md5 ${w%% *}; queue interrupts $i0 -> $i1"
		else
			va_result "${T}_blk_data" FAIL "/dev/$disk: wrote md5 ${w%% *}, read ${r%% *}; queue interrupts $i0 -> $i1"
		fi
	else
		va_result "${T}_blk_data" FAIL "'/dev/$disk' of '$blk': I/O failed"
	fi
	rm -f /tmp/pattern /tmp/readback

	# net: the netdev, and link changes from the host as config interrupts
	cell_mode "${T}_net_mode" "$net" virtio_net "$mode"
	ifc=$(ls "/sys/bus/virtio/devices/$net/net" 2>/dev/null | head -n 1)
	if [ -n "$ifc" ] && [ -e "/sys/class/net/$ifc" ]; then
		va_result "${T}_net_netdev" PASS "$ifc, address $(cat "/sys/class/net/$ifc/address")"
	else
		va_result "${T}_net_netdev" FAIL "no netdev under $net"
	fi
	for link in off on; do
		c0=$(config_irqs)
		va_marker "link-$link-$mode"
		if va_wait_for 30 config_irqs_above "$c0"; then
			va_result "${T}_net_config_change_$link" PASS "QMP set_link $link: config interrupts $c0 -> $(config_irqs)"
		else
			va_result "${T}_net_config_change_$link" FAIL "QMP set_link $link: config interrupts still $c0"
		fi
	done

	# net traffic: 16 MiB each way (tests/lib/guest.sh)
	va_net_traffic "${T}_net" "$net" $NET_MIB "-$mode"

	# balloon on the alt ring
	case $mode in
	msix-*)
		if [ -n "$bal" ] && [ -z "$(drv_of "$bal")" ] &&
		   dmesg | grep -q "virtio_alt_balloon $bal: .*pci_irq=$mode, but the device has no MSI-X capability"; then
			va_result "${T}_balloon_refused" PASS "$bal: no MSI-X in QEMU 7.2's virtio-balloon-pci, probe refused"
		else
			va_result "${T}_balloon_refused" FAIL "balloon '$bal' driver '$(drv_of "$bal")'"
		fi ;;
	intx)
		if [ -n "$bal" ] && [ "$(drv_of "$bal")" = virtio_alt_balloon ] &&
		   grep -qx "ring alt" "$D/$bal/transport" &&
		   grep -qx "interface $MATRIX_IFACE" "$D/$bal/transport" &&
		   grep -qx "interrupts intx" "$D/$bal/transport"; then
			va_result "${T}_balloon_mode" PASS "$bal: virtio_alt_balloon, alt ring, $MATRIX_IFACE, intx"
		else
			va_result "${T}_balloon_mode" FAIL "balloon '$bal' driver '$(drv_of "$bal")': $(tr '\n' ' ' < "$D/$bal/transport" 2>&1)"
		fi
		va_balloon_cycle "${T}_balloon" "$INFLATE_KB" "-$mode" ;;
	esac

	for d in "$net" "$blk" "$rng"; do echo "== $d"; cat "$D/$d/transport"; done
	va_check "${T}_rmmod" sh -c 'rmmod virtio_net && rmmod virtio_blk && rmmod virtio_rng && rmmod virtio_alt'
	dmesg -c > /dev/null
done
va_kmemleak_scan "${S}_kmemleak"
