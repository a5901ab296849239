# Guest side of free page hinting (VIRTIO_BALLOON_F_FREE_PAGE_HINT), on q35
# (virtio-balloon-pci) and, as mmio_balloon_hint, on microvm
# (virtio-balloon-device); both with free-page-hint=on and an iothread.
# The host migrates the running guest to "exec:cat > /dev/null", which makes
# QEMU ask for hints (a command id per pass over RAM) and say DONE at the
# end, and resumes the guest with QMP cont (tests/host/pci_balloon_hint.sh).
# Checked here: hints flow during the migration, memory pressure takes
# hinted pages back (shrinker), every hinted page comes back after DONE
# (held 0, returned = hinted), the guest keeps working, and
# then the main job's inflate, deflate and rmmod with exact accounting.
# page_poison=1 on the kernel command line (the PCI run) adds PAGE_POISON
# with a poison_val of 0xaaaaaaaa; freed hinted pages must pass the
# allocator's poison check.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
INFLATE_KB=262144	# 256 MiB, what the host takes
S=$VA_SCENARIO

# The balloon's virtio device: PCI id 0x1045, or virtio id 5 on MMIO.
bal_vdev() {
	if [ "$VA_MACHINE" = microvm ]; then
		for v in /sys/bus/virtio/devices/*; do
			[ "$(cat "$v/device")" = 0x0005 ] && basename "$v"
		done
	else
		va_vdev_of 0x1045
	fi
}
field() { awk -v k="$1:" '$1 == k { print $2 }' "$B"; }

va_check "${S}_modprobe" modprobe virtio_alt
bal=$(bal_vdev)
B=$D/$bal/balloon
cat "$B"
if grep -q '^negotiated:.* free_page_hint' "$B" &&
   [ "$(field hint_enabled)" = 1 ]; then
	va_result "${S}_negotiated" PASS "$bal: $(grep '^queue free_page' "$B")"
else
	va_result "${S}_negotiated" FAIL "$bal: $(grep -E '^(offered|negotiated|queue free_page|hint_enabled)' "$B" | tr '\n' ' ')"
fi

# Page poisoning on: PAGE_POISON negotiated with the kernel's pattern.
if grep -qw page_poison=1 /proc/cmdline; then
	pv=$(field poison_val)
	if grep -q '^negotiated:.* page_poison' "$B" && [ "$pv" = 0xaaaaaaaa ]; then
		va_result "${S}_poison_val" PASS "page_poison negotiated, poison_val $pv"
	else
		va_result "${S}_poison_val" FAIL "poison_val '${pv}': $(grep '^negotiated' "$B")"
	fi
fi

# Some memory the migration has to copy, so its bulk stage takes a while.
dd if=/dev/urandom of=/tmp/fill bs=1M count=64 2>/dev/null
sum0=$(md5sum < /tmp/fill)
va_marker migrate
# Until the host says the migration is over: the most held at a time.
# Once 128 MiB are held, writing MemFree and 64 MiB more to tmpfs (no swap)
# can only succeed if the shrinker gives hinted pages back. Not with
# page_poison=1: under TCG, allocating checks every poisoned page, the
# write outlasts the migration and DONE gives the pages back first.
held_max=0 t=0 press=
pressure=1
grep -qw page_poison=1 /proc/cmdline && pressure=0
mount -o remount,size=100% /tmp
while ! grep -qx migrated /tmp/va-host.in 2>/dev/null && [ $t -lt 2400 ]; do
	h=$(field hint_held)
	[ "${h:-0}" -gt "$held_max" ] && held_max=$h
	if [ $pressure = 1 ] && [ -z "$press" ] && [ "${h:-0}" -ge 32768 ]; then
		mb=$(($(va_meminfo MemFree) / 1024 + 64))
		dd if=/dev/zero of=/tmp/press bs=1M count=$mb 2>/dev/null
		press="$mb MiB written (dd rc $?) with $((h / 256)) MiB held, $(($(field hint_shrunk) / 256)) MiB shrunk"
		rm -f /tmp/press
	fi
	sleep 0.25
	t=$((t + 1))
done
cat "$B"
if [ $pressure = 0 ]; then
	:
elif [ -n "$press" ] && [ "$(field hint_shrunk)" -gt 0 ]; then
	va_result "${S}_pressure_returns_pages" PASS "$press"
else
	va_result "${S}_pressure_returns_pages" FAIL "${press:-never 128 MiB held}; hint_shrunk $(field hint_shrunk)"
fi
cmds=$(field hint_commands) pages=$(field hint_pages)
if [ "${cmds:-0}" -ge 1 ] && [ "${pages:-0}" -gt 0 ]; then
	va_result "${S}_hints_flow" PASS "$cmds command ids, $((pages / 256)) MiB hinted, at most $((held_max / 256)) MiB held at once"
else
	va_result "${S}_hints_flow" FAIL "commands '$cmds' pages '$pages' (host message seen: $(grep -c migrated /tmp/va-host.in))"
fi

# The guest works after the migration: a command, and the data it had.
va_check "${S}_runs_after_migration" sh -c \
	"[ \"\$(md5sum < /tmp/fill)\" = \"$sum0\" ] && dd if=/dev/urandom bs=1M count=16 2>/dev/null | md5sum"
rm -f /tmp/fill

# DONE: every hinted page comes back (counted exactly: held 0, returned =
# hinted). MemFree is no measure here: after the pressure write KASAN's
# quarantine and slab keep tens of MiB (63 MiB short in one run).
done_back() { [ "$(field hint_done)" -ge 1 ] && [ "$(field hint_held)" = 0 ]; }
if va_wait_for 120 done_back; then
	ret=$(field hint_returned) pages=$(field hint_pages)
	if [ "$ret" = "$pages" ]; then
		va_result "${S}_done_returns_pages" PASS "done $(field hint_done), held 0, returned $((ret / 256)) of $((pages / 256)) MiB"
	else
		va_result "${S}_done_returns_pages" FAIL "returned $ret of $pages pages"
	fi
else
	va_result "${S}_done_returns_pages" FAIL "$(grep '^hint' "$B" | tr '\n' ' ')"
fi

# Then the main job: inflate, deflate, exact MemTotal (QMP checks on the host).
va_marker hinted
va_balloon_cycle "$S" "$INFLATE_KB"
total0=$va_total0

if dmesg | grep -q 'pagealloc: memory corruption'; then
	va_result "${S}_poison_intact" FAIL "$(dmesg | grep -m1 -A2 'pagealloc: memory corruption')"
else
	va_result "${S}_poison_intact" PASS "no poison corruption reported"
fi

# Remove with pages in the balloon: every page comes back.
va_remove_inflated "$S" "$total0" "$INFLATE_KB"
