#!/usr/bin/env bash
# Install what the project needs on a Debian 12 machine (run as root).
# Idempotent and quiet when everything is already there: `apt-get update` and
# `apt-get install` run only when a package is missing.
set -euo pipefail

pkgs=(
	# test kernel and module builds
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod
	linux-source-6.12 linux-headers-amd64 linux-headers-6.12-amd64 sparse
	# VM runner (scripts/vm-run.sh, tests/lib/host.py)
	qemu-system-x86 busybox-static python3 coreutils rsync perl
	# packaging check (dkms.conf): dkms alone, no recommends, no prompts
	dkms
	# userspace benchmark (bench/): callgrind instruction counts
	valgrind
	# fuzzers (fuzz/): clang; libclang-rt-14-dev holds libFuzzer and the
	# ASan/UBSan runtimes (-fsanitize=fuzzer,address,undefined)
	clang libclang-rt-14-dev
	# arm64 guests on QEMU's `virt` machine (device tree discovery):
	# qemu-system-aarch64 and the cross compiler for the arm64 test kernel
	qemu-system-arm gcc-aarch64-linux-gnu
)

# One dpkg-query for all; a package it does not know is simply not listed.
# (dpkg-query exits 1 for a package never seen: not an error here.)
installed=" $({ dpkg-query -W -f='${db:Status-Status}:${Package} ' "${pkgs[@]}" \
	2>/dev/null || true; } | tr ' ' '\n' | sed -n 's/^installed://p' | tr '\n' ' ')"
missing=()
for p in "${pkgs[@]}"; do
	[[ $installed == *" $p "* ]] || missing+=("$p")
done

# The arm64 guests' initramfs needs an arm64 busybox: Debian's
# busybox-static:arm64, unpacked (never installed: it would replace the
# host's) into the cache that scripts/vm-run.sh --arch arm64 reads.
cache=${VIRTIO_ALT_CACHE:-$HOME/.cache/virtio-alt}
bb_arm64=$cache/busybox-arm64
need_bb=0
[ -x "$bb_arm64/bin/busybox" ] || need_bb=1

[ "${#missing[@]}" -eq 0 ] && [ "$need_bb" = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	[ "$need_bb" = 0 ] || missing+=("busybox-static:arm64 (unpacked)")
	echo "deps.sh: missing: ${missing[*]}; run this script as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
updated=0
if [ "${#missing[@]}" -gt 0 ]; then
	echo "deps.sh: installing ${missing[*]}" >&2
	apt-get update -q >&2
	updated=1
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
if [ "$need_bb" = 1 ]; then
	echo "deps.sh: unpacking busybox-static:arm64 into $bb_arm64" >&2
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
		updated=0
	fi
	[ "$updated" = 1 ] || apt-get update -q >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# apt downloads as _apt, which must be able to write there
	chown _apt "$tmp" 2>/dev/null || true
	(cd "$tmp" && apt-get download -q busybox-static:arm64 >&2)
	rm -rf "$bb_arm64.tmp"
	mkdir -p "$bb_arm64.tmp"
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$bb_arm64.tmp"
	rm -rf "$bb_arm64"
	mv "$bb_arm64.tmp" "$bb_arm64"
fi
