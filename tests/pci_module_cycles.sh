# Guest: module life under load (issue 9, point 4) on virtio-alt-pci with a
# QEMU virtio-balloon-pci. 50 cycles of modprobe virtio_alt (the balloon
# binds), inflate, rmmod. The host sets a target of 1984 MiB (64 MiB in the
# balloon) once, at the first probe; every later probe inflates to it again.
# Odd cycles remove after the whole inflate, even ones as soon as the module
# is live, racing the inflate the probe starts (under TCG QEMU uses each
# buffer at the kick, so a buffer is in flight only until the driver takes
# it back; the cycles count how far the inflate got). After each rmmod
# MemTotal is back to its value before the first modprobe, to the kB.
# A last probe inflates again: pages in the balloon, MemTotal and QEMU's
# query-balloon agree (point 6; the host checks its side); then rmmod gives
# everything back and kmemleak finds nothing (vm-run's log_clean: no BUG or
# WARNING). Host side: tests/host/pci_module_cycles.sh.
. /lib/va/guest.sh

S=$VA_SCENARIO
D=/sys/kernel/debug/virtio_alt
CYCLES=50
BALLOON_KB=65536

bfield() { awk -v k="$1:" '$1 == k { print $2 }' "$D/$bal/balloon" 2>/dev/null; }

total0=$(va_meminfo MemTotal)
inflated_kb=$((total0 - BALLOON_KB))
i=1 done=0 early=0 partial=0 why='' t0=$(_va_now_cs)
while [ $i -le $CYCLES ]; do
	if [ $((i % 2)) = 1 ]; then
		if ! modprobe virtio_alt || ! bal=$(va_vdev_of 0x1045) ||
		   [ -z "$bal" ]; then
			why="cycle $i: modprobe or bind failed"
			break
		fi
		[ $i = 1 ] && va_marker target
		if ! va_wait_for 300 va_mem_is $inflated_kb; then
			why="cycle $i: MemTotal $(va_meminfo MemTotal) kB, wanted $inflated_kb after the inflate"
			break
		fi
		if ! rmmod virtio_alt; then
			why="cycle $i: rmmod failed"
			break
		fi
	else
		# rmmod as soon as the module is live, racing the probe's
		# inflate; where it stood is counted from MemTotal just before
		# the rmmod that worked (not begun, partial, whole).
		modprobe virtio_alt &
		k=0
		while m=$(va_meminfo MemTotal) && ! rmmod virtio_alt 2>/dev/null &&
		      [ $k -lt 5000 ]; do
			k=$((k + 1))
		done
		if ! wait $! || [ $k = 5000 ]; then
			why="cycle $i: modprobe failed or rmmod never worked"
			break
		fi
		if [ "$m" -eq "$total0" ]; then
			early=$((early + 1))
		elif [ "$m" -gt $inflated_kb ]; then
			partial=$((partial + 1))
		fi
	fi
	if ! va_mem_is "$total0"; then
		why="cycle $i: MemTotal $(va_meminfo MemTotal) kB after rmmod, wanted $total0"
		break
	fi
	done=$i
	i=$((i + 1))
done
secs=$(_va_secs $(($(_va_now_cs) - t0)))
whole=$((CYCLES / 2 - early - partial))
# The race must really be run: some removals before the inflate is whole.
if [ $done = $CYCLES ] && [ $((early + partial)) -gt 0 ]; then
	va_result "${S}_cycles" PASS "$done cycles in $secs s, MemTotal back to $total0 kB after each; rmmod racing the probe: $early before the inflate, $partial during, $whole after"
else
	va_result "${S}_cycles" FAIL "$done of $CYCLES cycles in $secs s; racing the probe: $early before the inflate, $partial during, $whole after${why:+; $why}"
fi

# The last probe: balloon, MemTotal and (host) query-balloon agree.
va_check "${S}_final_modprobe" modprobe virtio_alt
bal=$(va_vdev_of 0x1045)
if va_wait_for 300 va_mem_is $inflated_kb &&
   [ "$(bfield pages)" = $((BALLOON_KB / 4)) ] &&
   [ $(($(bfield inflated) - $(bfield deflated))) = $((BALLOON_KB / 4)) ]; then
	va_result "${S}_final_accounting" PASS "MemTotal $(va_meminfo MemTotal) kB, pages $(bfield pages), inflated $(bfield inflated) deflated $(bfield deflated)"
else
	va_result "${S}_final_accounting" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $inflated_kb; $(tr '\n' ' ' < "$D/$bal/balloon")"
fi
va_marker final
va_wait_host checked 120
va_check "${S}_final_rmmod" rmmod virtio_alt
if va_mem_is "$total0"; then
	va_result "${S}_final_returns_pages" PASS "MemTotal $total0 kB"
else
	va_result "${S}_final_returns_pages" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
va_kmemleak_scan "${S}_kmemleak"
