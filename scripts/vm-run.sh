#!/usr/bin/env bash
# Boot one QEMU guest (initramfs built on the fly) and run one scenario.
# See "usage" below; results are lines "VA-RESULT NAME PASS|FAIL DETAIL".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(dirname "$here")

usage() {
	cat <<'EOF'
usage: vm-run.sh --kernel BZIMAGE --mods DIR --guest FILE [options]
  --kernel PATH      kernel image (bzImage; arm64: Image)
  --mods DIR         modules_install root (contains lib/modules/<release>/)
  --ko FILE          extra module for lib/modules/<release>/extra/ (repeatable)
  --arch A           x86_64 (default) or arm64: qemu-system-aarch64, a
                     cortex-a57 on the `virt` machine (its device tree lists
                     32 virtio-mmio transports), console ttyAMA0, the
                     busybox that scripts/deps.sh unpacks; no control port
                     (`virt` has one UART): host.py send is not available
  --machine M        q35 (default) or microvm; virt (the default) for arm64
  --mem MIB          guest memory (default 2048)
  --smp N            guest CPUs (default 1)
  --qemu-arg ARGS    appended to the QEMU command line, split at blanks
                     (repeatable): --qemu-arg "-device virtio-rng-pci"
  --guest FILE       scenario script, run in the guest as `sh /test.sh`;
                     its basename without extension names the scenario
  --guest-lib FILE   copied to /lib/va/ in the guest (repeatable)
  --host FILE        host-side script run alongside the guest, with VA_QMP,
                     VA_LOG, VA_RESULTS, VA_CTL, VA_SCENARIO set
  --timeout SECONDS  hard limit for the whole run (default 300)
  --log FILE         serial log (default: temporary)
  --results FILE     results file (default: temporary)
  --append STR       extra kernel command line
  --allow REGEX      log lines matching this (grep -E) are not offences
                     for <scenario>_log_clean (repeatable)
EOF
	exit 2
}
die() { echo "vm-run: $*" >&2; exit 2; }

kernel='' mods='' arch=x86_64 machine='' mem=2048 smp=1 guest='' host='' timeout=300
log='' results='' append=''
kos=() qargs=() libs=() allows=()
while [ $# -gt 0 ]; do
	case $1 in -h|--help) usage ;; esac
	[ $# -ge 2 ] || die "$1 needs a value"
	case $1 in
	--kernel) kernel=$2 ;;
	--mods) mods=$2 ;;
	--ko) kos+=("$2") ;;
	--arch) arch=$2 ;;
	--machine) machine=$2 ;;
	--mem) mem=$2 ;;
	--smp) smp=$2 ;;
	--qemu-arg) read -ra words <<< "$2"; qargs+=("${words[@]}") ;;
	--guest) guest=$2 ;;
	--guest-lib) libs+=("$2") ;;
	--host) host=$2 ;;
	--timeout) timeout=$2 ;;
	--log) log=$2 ;;
	--results) results=$2 ;;
	--append) append=$2 ;;
	--allow) allows+=("$2") ;;
	*) die "unknown option $1 (try --help)" ;;
	esac
	shift 2
done
[ -f "$kernel" ] || die "--kernel: no such file: '$kernel'"
[ -f "$guest" ] || die "--guest: no such file: '$guest'"
[ -z "$host" ] || [ -f "$host" ] || die "--host: no such file: $host"
[ -d "$mods/lib/modules" ] || die "--mods: no lib/modules in '$mods'"
case $arch in
x86_64) machine=${machine:-q35} ;;
arm64) machine=${machine:-virt}
	[ "$machine" = virt ] || die "--arch arm64 runs on the virt machine only" ;;
*) die "--arch must be x86_64 or arm64" ;;
esac
case $machine in
q35) mach=(-M q35) ;;
virt) mach=(-M virt -cpu cortex-a57) ;;
microvm)
	mach=(-M "microvm,pit=on,pic=on,rtc=on")
	# Under TCG the guest's PIT-based TSC calibration fails now and then and
	# microvm has no HPET/PM timer to fall back on: boot hangs. Under TCG the
	# guest TSC runs at the host's rate, so tell the guest that rate.
	khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
	[ -z "$khz" ] || append="tsc_early_khz=$khz $append" ;;
*) die "--machine must be q35 or microvm (x86_64), virt (arm64)" ;;
esac
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
for f in "${kos[@]}" "${libs[@]}"; do [ -f "$f" ] || die "no such file: $f"; done
rels=("$mods"/lib/modules/*/)
[ "${#rels[@]}" -eq 1 ] || die "--mods: expected one release in $mods/lib/modules"
rel=$(basename "${rels[0]}")
scen=$(basename "$guest"); scen=${scen%.*}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX")
qpid='' hpid=''
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	[ -z "$hpid" ] || kill -- -"$hpid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log=${log:-$tmp/serial.log}
results=${results:-$tmp/results}
: > "$log"
: > "$results"

# --- initramfs ---------------------------------------------------------------
ir=$tmp/root
mkdir -p "$ir"/{bin,dev,proc,sys,tmp,lib/va,lib/modules}
if [ "$arch" = arm64 ]; then
	# Debian's busybox-static:arm64, unpacked by scripts/deps.sh. It does
	# not run here: /init makes its applet links in the guest.
	bb=${VIRTIO_ALT_CACHE:-$HOME/.cache/virtio-alt}/busybox-arm64/bin/busybox
	[ -x "$bb" ] || die "no arm64 busybox at $bb (run scripts/deps.sh)"
	cp "$bb" "$ir/bin/busybox"
	ln -s busybox "$ir/bin/sh"
	prologue='/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
/bin/busybox umount /proc'
else
	cp /bin/busybox "$ir/bin/busybox"
	for a in $("$ir/bin/busybox" --list); do
		[ "$a" = busybox ] || ln -s busybox "$ir/bin/$a"
	done
	prologue=:
fi
ln -s bin "$ir/sbin"
mkdir "$ir/usr" && ln -s ../bin "$ir/usr/bin" && ln -s ../bin "$ir/usr/sbin"
cp -a "$mods/lib/modules/$rel" "$ir/lib/modules/"
if [ "${#kos[@]}" -gt 0 ]; then
	mkdir -p "$ir/lib/modules/$rel/extra"
	cp "${kos[@]}" "$ir/lib/modules/$rel/extra/"
	depmod -b "$ir" "$rel"
fi
cp "$guest" "$ir/test.sh"
printf 'VA_SCENARIO=%s\nVA_MACHINE=%s\nVA_HOST=%s\n' "$scen" "$machine" \
	"$([ -n "$host" ] && echo 1 || echo 0)" > "$ir/lib/va/env"
cp "$root_dir/tests/lib/guest.sh" "$ir/lib/va/guest.sh"
[ "${#libs[@]}" -eq 0 ] || cp "${libs[@]}" "$ir/lib/va/"
{ echo '#!/bin/sh'; echo "$prologue"; cat; } > "$ir/init" <<'EOF'
export PATH=/bin HOME=/ VA_LIB=/lib/va
set -a; . /lib/va/env; set +a
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp
exec </dev/console >/dev/console 2>&1
# Host->guest control port (second UART): lines land in /tmp/va-host.in.
if [ -c /dev/ttyS1 ]; then
	: > /tmp/va-host.in
	(stty raw -echo && echo VA-CTL-READY > /dev/kmsg && exec cat) \
		< /dev/ttyS1 > /tmp/va-host.in 2>/dev/null &
fi
cd /
sh /test.sh
echo "VA-GUEST-DONE rc=$?" > /dev/kmsg
poweroff -f
EOF
chmod +x "$ir/init" "$ir/test.sh"
(cd "$ir" && find . | cpio -o -H newc --quiet) > "$tmp/initrd"

# --- QEMU --------------------------------------------------------------------
mkfifo "$tmp/ctl.in" "$tmp/ctl.out"
if [ "$arch" = arm64 ]; then
	qemu=qemu-system-aarch64 console=ttyAMA0 ctl=()
else
	qemu=qemu-system-x86_64 console=ttyS0
	ctl=(-chardev "pipe,id=ctl,path=$tmp/ctl" -device "isa-serial,chardev=ctl")
fi
cmd=("$qemu" "${mach[@]}" -m "$mem" -smp "$smp" -nodefaults
	-display none -no-reboot
	-kernel "$kernel" -initrd "$tmp/initrd"
	-append "console=$console ignore_loglevel panic=-1 rdinit=/init printk.devkmsg=on $append"
	-serial "file:$log"
	"${ctl[@]}"
	-qmp "unix:$tmp/qmp.sock,server=on,wait=off"
	"${qargs[@]}")
echo "vm-run: $scen on $machine: ${cmd[*]}" >&2
start=$SECONDS
"${cmd[@]}" < /dev/null >&2 &
qpid=$!
if [ -n "$host" ]; then
	VA_QMP=$tmp/qmp.sock VA_LOG=$log VA_RESULTS=$tmp/host-results \
		VA_CTL=$tmp/ctl VA_SCENARIO=$scen PATH="$root_dir/tests/lib:$PATH" \
		setsid bash "$host" > "$tmp/host-out" &
	hpid=$!
fi

# Wait for QEMU: hard timeout; a guest that said it is done gets 15 s to exit.
timed_out=0 done_at=''
while kill -0 "$qpid" 2>/dev/null; do
	if [ $((SECONDS - start)) -ge "$timeout" ]; then
		timed_out=1; break
	fi
	if [ -z "$done_at" ] && grep -q 'VA-GUEST-DONE' "$log"; then done_at=$SECONDS; fi
	if [ -n "$done_at" ] && [ $((SECONDS - done_at)) -ge 15 ]; then
		echo "vm-run: guest done but QEMU still running; killing it" >&2; break
	fi
	sleep 0.5
done
kill "$qpid" 2>/dev/null || true
wait "$qpid" 2>/dev/null || true
qpid=''
hrc=0
if [ -n "$hpid" ]; then
	for _ in $(seq 20); do kill -0 "$hpid" 2>/dev/null || break; sleep 0.5; done
	# setsid made it a process group: end its children (host.py) too
	kill -- -"$hpid" 2>/dev/null && echo "vm-run: host script still running; killed" >&2
	wait "$hpid" || hrc=$?
	hpid=''
fi
elapsed=$((SECONDS - start))

# --- results -----------------------------------------------------------------
# Log lines without CR; every printk timestamp starts a line of its own (a
# kernel line can land in the middle of a line written by the guest's shell).
norm() { sed -E -e 's/\r//g' -e 's/\[ *[0-9]+\.[0-9]+\] /\n/g' "$@" | sed '/^$/d'; }
{
	norm "$log" | grep -aE '^VA-RESULT [^ ]+ (PASS|FAIL)( |$)' || true
	cat "$tmp/host-results" 2>/dev/null || true
	grep -aE '^VA-RESULT [^ ]+ (PASS|FAIL)( |$)' "$tmp/host-out" 2>/dev/null || true
	[ "$timed_out" = 0 ] || echo "VA-RESULT ${scen}_boot FAIL timeout after ${timeout}s"
	[ "$hrc" = 0 ] || echo "VA-RESULT ${scen}_host FAIL host script rc=$hrc"
	grc=$(norm "$log" | sed -n 's/^VA-GUEST-DONE rc=\([0-9]*\).*/\1/p' | tail -n 1)
	[ "${grc:-0}" = 0 ] || echo "VA-RESULT ${scen}_guest FAIL test.sh rc=$grc"

	bad='BUG:|WARNING:|Oops|Kernel panic|KASAN|possible circular locking|possible recursive locking|INFO: inconsistent lock state|suspicious RCU usage|unreferenced object|DMA-API:|UBSAN'
	# dma-debug's boot banners are not offences
	ok='DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config)'
	for a in "${allows[@]}"; do ok+="|$a"; done
	offences=$(norm "$log" | grep -aE "$bad" | grep -avE "$ok" || true)
	if [ -n "$offences" ]; then
		echo "vm-run: $scen: offending log lines:" >&2
		printf '%s\n' "$offences" | head -n 40 >&2
		echo "VA-RESULT ${scen}_log_clean FAIL $(printf '%s\n' "$offences" | wc -l) offending lines"
	elif [ -z "$grc" ]; then
		echo "VA-RESULT ${scen}_log_clean FAIL no VA-GUEST-DONE"
	else
		echo "VA-RESULT ${scen}_log_clean PASS"
	fi
} >> "$results"

if [ -s "$tmp/host-out" ]; then sed 's/^/host: /' "$tmp/host-out" >&2; fi
cat "$results"
npass=$(grep -cE '^VA-RESULT [^ ]+ PASS' "$results" || true)
nfail=$(grep -cE '^VA-RESULT [^ ]+ FAIL' "$results" || true)
if [ "$nfail" -gt 0 ] || [ "$timed_out" = 1 ]; then
	echo "vm-run: $scen: serial log tail:" >&2
	norm "$log" | tail -n 30 >&2
fi
echo "vm-run: $scen on $machine took ${elapsed}s" >&2
echo "$scen: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
