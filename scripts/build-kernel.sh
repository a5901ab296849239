#!/usr/bin/env bash
# Build (once) the test kernel: Debian's linux-source-6.12 with tinyconfig plus
# scripts/kernel.config, cached under $VIRTIO_ALT_CACHE (default
# ~/.cache/virtio-alt), keyed by the source package version and a hash of the
# fragment and of this script. Prints the cache directory on stdout:
#   <dir>/build      the O= build tree (KDIR for out-of-tree modules)
#   <dir>/src        the kernel source tree (checkpatch, kunit.py)
#   <dir>/mods       modules_install root (lib/modules/<release>/...)
#   <dir>/bzImage    the kernel image
#
# --arch arm64 builds the arm64 kernel for QEMU's aarch64 `virt` machine
# instead (cross compiler gcc-aarch64-linux-gnu, fragment
# scripts/kernel-arm64.config), in <cache>/kernel-arm64-<ver>-<key> with the
# same layout and <dir>/Image as the image. It shares the unpacked source with
# the x86 build (both build with O=, the source tree stays clean) but has a
# lock of its own, so the two can build side by side.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VIRTIO_ALT_CACHE:-$HOME/.cache/virtio-alt}
tarball=/usr/src/linux-source-6.12.tar.xz

arch=x86_64
if [ "${1:-}" = --arch ]; then
	arch=${2:?"--arch needs x86_64 or arm64"}
	shift 2
fi
case "$arch" in
x86_64|x86)
	arch=x86_64
	frag=$here/kernel.config
	kmake=(make ARCH=x86_64)
	targets=(bzImage modules)
	image=arch/x86/boot/bzImage
	prefix=kernel ;;
arm64|aarch64)
	arch=arm64
	frag=$here/kernel-arm64.config
	command -v aarch64-linux-gnu-gcc > /dev/null || {
		echo "build-kernel: no aarch64-linux-gnu-gcc (run scripts/deps.sh)" >&2; exit 1; }
	# niced: a cross build of 15 minutes should not slow the guests
	# running beside it
	kmake=(nice -n 10 make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	targets=(Image modules)
	image=arch/arm64/boot/Image
	prefix=kernel-arm64 ;;
*)
	echo "build-kernel: unknown --arch $arch (x86_64 or arm64)" >&2; exit 1 ;;
esac

log() { echo "build-kernel: $*" >&2; }

ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || {
	log "linux-source-6.12 is not installed (run scripts/deps.sh)"; exit 1; }
# Bump RECIPE when a change to this script changes what gets built.
RECIPE=1
# (The x86 key is what it was before --arch existed: its cache stays valid.)
if [ "$arch" = x86_64 ]; then
	key=$( { echo "recipe $RECIPE"; cat "$frag"; } | sha256sum | cut -c1-12)
else
	key=$( { echo "recipe $RECIPE $arch"; cat "$frag"; } | sha256sum | cut -c1-12)
fi
dir=$cache/$prefix-$ver-$key
src=$cache/src-$ver

if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
# One builder at a time per architecture; a second caller waits and then
# finds the result. The x86 lock (the historical name) also guards the
# shared source unpack.
if [ "$arch" = x86_64 ]; then
	exec 9>"$cache/lock"
else
	exec 9>"$cache/lock-$arch"
fi
flock 9
if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi
if [ ! -f "$src/.unpacked" ]; then
	[ "$arch" = x86_64 ] || { exec 8>"$cache/lock"; flock 8; }
	if [ ! -f "$src/.unpacked" ]; then
		log "unpacking $tarball"
		rm -rf "$src" "$src.tmp"
		mkdir -p "$src.tmp"
		tar -xf "$tarball" -C "$src.tmp" --strip-components=1
		touch "$src.tmp/.unpacked"
		mv "$src.tmp" "$src"
	fi
	[ "$arch" = x86_64 ] || exec 8>&-
fi

rm -rf "$dir"
mkdir -p "$dir/build"
ln -s "$src" "$dir/src"
b=$dir/build
log "configuring in $b ($arch tinyconfig + $(basename "$frag"))"
"${kmake[@]}" -s -C "$src" O="$b" tinyconfig >&2
ARCH=$arch "$src/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "$frag" >&2
"${kmake[@]}" -s -C "$src" O="$b" olddefconfig >&2

# merge_config.sh drops options whose dependencies are missing without
# failing: check that every line of the fragment made it.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$b/.config" || { log "not in final .config: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#"# "}; opt=${opt%% *}
		if grep -q "^$opt=" "$b/.config"; then log "still set: $opt"; missing=1; fi ;;
	esac
done < "$frag"
[ "$missing" = 0 ] || { log "fragment not applied; fix scripts/$(basename "$frag")"; exit 1; }

log "building ${targets[*]} with -j$(nproc) (x86: about 9 minutes here)"
"${kmake[@]}" -s -C "$src" O="$b" -j"$(nproc)" "${targets[@]}" >&2
"${kmake[@]}" -s -C "$src" O="$b" INSTALL_MOD_PATH="$dir/mods" \
	INSTALL_MOD_STRIP=1 modules_install >&2
cp "$b/$image" "$dir/$(basename "$image")"
touch "$dir/done"
echo "$dir"
