#!/bin/sh
# run-with-keyring.sh PROGRAM [ARGS…] — runs PROGRAM in a private D-Bus session with a fresh,
# unlocked gnome-keyring (the Secret Service libsecret talks to), then removes it all.
# recipes.md: a non-empty password is needed, or the login collection is never created.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pd-keyring.XXXXXX") || exit 99
mkdir -p "$tmp/data/keyrings" "$tmp/runtime"
chmod 700 "$tmp/runtime"
XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime" \
dbus-run-session -- sh -c '
  printf %s test | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >/dev/null 2>&1 &
  daemon=$!
  # Wait (bounded) until the keyring owns its bus name, so that libsecret does not start
  # a second, locked one through D-Bus activation.
  if ! gdbus wait --session --timeout 20 org.freedesktop.secrets; then
    kill "$daemon" 2>/dev/null
    echo "run-with-keyring: gnome-keyring-daemon did not start" >&2
    exit 99
  fi
  "$@"
  status=$?
  kill "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null
  exit $status
' run-with-keyring "$@"
status=$?
rm -rf "$tmp"
exit $status
