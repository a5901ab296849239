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
)

# One dpkg-query for all; a package it does not know is simply not listed.
# (dpkg-query exits 1 for a package never seen: not an error here.)
installed=" $({ dpkg-query -W -f='${db:Status-Status}:${Package} ' "${pkgs[@]}" \
	2>/dev/null || true; } | tr ' ' '\n' | sed -n 's/^installed://p' | tr '\n' ' ')"
missing=()
for p in "${pkgs[@]}"; do
	[[ $installed == *" $p "* ]] || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]}; run this script as root" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
