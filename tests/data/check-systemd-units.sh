#!/bin/sh
# The sync units as installed (TAP): ExecStart runs the installed CLI, the timer is hourly,
# randomised and persistent, and `systemd-analyze --user verify` accepts both without a
# warning. verify insists that ExecStart's program exists, so it checks a copy whose
# ExecStart names the built CLI instead of the not yet installed one.
#
# usage: check-systemd-units.sh SERVICE TIMER BINDIR BUILT-CLI [SYSTEMD-ANALYZE]
set -u
service=$1 timer=$2 bindir=$3 analyze=${5:-}
cli=$(cd "$(dirname "$4")" && pwd)/$(basename "$4")
n=0 failed=0
result() { # result OK|FAIL description
  n=$((n + 1))
  if [ "$1" = OK ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}
has() { grep -qx "$2" "$1" && echo OK || echo FAIL; }

echo "1..6"
result "$(has "$service" "ExecStart=$bindir/partner-desk-cli sync")" "ExecStart runs $bindir/partner-desk-cli sync"
result "$(has "$service" "Type=oneshot")" "the service is a oneshot"
result "$(has "$timer" "OnCalendar=hourly")" "the timer fires hourly"
result "$(has "$timer" "Persistent=true")" "a missed run happens at the next start"
result "$(grep -q '^RandomizedDelaySec=' "$timer" && echo OK || echo FAIL)" "the start is randomised"

if [ -z "$analyze" ]; then
  echo "ok 6 # SKIP systemd-analyze not found"
  exit $failed
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/runtime" && chmod 700 "$tmp/runtime"
sed "s|^ExecStart=$bindir/partner-desk-cli |ExecStart=$cli |" "$service" > "$tmp/partner-desk-sync.service"
cp "$timer" "$tmp/partner-desk-sync.timer"
out=$(cd "$tmp" && XDG_RUNTIME_DIR="$tmp/runtime" "$analyze" --user verify --man=no \
        ./partner-desk-sync.service ./partner-desk-sync.timer 2>&1)
status=$?
if [ $status -eq 0 ] && [ -z "$out" ]; then
  result OK "systemd-analyze --user verify accepts both units"
else
  result FAIL "systemd-analyze --user verify accepts both units"
  echo "$out" | sed 's/^/# /'
fi
exit $failed
