#!/bin/sh
# check-po.sh SRCROOT MODE [XGETTEXT_ARG…]
#
# MODE files: po/LINGUAS lists exactly the po/*.po files, and each passes
#   msgfmt --check --check-accelerators=_ with every message translated and none fuzzy.
# MODE up-to-date: extracts the catalogue from po/POTFILES.in as 'ninja partner-desk-pot' does
#   (the same xgettext arguments, from po/meson.build), merges each po/*.po with it as
#   'ninja partner-desk-update-po' would, and fails on any message that merge leaves untranslated
#   or fuzzy: a new or changed string fails here until every language translates it.
root="$1"; mode="$2"; shift 2
cd "$root" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# "12 translated messages, 1 fuzzy translation, 2 untranslated messages." -> "1 2"
counts() {
  msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$1" 2>"$tmp/stats" \
    || { cat "$tmp/stats"; echo "msgfmt --check failed on $2"; return 1; }
  fuzzy=$(sed -n 's/.* \([0-9][0-9]*\) fuzzy translation.*/\1/p' "$tmp/stats")
  untranslated=$(sed -n 's/.* \([0-9][0-9]*\) untranslated message.*/\1/p' "$tmp/stats")
  echo "$2: $(cat "$tmp/stats")"
  if [ "${fuzzy:-0}" -ne 0 ] || [ "${untranslated:-0}" -ne 0 ]; then
    echo "$2: ${fuzzy:-0} fuzzy and ${untranslated:-0} untranslated messages:"
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$1" | grep '^msgid ' | sed 1d
    msgattrib --untranslated --no-obsolete --no-wrap "$1" | grep '^msgid ' | sed 1d
    return 1
  fi
}

languages=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/LINGUAS)
[ -n "$languages" ] || { echo "po/LINGUAS lists no language"; exit 1; }
for po in po/*.po; do
  [ -e "$po" ] || continue
  lang=$(basename "$po" .po)
  echo "$languages" | grep -qx "$lang" || { echo "$po is not listed in po/LINGUAS"; status=1; }
done

case "$mode" in
files)
  for lang in $languages; do
    [ -f "po/$lang.po" ] || { echo "po/LINGUAS lists $lang but po/$lang.po does not exist"; status=1; continue; }
    counts "po/$lang.po" "po/$lang.po" || status=1
  done
  ;;
up-to-date)
  xgettext --package-name=partner-desk --files-from=po/POTFILES.in --directory=. -k_ "$@" \
           --output="$tmp/partner-desk.pot" || { echo "xgettext failed"; exit 1; }
  echo "catalogue: $(grep -c '^msgid ' "$tmp/partner-desk.pot") messages"
  for lang in $languages; do
    [ -f "po/$lang.po" ] || continue   # the 'files' test reports it
    msgmerge --quiet --lang="$lang" --output-file="$tmp/$lang.po" "po/$lang.po" \
             "$tmp/partner-desk.pot" || { echo "msgmerge failed on po/$lang.po"; status=1; continue; }
    counts "$tmp/$lang.po" "po/$lang.po merged with the sources' strings" || status=1
  done
  [ $status -eq 0 ] || echo "Run 'ninja -C _build partner-desk-update-po', translate what it marks, and commit po/."
  ;;
*)
  echo "unknown mode $mode"; exit 2 ;;
esac
exit $status
