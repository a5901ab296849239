#!/usr/bin/env bash
# make demo: the main job. Boots a q35 guest with a virtio-balloon-pci and a
# virtio-rng-pci, loads virtio_alt.ko, inflates and deflates the balloon from
# the host over QMP, and shows what the guest saw and the debugfs counters.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$top/out
mkdir -p "$out/build-demo"

bash scripts/deps.sh
K=$(scripts/build-kernel.sh)
rsync -a -m --delete --exclude=/out --exclude=.git --include='*/' \
	--include='*.[ch]' --include=Kbuild --exclude='*' ./ "$out/build-demo/"
make -s -C "$K/build" M="$out/build-demo" modules

echo "demo: booting the guest (QEMU under TCG, about 40 s)"
rc=0
bash scripts/vm-run.sh --kernel "$K/bzImage" --mods "$K/mods" \
	--ko "$out/build-demo/virtio_alt.ko" --guest tests/demo.sh \
	--host tests/host/demo.sh --timeout 600 \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-device virtio-rng-pci,disable-legacy=on" \
	--log "$out/demo.log" --results "$out/demo.results" \
	> "$out/demo.out" 2>&1 || rc=$?
sed -n 's/^\[ *[0-9.]*\] DEMO //p' "$out/demo.log"
sed -n 's/^VA-RESULT \(demo_qmp_[a-z]*\) \(PASS\|FAIL\) /host: \1 \2: /p' \
	"$out/demo.results"
if [ "$rc" = 0 ] && grep -q 'DEMO SUMMARY balloon inflated' "$out/demo.log"; then
	echo "demo: OK (serial log in out/demo.log)"
else
	echo "demo: FAILED (see out/demo.out and out/demo.log)"
	exit 1
fi
