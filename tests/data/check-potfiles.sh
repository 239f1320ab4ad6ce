#!/bin/sh
# Fails when a source file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist.
root="$1"
cd "$root" || exit 1
status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "POTFILES.in lists a missing file: $f"; status=1; }
done
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|g_dngettext|ngettext)\(' src --include='*.c' 2>/dev/null) \
         $(grep -rl 'translatable="yes"' src --include='*.ui' 2>/dev/null); do
  echo "$listed" | grep -qx "$f" || { echo "missing from po/POTFILES.in: $f"; status=1; }
done
[ $status -eq 0 ] && echo "POTFILES.in is complete"
exit $status
