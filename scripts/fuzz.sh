#!/usr/bin/env bash
# Fuzzes parse, verify and every attn pass pipeline with libFuzzer under
# ASan and UBSan (tools/attn-fuzz). The seed corpus is every test input and
# example, split at `// -----`.
#
#   bash scripts/fuzz.sh 600          # fuzz for 600 seconds, past crashes
#   bash scripts/fuzz.sh --runs 2000  # a fixed seed and number of mutations
#                                     # (the CI smoke run), stops at a crash
#
# New inputs go to build-sanitize/fuzz/corpus, crashes to
# build-sanitize/fuzz/crashes; each crash should become a lit test and a fix.
# A timed run keeps going after a crash (in a forked worker), because MLIR
# 22.1's own linalg.reduce parser still crashes on some malformed text
# (test/tools/upstream-linalg-reduce-parse.mlir).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_SANITIZE_DIR:-$root/build-sanitize}"
limit=(-max_total_time="${1:-60}" -fork=1 -ignore_crashes=1)
corpus="$build/fuzz/corpus"
if [ "${1:-}" = "--runs" ]; then
  # Reproducible: the seeds only, a fixed random seed, a scratch corpus.
  limit=(-runs="$2" -seed=1)
  corpus="$build/fuzz/smoke-corpus"
  rm -rf "$corpus"
fi

bash "$root/scripts/configure-sanitize.sh"
source "$build/sanitizer-env.sh"
ninja -C "$build" attn-fuzz

seeds="$build/fuzz/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$corpus" "$build/fuzz/crashes"
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
print("fuzz: %d seed inputs" % count)
PY
"$build/bin/attn-fuzz" "$corpus" "$seeds" "${limit[@]}" \
  -max_len=65536 -timeout=60 -artifact_prefix="$build/fuzz/crashes/" \
  -print_final_stats=1
