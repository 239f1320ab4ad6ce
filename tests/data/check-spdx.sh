#!/bin/sh
# check-spdx.sh SOURCE_ROOT — every C source and header of src/ and tests/ names its licence on
# its first lines (SPDX-License-Identifier), so a file copied elsewhere keeps it.
set -u
root=$1
missing=$(cd "$root" && find src tests -name '*.[ch]' | sort | while read -r file; do
  head -n 3 "$file" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' || echo "$file"
done)
if [ -n "$missing" ]; then
  echo "no SPDX-License-Identifier line in its first 3 lines:"
  echo "$missing"
  exit 1
fi
echo "every source names its licence"
