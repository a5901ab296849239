#!/usr/bin/env bash
# make bench: every benchmark in one run, written to BENCHMARKS.md.
#   1. bench/: this ring against the in-tree ring in userspace (callgrind
#      instruction counts, two-thread timings, the ringtest floor);
#   2. the balloon in a q35 guest: this module's driver against the in-tree
#      virtio_balloon on the same QEMU device, interleaved turns of 1 GiB
#      in and out (tests/pci_balloon_speed.sh), $VA_SPEED_TURNS each
#      (default 5).
# Takes about 20 minutes on two cores; nothing else should run meanwhile.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$top/out
mkdir -p "$out/build-bench"
t0=$(date +%s)

bash scripts/deps.sh
K=$(scripts/build-kernel.sh)
make -C bench

rsync -a -m --delete --exclude=/out --exclude=.git --include='*/' \
	--include='*.[ch]' --include=Kbuild --exclude='*' ./ "$out/build-bench/"
make -s -C "$K/build" M="$out/build-bench" modules
turns=${VA_SPEED_TURNS:-5}
rm -f "$out/bench-speed.trace" "$out/bench-speed.txt"
VA_SPEED_TURNS=$turns VA_SPEED_TRACE=$out/bench-speed.trace \
VA_SPEED_OUT=$out/bench-speed.txt \
	bash scripts/vm-run.sh --kernel "$K/bzImage" --mods "$K/mods" \
	--ko "$out/build-bench/virtio_alt.ko" --guest tests/pci_balloon_speed.sh \
	--host tests/host/pci_balloon_speed.sh --guest-lib scripts/va-bind \
	--timeout $((600 + 120 * turns)) \
	--qemu-arg "-device virtio-balloon-pci,disable-legacy=on" \
	--qemu-arg "-D $out/bench-speed.trace -trace virtio_queue_notify -trace virtio_notify" \
	--log "$out/bench-speed.log" --results "$out/bench-speed.results" \
	> "$out/bench-speed.out" 2>&1 || {
	echo "bench: the balloon guest failed, see out/bench-speed.out" >&2
	exit 1
}

{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` ($(date -u '+%Y-%m-%d %H:%M UTC'), commit" \
		"$(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(($(date +%s) - t0)) s)."
	echo "Machine: $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), no KVM;"
	echo "the guest runs under QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG;"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end."
	echo
	echo "## The ring in userspace (\`make -C bench\`)"
	echo
	echo "Both rings built from source with the same flags against the kernel"
	echo "source's tools/virtio shims, driven against one device model (bench/)."
	echo
	cat out/bench/table.md
	echo
	echo "## The balloon in a guest (tests/pci_balloon_speed.sh)"
	echo
	echo "A q35 guest with 2 GiB on the test kernel, QEMU's virtio-balloon-pci"
	echo "(modern); turns alternate between this module's driver and the in-tree"
	echo "virtio_pci + virtio_balloon, $turns each; each turn takes 1 GiB (262144"
	echo "pages of 4 KiB) and gives it back. Time: from the QMP \`balloon\` command"
	echo "until \`query-balloon\` reports the target (polled every 20 ms); medians."
	echo "Notifications per 1000 pages from QEMU's trace (virtio_queue_notify,"
	echo "virtio_notify). Ratio: this module's time over the in-tree one's."
	echo
	echo "| direction | driver | seconds | pages/s | kicks/1000 pages | irqs/1000 pages | ratio |"
	echo "|---|---|--:|--:|--:|--:|--:|"
	awk '{ printf "| %s | virtio-alt | %s | %s | %s | %s | %s |\n", $1, $3, $5, $8, $10, $NF
	       printf "| %s | in-tree | %s | %s | %s | %s | |\n", $1, $12, $14, $17, $19 }' \
		"$out/bench-speed.txt"
} > BENCHMARKS.md
echo "bench: wrote BENCHMARKS.md"
