#!/bin/sh
# run-with-file-keyring.sh PROGRAM [ARGS…] — runs PROGRAM with libsecret's file backend, the
# one it uses inside a flatpak (where the Secret portal hands it the key; here a test
# password), and no D-Bus session at all: what works here needs no Secret Service, so the
# flatpak needs no --talk-name=org.freedesktop.secrets.
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pd-file-keyring.XXXXXX") || exit 99
# Under LeakSanitizer: libsecret's file backend leaks in GIO (see the suppressions file). The
# slow unwinder records GIO's frames (built without frame pointers), which the suppression
# names; the fast one stops at g_strdup.
LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan-file-keyring.supp"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS ASAN_OPTIONS
SECRET_BACKEND=file SECRET_FILE_TEST_PATH="$tmp/keyring" SECRET_FILE_TEST_PASSWORD=test \
DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/partner-desk-test" \
  "$@"
status=$?
rm -rf "$tmp"
exit $status
