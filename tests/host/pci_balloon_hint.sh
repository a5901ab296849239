#!/usr/bin/env bash
# Host side of tests/pci_balloon_hint.sh (and mmio_balloon_hint): a local
# migration of the running guest to "exec:cat > /dev/null" makes QEMU ask
# for free page hints and say DONE when it ends; the source VM is then
# paused (postmigrate) until QMP cont. After that, the main job's inflate,
# deflate and re-inflate with QMP checks (pci_balloon.sh).
set -euo pipefail

mig() {	# KEY: a field of query-migrate (empty if absent)
	host.py qmp query-migrate | python3 -c \
		"import json,sys; print(json.load(sys.stdin).get('$1', ''))"
}

# Boot with page_poison=1 under TCG is slow.
host.py wait-mark migrate 900
# Slow enough that the guest has time to hint during the bulk stage.
host.py qmp migrate-set-parameters '{"max-bandwidth": 67108864}' >/dev/null
t0=$SECONDS
host.py qmp migrate '{"uri": "exec:cat > /dev/null"}' >/dev/null
st=
while [ $((SECONDS - t0)) -lt 600 ]; do
	st=$(mig status)
	case $st in completed|failed|cancelled) break ;; esac
	sleep 0.5
done
ram=$(host.py qmp query-migrate | python3 -c \
	'import json,sys; r=json.load(sys.stdin).get("ram", {}); print(r.get("transferred", 0) // 1048576, r.get("normal", 0), r.get("duplicate", 0))')
if [ "$st" = completed ]; then
	host.py result "${VA_SCENARIO}_migration" PASS "completed in $((SECONDS - t0)) s; MiB sent, normal pages, zero pages: $ram"
else
	host.py result "${VA_SCENARIO}_migration" FAIL "status '$st' after $((SECONDS - t0)) s"
fi
# The source stays paused after a completed migration.
host.py qmp cont >/dev/null
state=$(host.py qmp query-status | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
if [ "$state" = running ]; then
	host.py result "${VA_SCENARIO}_cont" PASS "guest running again"
else
	host.py result "${VA_SCENARIO}_cont" FAIL "status $state after cont"
fi
host.py send migrated
host.py wait-mark hinted 600

. "$(dirname "$0")/pci_balloon.sh"
