#!/usr/bin/env bash
# Fuzzes with libFuzzer under ASan and UBSan. Two targets:
#   ir        parse, verify and every attn pass pipeline (tools/attn-fuzz);
#             seeds: every test input and example, split at `// -----`.
#   manifest  the runtime's manifest reader and launch checks
#             (tools/attn-manifest-fuzz); seeds: tools/attn-manifest-fuzz/seeds.
#
#   bash scripts/fuzz.sh 600                  # each target for 600 seconds,
#                                             # going on past crashes
#   bash scripts/fuzz.sh manifest 600         # one target
#   ATTN_FUZZ_JOBS=2 bash scripts/fuzz.sh ir 600  # two workers
#   bash scripts/fuzz.sh ir --runs 2000       # a fixed random seed and number
#                                             # of mutations (the CI smoke
#                                             # run); stops at a crash
#
# New inputs go to build-sanitize/fuzz/<target>/corpus, crashes to
# build-sanitize/fuzz/<target>/crashes; each crash should become a lit test
# and a fix. A timed run keeps going after a crash (in a forked worker),
# because MLIR 22.1's own linalg.reduce parser still crashes on some
# malformed text (test/tools/upstream-linalg-reduce-parse.mlir).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_SANITIZE_DIR:-$root/build-sanitize}"

targets=(ir manifest)
case "${1:-}" in
ir | manifest)
  targets=("$1")
  shift
  ;;
esac

bash "$root/scripts/configure-sanitize.sh"
source "$build/sanitizer-env.sh"
ninja -C "$build" attn-fuzz attn-manifest-fuzz

for target in "${targets[@]}"; do
  work="$build/fuzz/$target"
  seeds="$work/seeds"
  corpus="$work/corpus"
  limit=(-max_total_time="${1:-60}" -fork="${ATTN_FUZZ_JOBS:-1}" -ignore_crashes=1)
  if [ "${1:-}" = "--runs" ]; then
    # Reproducible: the seeds only, a fixed random seed, a scratch corpus.
    limit=(-runs="$2" -seed=1)
    corpus="$work/smoke-corpus"
    rm -rf "$corpus"
  fi
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus" "$work/crashes"

  if [ "$target" = ir ]; then
    fuzzer="$build/bin/attn-fuzz"
    options=(-max_len=65536 -timeout=60)
    python3 - "$root" "$seeds" <<'PY'
import pathlib, sys
root, seeds = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
count = 0
for path in sorted(list(root.glob("test/**/*.mlir")) + list(root.glob("examples/*.mlir"))):
    text = path.read_text()
    if "// XFAIL:" in text:  # a known crash is not a seed
        continue
    for chunk in text.split("// -----"):
        (seeds / ("seed-%04d.mlir" % count)).write_text(chunk)
        count += 1
print("fuzz ir: %d seed inputs" % count)
PY
  else
    fuzzer="$build/bin/attn-manifest-fuzz"
    options=(-max_len=8192 -timeout=10
      -dict="$root/tools/attn-manifest-fuzz/manifest.dict")
    cp "$root"/tools/attn-manifest-fuzz/seeds/*.json "$seeds/"
    echo "fuzz manifest: $(ls "$seeds" | wc -l) seed inputs"
  fi

  "$fuzzer" "$corpus" "$seeds" "${limit[@]}" "${options[@]}" \
    -artifact_prefix="$work/crashes/" -print_final_stats=1
done
