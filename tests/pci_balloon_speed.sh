# Guest side of the balloon throughput comparison (issue 8, point 5): one
# modern virtio-balloon-pci, alternately driven by this module (alt ring,
# virtio_alt_balloon) and by the in-tree virtio_pci + virtio_balloon, moved
# between them with va-bind. For each turn the host (tests/host/
# pci_balloon_speed.sh) inflates by 1 GiB and deflates again, timing it and
# counting notifications in QEMU's trace; here we check that every page came
# back (MemTotal exact) after each turn and that the log stays clean.
. /lib/va/guest.sh

drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }

bdf=
for p in /sys/bus/pci/devices/*; do
	[ "$(cat "$p/device")" = 0x1045 ] && bdf=$(basename "$p")
done
va_check "${VA_SCENARIO}_modprobe" sh -c 'modprobe virtio_pci && modprobe virtio_alt'
total0=$(va_meminfo MemTotal)
turn=0 bad=0 prev=
while :; do
	# The last "turn" line the host sent, once it is a new one.
	next=$prev
	while [ "$next" = "$prev" ]; do
		next=$(va_host_value turn 600) || { bad=1; break 2; }
		[ "$next" != "$prev" ] || sleep 0.2
	done
	prev=$next
	[ "$next" != stop ] || break
	set -- $next
	turn=$1 ring=$2
	# The device on the transport asked for, and its balloon driver bound.
	# Both balloon drivers match any balloon device on the virtio bus;
	# ours keeps off the in-tree transport's, but the in-tree one would
	# take ours: it is loaded only for its own turns.
	want=virtio_alt_balloon
	if [ "$ring" = intree ]; then
		want=virtio_balloon
		sh /lib/va/va-bind "$bdf" intree >/dev/null
		modprobe virtio_balloon
	else
		rmmod virtio_balloon 2>/dev/null || true
		sh /lib/va/va-bind "$bdf" alt >/dev/null
	fi
	va_wait_for 30 sh -c "readlink /sys/bus/pci/devices/$bdf/virtio*/driver | grep -q '/$want\$'" ||
		{ va_result "${VA_SCENARIO}_bind_$turn" FAIL "$want not bound to $bdf"; bad=1; }
	va_marker "ready $turn"
	va_wait_host "done $turn" 600 || { bad=1; break; }
	if ! va_mem_is "$total0"; then
		va_result "${VA_SCENARIO}_exact_$turn" FAIL \
			"$ring: MemTotal $(va_meminfo MemTotal) kB, was $total0 kB"
		bad=1
	fi
done
[ "$bad" = 1 ] || va_result "${VA_SCENARIO}_exact" PASS \
	"MemTotal back to $total0 kB after each of $((turn + 1)) turns"
sh /lib/va/va-bind "$bdf" intree >/dev/null
va_check "${VA_SCENARIO}_rmmod" rmmod virtio_alt
