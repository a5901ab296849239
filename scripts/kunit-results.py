#!/usr/bin/python3
"""Turn kunit.py's JSON (scripts/ktap.sh --json) into one line per KUnit case:
"kunit.<suite>.<case>[.<param>] PASS|FAIL|SKIP". Printed for scripts/check.sh,
which counts them; the stdlib json module does the parsing."""
import json
import sys


def walk(group, prefix):
    for case in group.get('test_cases', []):
        yield f"{prefix}.{case['name']}".replace(' ', '_'), case['status']
    for sub in group.get('sub_groups', []):
        yield from walk(sub, f"{prefix}.{sub['name']}")


with open(sys.argv[1]) as f:
    top = json.load(f)
for suite in top.get('sub_groups', []):
    for name, status in walk(suite, 'kunit.' + suite['name']):
        print(name, {'PASS': 'PASS', 'SKIP': 'SKIP'}.get(status, 'FAIL'))
