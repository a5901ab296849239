#!/usr/bin/env bash
# Build (once) the test kernel: Debian's linux-source-6.12 with tinyconfig plus
# scripts/kernel.config, cached under $VIRTIO_ALT_CACHE (default
# ~/.cache/virtio-alt), keyed by the source package version and a hash of the
# fragment and of this script. Prints the cache directory on stdout:
#   <dir>/build      the O= build tree (KDIR for out-of-tree modules)
#   <dir>/src        the kernel source tree (checkpatch, kunit.py)
#   <dir>/mods       modules_install root (lib/modules/<release>/...)
#   <dir>/bzImage    the kernel image
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${VIRTIO_ALT_CACHE:-$HOME/.cache/virtio-alt}
frag=$here/kernel.config
tarball=/usr/src/linux-source-6.12.tar.xz

log() { echo "build-kernel: $*" >&2; }

ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || {
	log "linux-source-6.12 is not installed (run scripts/deps.sh)"; exit 1; }
# Bump RECIPE when a change to this script changes what gets built.
RECIPE=1
key=$( { echo "recipe $RECIPE"; cat "$frag"; } | sha256sum | cut -c1-12)
dir=$cache/kernel-$ver-$key
src=$cache/src-$ver

if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
# One builder at a time; a second caller waits and then finds the result.
exec 9>"$cache/lock"
flock 9
if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi
if [ ! -f "$src/.unpacked" ]; then
	log "unpacking $tarball"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

rm -rf "$dir"
mkdir -p "$dir/build"
ln -s "$src" "$dir/src"
b=$dir/build
log "configuring in $b (tinyconfig + $(basename "$frag"))"
make -s -C "$src" O="$b" ARCH=x86_64 tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "$frag" >&2
make -s -C "$src" O="$b" ARCH=x86_64 olddefconfig >&2

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
[ "$missing" = 0 ] || { log "fragment not applied; fix scripts/kernel.config"; exit 1; }

log "building bzImage and modules with -j$(nproc) (about 9 minutes here)"
make -s -C "$src" O="$b" ARCH=x86_64 -j"$(nproc)" bzImage modules >&2
make -s -C "$src" O="$b" ARCH=x86_64 INSTALL_MOD_PATH="$dir/mods" \
	INSTALL_MOD_STRIP=1 modules_install >&2
cp "$b/arch/x86/boot/bzImage" "$dir/bzImage"
touch "$dir/done"
echo "$dir"
