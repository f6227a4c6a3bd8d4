#!/usr/bin/env bash
# The main job: set up, build, and compile the bundled example as far as the
# compiler goes today. Parses and verifies examples/attention.mlir, prints it,
# shows its reference lowering, and runs it on the CPU on fresh random inputs
# against a float64 NumPy reference.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
example="${1:-$root/examples/attention.mlir}"

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" attn-opt attn-cpu-run

echo "== parse, verify, print: attn-opt $example"
"$build/bin/attn-opt" "$example"

echo "== reference lowering (first lines): attn-opt -convert-attn-to-linalg"
"$build/bin/attn-opt" "$example" -convert-attn-to-linalg -canonicalize -cse | sed -n 1,40p

echo "== CPU run against float64: attn-cpu-run"
"$build/bin/attn-cpu-run" "$example" --batch 2 --heads 8 --kv-heads 2 \
  --seq-q 77 --seq-kv 77
"$build/bin/attn-cpu-run" "$example" --batch 1 --heads 8 --kv-heads 2 \
  --seq-q 37 --seq-kv 91
