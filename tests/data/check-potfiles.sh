#!/bin/sh
# Fails when a source file (.c, .h) with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist.
root="$1"
cd "$root" || exit 1
status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "POTFILES.in lists a missing file: $f"; status=1; }
done
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|g_dngettext|ngettext)\(' src --include='*.c' --include='*.h' 2>/dev/null) \
         $(grep -rl 'translatable="yes"' src --include='*.ui' 2>/dev/null); do
  echo "$listed" | grep -qx "$f" || { echo "missing from po/POTFILES.in: $f"; status=1; }
done
# The partner-desk-pot target runs xgettext over the same list: it must extract strings.
pot=$(mktemp)
trap 'rm -f "$pot"' EXIT
if ! xgettext --files-from=po/POTFILES.in --directory=. --from-code=UTF-8 --add-comments \
     --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dngettext:2,3 --output="$pot" 2>&1; then
  echo "xgettext failed on po/POTFILES.in"; status=1
elif [ "$(grep -c '^msgid ' "$pot")" -lt 2 ]; then
  echo "xgettext extracted no strings"; status=1
fi
[ $status -eq 0 ] && echo "POTFILES.in is complete and extracts $(grep -c '^msgid ' "$pot") strings"
exit $status
