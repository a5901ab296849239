#!/usr/bin/env bash
# Host side of tests/pci_balloon_speed.sh: alternating turns of this
# module's balloon and the in-tree one on the same QEMU device. Each turn
# sets the target to 1 GiB below the guest's 2 GiB, waits until QEMU reports
# it reached (query-balloon, polled every 20 ms), then back to 2 GiB; it
# counts the available buffer notifications (trace event
# virtio_queue_notify) and used buffer notifications (virtio_notify) QEMU
# saw in between, from the trace file next to the results.
#
# VA_SPEED_TURNS (default 2) turns per driver, interleaved alt, intree, ...
# The medians and their ratios go to ${VA_RESULTS%.*}.speed (one line per
# measure) and to the result details. Timing is reported, never asserted:
# the checks are that each turn reached its target and that this module
# notified the device no more often per page than the in-tree driver.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

turns=${VA_SPEED_TURNS:-2}
trace=${VA_SPEED_TRACE:?VA_SPEED_TRACE names QEMU\'s trace file}
speed=${VA_SPEED_OUT:-/dev/null}
pages=$((1024 * MiB / 4096))

# reach MIB: set the target, print the seconds until actual is MIB.
reach() {
	python3 - "$1" <<'PY'
import json, subprocess, sys, time
want = int(sys.argv[1]) << 20
def q(*a):
    return json.loads(subprocess.check_output(["host.py", "qmp", *a]))
t0 = time.monotonic()
q("balloon", json.dumps({"value": want}))
while q("query-balloon")["actual"] != want:
    if time.monotonic() - t0 > 300:
        sys.exit("target %d MiB not reached in 300 s" % (want >> 20))
    time.sleep(0.02)
print("%.3f" % (time.monotonic() - t0))
PY
}

# notifies FROM: "kicks irqs" in the trace past byte FROM.
notifies() {
	tail -c +"$(($1 + 1))" "$trace" |
		awk '/virtio_queue_notify / { k++ } /virtio_notify / { i++ }
		     END { printf "%d %d\n", k, i }'
}

rows=()
fail=0
for ((i = 0; i < 2 * turns; i++)); do
	ring=alt
	[ $((i % 2)) = 1 ] && ring=intree
	host.py send "turn $i $ring"
	host.py wait-mark "ready $i" 300
	sleep 1
	off=$(stat -c %s "$trace")
	if ! tin=$(reach 1024); then fail=1; break; fi
	read -r kin iin < <(notifies "$off")
	off=$(stat -c %s "$trace")
	if ! tout=$(reach 2048); then fail=1; break; fi
	read -r kout iout < <(notifies "$off")
	rows+=("$ring $tin $tout $kin $iin $kout $iout")
	host.py send "done $i"
done
host.py send "turn stop"
if [ "$fail" = 1 ]; then
	host.py result "${VA_SCENARIO}_targets" FAIL "turn $i did not reach its target"
	exit 0
fi
host.py result "${VA_SCENARIO}_targets" PASS "$((2 * turns)) turns of 1 GiB in and out"

# Medians per ring and direction, ratios alt / in-tree.
# (The rows as arguments: python's standard input is this script.)
python3 - "$pages" "$speed" "$VA_SCENARIO" "${rows[@]}" <<'PY'
import statistics, subprocess, sys
pages, out, scen = int(sys.argv[1]), sys.argv[2], sys.argv[3]
cols = ("t_in", "t_out", "k_in", "i_in", "k_out", "i_out")
runs = {}
for line in sys.argv[4:]:
    f = line.split()
    runs.setdefault(f[0], []).append(dict(zip(cols, map(float, f[1:]))))
med = {r: {c: statistics.median(x[c] for x in v) for c in cols}
       for r, v in runs.items()}
lines = []
ok = True
for d, t, k, i in (("inflate", "t_in", "k_in", "i_in"),
                   ("deflate", "t_out", "k_out", "i_out")):
    a, b = med["alt"], med["intree"]
    ka, kb = a[k] * 1000 / pages, b[k] * 1000 / pages
    ia, ib = a[i] * 1000 / pages, b[i] * 1000 / pages
    lines.append("%s alt %.2f s %.0f pages/s kicks/1000 %.2f irqs/1000 %.2f"
                 " intree %.2f s %.0f pages/s kicks/1000 %.2f irqs/1000 %.2f"
                 " ratio %.2f" % (d, a[t], pages / a[t], ka, ia, b[t],
                                  pages / b[t], kb, ib, a[t] / b[t]))
    good = ka <= kb and ia <= ib
    ok = ok and good
    subprocess.run(["host.py", "result", "%s_%s_notifications" % (scen, d),
                    "PASS" if good else "FAIL",
                    "per 1000 pages: alt kicks %.2f irqs %.2f, in-tree kicks"
                    " %.2f irqs %.2f; time alt %.2f s, in-tree %.2f s (%.2fx,"
                    " median of %d, not judged)" % (ka, ia, kb, ib, a[t], b[t],
                                                    a[t] / b[t],
                                                    len(runs["alt"]))],
                   check=True)
with open(out, "a") as f:
    f.write("\n".join(lines) + "\n")
PY
