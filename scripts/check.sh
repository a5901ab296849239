#!/usr/bin/env bash
# make check: every test, fast to real. Prints one line per test and ends
# with "N passed, N failed"; exits non-zero if anything failed.
#
#   1. dependencies (apt, idempotent) and the cached test kernel
#   2. builds with W=1 and sparse (C=2) against the test kernel and Debian's
#      stock 6.1 and 6.12 headers; checkpatch --strict; modinfo
#   3. KUnit in a guest, parsed by the kernel's kunit.py
#   4. integration scenarios in QEMU guests with real virtio devices
#   5. Debian's stock 6.1 and 6.12 kernels in QEMU guests (bind helper,
#      balloon)
#   6. arm64: device tree discovery on QEMU's aarch64 virt machine (cross
#      build, balloon on the DT's virtio-mmio), then make demo
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
build() {	# NAME KDIR [MAKE ARGUMENTS]
	local name=$1 kdir=$2 dir=$out/build-$1 log=$out/build-$1.log warn
	shift 2
	if [ ! -d "$kdir" ]; then
		record "build_$name" FAIL "no kernel build directory '$kdir'"
		return
	fi
	# Kbuild does not notice a different KDIR with the same source tree
	# (a new test-kernel configuration): objects built against another
	# kernel would be linked in. Start over when KDIR changes.
	if [ "$(cat "$dir/.kdir" 2>/dev/null)" != "$kdir" ]; then
		rm -rf "$dir"
	fi
	mkdir -p "$dir"
	echo "$kdir" > "$dir/.kdir"
	rsync -a -m --delete --exclude=/out --exclude=.git --exclude=bench \
		--exclude=fuzz --include='*/' --include='*.[ch]' \
		--include=Kbuild --exclude='*' "$top/" "$dir/"
	if ! make -C "$kdir" M="$dir" W=1 C=2 "$@" modules > "$log" 2>&1; then
		record "build_$name" FAIL "make failed, see out/build-$name.log"
		return
	fi
	# Anything the compiler or sparse says about our files is a failure.
	warn=$(grep -E "^$dir/.*: (warning|error|note)|: sparse: " "$log" | head -n 5)
	if [ -n "$warn" ]; then
		record "build_$name" FAIL "$(echo "$warn" | head -n 1 | sed "s|$dir/||")"
	else
		record "build_$name" PASS "W=1 C=2${*:+ $*}, $(basename "$kdir")"
	fi
}
build testkernel "$K/build"
hdr61=$(latest 'linux-headers-6.1.*-amd64')
hdr612=$(latest 'linux-headers-6.12.*-amd64')
build deb6.1 "$hdr61"
build deb6.12 "$hdr612"

# Packaging. make install: modules_install of the stock 6.12 build into a
# staging root (nothing lands in the system's /lib/modules).
rel612=$(basename "$hdr612")
rel612=${rel612#linux-headers-}
stage=$out/stage
rm -rf "$stage"
if make -C "$out/build-deb6.12" -f "$top/Makefile" install KDIR="$hdr612" \
	INSTALL_MOD_PATH="$stage" > "$out/install.log" 2>&1 &&
   inst=$(find "$stage/lib/modules/$rel612/updates/virtio-alt" -name 'virtio_alt.ko*' 2>/dev/null) &&
   [ -n "$inst" ] && modinfo -F name "$inst" 2>/dev/null | grep -qx virtio_alt; then
	record make_install PASS "${inst#"$stage"/}"
else
	record make_install FAIL "see out/install.log"
fi
# DKMS (dkms.conf): add, build and install for the stock 6.1 and 6.12
# kernels, remove, all in a private tree under out/dkms (--sourcetree, --dkmstree,
# --installtree); dkms signs with a key it makes there, not in /var/lib/dkms.
dkv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
dk=$out/dkms
rm -rf "$dk"
mkdir -p "$dk/src/virtio-alt-$dkv" "$dk/tree" "$dk/install"
rsync -a -m --exclude=/out --exclude=.git --exclude=bench --exclude=fuzz \
	--exclude='*.mod.c' --include='*/' --include='*.[ch]' --include=Kbuild --include=dkms.conf \
	--exclude='*' "$top/" "$dk/src/virtio-alt-$dkv/"
dkms_run() {
	mok_signing_key=$dk/mok.key mok_certificate=$dk/mok.pub \
		dkms "$@" -m virtio-alt -v "$dkv" --sourcetree "$dk/src" \
		--dkmstree "$dk/tree" --installtree "$dk/install"
}
if ! command -v dkms > /dev/null; then
	record dkms_add FAIL "no dkms (scripts/deps.sh installs it)"
elif dkms_run add > "$out/dkms.log" 2>&1; then
	record dkms_add PASS "virtio-alt/$dkv"
	for h in "$hdr61" "$hdr612"; do
		rel=$(basename "$h")
		rel=${rel#linux-headers-}
		case $rel in 6.1.*) b=deb6.1 ;; *) b=deb6.12 ;; esac
		if dkms_run build -k "$rel" >> "$out/dkms.log" 2>&1 &&
		   ko=$(find "$dk/tree/virtio-alt/$dkv/$rel" -name 'virtio_alt.ko*' | head -n 1) &&
		   [ -n "$ko" ]; then
			record "dkms_build_$b" PASS "$rel: ${ko#"$dk"/}"
		else
			record "dkms_build_$b" FAIL "$rel: see out/dkms.log"
			continue
		fi
		# install into the private tree; --no-depmod: the system's
		# /lib/modules/<release> is left alone
		mkdir -p "$dk/install/$rel"
		if dkms_run install --no-depmod -k "$rel" >> "$out/dkms.log" 2>&1 &&
		   ko=$(find "$dk/install/$rel/updates/dkms" -name 'virtio_alt.ko*' 2>/dev/null) &&
		   [ -n "$ko" ]; then
			record "dkms_install_$b" PASS "${ko#"$dk"/}"
		else
			record "dkms_install_$b" FAIL "$rel: see out/dkms.log"
		fi
	done
	if dkms_run remove --all >> "$out/dkms.log" 2>&1; then
		record dkms_remove PASS
	else
		record dkms_remove FAIL "see out/dkms.log"
	fi
else
	record dkms_add FAIL "see out/dkms.log"
fi

mapfile -t csrc < <(git ls-files '*.c' '*.h')
# bench/shim/ stands in for kernel headers in userspace, in their idiom
# (volatile in WRITE_ONCE(), stubs that drop their arguments), which
# checkpatch rejects by design; kernel-doc still reads it.
# fuzz/ must name its entry point LLVMFuzzerTestOneInput, in CamelCase.
mapfile -t cpsrc < <(git ls-files '*.c' '*.h' ':!bench/shim/' ':!fuzz/')
mapfile -t cpfuzz < <(git ls-files 'fuzz/*.c' 'fuzz/*.h')
cp_out=$( {
	perl "$K/src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "${cpsrc[@]}"
	perl "$K/src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --ignore CAMELCASE -f "${cpfuzz[@]}"
} 2>&1 | grep -E 'ERROR|WARNING|CHECK')
if [ -z "$cp_out" ]; then
	record checkpatch_strict PASS "$((${#cpsrc[@]} + ${#cpfuzz[@]})) files"
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

# The userspace benchmark's quick mode: both rings built from source against
# tools/virtio, driven by one device model; every buffer back with its token
# and length, kicks and interrupts as event suppression asks, callgrind
# counts that repeat exactly. No timing is judged.
if make -C bench quick > "$out/bench-quick.log" 2>&1; then
	record bench_quick PASS "$(grep -c '^ok ' "$out/bench-quick.log") assertions, see out/bench/quick/table.md"
else
	grep '^FAIL' "$out/bench-quick.log" | head -n 5
	record bench_quick FAIL "see out/bench-quick.log"
fi

# The ring fuzzers' short run: each target 60 s from a copy of the seed
# corpus (fuzz/corpus/), ASan and UBSan on; any finding fails.
if make -C fuzz check > "$out/fuzz-check.log" 2>&1; then
	fuzz_ok=true
else
	fuzz_ok=false
fi
for t in split packed; do
	line=$(grep "^ok fuzz_$t " "$out/fuzz-check.log")
	if $fuzz_ok || [ -n "$line" ]; then
		[ -n "$line" ] || line="ok fuzz_$t ? execs, see out/fuzz-check.log"
		record "fuzz_$t" PASS "${line#ok fuzz_$t }"
	else
		grep -m 3 -E 'invariant|ERROR|SUMMARY' "$out/fuzz-check.log"
		record "fuzz_$t" FAIL "see out/fuzz-check.log, out/fuzz/check/"
	fi
done

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
# Guests boot vm_kernel with the modules root vm_mods and vm_kos added.
vm_kernel=$K/bzImage vm_mods=$K/mods vm_kos=(--ko "$ko" --ko "$kunit_ko")
vm() {	# SCENARIO [vm-run options]
	local s=$1
	shift
	bash scripts/vm-run.sh --kernel "$vm_kernel" --mods "$vm_mods" \
		"${vm_kos[@]}" --guest "tests/$s.sh" \
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
# Device faults (issue 9): the balloon target changed 1000 times over one
# QMP connection, then a final one reached exactly (MemTotal, pages,
# query-balloon, counters); inflate queue resets requested during a 512 MiB
# inflate, the accounting exact afterwards; a statistics queue reset with
# the buffer QEMU holds in flight.
vm pci_balloon_storm --timeout 1200 --host tests/host/pci_balloon_storm.sh \
	--qemu-arg "-device virtio-balloon-pci,id=bal0,disable-legacy=on"
# Module life (issue 9): 50 cycles of modprobe, bind, inflate to a 64 MiB
# balloon, rmmod, every other one racing the probe's inflate; MemTotal
# exact after each, balloon, MemTotal and query-balloon agreeing at the end.
vm pci_module_cycles --timeout 1200 --host tests/host/pci_module_cycles.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"
# Fault injection (issue 9): each allocation of the bind path (transport
# probe, find_vqs, the balloon's probe) fails in turn through
# /proc/self/fail-nth (failslab, fail_page_alloc); every run ends clean,
# the balloon works afterwards, kmemleak finds nothing.
vm pci_fault_inject --timeout 1500 --host tests/host/demo.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"
# Fault injection in the balloon's worker (issue 9): fail_page_alloc and
# failslab restricted to calls from this module's text (stack filter):
# every allocation failing holds the balloon at 0 pages, 20 injected
# failures count exactly 20 in alloc_failed, a deflate does not notice;
# each inflate ends exact once the failures stop; a queue reset needing
# new memory fails cleanly and the queue keeps working.
vm pci_fault_worker --timeout 900 --host tests/host/pci_fault_worker.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,queue_reset=on"
# Hot-unplug (issue 9): device_del of the balloon behind a PCIe root port
# in the middle of a 1 GiB inflate; every page back, nothing left behind.
vm pci_hotunplug --timeout 900 --host tests/host/pci_hotunplug.sh \
	--qemu-arg "-device pcie-root-port,id=rp1,chassis=1,slot=1" \
	--qemu-arg "-device virtio-balloon-pci,id=bal0,bus=rp1,disable-legacy=on"
# Device reset (issue 9): the debugfs action reset (freeze, reset,
# restore) refuses bad writes, resets the in-tree rng idle and the balloon
# five times during a 1 GiB inflate, which still ends exact.
vm pci_device_reset --timeout 900 --host tests/host/pci_device_reset.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
# Balloon throughput (issue 8): a turn of 1 GiB in and out with this
# module's driver, then one with the in-tree virtio_balloon, on the same
# device; per page no more notifications either way than the in-tree
# driver (QEMU's trace), MemTotal exact after each turn. Times are
# reported, never judged (make bench runs five turns each).
rm -f "$out/pci_balloon_speed.trace" "$out/pci_balloon_speed.txt"
VA_SPEED_TURNS=1 VA_SPEED_TRACE=$out/pci_balloon_speed.trace \
VA_SPEED_OUT=$out/pci_balloon_speed.txt \
vm pci_balloon_speed --timeout 900 --host tests/host/pci_balloon_speed.sh \
	--guest-lib scripts/va-bind \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-D $out/pci_balloon_speed.trace -trace virtio_queue_notify -trace virtio_notify"
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
# virtio_net is on QEMU's user network: 16 MiB each way in every cell, in
# through a hostfwd from a free loopback port (host.py hostfwd finds it)
# to guest port 5555, out to a listener the guest reaches at 10.0.2.2
# (va_net_traffic, net_traffic). About 150 s a guest on an idle machine;
# each transfer may take 900 s, so the bound is for a loaded one.
for i in modern legacy; do
	p=disable-legacy=on
	[ $i = legacy ] && p=disable-modern=on
	rm -f "$out/pci-matrix-$i.img"
	truncate -s 8M "$out/pci-matrix-$i.img"
	vm "pci_matrix_$i" --timeout 3000 --host tests/host/pci_matrix.sh \
		--guest-lib tests/lib/pci_matrix.sh \
		--qemu-arg "-netdev user,id=u0,ipv6=off,hostfwd=tcp:127.0.0.1:0-:5555" \
		--qemu-arg "-device virtio-net-pci,netdev=u0,id=net0,$p" \
		--qemu-arg "-drive if=none,id=d0,file=$out/pci-matrix-$i.img,format=raw" \
		--qemu-arg "-device virtio-blk-pci,drive=d0,$p" \
		--qemu-arg "-device virtio-rng-pci,$p" \
		--qemu-arg "-device virtio-balloon-pci,$p"
done
vm pci_bind --timeout 300 --guest-lib scripts/va-bind \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"
# scripts/virtio-alt-stat in the guest: its errors, --once against the
# counters, rates during a 512 MiB inflate, --json parsed on both sides.
vm pci_stat --timeout 600 --host tests/host/pci_stat.sh \
	--guest-lib scripts/virtio-alt-stat \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"

# Every debugfs file of the balloon (alt ring) and of an in-tree rng queue
# against a known state, split and packed; vq<N>/layout and the inflate
# queue's ring indexes compared with QEMU's (x-query-virtio-queue-status).
vm pci_debugfs --timeout 600 --host tests/host/pci_debugfs.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"
vm pci_debugfs_packed --timeout 600 --host tests/host/pci_debugfs_packed.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,packed=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on"

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
# Bad values for every module parameter, at load and at run time (issue 9).
vm params --timeout 300 --qemu-arg "-device virtio-balloon-pci,disable-legacy=on"
vm mmio_devices --machine microvm --timeout 300 --qemu-arg "-M acpi=off" \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device" \
	--qemu-arg "-device virtio-rng-device"
vm mmio_bind --machine microvm --timeout 300 --guest-lib scripts/va-bind \
	--host tests/host/mmio_bind.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device"
# QEMU 7.2 offers VIRTIO_F_RING_RESET on virtio-mmio without QueueReset:
# not accepted, queue_reset refused, the queue keeps working.
vm mmio_queue_reset --machine microvm --timeout 300 \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device,queue_reset=on"

# The balloon's features on both transports: statistics polled over QOM,
# deflate on OOM, page poisoning (page_poison=1), a target of all memory.
vm pci_balloon_features --timeout 900 --mem 768 --append page_poison=1 \
	--host tests/host/pci_balloon_features.sh \
	--qemu-arg "-device virtio-balloon-pci,id=bal0,disable-legacy=on,deflate-on-oom=on"
vm mmio_balloon_features --machine microvm --timeout 900 \
	--mem 768 --append page_poison=1 \
	--host tests/host/mmio_balloon_features.sh \
	--qemu-arg "-device virtio-balloon-device,id=bal0,deflate-on-oom=on"

# Free page reporting (VIRTIO_BALLOON_F_REPORTING) on PCI and MMIO; the
# numbering seed scenario (seeds/000, 001: free_page_hint declined, QEMU's
# iothread-backed hint queue at 3); and a report QEMU keeps
# (reporting put on its statistics queue), taken back by a queue reset (PCI)
# or a device reset (MMIO). Host sides watch QEMU's resident memory.
vm pci_balloon_report --timeout 600 --host tests/host/pci_balloon_report.sh \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,free-page-reporting=on"
vm mmio_balloon_report --machine microvm --timeout 600 \
	--host tests/host/mmio_balloon_report.sh \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device,free-page-reporting=on"
# The seed scenario under both rules, on PCI and MMIO. Under the negotiated
# rule reporting would reach QEMU's free page hint queue (whose iothread
# notifies without the BQL: QEMU 7.2 under TCG aborts now and then);
# balloon_conflict=decline (default) declines it at probe. README gives the
# command for balloon_conflict=use.
seed_dev="free-page-hint=on,free-page-reporting=on,iothread=io0"
for rule in offered negotiated; do
	vm pci_balloon_report_seed_$rule --timeout 600 \
		--host tests/host/pci_balloon_report_seed_$rule.sh \
		--qemu-arg "-object iothread,id=io0" \
		--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,$seed_dev"
	vm mmio_balloon_report_seed_$rule --machine microvm --timeout 600 \
		--host tests/host/mmio_balloon_report_seed_$rule.sh \
		--qemu-arg "-global virtio-mmio.force-legacy=off" \
		--qemu-arg "-object iothread,id=io0" \
		--qemu-arg "-device virtio-balloon-device,$seed_dev"
done
vm pci_balloon_report_stuck --timeout 600 \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,free-page-reporting=on"
vm mmio_balloon_report_stuck --machine microvm --timeout 600 \
	--qemu-arg "-global virtio-mmio.force-legacy=off" \
	--qemu-arg "-device virtio-balloon-device,free-page-reporting=on"

# 5. Debian's stock kernels: the image of the headers' exact version,
# unpacked (scripts/stock-kernel.sh, cached), with the module built against
# those headers above. A balloon (split and packed) moves from the in-tree
# virtio-pci (built in on 6.12, a module on 6.1) to virtio-alt-pci and back;
# then the stock virtio_balloon drives it. On microvm, a balloon moves from
# the in-tree virtio-mmio (a module) to virtio-alt-mmio and back.
for h in "$hdr61" "$hdr612"; do
	rel=$(basename "$h")
	rel=${rel#linux-headers-}
	case $rel in 6.1.*) v=61 b=deb6.1 ;; *) v=612 b=deb6.12 ;; esac
	if ! sk=$(bash scripts/stock-kernel.sh "$rel" 2> "$out/stock$v.fetch.log"); then
		record "stock${v}_kernel" FAIL "linux-image-$rel: see out/stock$v.fetch.log"
		continue
	fi
	vm_kernel=$sk/vmlinuz vm_mods=$sk/mods
	vm_kos=(--ko "$out/build-$b/virtio_alt.ko")
	vm "stock${v}_bind" --timeout 600 --host "tests/host/stock${v}_bind.sh" \
		--guest-lib scripts/va-bind \
		--qemu-arg "-device virtio-balloon-pci,disable-legacy=on"
	vm "stock${v}_bind_packed" --timeout 600 \
		--host "tests/host/stock${v}_bind_packed.sh" \
		--guest-lib scripts/va-bind \
		--qemu-arg "-device virtio-balloon-pci,disable-legacy=on,packed=on"
	vm "stock${v}_mmio_bind" --machine microvm --timeout 300 \
		--host "tests/host/stock${v}_mmio_bind.sh" \
		--guest-lib scripts/va-bind \
		--qemu-arg "-global virtio-mmio.force-legacy=off" \
		--qemu-arg "-device virtio-balloon-device"
done

# 6. arm64: device tree discovery. QEMU's aarch64 `virt` machine describes
# 32 virtio-mmio transports in its device tree ("virtio,mmio"); the arm64
# test kernel (cross-built, cached; about 10 minutes the first time) has no
# in-tree virtio-mmio, so virtio-alt-mmio binds the balloon's node and must
# decline the 31 empty ones quietly. Legacy (version 1) is QEMU 7.2's
# default on `virt`.
if ! KA=$(scripts/build-kernel.sh --arch arm64 2> "$out/kernel-arm64.log"); then
	record test_kernel_arm64 FAIL "see out/kernel-arm64.log"
else
	record test_kernel_arm64 PASS "$KA"
	build arm64 "$KA/build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	if [ -f "$out/build-arm64/virtio_alt.ko" ]; then
		vm_kernel=$KA/Image vm_mods=$KA/mods
		vm_kos=(--ko "$out/build-arm64/virtio_alt.ko")
		for i in legacy modern; do
			g=()
			[ $i = modern ] && g=(--qemu-arg "-global virtio-mmio.force-legacy=off")
			vm "dt_balloon_$i" --arch arm64 --mem 1024 --timeout 900 \
				--host "tests/host/dt_balloon_$i.sh" "${g[@]}" \
				--qemu-arg "-device virtio-balloon-device"
		done
	fi
fi
# Later guests boot the test kernel again.
vm_kernel=$K/bzImage vm_mods=$K/mods vm_kos=(--ko "$ko" --ko "$kunit_ko")

# The main job, as a newcomer runs it.
if bash scripts/demo.sh > "$out/demo.txt" 2>&1; then
	record make_demo PASS "$(grep -m1 '^SUMMARY' "$out/demo.txt")"
else
	tail -n 5 "$out/demo.txt"
	record make_demo FAIL "see out/demo.txt"
fi

finish
