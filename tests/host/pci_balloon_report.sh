#!/usr/bin/env bash
# Host side of tests/pci_balloon_report.sh (and its variants): the demo's
# inflate and deflate with QMP checks; then QEMU's resident memory before and
# after the guest frees 256 MiB of tmpfs (shown; the guest counters are the
# checks); then a re-inflate and removal.
. "$(dirname "$0")/demo.sh"

# QEMU of this run: the one whose command line names our QMP socket.
qemu=$(pgrep -f -- "-qmp unix:$VA_QMP" | head -n 1)
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$qemu/status"; }

# Reporting declined (balloon_conflict=decline): nothing to measure.
case $VA_SCENARIO in
*seed_negotiated) ;;
*)
	host.py wait-mark filled 300
	r0=$(rss)
	host.py send sampled
	host.py wait-mark reported 300
	sleep 1
	r1=$(rss)
	# Shown, not judged: QEMU's RSS after the guest freed 256 MiB fell
	# by 40 to 208 MiB from run to run on this machine, so it cannot
	# tell a discard apart from other host activity. The guest-side
	# counters (reports, bytes reported) are the checks.
	echo "QEMU RSS $((r0 / 1024)) -> $((r1 / 1024)) MiB after the guest freed 256 MiB"
	host.py send measured ;;
esac

host.py wait-mark reinflate 300
host.py qmp balloon "{\"value\": $((1792 * MiB))}" >/dev/null
host.py wait-mark removed 300
expect_actual "${VA_SCENARIO}_qmp_after_remove" $((2048 * MiB))
