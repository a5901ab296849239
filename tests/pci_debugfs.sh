# Guest side of pci_debugfs and pci_debugfs_packed: every debugfs file of a
# virtio-alt-pci balloon (alt ring) and of an in-tree virtio_rng beside it,
# read and checked against a known state: before and after a 256 MiB
# inflate by the host (tests/host/pci_debugfs.sh), whose QMP view of the
# queues (x-query-virtio-queue-status) is compared with vq<N>/layout and
# vq<N>/ring there. Counters are reset by a write and count from zero; bad
# writes are refused.
. /lib/va/guest.sh

D=/sys/kernel/debug/virtio_alt
S=$VA_SCENARIO
INFLATE_KB=262144	# 256 MiB: 256 buffers of 256 page numbers (1024 bytes)
want="split"
case $S in *packed*) want=packed ;; esac

# field FILE KEY: the value after KEY at the start of a line of FILE
field() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
# lines FILE PREFIX: how many lines of FILE start with "PREFIX "
lines() { awk -v k="$2" '$1 == k { n++ } END { print n + 0 }' "$1"; }

va_check "${S}_modprobe" modprobe virtio_alt
bal=$(va_vdev_of 0x1045)
rng=$(va_vdev_of 0x1044)
B=$D/$bal

# -- every file is there, and only the write-only one refuses a read
missing=
for f in transport features status generation queue_reset balloon; do
	[ -f "$B/$f" ] || missing="$missing $f"
done
nvq=0
for q in "$B"/vq*; do
	nvq=$((nvq + 1))
	for f in info layout ring counters; do
		[ -f "$q/$f" ] || missing="$missing $(basename "$q")/$f"
	done
done
for f in transport features status generation balloon vq0/info vq0/layout \
	 vq0/ring vq0/counters; do
	cat "$B/$f" > /dev/null 2>&1 || missing="$missing unreadable:$f"
done
if [ -n "$bal" ] && [ "$nvq" -ge 2 ] && [ -z "$missing" ]; then
	va_result "${S}_files" PASS "$bal: $nvq queues"
else
	va_result "${S}_files" FAIL "'$bal' queues $nvq, missing:$missing"
fi

# -- transport, status
if grep -qx 'transport pci' "$B/transport" && grep -qx 'ring alt' "$B/transport" &&
   grep -qx 'device_id 5' "$B/transport"; then
	va_result "${S}_transport" PASS "pci, alt ring, device 5"
else
	va_result "${S}_transport" FAIL "$(head -n 3 "$B/transport" | tr '\n' ' ')"
fi
# The virtio capabilities as parsed: QEMU 7.2 puts the four structures in
# its modern memory BAR 4 at 0x0 (common), 0x1000 (ISR), 0x2000 (device)
# and 0x3000 (notify), and offers the PCI configuration access window.
capok=1
for c in common:0x0 isr:0x1000 device:0x2000 notify:0x3000; do
	grep -q "^cap_${c%%:*} pos 0x[0-9a-f]* bar 4 offset ${c#*:} length 0x[0-9a-f]*\$" "$B/transport" || capok=0
done
if [ "$capok" = 1 ] && grep -q '^cap_pci_cfg pos 0x[0-9a-f]*$' "$B/transport" &&
   grep -qx 'caps_rejected 0' "$B/transport"; then
	va_result "${S}_capabilities" PASS "$(grep '^cap' "$B/transport" | tr '\n' ';')"
else
	va_result "${S}_capabilities" FAIL "$(grep '^cap' "$B/transport" | tr '\n' ';')"
fi
st=$(cat "$B/status")
if [ "$st" = "0x0f ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK" ]; then
	va_result "${S}_status" PASS "$st"
else
	va_result "${S}_status" FAIL "$st"
fi

# -- features: each bit of the hex values named, in order, nothing else
fname() {
	case $1 in
	0) echo VIRTIO_BALLOON_F_MUST_TELL_HOST ;;
	1) echo VIRTIO_BALLOON_F_STATS_VQ ;;
	2) echo VIRTIO_BALLOON_F_DEFLATE_ON_OOM ;;
	3) echo VIRTIO_BALLOON_F_FREE_PAGE_HINT ;;
	4) echo VIRTIO_BALLOON_F_PAGE_POISON ;;
	5) echo VIRTIO_BALLOON_F_PAGE_REPORTING ;;
	24) echo VIRTIO_F_NOTIFY_ON_EMPTY ;;
	27) echo VIRTIO_F_ANY_LAYOUT ;;
	28) echo VIRTIO_F_INDIRECT_DESC ;;
	29) echo VIRTIO_F_EVENT_IDX ;;
	32) echo VIRTIO_F_VERSION_1 ;;
	33) echo VIRTIO_F_ACCESS_PLATFORM ;;
	34) echo VIRTIO_F_RING_PACKED ;;
	35) echo VIRTIO_F_IN_ORDER ;;
	36) echo VIRTIO_F_ORDER_PLATFORM ;;
	37) echo VIRTIO_F_SR_IOV ;;
	38) echo VIRTIO_F_NOTIFICATION_DATA ;;
	39) echo VIRTIO_F_NOTIF_CONFIG_DATA ;;
	40) echo VIRTIO_F_RING_RESET ;;
	41) echo VIRTIO_F_ADMIN_VQ ;;
	*) echo "bit $1" ;;
	esac
}
names_of() {	# HEX: the names the file must show for it
	_v=$(($1)) _b=0 _o=
	while [ $_b -lt 64 ]; do
		[ $(((_v >> _b) & 1)) = 1 ] && _o="$_o $(fname $_b)"
		_b=$((_b + 1))
	done
	echo "${_o:- -}"
}
bad=
for w in device driver negotiated; do
	hex=$(field "$B/features" $w)
	got=$(sed -n "s/^${w}_names//p" "$B/features")
	[ "$got" = "$(names_of "$hex")" ] || bad="$bad $w: '$got' for $hex;"
done
neg=$(field "$B/features" negotiated)
negn=$(sed -n 's/^negotiated_names //p' "$B/features")
for n in VIRTIO_F_VERSION_1 VIRTIO_BALLOON_F_STATS_VQ; do
	case " $negn " in *" $n "*) ;; *) bad="$bad no $n;" ;; esac
done
case " $negn " in
*" VIRTIO_F_RING_PACKED "*) [ $want = packed ] || bad="$bad RING_PACKED on split;" ;;
*) [ $want = split ] || bad="$bad no RING_PACKED;" ;;
esac
if [ -z "$bad" ]; then
	va_result "${S}_features_by_name" PASS "negotiated $negn"
else
	va_result "${S}_features_by_name" FAIL "$bad"
fi

# -- layout of every queue: sizes from the queue size, alignments, flags
bad="" desc=""
for q in "$B"/vq*; do
	L=$q/layout n=$(field "$q/info" size)
	f=$(field "$L" format) a=$(field "$L" align)
	da=$(($(field "$L" desc_addr))) dr=$(($(field "$L" driver_addr)))
	dv=$(($(field "$L" device_addr)))
	if [ $want = packed ]; then eb=4 ed=4; else eb=$((6 + 2 * n)) ed=$((6 + 8 * n)); fi
	[ "$f" = $want ] && [ "$(field "$L" size)" = "$n" ] &&
	[ "$(field "$L" desc_bytes)" = $((16 * n)) ] &&
	[ "$(field "$L" driver_bytes)" = $eb ] &&
	[ "$(field "$L" device_bytes)" = $ed ] &&
	[ $((da % 16)) = 0 ] && [ $((dr % 2)) = 0 ] && [ $((dv % 4)) = 0 ] &&
	[ "$(field "$L" event_idx)" = $(((neg >> 29) & 1)) ] &&
	[ "$(field "$L" indirect)" = $(((neg >> 28) & 1)) ] &&
	[ "$(field "$L" in_order)" = $(((neg >> 35) & 1)) ] ||
		bad="$bad $(basename "$q"): $(tr '\n' ' ' < "$L");"
	# split: the used ring at a multiple of the alignment (2.7)
	[ $want = packed ] || [ $((dv % a)) = 0 ] || bad="$bad $(basename "$q") used ring not aligned to $a;"
	desc="$desc $(basename "$q") $n"
	# for the host: QEMU's view of the same queue
	_va_emit "VA-QUEUE $(basename "$q" | tr -d vq) $da $dr $dv $n"
done
if [ -z "$bad" ]; then
	va_result "${S}_layout" PASS "$want:$desc"
else
	va_result "${S}_layout" FAIL "$bad"
fi

# -- the statistics queue holds its buffer at the device (5.5.6.3): the
# dump names it in flight, one device-readable descriptor of whole stats.
R=/tmp/ring
cat "$B/vq2/ring" > $R
id=$(awk '$1 == "inflight" { print $3; exit }' $R)
line=$(awk -v i="$id" '$1 == "desc" && $2 == i' $R)
dlen=$(echo "$line" | awk '{ print $6 }')
if [ "$(field $R in_flight)" = 1 ] && [ "$(lines $R inflight)" = 1 ] &&
   grep -q "^inflight id $id descs 1 in_len 0 indirect 0\$" $R &&
   [ "${dlen:-0}" -gt 0 ] && [ $((dlen % 10)) = 0 ] &&
   echo "$line" | grep -q ' flags 0x00[08]0 ' ; then
	va_result "${S}_ring_stats_in_flight" PASS "$line"
else
	va_result "${S}_ring_stats_in_flight" FAIL "id '$id' line '$line': $(grep -E '^(in_flight|inflight)' $R | tr '\n' ' ')"
fi

gen0=$(cat "$B/generation")
for f in features generation vq0/layout vq2/ring; do
	echo "== $bal/$f"; cat "$B/$f"
done

# -- inflate by the host
total0=$(va_meminfo MemTotal)
va_marker inflate
if va_wait_for 180 va_mem_is $((total0 - INFLATE_KB)); then
	va_result "${S}_inflate" PASS "MemTotal $total0 -> $(va_meminfo MemTotal) kB"
else
	va_result "${S}_inflate" FAIL "MemTotal $total0 -> $(va_meminfo MemTotal) kB, wanted $((total0 - INFLATE_KB))"
fi

# generation: the host changed num_pages, the device counted it (4.1.4.3)
gen1=$(cat "$B/generation")
if [ "$gen0" -ge 0 ] 2>/dev/null && [ "$gen1" -gt "$gen0" ]; then
	va_result "${S}_generation" PASS "$gen0 -> $gen1"
else
	va_result "${S}_generation" FAIL "'$gen0' -> '$gen1'"
fi
if grep -qx 'pages: 65536' "$B/balloon" && grep -qx 'inflated: 65536' "$B/balloon"; then
	va_result "${S}_balloon_file" PASS "65536 pages"
else
	va_result "${S}_balloon_file" FAIL "$(grep -E '^(pages|inflated):' "$B/balloon" | tr '\n' ' ')"
fi

# -- the inflate queue, idle after 256 buffers of one descriptor each
C=$B/vq0/counters
a=$(field $C bufs_added) u=$(field $C bufs_used) d=$(field $C descs_added)
if [ "$a" = 256 ] && [ "$u" = 256 ] && [ "$d" = 256 ] &&
   [ "$(field $C broken)" = 0 ]; then
	va_result "${S}_counters_add_up" PASS "bufs_added $a bufs_used $u descs_added $d kicks $(field $C kicks)"
else
	va_result "${S}_counters_add_up" FAIL "$(tr '\n' ' ' < $C)"
fi
cat "$B/vq0/ring" > $R
n=$(field $R size)
bad=
[ "$(field $R format)" = $want ] || bad="$bad format;"
[ "$(field $R in_flight)" = 0 ] && [ "$(lines $R inflight)" = 0 ] &&
	[ "$(field $R num_free)" = "$n" ] || bad="$bad in flight;"
[ "$(lines $R desc)" = "$n" ] || bad="$bad $(lines $R desc) desc lines;"
if [ $want = split ]; then
	# The free list is LIFO: each request of 4 buffers reuses the
	# descriptors the last one gave back. Those held 1024 bytes of page
	# numbers, device-readable; the others were never written.
	used_descs=$(awk '$1 == "desc" && $6 == 1024' $R | wc -l)
	[ "$used_descs" -ge 4 ] &&
	[ "$(awk '$1 == "desc" && $6 != 1024 && ($4 != "0x0000000000000000" || $6 != 0)' $R | wc -l)" = 0 ] ||
		bad="$bad desc len: $(awk '$1 == "desc" { print $6 }' $R | sort | uniq -c | tr '\n' ' ');"
	[ "$(awk '$1 == "avail_ring" { print $6 }' $R)" = 256 ] &&
	[ "$(awk '$1 == "used_ring" { print $6 }' $R)" = 256 ] &&
	[ "$(field $R avail_idx_shadow)" = 256 ] &&
	[ "$(field $R last_used_idx)" = 256 ] || bad="$bad indexes;"
	[ "$(lines $R avail)" = "$n" ] && [ "$(lines $R used)" = "$n" ] ||
		bad="$bad ring lines;"
	grep -q ' new$' $R && bad="$bad a used entry not taken;"
	[ "$(awk '$1 == "desc" && $8 != "0x0000"' $R | wc -l)" = 0 ] || bad="$bad desc flags;"
	[ "$(awk -v n="$n" '$1 == "used" && $4 >= n' $R | wc -l)" = 0 ] || bad="$bad used id;"
else
	# 256 descriptors from slot 0, the wrap counters flipped per lap
	w=$(( (1 + 256 / n) % 2 ))
	[ "$(field $R next_avail_idx)" = $((256 % n)) ] &&
	[ "$(field $R last_used_idx)" = $((256 % n)) ] &&
	[ "$(field $R driver_wrap_counter)" = $w ] &&
	[ "$(field $R device_wrap_counter)" = $w ] || bad="$bad indexes/wrap;"
	# each slot holds a used descriptor of its last lap: AVAIL == USED ==
	# that lap's wrap counter (2.8.1, 2.8.21.1)
	bad_slots=$(awk '$1 == "desc" { print $2, $10 }' $R |
		while read -r i f; do
			lw=$(( ((255 - i) / n + 1) % 2 ))
			[ $(((f >> 7) & 1)) = $lw ] && [ $(((f >> 15) & 1)) = $lw ] ||
				echo "$i:$f"
		done | head -n 3)
	[ -z "$bad_slots" ] || bad="$bad slots $bad_slots;"
	grep -q '^driver_event flags 0x000[0-2] \(ENABLE\|DISABLE\|DESC\) off [0-9]* wrap [01]$' $R &&
	grep -q '^device_event flags 0x000[0-2] \(ENABLE\|DISABLE\|DESC\) off [0-9]* wrap [01]$' $R ||
		bad="$bad event areas;"
fi
if [ -z "$bad" ]; then
	va_result "${S}_ring_after_inflate" PASS "$want size $n, $(grep -E '^(avail_ring|used_ring|next_avail_idx|driver_wrap_counter)' $R | tr '\n' ' ')"
else
	va_result "${S}_ring_after_inflate" FAIL "$bad $(head -n 14 $R | tr '\n' ' ')"
fi
echo "== $bal/vq0/ring after the inflate"; head -n 20 $R; tail -n 4 $R
# for the host: the indexes QEMU must agree with
if [ $want = split ]; then
	_va_emit "VA-INDEX 0 $(awk '$1 == "avail_ring" { print $6 }' $R) $(awk '$1 == "used_ring" { print $6 }' $R)"
else
	_va_emit "VA-INDEX 0 $(field $R next_avail_idx) $(field $R last_used_idx)"
fi

# -- bad writes to the two writable files: each refused with a message
# naming the value (or the length), and nothing changes: the counters keep
# their values (taken while the balloon is idle), no queue is reset. Out of
# range, malformed, wrong type, empty, and longer than any good value.
refused_with() {	# FILE VALUE|@FILE LOG-TEXT (@FILE: its bytes in one write)
	case $2 in
	@*) dd if="${2#@}" of="$1" bs=65536 count=1 2>/dev/null ;;
	*) printf '%s\n' "$2" > "$1" 2>/dev/null ;;
	esac
	if [ $? = 0 ]; then
		bad="$bad $(basename "$1") took '$2';"
	elif ! dmesg | grep -qF -- "$3"; then
		bad="$bad no \"$3\" for '$2';"
	fi
}
bad=
added0=$(field $C bufs_added) used0=$(field $C bufs_used)
resets0=$(field $C resets) resets1=$(field "$B/vq1/counters" resets)
for v in 1 foo "0 0" -1 0x 1.5 reset; do
	refused_with $C "$v" "vq0/counters: '$v' refused; write 0 (or an empty line) to reset"
done
head -c 4096 /dev/zero | tr '\0' 0 > /tmp/huge
refused_with $C @/tmp/huge "vq0/counters: 4096 bytes written; write 0 (or an empty line) to reset"
for v in nonsense "" -1 65536 x1 "1.5"; do
	refused_with "$B/queue_reset" "$v" "queue_reset: '$v' is not a queue index"
done
for v in 0 -4 1.5 big; do
	refused_with "$B/queue_reset" "0 $v" "queue_reset: '$v' is not a queue size"
done
refused_with "$B/queue_reset" 99 "queue_reset: the device has no queue 99 of the driver's"
refused_with "$B/queue_reset" @/tmp/huge "queue_reset: 4096 bytes written; expected \"INDEX [SIZE]\""
[ "$(field $C bufs_added)" = "$added0" ] && [ "$(field $C bufs_used)" = "$used0" ] &&
	[ "$added0" -gt 0 ] || bad="$bad vq0 counters changed: bufs_added $added0 -> $(field $C bufs_added);"
[ "$(field $C resets)" = "$resets0" ] && [ "$(field "$B/vq1/counters" resets)" = "$resets1" ] ||
	bad="$bad a queue was reset;"
if [ -z "$bad" ]; then
	va_result "${S}_bad_input_table" PASS "counters: 8 values, queue_reset: 12 values refused with a message; counters kept (bufs_added $added0), no reset"
else
	va_result "${S}_bad_input_table" FAIL "$bad"
fi

# -- counters: reset by "0" and by an empty line; anything else refused
bad=
echo 0 > $C || bad="$bad '0' refused;"
nz=$(awk '$2 != 0 && $1 != "broken"' $C)
[ -z "$nz" ] || bad="$bad after reset: $nz;"
echo > "$B/vq1/counters" || bad="$bad empty line refused;"
[ "$(field "$B/vq1/counters" bufs_added)" = 0 ] || bad="$bad vq1 not reset;"
if [ -z "$bad" ]; then
	va_result "${S}_counters_reset" PASS "vq0 all 0 after 'echo 0', vq1 after 'echo'"
else
	va_result "${S}_counters_reset" FAIL "$bad"
fi
bad=
for v in 1 foo "0 0" -1; do
	if echo "$v" > $C 2>/dev/null; then
		bad="$bad '$v' accepted;"
	elif ! dmesg | grep -q "vq0/counters: '$v' refused; write 0 (or an empty line) to reset"; then
		bad="$bad no message for '$v';"
	fi
done
if echo nonsense > "$B/queue_reset" 2>/dev/null; then bad="$bad queue_reset took 'nonsense';"; fi
if [ -z "$bad" ]; then
	va_result "${S}_bad_writes_refused" PASS "1, foo, '0 0', -1 refused with a message"
else
	va_result "${S}_bad_writes_refused" FAIL "$bad"
fi

va_marker inflated
va_wait_host deflate 120
if va_wait_for 180 va_mem_is "$total0"; then
	va_result "${S}_deflate" PASS "MemTotal back to $total0 kB"
else
	va_result "${S}_deflate" FAIL "MemTotal $(va_meminfo MemTotal) kB, wanted $total0"
fi

# -- after the reset, the deflate alone: vq1 counts exactly its 256 buffers,
# vq0 none
C1=$B/vq1/counters
a=$(field $C1 bufs_added) u=$(field $C1 bufs_used) a0=$(field $C bufs_added)
if [ "$a" = 256 ] && [ "$u" = 256 ] && [ "$a0" = 0 ]; then
	va_result "${S}_counters_since_reset" PASS "deflate: bufs_added $a bufs_used $u; inflate queue 0"
else
	va_result "${S}_counters_since_reset" FAIL "deflate added $a used $u; inflate added $a0"
fi
va_marker deflated

# -- the in-tree virtio_rng on our transport: layout yes, no ring dump,
# the transport's counters reset
va_check "${S}_rng_modprobe" modprobe virtio_rng
dd if=/dev/hwrng bs=64 count=1 > /dev/null 2>&1
Q=$D/$rng/vq0
k=$(field "$Q/counters" kicks)
echo 0 > "$Q/counters"
k0=$(field "$Q/counters" kicks)
dd if=/dev/hwrng bs=64 count=1 > /dev/null 2>&1
k1=$(field "$Q/counters" kicks)
if [ "${k:-0}" -gt 0 ] && [ "$k0" = 0 ] && [ "${k1:-0}" -gt 0 ] &&
   grep -q '^in-tree ring' "$Q/ring" &&
   [ "$(field "$Q/layout" desc_bytes)" = $((16 * $(field "$Q/layout" size))) ]; then
	va_result "${S}_intree_queue" PASS "kicks $k, 0 after reset, $k1 after 64 bytes; $(cat "$Q/ring")"
else
	va_result "${S}_intree_queue" FAIL "kicks $k -> $k0 -> $k1; ring '$(cat "$Q/ring")'; $(tr '\n' ' ' < "$Q/layout")"
fi

va_check "${S}_rmmod" sh -c 'rmmod virtio_rng && rmmod virtio_alt'
va_kmemleak_scan "${S}_kmemleak"
