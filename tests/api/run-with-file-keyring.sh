#!/bin/sh
# run-with-file-keyring.sh PROGRAM [ARGS…] — runs PROGRAM with libsecret's file backend, the
# one it uses inside a flatpak (where the Secret portal hands it the key; here a test
# password), and no D-Bus session at all: what works here needs no Secret Service, so the
# flatpak needs no --talk-name=org.freedesktop.secrets.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pd-file-keyring.XXXXXX") || exit 99
SECRET_BACKEND=file SECRET_FILE_TEST_PATH="$tmp/keyring" SECRET_FILE_TEST_PASSWORD=test \
DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/partner-desk-test" \
  "$@"
status=$?
rm -rf "$tmp"
exit $status
