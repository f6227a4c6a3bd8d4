#!/usr/bin/env bash
# The GPU test suite in two halves (docs/design.md, "GPU tests"):
#
#   bash scripts/gpu-suite.sh compile [BUNDLE]   # here: needs build/bin/attn-compile
#   bash scripts/gpu-suite.sh run [BUNDLE]       # on the GPU machine: CUDA, CMake
#
# `compile` turns every test/Execution/GPU/*.mlir into an artifact under
# BUNDLE (default gpu-bundle/) and lists each of its attn-run lines in
# BUNDLE/cases.txt. `run` builds the runtime and attn-run with the CUDA it
# finds, runs every case (a few under compute-sanitizer when it is there),
# prints one line per case and ends with `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
bundle=${2:-gpu-bundle}

case "$mode" in
compile)
  rm -rf "$bundle" && mkdir -p "$bundle"
  for test in test/Execution/GPU/*.mlir; do
    name=$(basename "$test" .mlir)
    build/bin/attn-compile "$test" --chip=sm_80 -o "$bundle/$name" > "$bundle/$name.log"
    grep -o 'RUN: attn-run %t.*' "$test" | sed 's/^RUN: attn-run %t//; s/|.*//' |
      while read -r args; do echo "$name $args"; done >> "$bundle/cases.txt"
  done
  echo "compiled $(ls -d "$bundle"/*/ | wc -l) artifacts, $(wc -l < "$bundle/cases.txt") cases into $bundle"
  ;;
run)
  cmake -S runtime -B build-runtime -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build-runtime > /dev/null
  run=build-runtime/attn-run
  passed=0 failed=0 n=0
  while read -r name args; do
    n=$((n + 1))
    prefix=()
    # The first two cases also run under compute-sanitizer.
    if [ $n -le 2 ] && command -v compute-sanitizer > /dev/null; then
      prefix=(compute-sanitizer --error-exitcode=3 --print-limit=5)
    fi
    # shellcheck disable=SC2086
    if out=$("${prefix[@]}" $run "$bundle/$name" $args 2>&1) && grep -q "PASS" <<< "$out"; then
      passed=$((passed + 1)); status=PASS
    else
      failed=$((failed + 1)); status=FAIL
    fi
    detail=$(grep -o 'max rel err.*' <<< "$out" | head -1)
    [ -n "$detail" ] || detail=$(tail -3 <<< "$out" | tr '\n' ' ')
    [ ${#prefix[@]} -gt 0 ] && detail="$detail [compute-sanitizer: $(grep -o 'ERROR SUMMARY.*' <<< "$out" || echo none)]"
    echo "$status $name $args: $detail"
  done < "$bundle/cases.txt"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  ;;
*)
  echo "usage: $0 compile|run [BUNDLE]" >&2
  exit 2
  ;;
esac
