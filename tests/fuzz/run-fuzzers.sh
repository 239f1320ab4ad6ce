#!/bin/sh
# run-fuzzers.sh [SECONDS] [BUILDDIR] — builds the libFuzzer targets of tests/fuzz with clang
# (ASan + UBSan, the project's code instrumented for coverage) and runs each one for SECONDS
# (default 20) on a scratch copy of its seed corpus. Exit status 1 when a target finds a
# crash, a leak or undefined behaviour; the reproducer is kept in BUILDDIR/fuzz-artifacts/.
# The random seed is FUZZ_SEED (default 1): with a fixed seed a run repeats the same mutations,
# so a gate run is far less likely to turn red by luck alone. Explore with other seeds and
# longer runs (FUZZ_SEED=0 lets libFuzzer pick one), and add what they find to the corpus.
set -eu
seconds=${1:-20}
seed=${FUZZ_SEED:-1}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${2:-$srcdir/_build-fuzz}
parsers="customer-page customer billing-profile company-profile country-rules
         address-validation audit-records resellers relationship-request error-body tokens
         next-uri"

if [ ! -f "$builddir/build.ninja" ]; then
  # fuzzer-no-link: coverage instrumentation for every object (the mapping code is what must
  # be explored); only the fuzz-* executables link libFuzzer's main.
  CC=${CC:-clang-14} meson setup "$builddir" "$srcdir" -Dfuzzing=true -Dtests=true \
    -Ddevelopment=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined" >/dev/null
fi
targets=""
for p in $parsers; do targets="$targets tests/fuzz/fuzz-$p"; done
# shellcheck disable=SC2086
ninja -C "$builddir" -j2 $targets

mkdir -p "$builddir/fuzz-artifacts"
status=0
for p in $parsers; do
  work=$(mktemp -d)
  cp "$srcdir/tests/fuzz/corpus-$p/"* "$work/"
  echo "== fuzz-$p (${seconds}s, seed $seed)"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "$builddir/tests/fuzz/fuzz-$p" -seed="$seed" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$builddir/fuzz-artifacts/$p-" "$work" 2>"$work.log"; then
    tail -n 60 "$work.log"
    echo "fuzz-$p FAILED (reproducer in $builddir/fuzz-artifacts/)"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work.log" | tr '\n' ' '
    echo
  fi
  rm -rf "$work" "$work.log"
done
exit $status
