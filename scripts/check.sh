#!/usr/bin/env bash
# make check: every test, fast to real. Prints one line per test and ends
# with "N passed, N failed"; exits non-zero if anything failed.
#
#   1. dependencies (apt, idempotent) and the cached test kernel
#   2. builds with W=1 and sparse (C=2) against the test kernel and Debian's
#      stock 6.1 and 6.12 headers; checkpatch --strict; modinfo
#   3. KUnit in a guest, parsed by the kernel's kunit.py
#   4. integration scenarios in QEMU guests with real virtio devices
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$top/out
mkdir -p "$out"
pass=0 fail=0 skip=0

record() {	# NAME PASS|FAIL [DETAIL]
	if [ "$2" = PASS ]; then
		pass=$((pass + 1))
		printf 'PASS %s%s\n' "$1" "${3:+  ($3)}"
	else
		fail=$((fail + 1))
		printf 'FAIL %s%s\n' "$1" "${3:+  ($3)}"
	fi
}

# Take the VA-RESULT lines of a vm-run results file.
record_results() {
	local name status detail
	while read -r _ name status detail; do
		record "$name" "$status" "$detail"
	done < <(grep '^VA-RESULT ' "$1")
}

finish() {
	if [ "$skip" = 0 ]; then
		echo "$pass passed, $fail failed"
	else
		echo "$pass passed, $fail failed, $skip skipped"
	fi
	[ "$fail" = 0 ]
	exit
}

# 1. dependencies and the test kernel
if ! bash scripts/deps.sh > "$out/deps.log" 2>&1; then
	record deps FAIL "see out/deps.log"
	finish
fi
record deps PASS
if ! K=$(scripts/build-kernel.sh 2> "$out/kernel.log"); then
	record test_kernel FAIL "see out/kernel.log"
	finish
fi
record test_kernel PASS "$K"

# 2. builds: each in its own copy of the tree under out/, so they never mix
latest() { find /usr/src -maxdepth 1 -name "$1" | sort -V | tail -n 1; }
build() {	# NAME KDIR
	local dir=$out/build-$1 log=$out/build-$1.log warn
	if [ ! -d "$2" ]; then
		record "build_$1" FAIL "no kernel build directory '$2'"
		return
	fi
	mkdir -p "$dir"
	rsync -a -m --delete --exclude=/out --exclude=.git --exclude=bench \
		--exclude=fuzz --include='*/' --include='*.[ch]' \
		--include=Kbuild --exclude='*' "$top/" "$dir/"
	if ! make -C "$2" M="$dir" W=1 C=2 modules > "$log" 2>&1; then
		record "build_$1" FAIL "make failed, see out/build-$1.log"
		return
	fi
	# Anything the compiler or sparse says about our files is a failure.
	warn=$(grep -E "^$dir/.*: (warning|error|note)|: sparse: " "$log" | head -n 5)
	if [ -n "$warn" ]; then
		record "build_$1" FAIL "$(echo "$warn" | head -n 1 | sed "s|$dir/||")"
	else
		record "build_$1" PASS "W=1 C=2, $(basename "$2")"
	fi
}
build testkernel "$K/build"
build deb6.1 "$(latest 'linux-headers-6.1.*-amd64')"
build deb6.12 "$(latest 'linux-headers-6.12.*-amd64')"

mapfile -t csrc < <(git ls-files '*.c' '*.h')
cp_out=$(perl "$K/src/scripts/checkpatch.pl" --no-tree --strict --terse \
	--show-types -f "${csrc[@]}" 2>&1 | grep -E 'ERROR|WARNING|CHECK')
if [ -z "$cp_out" ]; then
	record checkpatch_strict PASS "${#csrc[@]} files"
else
	echo "$cp_out" | head -n 20
	record checkpatch_strict FAIL "$(echo "$cp_out" | wc -l) reports"
fi

kd_out=$(perl "$K/src/scripts/kernel-doc" -none -Wall "${csrc[@]}" 2>&1)
if [ -z "$kd_out" ]; then
	record kernel_doc PASS "kernel-doc -Wall, ${#csrc[@]} files"
else
	echo "$kd_out" | head -n 10
	record kernel_doc FAIL "$(echo "$kd_out" | wc -l) warnings"
fi

ko=$out/build-testkernel/virtio_alt.ko
kunit_ko=$out/build-testkernel/kunit/virtio_alt_kunit.ko
undoc=$(modinfo -F parm "$ko" 2>/dev/null | awk -F: '$2 == "" || $2 ~ /^ *\(/ { print $1 }')
if [ -f "$ko" ] && [ -z "$undoc" ]; then
	record modinfo_params_documented PASS "$(modinfo -F parm "$ko" | cut -d: -f1 | tr '\n' ' ')"
else
	record modinfo_params_documented FAIL "undocumented: ${undoc:-no module}"
fi

if [ ! -f "$ko" ] || [ ! -f "$kunit_ko" ]; then
	record guest_tests FAIL "test-kernel build failed; no guest test ran"
	finish
fi

# 3. KUnit
vm() {	# SCENARIO [vm-run options]
	local s=$1
	shift
	bash scripts/vm-run.sh --kernel "$K/bzImage" --mods "$K/mods" \
		--ko "$ko" --ko "$kunit_ko" --guest "tests/$s.sh" \
		--log "$out/$s.log" --results "$out/$s.results" "$@" \
		> "$out/$s.out" 2>&1
	record_results "$out/$s.results"
}
vm kunit --timeout 600
if scripts/ktap.sh --src "$K/src" --json "$out/kunit.json" "$out/kunit.log" \
	> "$out/kunit.parse" 2>&1; then
	record kunit_py_parse PASS "$(grep -E 'Testing complete' "$out/kunit.parse" | sed 's/.*Testing complete. //')"
else
	grep -E 'FAILED|CRASHED|Testing complete' "$out/kunit.parse" | head -n 20
	record kunit_py_parse FAIL "see out/kunit.parse"
fi
# Every KUnit case counts as a test; one summary line per suite, and the
# name of each case that did not pass.
if [ -s "$out/kunit.json" ]; then
	python3 scripts/kunit-results.py "$out/kunit.json" > "$out/kunit.cases"
	while read -r name status; do
		case $status in
		PASS) pass=$((pass + 1)) ;;
		SKIP) skip=$((skip + 1)) ;;
		*) fail=$((fail + 1)); echo "FAIL $name" ;;
		esac
	done < "$out/kunit.cases"
	awk '{ split($1, p, "."); n[p[2]]++; c[p[2] " " $2]++ }
	     END { for (s in n) printf "KUNIT %s: %d cases, %d passed, %d failed, %d skipped\n",
		   s, n[s], c[s " PASS"], c[s " FAIL"], c[s " SKIP"] }' \
		"$out/kunit.cases" | sort
	# A skipped case must say why: show the reasons the log gives.
	grep -ho '# SKIP [^ ].*' "$out/kunit.log" | sort | uniq -c | sed 's/^ */SKIP reason: /'
fi

# 4. integration
vm pci_balloon --timeout 600 --host tests/host/pci_balloon.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
# The same on the packed layout, and both without event suppression,
# indirect descriptors and queue reset (QEMU 7.2 device properties).
vm pci_balloon_packed --timeout 600 --host tests/host/pci_balloon_packed.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,packed=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
vm pci_balloon_noevidx --timeout 600 --host tests/host/pci_balloon_noevidx.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,event_idx=off,indirect_desc=off,queue_reset=off" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
vm pci_balloon_packed_noevidx --timeout 600 \
	--host tests/host/pci_balloon_packed_noevidx.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,packed=on,event_idx=off,indirect_desc=off,queue_reset=off" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
# Device configuration through the PCI_CFG access window (pci_cfg_window=1).
vm pci_balloon_window --timeout 600 --host tests/host/pci_balloon_window.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
# VIRTIO_F_RING_RESET: one queue reset and resized while the device runs,
# on both layouts and on the in-tree ring over our transport.
for v in '' _packed _intree; do
	opt=
	[ "$v" = _packed ] && opt=,packed=on
	vm "pci_queue_reset$v" --timeout 600 \
		--host "tests/host/pci_queue_reset$v.sh" \
		--qemu-arg "-device virtio-balloon-pci,disable-legacy=on$opt" \
		--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
done
# Interrupt policies: each pci_irq= mode with the in-tree virtio_net and
# virtio_rng over our transport, config changes from QMP set_link.
vm pci_irq --timeout 600 --host tests/host/pci_irq.sh \
	--qemu-arg "-netdev hubport,id=h0,hubid=0" \
	--qemu-arg "-device virtio-net-pci,netdev=h0,id=net0,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"
# Teardown: a suspend cycle (freeze/restore) and rmmod during an inflate.
vm pci_pm --timeout 600 --host tests/host/pci_pm.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on,page-per-vq=on"
# Free page hinting (issue 6): a migration to "exec:cat > /dev/null" makes
# QEMU ask for hints and say DONE; QEMU 7.2 wants an iothread for
# free-page-hint. page_poison=1 adds PAGE_POISON with a poison value.
vm pci_balloon_hint --timeout 1500 --host tests/host/pci_balloon_hint.sh \
	--append page_poison=1 \
	--qemu-arg "-object iothread,id=io0" \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,free-page-hint=on,iothread=io0"
# The legacy interface: a legacy-only balloon, a transitional rng.
vm pci_legacy --timeout 600 --host tests/host/pci_legacy.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-modern=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=off,disable-modern=off"
# The matrix of issue 5: {modern, legacy} x pci_irq={msix-per-vq,
# msix-shared, intx} x {balloon on the alt ring, in-tree virtio_rng,
# virtio_blk, virtio_net}; one guest per interface, one cell per mode.
for i in modern legacy; do
	p=disable-legacy=on
	[ $i = legacy ] && p=disable-modern=on
	rm -f "$out/pci-matrix-$i.img"
	truncate -s 8M "$out/pci-matrix-$i.img"
	vm "pci_matrix_$i" --timeout 900 --host tests/host/pci_matrix.sh \
		--guest-lib tests/lib/pci_matrix.sh \
		--qemu-arg "-netdev hubport,id=h0,hubid=0" \
		--qemu-arg "-device virtio-net-pci,netdev=h0,id=net0,$p" \
		--qemu-arg "-drive if=none,id=d0,file=$out/pci-matrix-$i.img,format=raw" \
		--qemu-arg "-device virtio-blk-pci,drive=d0,$p" \
		--qemu-arg "-device virtio-rng-pci,$p" \
		--qemu-arg "-device virtio-balloon-pci,$p"
done
vm pci_bind --timeout 300 --guest-lib scripts/va-bind \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"

# MMIO on microvm (ACPI: LNRO0005 devices): the balloon on version 2 and
# on legacy version 1, with the in-tree virtio_rng and virtio_blk beside it.
truncate -s 8M "$out/mmio-disk.img"
mmio_devs=(--qemu-arg "-device virtio-balloon-device"
	--qemu-arg "-device virtio-rng-device"
	--qemu-arg "-drive file=$out/mmio-disk.img,if=none,id=disk0,format=raw"
	--qemu-arg "-device virtio-blk-device,drive=disk0")
vm mmio_balloon --machine microvm --timeout 600 \
	--host tests/host/mmio_balloon.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=off" "${mmio_devs[@]}"
vm mmio_balloon_legacy --machine microvm --timeout 600 \
	--host tests/host/mmio_balloon_legacy.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=on" "${mmio_devs[@]}"
# Free page hinting on MMIO version 2, as pci_balloon_hint without poisoning.
vm mmio_balloon_hint --machine microvm --timeout 1500 \
	--host tests/host/mmio_balloon_hint.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-object iothread,id=io0" \
	--qemu-arg "-device virtio-balloon-device,free-page-hint=on,iothread=io0"
# Seed 004: legacy queues with QueueAlign 4, 64, 4096, event_idx on and off.
vm mmio_seed004 --machine microvm --timeout 600 \
	--host tests/host/mmio_seed004.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=on" \
	--qemu-arg "-device virtio-balloon-device"
vm mmio_seed004_noevidx --machine microvm --timeout 600 \
	--host tests/host/mmio_seed004_noevidx.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=on" \
	--qemu-arg "-device virtio-balloon-device,event_idx=off"
# devices= and mmio_align=, without ACPI: QEMU then lists its devices on
# the kernel command line.
vm mmio_devices --machine microvm --timeout 300 --qemu-arg "-M acpi=off" \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device" \
	--qemu-arg "-device virtio-rng-device"
vm mmio_bind --machine microvm --timeout 300 --guest-lib scripts/va-bind \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device"
# QEMU 7.2 offers VIRTIO_F_RING_RESET on virtio-mmio without QueueReset:
# not accepted, queue_reset refused, the queue keeps working.
vm mmio_queue_reset --machine microvm --timeout 300 \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device,queue_reset=on"

# The main job, as a newcomer runs it.
if bash scripts/demo.sh > "$out/demo.txt" 2>&1; then
	record make_demo PASS "$(grep -m1 '^SUMMARY' "$out/demo.txt")"
else
	tail -n 5 "$out/demo.txt"
	record make_demo FAIL "see out/demo.txt"
fi

finish
