# Guest: bad values for every module parameter (issue 9, point 5). At load
# time each one fails the load with a message that names the value; the
# module is then not loaded and nothing of it is left (no driver, no device,
# no debugfs). At run time, a bad write to a writable parameter is refused
# with such a message and the value stays what it was. Read-only parameters
# cannot be written at all. A kmemleak scan closes the run.
. /lib/va/guest.sh

S=$VA_SCENARIO
M=/sys/module/virtio_alt
# Messages show at most 64 characters of a value: a longer line would be
# cut before its newline and wait in the log for the next message.
long=$(head -c 3000 /dev/zero | tr '\0' x)
long_w=$(head -c 1000 /dev/zero | tr '\0' x)

nothing_left() {
	[ ! -e $M ] && [ ! -e /sys/kernel/debug/virtio_alt ] &&
	[ ! -e /sys/bus/pci/drivers/virtio-alt-pci ] &&
	[ ! -e /sys/bus/platform/drivers/virtio-alt-mmio ]
}

# load NAME PARAM VALUE EXPECTED: modprobe with PARAM=VALUE fails, the log
# has EXPECTED (a fixed string), nothing is left.
load() {
	dmesg -c > /dev/null
	if modprobe virtio_alt "$2=$3" 2>/dev/null; then
		va_result "${S}_load_$1" FAIL "$2='$3' was accepted"
		rmmod virtio_alt
		return
	fi
	m=$(dmesg | grep -F -m1 -- "$4")
	if [ -n "$m" ] && nothing_left; then
		va_result "${S}_load_$1" PASS "$(echo "${m#*] }" | cut -c1-160)"
	else
		va_result "${S}_load_$1" FAIL "$2='$(echo "$3" | cut -c1-20)': '$4' $([ -n "$m" ] && echo found || echo missing); $(nothing_left && echo 'nothing left' || echo 'something left')"
	fi
}

load ring_word ring bogus "ring=bogus: expected 'alt' or 'intree'"
load ring_empty ring "" "ring=: expected 'alt' or 'intree'"
load strict_len_word strict_len maybe "\`maybe' invalid for parameter \`strict_len'"
load strict_len_number strict_len 2 "\`2' invalid for parameter \`strict_len'"
load mmio_align_3 mmio_align 3 "mmio_align=3: expected a power of two from 4 up"
load mmio_align_0 mmio_align 0 "mmio_align=0: expected a power of two from 4 up"
load mmio_align_negative mmio_align -4096 "mmio_align=-4096: expected"
load mmio_align_huge mmio_align 99999999999999999999 "mmio_align=99999999999999999999: expected"
load mmio_align_unit mmio_align 4k "mmio_align=4k: expected"
load mmio_align_empty mmio_align "" "mmio_align=: expected"
load mmio_ring_reset_word mmio_ring_reset sometimes "\`sometimes' invalid for parameter \`mmio_ring_reset'"
load devices_word devices bogus "devices=bogus: bad"
load devices_irq_huge devices 0x200@0xfeb00000:99999999999 "devices=0x200@0xfeb00000:99999999999: bad"
load pci_irq_word pci_irq msi "pci_irq=msi: expected auto, msix-per-vq, msix-shared or intx"
load pci_irq_empty pci_irq "" "pci_irq=: expected auto"
load pci_irq_long pci_irq "$long" "pci_irq=xxxxxxxxxxxxxxxx"
load pci_cfg_window_number pci_cfg_window -1 "\`-1' invalid for parameter \`pci_cfg_window'"
load pci_legacy_word pci_legacy legacy "\`legacy' invalid for parameter \`pci_legacy'"
load balloon_numbering_word balloon_numbering dense "balloon_numbering: 'dense' is not one of offered, negotiated, spec"
load balloon_numbering_empty balloon_numbering "" "balloon_numbering: '' is not one of"
load balloon_conflict_word balloon_conflict ignore "balloon_conflict: 'ignore' is not one of decline, use"
load balloon_decline_unknown balloon_decline stats_vq,bogus "balloon_decline: unknown feature 'bogus'"
load balloon_decline_long balloon_decline "$long" "balloon_decline: unknown feature 'xxxxxxxx"

# Run time: the module loads with good values, then bad writes.
va_check "${S}_modprobe" modprobe virtio_alt balloon_numbering=spec balloon_decline=stats_vq pci_irq=intx

# write NAME PARAM VALUE EXPECTED: the write fails, the log has EXPECTED,
# the parameter reads as before.
write() {
	before=$(cat "$M/parameters/$2")
	dmesg -c > /dev/null
	if printf '%s' "$3" > "$M/parameters/$2" 2>/dev/null; then
		va_result "${S}_write_$1" FAIL "$2='$3' was accepted: now '$(cat "$M/parameters/$2")'"
		return
	fi
	m=$(dmesg | grep -F -m1 -- "$4")
	after=$(cat "$M/parameters/$2")
	if [ -n "$m" ] && [ "$after" = "$before" ]; then
		va_result "${S}_write_$1" PASS "$(echo "${m#*] }" | cut -c1-120); still '$after'"
	else
		va_result "${S}_write_$1" FAIL "'$4' $([ -n "$m" ] && echo found || echo missing); '$before' -> '$after'"
	fi
}

write balloon_numbering balloon_numbering dense "balloon_numbering: 'dense' is not one of"
write balloon_conflict balloon_conflict 1 "balloon_conflict: '1' is not one of decline, use"
write balloon_decline balloon_decline "reporting,,x" "balloon_decline: unknown feature 'x'"
write balloon_decline_long balloon_decline "$long_w" "balloon_decline: unknown feature 'xxxxxxxx"
write pci_irq pci_irq msix "pci_irq=msix: expected"
write pci_irq_long pci_irq "$long_w" "pci_irq=xxxxxxxxxxxxxxxx"

# Read-only parameters: mode 0444, and a write does not get through.
ro_ok=1 ro=''
for p in ring strict_len mmio_align mmio_ring_reset devices pci_cfg_window pci_legacy; do
	before=$(cat "$M/parameters/$p" 2>/dev/null)
	if [ "$(stat -c %a "$M/parameters/$p" 2>/dev/null)" != 444 ] ||
	   { echo 1 > "$M/parameters/$p"; } 2>/dev/null ||
	   [ "$(cat "$M/parameters/$p")" != "$before" ]; then
		ro_ok=0 ro="$ro $p"
	fi
done
if [ "$ro_ok" = 1 ]; then
	va_result "${S}_read_only" PASS "7 parameters, mode 0444"
else
	va_result "${S}_read_only" FAIL "writable or changed:$ro"
fi

# The good values of the load are still in force.
got="$(cat $M/parameters/balloon_numbering) $(cat $M/parameters/balloon_decline) $(cat $M/parameters/pci_irq)"
if [ "$got" = "spec stats_vq intx" ]; then
	va_result "${S}_values_kept" PASS "$got"
else
	va_result "${S}_values_kept" FAIL "'$got', wanted 'spec stats_vq intx'"
fi
va_check "${S}_rmmod" rmmod virtio_alt
va_kmemleak_scan "${S}_kmemleak"
