# Guest: the interrupt policies of virtio-alt-pci. For each pci_irq= value
# the in-tree virtio_net and virtio_rng run over virtio-alt-pci: the mode in
# use is the one asked for (auto: MSI-X per queue), used buffer
# notifications arrive (rng data), and each link change on the host arrives
# as a configuration change interrupt in every mode. The balloon (no MSI-X in QEMU 7.2) is refused when MSI-X is
# forced, and takes INTx otherwise. A bad pci_irq= value fails the load.
# Host side: tests/host/pci_irq.sh toggles the link over QMP.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
drv_of() { basename "$(readlink "/sys/bus/virtio/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
# Interrupts counted for the rng's queue in mode $1.
rng_irqs() {
	case $1 in
	intx) field "$D/$rng/transport" irqs_intx ;;
	*) awk '$1 == "vector1" { print $3 }' "$D/$rng/transport" ;;
	esac
}
# Configuration change interrupts the transport took for virtio_net. (With
# no INET in this kernel busybox cannot bring the interface up, and a down
# virtio_net ignores link changes, so its carrier says nothing here.)
config_irqs() { field "$D/$net/transport" irqs_config; }
config_irqs_above() { [ "$(config_irqs)" -gt "$1" ]; }

if modprobe virtio_alt pci_irq=bogus 2>/dev/null; then
	va_result pci_irq_bad_value FAIL "pci_irq=bogus accepted"
	rmmod virtio_alt
elif dmesg | grep -q 'pci_irq=bogus: expected auto, msix-per-vq, msix-shared or intx'; then
	va_result pci_irq_bad_value PASS "pci_irq=bogus refused"
else
	va_result pci_irq_bad_value FAIL "no message naming pci_irq=bogus"
fi

for mode in msix-per-vq msix-shared intx auto; do
	want=$mode
	[ $mode = auto ] && want=msix-per-vq
	T=pci_irq_$(echo "$mode" | tr - _)
	va_check "${T}_modprobe" sh -c "modprobe virtio_alt pci_irq=$mode && modprobe virtio_net && modprobe virtio_rng"
	net=$(va_vdev_of 0x1041) rng=$(va_vdev_of 0x1044) bal=$(va_vdev_of 0x1045)
	if grep -qx "interrupts $want" "$D/$net/transport" &&
	   grep -qx "interrupts $want" "$D/$rng/transport"; then
		va_result "${T}_mode" PASS "net and rng: $want, $(field "$D/$net/transport" vectors) and $(field "$D/$rng/transport" vectors) vectors"
	else
		va_result "${T}_mode" FAIL "net: $(grep interrupts "$D/$net/transport"), rng: $(grep interrupts "$D/$rng/transport"), wanted $want"
	fi

	i0=$(rng_irqs $want)
	n=$(dd if=/dev/hwrng bs=64 count=1 2>/dev/null | wc -c)
	i1=$(rng_irqs $want)
	if [ "$n" = 64 ] && [ "${i1:-0}" -gt "${i0:-0}" ]; then
		va_result "${T}_used_notifications" PASS "64 bytes of rng; interrupts $i0 -> $i1"
	else
		va_result "${T}_used_notifications" FAIL "$n bytes; interrupts $i0 -> $i1"
	fi

	for link in off on; do
		c0=$(config_irqs)
		va_marker "link-$link-$mode"
		if va_wait_for 30 config_irqs_above "$c0"; then
			va_result "${T}_config_change_$link" PASS "link $link: config interrupts $c0 -> $(config_irqs)"
		else
			va_result "${T}_config_change_$link" FAIL "link $link: config interrupts still $c0"
		fi
	done

	case $mode in
	msix-*)
		if [ -z "$(drv_of "$bal")" ] &&
		   dmesg | grep -q "virtio_alt_balloon $bal: .*pci_irq=$mode, but the device has no MSI-X capability"; then
			va_result "${T}_balloon_refused" PASS "no MSI-X: balloon not bound"
		else
			va_result "${T}_balloon_refused" FAIL "balloon driver '$(drv_of "$bal")'"
		fi ;;
	*)
		if [ "$(drv_of "$bal")" = virtio_alt_balloon ] &&
		   grep -qx "interrupts intx" "$D/$bal/transport"; then
			va_result "${T}_balloon_intx" PASS "balloon bound, INTx"
		else
			va_result "${T}_balloon_intx" FAIL "balloon driver '$(drv_of "$bal")'"
		fi ;;
	esac
	echo "== $net"; cat "$D/$net/transport"
	va_check "${T}_rmmod" sh -c 'rmmod virtio_net && rmmod virtio_rng && rmmod virtio_alt'
	dmesg -c > /dev/null
done
va_kmemleak_scan pci_irq_kmemleak
