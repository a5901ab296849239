# Guest side of `make demo`: virtio_alt drives a real QEMU virtio-balloon-pci
# (alt ring) and virtio-rng-pci (in-tree virtio_rng over virtio-alt-pci); the
# host inflates by 256 MiB and deflates over QMP. Lines starting "DEMO" are
# what scripts/demo.sh shows.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
say() { _va_emit "DEMO $*"; }
mem() { awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo; }

modprobe virtio_alt && modprobe virtio_rng
for v in /sys/bus/virtio/devices/*; do
	n=$(basename "$v")
	say "$n: id $(cat "$v/device") on $(basename "$(readlink "$v/../driver")") $(basename "$(dirname "$(readlink -f "$v")")"), driver $(basename "$(readlink "$v/driver")"), $(grep '^ring' "$D/$n/transport")"
	[ "$(cat "$v/device")" = 0x0005 ] && bal=$n
done
total0=$(mem)
say "MemTotal $total0 kB; asking the host to take 256 MiB"
va_marker inflate
t=0
while [ "$(mem)" -gt $((total0 - 262144)) ] && [ $t -lt 120 ]; do
	sleep 1; t=$((t + 1)); say "  MemTotal $(mem) kB"
done
say "inflated: MemTotal $(mem) kB ($(( (total0 - $(mem)) / 1024 )) MiB in the balloon) after ${t}s"
va_marker inflated
va_wait_host deflate 120
t=0
while [ "$(mem)" -lt "$total0" ] && [ $t -lt 120 ]; do
	sleep 1; t=$((t + 1)); say "  MemTotal $(mem) kB"
done
say "deflated: MemTotal $(mem) kB after ${t}s"
va_marker deflated
dd if=/dev/hwrng bs=16 count=1 2>/dev/null | od -An -tx1 | while read -r l; do say "hwrng: $l"; done
for q in "$D"/*/vq*; do
	say "counters ${q#"$D"/}: $(grep -vE '^broken_' "$q/counters" | tr '\n' ' ')"
done
if [ "$(mem)" = "$total0" ]; then
	say "SUMMARY balloon inflated by 256 MiB and came back to $total0 kB on virtio-alt-pci (alt ring)"
else
	say "SUMMARY balloon did not come back: MemTotal $(mem) kB, was $total0 kB"
fi
rmmod virtio_rng virtio_alt
