#!/usr/bin/env bash
# Parse the KUnit (KTAP) results in a guest's serial log with the kernel's own
# `kunit.py parse`; print its summary. Exit 1 when a test failed or crashed,
# or when the log holds no test at all.
#   ktap.sh --src KERNEL_SRC [--json FILE] SERIAL_LOG
#
# The kernel prints one KTAP document per run of the executor: one at boot
# ("1..0" when no suite is built in) and one per module load with suites.
# Empty ones are dropped and the rest merged into one document (top-level
# test numbers renumbered), which is what `kunit.py parse` expects.
set -euo pipefail

src='' json='' log=''
while [ $# -gt 0 ]; do
	case $1 in
	--src) src=${2:?--src needs a directory}; shift 2 ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	-h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 2 ;;
	-*) echo "ktap.sh: unknown option $1" >&2; exit 2 ;;
	*) log=$1; shift ;;
	esac
done
kunit=$src/tools/testing/kunit/kunit.py
[ -f "$kunit" ] || { echo "ktap.sh: no $kunit (give --src KERNEL_SRC)" >&2; exit 2; }
[ -f "$log" ] || { echo "ktap.sh: no such log: '$log'" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ktap.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

python3 - "$log" > "$tmp/ktap" <<'EOF'
import re, sys
stamp = re.compile(r'\[\s*\d+\.\d+\] ')
head = re.compile(r'^(KTAP version \d+|TAP version \d+)$')
plan = re.compile(r'^1\.\.(\d+)')
result = re.compile(r'^(ok|not ok) (\d+)\b(.*)$')
docs, cur = [], None
with open(sys.argv[1], 'rb') as f:
    text = f.read().decode('utf-8', 'replace').replace('\r', '')
# kernel lines only: each printk timestamp starts one (no timestamps at all:
# take every line)
timed = bool(stamp.search(text))
for raw in text.split('\n'):
    for line in (stamp.split(raw)[1:] if timed else [raw]):
        if head.match(line):
            cur = {'plan': None, 'body': []}
            docs.append(cur)
        elif cur is not None and not line.startswith('VA-'):
            m = plan.match(line)
            if cur['plan'] is None and m:
                cur['plan'] = int(m.group(1))
            else:
                cur['body'].append(line)
docs = [d for d in docs if d['plan']]
if not docs:
    sys.exit(0)
print('KTAP version 1')
print('1..%d' % sum(d['plan'] for d in docs))
n = 0
for d in docs:
    for line in d['body']:
        m = result.match(line)
        if m:
            n += 1
            line = '%s %d%s' % (m.group(1), n, m.group(3))
        print(line)
EOF
if [ ! -s "$tmp/ktap" ]; then
	echo "ktap.sh: no KUnit tests found in $log" >&2
	exit 1
fi
args=(parse)
[ -z "$json" ] || args+=("--json=$(realpath -m "$json")")
# kunit.py parse exits 1 on failed, crashed or unparsable tests
python3 "$kunit" "${args[@]}" "$tmp/ktap"
