#!/usr/bin/env bash
# Host side of tests/pci_stat.sh: inflate by 512 MiB and deflate over QMP
# while the guest runs virtio-alt-stat; parse its --json output (the
# guest's VA-JSON lines in the serial log) with python3.
set -euo pipefail

. "$(dirname "$0")/../lib/host_balloon.sh"

balloon_cycle stat 1536
host.py wait-mark json-out 300
if out=$(sed -e 's/\r//g' "$VA_LOG" | sed -n 's/^VA-JSON //p' | python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert len(objs) == 3, "%d objects" % len(objs)
modes = [o["mode"] for o in objs]
assert modes == ["rates", "rates", "totals"], modes
for o in objs:
    for q in o["queues"]:
        assert isinstance(q["vq"], int) and q["ring"] in ("alt", "in-tree"), q
    assert all("bufs_per_s" in q for q in o["queues"]) == (o["mode"] == "rates")
print("%d objects, %d queues, inflate bufs_used %s" % (len(objs),
      len(objs[2]["queues"]), objs[2]["queues"][0]["bufs_used"]))
' 2>&1); then
	host.py result stat_json_python PASS "$out"
else
	host.py result stat_json_python FAIL "$(echo "$out" | tail -n 1)"
fi
host.py send json-checked
