# Guest-side helpers for scenarios run by scripts/vm-run.sh (busybox sh).
# Source it first in a scenario:  . /lib/va/guest.sh
#
# Results and markers go to /dev/kmsg, so each is one atomic printk line in the
# serial log (never split by other console output); vm-run.sh boots with
# printk.devkmsg=on so they are not ratelimited.
# shellcheck shell=sh

# _va_emit TEXT...: one line to the kernel log (stdout if /dev/kmsg is absent).
_va_emit() {
	if [ -w /dev/kmsg ]; then
		printf '%s\n' "$*" > /dev/kmsg
	else
		printf '%s\n' "$*"
	fi
}

# va_result NAME PASS|FAIL [DETAIL...]
va_result() {
	_n=$1 _s=$2
	shift 2
	case $_s in PASS|FAIL) ;; *) _va_emit "VA-RESULT $_n FAIL bad status '$_s'"; return 1 ;; esac
	# one line, whatever the detail holds
	_d=$(printf '%s' "$*" | tr '\n\r\t' '   ' | cut -c1-400)
	_va_emit "VA-RESULT $_n $_s${_d:+ $_d}"
	[ "$_s" = PASS ]
}

# va_check NAME CMD...: PASS if CMD exits 0; its output is kept for the log.
va_check() {
	_cn=$1
	shift
	if _co=$("$@" 2>&1); then
		va_result "$_cn" PASS
	else
		_cr=$?
		printf '%s\n' "$_co"
		va_result "$_cn" FAIL "rc=$_cr: $*: $(printf '%s' "$_co" | tail -n 3)"
	fi
}

# va_wait_for TIMEOUT CMD...: run CMD every 0.5 s until it succeeds (return 0)
# or TIMEOUT seconds pass (return 1).
va_wait_for() {
	_wt=$(( $1 * 2 ))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$_wt" -gt 0 ] || return 1
		_wt=$((_wt - 1))
		sleep 0.5
	done
}

# va_kmemleak_scan NAME: PASS if kmemleak finds no leak (skipped without it).
va_kmemleak_scan() {
	_kf=/sys/kernel/debug/kmemleak
	if [ ! -e "$_kf" ]; then
		echo "va_kmemleak_scan: $_kf absent, skipped"
		return 0
	fi
	# kmemleak reports only objects older than 5 s. A scan takes seconds
	# here, so scan once, and again only to confirm what it found (the
	# report then lists only objects still unreferenced).
	sleep 5
	echo scan > "$_kf"
	_kl=$(cat "$_kf")
	if [ -n "$_kl" ]; then
		echo scan > "$_kf"
		_kl=$(cat "$_kf")
	fi
	if [ -z "$_kl" ]; then
		va_result "$1" PASS
	else
		printf '%s\n' "$_kl"
		va_result "$1" FAIL "$(printf '%s\n' "$_kl" | grep -c 'unreferenced object') leaks"
	fi
}

# va_marker TEXT: tell the host script (host.py wait-mark TEXT) we got here.
va_marker() {
	_va_emit "VA-MARK $*"
}

# va_wait_host TEXT TIMEOUT: wait for a line TEXT sent by `host.py send TEXT`.
# Each send satisfies one wait. Return 1 on timeout.
va_wait_host() {
	[ -e /tmp/va-host.in ] || { echo "va_wait_host: no control port (ttyS1)"; return 1; }
	touch /tmp/va-host.used
	_hu=$(grep -cxF -- "$1" /tmp/va-host.used)
	if va_wait_for "$2" _va_host_has "$1" "$_hu"; then
		printf '%s\n' "$1" >> /tmp/va-host.used
		return 0
	fi
	echo "va_wait_host: timed out waiting for '$1'"
	return 1
}
_va_host_has() {
	[ "$(grep -cxF -- "$1" /tmp/va-host.in)" -gt "$2" ]
}

# va_host_value KEY TIMEOUT: wait for a line "KEY VALUE..." sent by
# `host.py send "KEY VALUE..."` and print VALUE... (of the last such line).
# KEY is a fixed string. Return 1 on timeout.
va_host_value() {
	[ -e /tmp/va-host.in ] || { echo "va_host_value: no control port (ttyS1)" >&2; return 1; }
	if ! va_wait_for "$2" _va_host_value "$1"; then
		echo "va_host_value: timed out waiting for '$1'" >&2
		return 1
	fi
	_va_host_value "$1"
}
_va_host_value() {
	awk -v k="$1 " 'index($0, k) == 1 { v = substr($0, length(k) + 1); f = 1 }
		END { if (f) print v; exit !f }' /tmp/va-host.in
}

# va_vdev_of DEVICE: the virtio device (virtioN) of the virtio PCI function
# with that PCI device id (0x1045 is a modern balloon).
va_vdev_of() {
	for _vp in /sys/bus/pci/devices/*; do
		[ "$(cat "$_vp/vendor")" = 0x1af4 ] &&
			[ "$(cat "$_vp/device")" = "$1" ] || continue
		for _vv in "$_vp"/virtio*; do [ -d "$_vv" ] && basename "$_vv"; done
	done
}

# va_meminfo KEY: a /proc/meminfo value in kB; va_mem_is KB: MemTotal is KB.
va_meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
va_mem_is() { [ "$(va_meminfo MemTotal)" -eq "$1" ]; }

# va_balloon_cycle NAME KB [TAG]: the host (balloon_cycle in
# tests/lib/host_balloon.sh) takes KB at our mark inflate<TAG>: MemTotal must
# drop by exactly KB (NAME_inflate); after its deflate<TAG> it must come back
# (NAME_deflate). Marks inflated<TAG> and deflated<TAG> tell the host.
# Leaves MemTotal before the inflate in va_total0.
va_balloon_cycle() {
	_bn=$1 _bk=$2 _bt=${3:-}
	_b0=$(va_meminfo MemTotal)
	va_total0=$_b0
	va_marker "inflate$_bt"
	if va_wait_for 180 va_mem_is $((_b0 - _bk)); then
		va_result "${_bn}_inflate" PASS "MemTotal $_b0 -> $(va_meminfo MemTotal) kB"
	else
		va_result "${_bn}_inflate" FAIL "MemTotal $_b0 -> $(va_meminfo MemTotal) kB, wanted $((_b0 - _bk))"
	fi
	va_marker "inflated$_bt"
	va_wait_host "deflate$_bt" 120
	if va_wait_for 180 va_mem_is "$_b0"; then
		va_result "${_bn}_deflate" PASS "MemTotal back to $_b0 kB"
	else
		va_result "${_bn}_deflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $_b0"
	fi
	va_marker "deflated$_bt"
}

# va_net_traffic NAME VDEV MIB [TAG]: TCP over QEMU's user network on the
# virtio_net device VDEV (address 10.0.2.15/24, the host at 10.0.2.2), the
# other side being net_traffic in tests/lib/host_net.sh:
#   - host to guest: a listener on guest port 5555 (the hostfwd of
#     scripts/check.sh) at our mark net-listen<TAG>; the host sends MIB MiB
#     and then its "BYTES SHA256" (net-h2g<TAG>); we compare what arrived
#     (NAME_host_to_guest);
#   - guest to host: the host sends the port of a loopback listener
#     (net-g2h-port<TAG>), we send MIB MiB of random data there, the host
#     sends back "BYTES SHA256 SECONDS" of what it got (net-g2h-got<TAG>)
#     and we compare (NAME_guest_to_host).
# Each also needs the queue counters to grow: rx (input.0) interrupts host
# to guest, tx (output.0) kicks guest to host. (rx kicks are shown, not
# judged: with EVENT_IDX QEMU asks for none while the ring is well filled.)
# Each direction may take up to VA_NET_TIMEOUT seconds (default 900: a
# KASAN kernel under TCG on a loaded machine); nothing else is timed.
# busybox nc -e hands the socket to cat (64 KiB reads, sendfile out; nc
# alone moves 1 KiB a system call).
va_net_traffic() {
	_nn=$1 _nv=$2 _nb=$(($3 << 20)) _nt=${4:-} _nto=${VA_NET_TIMEOUT:-900}
	_nif=$(ls "/sys/bus/virtio/devices/$_nv/net" 2>/dev/null | head -n 1)
	_nrx=$(_va_vq_dir "$_nv" input.0) _ntx=$(_va_vq_dir "$_nv" output.0)
	if [ -z "$_nif" ] || [ -z "$_nrx" ] || [ -z "$_ntx" ] ||
	   ! ip addr add 10.0.2.15/24 dev "$_nif" || ! ip link set "$_nif" up; then
		va_result "${_nn}_host_to_guest" FAIL "'$_nv': netdev '$_nif', rx '$_nrx', tx '$_ntx'"
		va_result "${_nn}_guest_to_host" FAIL "'$_nv': netdev '$_nif', rx '$_nrx', tx '$_ntx'"
		return 1
	fi

	# host to guest
	rm -f /tmp/va-h2g
	timeout "$_nto" nc -l -p 5555 -e sh -c 'exec cat > /tmp/va-h2g' &
	_npid=$!
	va_wait_for 60 _va_listening 5555
	_nri0=$(_va_counter "$_nrx" irqs) _nrk0=$(_va_counter "$_nrx" kicks)
	_nc0=$(_va_now_cs)
	va_marker "net-listen$_nt"
	_nsent=$(va_host_value "net-h2g$_nt" "$_nto")	# BYTES SHA256
	wait $_npid
	_nrc=$?
	_nc1=$(_va_now_cs)
	_ngot="$(wc -c < /tmp/va-h2g) $(sha256sum < /tmp/va-h2g | cut -d ' ' -f 1)"
	_nri1=$(_va_counter "$_nrx" irqs) _nrk1=$(_va_counter "$_nrx" kicks)
	rm -f /tmp/va-h2g
	_nd="$_nif: rx irqs $_nri0 -> $_nri1, kicks $_nrk0 -> $_nrk1"
	if [ $_nrc = 0 ] && [ "$_ngot" = "$_nsent" ] && [ "${_ngot%% *}" = $_nb ] &&
	   [ "$_nri1" -gt "$_nri0" ]; then
		va_result "${_nn}_host_to_guest" PASS "$_nd; $(($_nb >> 20)) MiB in $(_va_secs $((_nc1 - _nc0))) s, sha256 ${_ngot#* }"
	else
		va_result "${_nn}_host_to_guest" FAIL "$_nd; nc rc=$_nrc after $(_va_secs $((_nc1 - _nc0))) s; host sent '$_nsent', guest got '$_ngot'"
	fi

	# guest to host
	dd if=/dev/urandom of=/tmp/va-g2h bs=1M count=$(($_nb >> 20)) 2>/dev/null
	_nsent="$(wc -c < /tmp/va-g2h) $(sha256sum < /tmp/va-g2h | cut -d ' ' -f 1)"
	_ntk0=$(_va_counter "$_ntx" kicks)
	_nport=$(va_host_value "net-g2h-port$_nt" 300)
	timeout "$_nto" nc 10.0.2.2 "${_nport:-0}" -e cat /tmp/va-g2h
	_nrc=$?
	_ngot=$(va_host_value "net-g2h-got$_nt" "$_nto")	# BYTES SHA256 SECONDS
	_ntk1=$(_va_counter "$_ntx" kicks)
	rm -f /tmp/va-g2h
	_nd="$_nif: tx kicks $_ntk0 -> $_ntk1"
	if [ $_nrc = 0 ] && [ "${_ngot% *}" = "$_nsent" ] && [ "${_nsent%% *}" = $_nb ] &&
	   [ "$_ntk1" -gt "$_ntk0" ]; then
		va_result "${_nn}_guest_to_host" PASS "$_nd; $(($_nb >> 20)) MiB in ${_ngot##* } s, sha256 ${_nsent#* }"
	else
		va_result "${_nn}_guest_to_host" FAIL "$_nd; nc rc=$_nrc to port '$_nport'; guest sent '$_nsent', host got '$_ngot'"
	fi
}
# The debugfs directory of queue NAME of device $1; a counter of a queue.
_va_vq_dir() {
	for _vq in /sys/kernel/debug/virtio_alt/"$1"/vq*; do
		grep -qx "name $2" "$_vq/info" 2>/dev/null && echo "$_vq" && return
	done
}
_va_counter() { awk -v k="$2" '$1 == k { print $2 }' "$1/counters"; }
_va_listening() { netstat -ltn | grep -q ":$1 "; }
# Centiseconds since boot, and centiseconds as seconds.
_va_now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
_va_secs() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

# va_remove_inflated NAME TOTAL0 KB: mark "reinflate" for the host, which
# inflates by KB kB again; rmmod must then give every page back (MemTotal
# back to TOTAL0 kB); mark "removed" and scan for leaks.
va_remove_inflated() {
	va_marker reinflate
	if va_wait_for 180 va_mem_is $(($2 - $3)); then
		va_check "$1_rmmod" rmmod virtio_alt
		if va_mem_is "$2"; then
			va_result "$1_remove_returns_pages" PASS "MemTotal $2 kB after rmmod"
		else
			va_result "$1_remove_returns_pages" FAIL "MemTotal $(va_meminfo MemTotal) kB after rmmod, wanted $2"
		fi
	else
		va_result "$1_remove_returns_pages" FAIL "re-inflate did not happen: MemTotal $(va_meminfo MemTotal) kB"
	fi
	va_marker removed
	va_kmemleak_scan "$1_kmemleak"
}
