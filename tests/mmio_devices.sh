# Guest: the devices= and mmio_align= parameters, on QEMU microvm without
# ACPI (-M acpi=off), where QEMU lists its virtio-mmio devices on the kernel
# command line as virtio_mmio.device=<size>@<base>:<irq>. Every malformed
# value fails the load with a message naming the bad part and leaves nothing
# registered; the well-formed list creates the devices, virtio-alt-mmio
# drives them, and unloading removes them.
. /lib/va/guest.sh

S=$VA_SCENARIO
P=/sys/bus/platform

# Nothing of the module is left: not loaded, no driver, no device.
nothing_left() {
	! grep -q '^virtio_alt ' /proc/modules &&
	[ ! -e $P/drivers/virtio-alt-mmio ] &&
	[ -z "$(ls -d $P/devices/virtio-alt-mmio.* 2>/dev/null)" ]
}

# bad NAME PARAM=VALUE EXPECTED: the load fails, the kernel log has
# EXPECTED (a fixed string), nothing is left.
bad() {
	dmesg -c > /dev/null
	if modprobe virtio_alt "$2" 2>/dev/null; then
		va_result "${S}_bad_$1" FAIL "'$2' was accepted"
		rmmod virtio_alt
		return
	fi
	m=$(dmesg | grep -F -- "$3" | head -n 1)
	if [ -n "$m" ] && nothing_left; then
		va_result "${S}_bad_$1" PASS "${m#*] }"
	else
		va_result "${S}_bad_$1" FAIL "'$2': message '$3' $([ -n "$m" ] && echo found || echo missing), $(nothing_left && echo 'nothing left' || echo 'something left registered')"
	fi
}

# QEMU's devices: virtio_mmio.device= entries of the command line.
list=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^virtio_mmio\.device=//p' | tr '\n' ,)
list=${list%,}
first=${list%%,*}
echo "QEMU's devices: $list"

bad no_at devices=0x200 "bad <size> (a number with an optional K, M or G suffix, then '@') in '0x200'"
bad size_word devices=big@0xfeb00000:5 "bad <size> (a number"
bad size_small devices=0x80@0xfeb00000:5 "bad <size> (at least 0x100, the registers) in '0x80@0xfeb00000:5'"
bad base devices=0x200@0xfeb0zz00:5 "bad <baseaddr> (a number) in '0x200@0xfeb0zz00:5'"
bad wraps devices=0x200@0xffffffffffffff00:5 "bad <size>@<baseaddr> (the window wraps around)"
bad no_irq devices=0x200@0xfeb00000 "bad <irq> (missing) in '0x200@0xfeb00000'"
bad irq_zero devices=0x200@0xfeb00000:0 "bad <irq> (a number other than 0)"
bad irq_word devices=0x200@0xfeb00000:five "bad <irq> (a number other than 0) in '0x200@0xfeb00000:five'"
bad id_negative devices=0x200@0xfeb00000:5:-1 "bad <id> (a number from 0 up) in '0x200@0xfeb00000:5:-1'"
bad id_extra devices=0x200@0xfeb00000:5:1:2 "bad <id> (a number from 0 up) in '0x200@0xfeb00000:5:1:2'"
bad empty_entry "devices=$first,,$first" "bad entry (empty) in ''"
# The first entry is good; the second is not: no device is created.
bad second_entry "devices=$first,junk" "bad <size> (a number with an optional K, M or G suffix, then '@') in 'junk'"
# Well-formed entries, but the same window twice.
bad same_window "devices=$first,$first" "bad <size>@<baseaddr> (overlaps an earlier entry) in '$first'"
bad align_3 mmio_align=3 "mmio_align=3: expected a power of two from 4 up (bytes)"
bad align_2 mmio_align=2 "mmio_align=2: expected a power of two from 4 up"
bad align_48 mmio_align=48 "mmio_align=48: expected a power of two from 4 up"
bad align_word mmio_align=page "mmio_align=page: expected a power of two from 4 up"

# The good list: one device per entry, bound to virtio-alt-mmio.
if [ -z "$list" ]; then
	va_result "${S}_qemu_cmdline" FAIL "no virtio_mmio.device= on the command line: $(cat /proc/cmdline)"
else
	va_result "${S}_qemu_cmdline" PASS "$list"
fi
n=$(echo "$list" | tr ',' '\n' | grep -c .)
va_check "${S}_modprobe" modprobe virtio_alt "devices=$list"
bound=0
for d in $P/devices/virtio-alt-mmio.*; do
	[ "$(basename "$(readlink "$d/driver")")" = virtio-alt-mmio ] && bound=$((bound + 1))
done
if [ "$bound" = "$n" ] && [ "$(cat /sys/module/virtio_alt/parameters/devices)" != "" ]; then
	va_result "${S}_created" PASS "$bound devices on virtio-alt-mmio; devices=$(cat /sys/module/virtio_alt/parameters/devices)"
else
	va_result "${S}_created" FAIL "$bound of $n bound: $(ls $P/devices)"
fi
bal=
for v in /sys/bus/virtio/devices/*; do
	[ "$(cat "$v/device")" = 0x0005 ] && bal=$v
done
if [ -n "$bal" ] && [ "$(basename "$(readlink "$bal/driver")")" = virtio_alt_balloon ]; then
	va_result "${S}_balloon_bound" PASS "$(basename "$bal") on $(basename "$(dirname "$(readlink -f "$bal")")")"
else
	va_result "${S}_balloon_bound" FAIL "balloon '$bal'"
fi
va_check "${S}_rng_modprobe" modprobe virtio_rng
c=$(dd if=/dev/hwrng bs=32 count=1 2>/dev/null | wc -c)
if [ "$c" = 32 ]; then
	va_result "${S}_rng_data" PASS "32 bytes from virtio_rng over a devices= device"
else
	va_result "${S}_rng_data" FAIL "$c bytes"
fi
va_check "${S}_rmmod" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
if nothing_left; then
	va_result "${S}_removed" PASS "no virtio-alt-mmio device after rmmod"
else
	va_result "${S}_removed" FAIL "$(ls $P/devices)"
fi
va_kmemleak_scan "${S}_kmemleak"
