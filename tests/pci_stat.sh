# Guest side of pci_stat: scripts/virtio-alt-stat (copied to /lib/va/) on a
# virtio-balloon-pci under virtio-alt-pci. Its error messages (module not
# loaded, debugfs not mounted, no device), --once totals against the
# counters files, buffers/s of the inflate queue while the host inflates,
# --json parsed here (awk) and on the host (python3, from the VA-JSON lines).
. /lib/va/guest.sh

S=/lib/va/virtio-alt-stat
D=/sys/kernel/debug/virtio_alt

# stat_fails NAME PATTERN ARGS...: the tool exits 1 with one stderr line
# matching PATTERN.
stat_fails() {
	_n=$1 _p=$2
	shift 2
	sh "$S" "$@" > /tmp/so 2> /tmp/se
	_r=$?
	if [ "$_r" = 1 ] && [ "$(wc -l < /tmp/se)" = 1 ] && grep -q "$_p" /tmp/se &&
	   [ ! -s /tmp/so ]; then
		va_result "$_n" PASS "$(cat /tmp/se)"
	else
		va_result "$_n" FAIL "rc=$_r stderr '$(cat /tmp/se)' stdout '$(head -c 100 /tmp/so)'"
	fi
}

stat_fails stat_no_module 'module virtio_alt is not loaded' --once
va_check stat_modprobe modprobe virtio_alt
bal=$(va_vdev_of 0x1045)
bdf=$(basename "$(dirname "$(readlink -f "/sys/bus/virtio/devices/$bal")")")

umount /sys/kernel/debug
stat_fails stat_no_debugfs 'debugfs is not mounted: mount -t debugfs' --once
mount -t debugfs debugfs /sys/kernel/debug

# No device: take the balloon from virtio-alt-pci, then give it back.
echo "$bdf" > /sys/bus/pci/drivers/virtio-alt-pci/unbind
stat_fails stat_no_device 'no virtio_alt device' 1 1
echo "$bdf" > /sys/bus/pci/drivers/virtio-alt-pci/bind
bal=$(va_vdev_of 0x1045)
if [ -n "$bal" ] && [ -d "$D/$bal/vq0" ]; then
	va_result stat_rebound PASS "$bal at $bdf"
else
	va_result stat_rebound FAIL "no balloon after bind of $bdf"
fi

stat_fails stat_bad_interval 'interval' abc
if sh "$S" -h | grep -q '^usage: virtio-alt-stat'; then
	va_result stat_help PASS
else
	va_result stat_help FAIL "$(sh "$S" -h 2>&1 | head -n 1)"
fi

# --once totals == counters: name of the tool's column -> counter.
once_matches() {
	sh "$S" --once > /tmp/once || return 1
	for q in "$D/$bal"/vq*; do
		i=${q##*/vq}
		for c in 6:bufs_used 7:kicks 8:irqs 11:avail_wraps 12:used_wraps 13:broken; do
			col=${c%%:*} name=${c#*:}
			want=$(awk -v k="$name" '$1 == k { print $2 }' "$q/counters")
			got=$(awk -v d="$bal" -v i="$i" -v c="$col" '$1 == d && $2 == i { print $c }' /tmp/once)
			if [ "$want" != "$got" ]; then
				echo "$bal vq$i $name: tool '$got', counters '$want'"
				return 1
			fi
		done
	done
}

# Rates while the host inflates by 512 MiB (target 1536 MiB).
INFLATE_KB=524288
sh "$S" 1 12 > /tmp/rates 2>&1 &
rpid=$!
sleep 1
va_balloon_cycle stat "$INFLATE_KB"
wait "$rpid"
cat /tmp/rates
best=$(awk -v d="$bal" '$1 == d && $2 == 0 && $6 + 0 > m { m = $6 + 0 } END { print m + 0 }' /tmp/rates)
if awk -v b="$best" 'BEGIN { exit !(b > 0) }'; then
	va_result stat_inflate_rate PASS "inflate queue up to $best buffers/s"
else
	va_result stat_inflate_rate FAIL "no non-zero buf/s for $bal vq0: $(grep "^$bal *0 " /tmp/rates | tr -s ' ' | head -n 3)"
fi

if once_matches > /tmp/om 2>&1; then
	va_result stat_once_totals PASS "$(awk -v d="$bal" '$1 == d && $2 == 0 { print "vq0 bufs " $6 " kicks " $7 " irqs " $8 " uwrap " $12 }' /tmp/once)"
else
	va_result stat_once_totals FAIL "$(cat /tmp/om)"
fi
cat /tmp/once

# --json: one object per sample; checked here with awk, and printed as
# VA-JSON lines for the host's python3.
sh "$S" --json 0.5 2 > /tmp/json
sh "$S" --json --once >> /tmp/json
nq=$(ls -d "$D"/*/vq* | wc -l)
# (braces counted with split(): busybox awk has no regex for a lone "{")
jbad=$(awk -v nq="$nq" '
	{ o = split($0, t, "{") - 1; c = split($0, t, "}") - 1
	  s = split($0, t, "[") - 1; e = split($0, t, "]") - 1
	  q = gsub(/"dev":/, "&")
	  if (substr($0, 1, 8) != "{\"time\":" || index($0, "\"queues\":[") == 0 ||
	      substr($0, length($0) - 1) != "]}" || o != c || s != e || q != nq)
		print "line " NR ": braces " o "/" c ", brackets " s "/" e ", queues " q " of " nq }
	END { if (NR != 3) print NR " lines, wanted 3" }' /tmp/json 2>&1) || jbad="awk failed: $jbad"
if [ -z "$jbad" ]; then
	va_result stat_json_awk PASS "3 objects, $nq queues each"
else
	va_result stat_json_awk FAIL "$jbad"
fi
sed 's/^/VA-JSON /' /tmp/json
va_marker json-out
va_wait_host json-checked 120

va_check stat_rmmod rmmod virtio_alt
stat_fails stat_after_rmmod 'module virtio_alt is not loaded' 1 1
