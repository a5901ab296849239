#!/usr/bin/env bash
# Fetch (once) Debian's stock kernel image that matches installed headers,
# unpacked, never installed:
#
#   stock-kernel.sh RELEASE      e.g. 6.1.0-56-amd64, 6.12.117+deb12-amd64
#
# The version is the installed linux-headers-RELEASE package's; the image
# linux-image-RELEASE of exactly that version comes from apt (`apt-get
# download`, no root needed) and is unpacked with `dpkg-deb -x` into
# $VIRTIO_ALT_CACHE/stock/linux-image-RELEASE_VERSION/ (default cache
# ~/.cache/virtio-alt). Nothing is fetched again while that directory is
# complete. Prints the directory on stdout:
#   <dir>/root       the package unpacked (boot/, lib/modules/RELEASE/)
#   <dir>/vmlinuz    the kernel image (a link into root/boot)
#   <dir>/config     its configuration (a link into root/boot)
#   <dir>/mods       a small modules root for scripts/vm-run.sh --mods:
#                    drivers/virtio/ and what those modules depend on,
#                    decompressed (busybox insmod does not read .ko.xz)
set -euo pipefail

die() { echo "stock-kernel: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: stock-kernel.sh RELEASE (e.g. 6.12.117+deb12-amd64)"
rel=$1
cache=${VIRTIO_ALT_CACHE:-$HOME/.cache/virtio-alt}/stock

ver=$(dpkg-query -W -f='${Version}' "linux-headers-$rel" 2>/dev/null) ||
	die "linux-headers-$rel is not installed: the image must match headers the module is built against"
pkg=linux-image-$rel
dir=$cache/${pkg}_$ver

[ -f "$dir/done" ] && { echo "$dir"; exit 0; }
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
[ -f "$dir/done" ] && { echo "$dir"; exit 0; }

rm -rf "$dir"
mkdir -p "$dir/deb"
echo "stock-kernel: fetching $pkg=$ver" >&2
(cd "$dir/deb" && apt-get download "$pkg=$ver" >&2) ||
	die "apt-get download $pkg=$ver failed (is that version in the apt sources? apt-cache policy $pkg)"
dpkg-deb -x "$dir/deb/${pkg}_"*.deb "$dir/root"
ln -s "root/boot/vmlinuz-$rel" "$dir/vmlinuz"
ln -s "root/boot/config-$rel" "$dir/config"
m=$dir/root/lib/modules/$rel
if [ ! -f "$dir/vmlinuz" ] || [ ! -d "$m/kernel" ]; then
	die "$pkg: no vmlinuz or lib/modules/$rel/kernel"
fi
# The package leaves modules.dep to its postinst: make it here.
depmod -b "$dir/root" "$rel"

# drivers/virtio/ and the closure of its module dependencies (modules.dep
# lines: "kernel/a.ko.xz: kernel/b.ko.xz kernel/c.ko.xz").
mapfile -t want < <(awk -F': *' '
	{ dep[$1] = $2 }
	$1 ~ /^kernel\/drivers\/virtio\// { todo[$1] = 1 }
	END {
		do {
			more = 0
			for (m in todo) {
				if (m in seen) continue
				seen[m] = 1
				n = split(dep[m], d, " ")
				for (i = 1; i <= n; i++) if (!(d[i] in todo)) { todo[d[i]] = 1; more = 1 }
			}
		} while (more)
		for (m in seen) print m
	}' "$m/modules.dep")
[ "${#want[@]}" -gt 0 ] || die "$pkg: no modules under kernel/drivers/virtio/"
s=$dir/mods/lib/modules/$rel
mkdir -p "$s"
cp "$m"/modules.order "$m"/modules.builtin* "$s/"
for f in "${want[@]}"; do
	mkdir -p "$s/$(dirname "$f")"
	case $f in
	*.ko.xz) xz -dc "$m/$f" > "$s/${f%.xz}" ;;
	*.ko) cp "$m/$f" "$s/$f" ;;
	*) die "$pkg: unexpected module file $f" ;;
	esac
done
# modules.order names .ko.xz where the package compresses; depmod only
# orders by it.
sed -i 's/\.ko\.xz$/.ko/' "$s/modules.order"
depmod -b "$dir/mods" "$rel"
rm -rf "$dir/deb"
echo "$pkg $ver: ${#want[@]} modules in mods/" > "$dir/done"
echo "$dir"
