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
