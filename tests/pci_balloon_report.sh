# Guest side of free page reporting (VIRTIO_BALLOON_F_REPORTING): the balloon
# on a device with free-page-reporting=on, q35 (virtio-balloon-pci) or
# microvm (virtio-balloon-device), as the scenario name says. The host
# inflates and deflates over QMP and watches QEMU's resident memory while
# the guest fills and frees 256 MiB of tmpfs (tests/host/pci_balloon_report.sh).
#   *_seed_offered      seeds/000 and 001: QEMU with free-page-hint=on too,
#                       free_page_hint declined; default numbering: reporting
#                       at index 4, as QEMU has it
#   *_seed_negotiated   the same with balloon_numbering=negotiated, which
#                       puts reporting at 3, QEMU's free page hint queue:
#                       balloon_conflict=decline (default) declines
#                       reporting, the probe says why, the balloon works
#   *_seed_negotiated_use  the same with balloon_conflict=use: reports go to
#                       QEMU's hinting queue, returned unused (not in make
#                       check: QEMU 7.2 under TCG aborts now and then)
#   *_stuck             stats_vq and free_page_hint declined, numbering
#                       negotiated, balloon_conflict=use: reporting at 2,
#                       QEMU's statistics queue, which keeps the buffer: the
#                       report must time out
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
S=$VA_SCENARIO
INFLATE_KB=262144	# 256 MiB, what the host takes
FILL_MB=256		# tmpfs written and deleted
MiB=1048576

# The balloon: a PCI function (modern id 0x1045) or a platform (MMIO) device.
bal_dev() {
	case $VA_MACHINE in
	microvm)
		for v in /sys/bus/virtio/devices/*; do
			[ "$(cat "$v/device")" = 0x0005 ] && basename "$v"
		done ;;
	*) va_vdev_of 0x1045 ;;
	esac
}
field() { awk -v k="$1:" '$1 == k { print $2 }' "$D/$bal/balloon"; }
gt() { [ "$(field "$1")" -gt "$2" ]; }


params='' want_index=3
case $S in
*seed_offered*) params=balloon_decline=free_page_hint want_index=4 ;;
*seed_negotiated) params="balloon_decline=free_page_hint balloon_numbering=negotiated" ;;
*seed_negotiated_use) params="balloon_decline=free_page_hint balloon_numbering=negotiated balloon_conflict=use" ;;
*stuck*) params="balloon_decline=stats_vq,free_page_hint balloon_numbering=negotiated balloon_conflict=use" want_index=2 ;;
esac
dmesg -c > /dev/null
# shellcheck disable=SC2086 # params is a list of words
va_check "${S}_modprobe" modprobe virtio_alt $params
bal=$(bal_dev)
case $S in
*seed_negotiated)
	# Reporting would sit on QEMU's hinting queue: declined, and said.
	msg='queue numbering negotiated puts reporting at index 3; a device numbering over offered features (QEMU) has it at 4: reporting declined (balloon_conflict=use keeps it)'
	if [ -n "$bal" ] && dmesg | grep -qF "$msg" &&
	   grep -qx 'misplaced: reporting' "$D/$bal/balloon" &&
	   grep -qx 'queue reporting: none' "$D/$bal/balloon" &&
	   ! grep -q '^negotiated:.* reporting' "$D/$bal/balloon" &&
	   ! grep -q '^reports:' "$D/$bal/balloon"; then
		va_result "${S}_reporting_declined" PASS "$msg"
	else
		va_result "${S}_reporting_declined" FAIL "$(dmesg | grep -m2 'virtio_alt_balloon.*numbering' | tr '\n' ' ') $(tr '\n' ' ' < "$D/$bal/balloon" 2>/dev/null)"
	fi
	if ! dmesg | grep -q 'a device numbering over offered features (QEMU) has it at [0-9]*, and at'; then
		va_result "${S}_no_misplaced_queue" PASS
	else
		va_result "${S}_no_misplaced_queue" FAIL "$(dmesg | grep -m1 'and at [0-9]* its')"
	fi
	cat "$D/$bal/balloon"
	total0=$(va_meminfo MemTotal)
	va_balloon_cycle "$S" "$INFLATE_KB"
	va_remove_inflated "$S" "$total0" "$INFLATE_KB"
	exit 0 ;;
esac
if [ -n "$bal" ] && grep -q '^negotiated:.* reporting' "$D/$bal/balloon" &&
   grep -qx "queue reporting: index $want_index, [0-9]* entries" "$D/$bal/balloon"; then
	va_result "${S}_reporting_queue" PASS "$(grep -E '^(numbering|declined|queue reporting)' "$D/$bal/balloon" | tr '\n' ' ')"
else
	va_result "${S}_reporting_queue" FAIL "wanted reporting at $want_index: $(tr '\n' ' ' < "$D/$bal/balloon" 2>/dev/null)"
fi
cat "$D/$bal/balloon"

# Probe knows when a device numbering over offered features disagrees.
warned=$(dmesg | grep -c 'a device numbering over offered features (QEMU) has it')
case $S in
*negotiated*|*stuck*)
	if [ "$warned" -ge 1 ]; then
		va_result "${S}_probe_warns_numbering" PASS "$(dmesg | grep -m1 'a device numbering over' | sed 's/.*: queue numbering/queue numbering/')"
	else
		va_result "${S}_probe_warns_numbering" FAIL "no warning at probe"
	fi ;;
*)
	if [ "$warned" = 0 ]; then
		va_result "${S}_probe_no_numbering_warning" PASS
	else
		va_result "${S}_probe_no_numbering_warning" FAIL "$(dmesg | grep -m1 'a device numbering over')"
	fi ;;
esac

case $S in
*stuck*)
	# The kernel reports free memory 2 s after registration; QEMU's
	# statistics queue keeps the buffer: 10 s later the driver takes it
	# back (queue reset, PCI) or resets the device (MMIO: no queue reset).
	if va_wait_for 40 sh -c "dmesg | grep -q 'virtio_alt_balloon .*did not return a report'"; then
		# From the balloon's start (dmesg time stamps) to the message.
		t=$(dmesg | awk -F'[][]' '/virtio_alt_balloon .*on the .* ring;/ && !s { s = $2 }
			/virtio_alt_balloon .*did not return a report/ { printf "%.1f", $2 - s; exit }')
		va_result "${S}_report_timeout" PASS "${t} s after start: $(dmesg | grep -m1 'virtio_alt_balloon .*did not return a report' | sed 's/.*reporting queue/reporting queue/' | cut -c1-300)"
	else
		va_result "${S}_report_timeout" FAIL "no timeout within 40 s: $(grep report "$D/$bal/balloon" | tr '\n' ' ')"
	fi
	want_how='queue reset took the buffer back'
	[ "$VA_MACHINE" = microvm ] && want_how='device reset so it cannot touch'
	f=$(field report_failures)
	if dmesg | grep -q "$want_how" && [ "$(field reporting)" = stopped ] &&
	   [ "$f" = 1 ]; then
		va_result "${S}_report_taken_back" PASS "$want_how; reporting stopped, failures $f"
	else
		va_result "${S}_report_taken_back" FAIL "wanted '$want_how': $(grep report "$D/$bal/balloon" | tr '\n' ' ')"
	fi
	# Later reports fail at once: fill and free memory, no new stall.
	dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>/dev/null
	rm -f /tmp/fill
	sleep 5
	f=$(field report_failures)
	n=$(dmesg | grep -c 'virtio_alt_balloon .*did not return a report')
	if [ "$f" = 1 ] && [ "$n" = 1 ] && [ "$(field report_refused)" -ge 1 ]; then
		va_result "${S}_report_stays_stopped" PASS "failures $f, refused $(field report_refused)"
	else
		va_result "${S}_report_stays_stopped" FAIL "$(grep report "$D/$bal/balloon" | tr '\n' ' ')"
	fi
	va_check "${S}_rmmod" rmmod virtio_alt
	va_kmemleak_scan "${S}_kmemleak"
	exit 0 ;;
esac

total0=$(va_meminfo MemTotal)
va_balloon_cycle "$S" "$INFLATE_KB"

# Registration reports the free memory there is (2 s later); then fill and
# free tmpfs: the freed blocks are reported again.
if va_wait_for 30 gt reports 0; then
	va_result "${S}_reports_at_start" PASS "reports $(field reports), $(($(field report_bytes) / MiB)) MiB"
else
	va_result "${S}_reports_at_start" FAIL "$(grep report "$D/$bal/balloon" | tr '\n' ' ')"
fi
dd if=/dev/zero of=/tmp/fill bs=1M count=$FILL_MB 2>/dev/null
sync
va_marker filled
va_wait_host sampled 60
r0=$(field reports) b0=$(field report_bytes)
rm -f /tmp/fill
if va_wait_for 60 gt report_bytes $((b0 + FILL_MB * MiB / 2)); then
	va_result "${S}_reports_flow" PASS "reports $r0 -> $(field reports), +$((($(field report_bytes) - b0) / MiB)) MiB after freeing $FILL_MB MiB"
else
	va_result "${S}_reports_flow" FAIL "reports $r0 -> $(field reports), +$((($(field report_bytes) - b0) / MiB)) MiB after freeing $FILL_MB MiB: $(grep report "$D/$bal/balloon" | tr '\n' ' ')"
fi
f=$(field report_failures)
if [ "$f" = 0 ] && [ "$(field reporting)" = on ]; then
	va_result "${S}_no_report_failures" PASS
else
	va_result "${S}_no_report_failures" FAIL "$(grep report "$D/$bal/balloon" | tr '\n' ' ')"
fi
va_marker reported
va_wait_host measured 60
grep report "$D/$bal/balloon"

if va_mem_is "$total0"; then
	va_result "${S}_memtotal_after_reports" PASS "MemTotal $total0 kB"
else
	va_result "${S}_memtotal_after_reports" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi
# Remove with pages in the balloon and reporting registered.
va_remove_inflated "$S" "$total0" "$INFLATE_KB"
