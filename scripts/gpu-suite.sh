#!/usr/bin/env bash
# The GPU test suite in two halves (docs/design.md, "GPU tests"):
#
#   bash scripts/gpu-suite.sh compile [BUNDLE]   # here: needs build/bin/attn-compile
#   bash scripts/gpu-suite.sh run [BUNDLE]       # on the GPU machine: CUDA, CMake
#
# `compile` turns every test/Execution/GPU/*.mlir into an artifact under
# BUNDLE (default gpu-bundle/) and lists each of its attn-run lines in
# BUNDLE/cases.txt; it also compiles the kernels of the Python package's GPU
# tests into BUNDLE/python (python/tests/gpu_cases.py). `run` builds the
# runtime and attn-run with the CUDA it finds, runs every case (a few under
# compute-sanitizer when it is there), then the Python GPU tests (pytest -m
# gpu) on that bundle alone, prints one line per case and ends with
# `N passed, N failed` (and how many cases were skipped: an sm_90a or
# sm_100a cubin runs only on a GPU of that compute capability, 9.0 or 10.0;
# sm_80 PTX runs on every GPU through the driver's JIT).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
bundle=${2:-gpu-bundle}

case "$mode" in
compile)
  rm -rf "$bundle" && mkdir -p "$bundle"
  for test in test/Execution/GPU/*.mlir; do
    name=$(basename "$test" .mlir)
    # Each `RUN: attn-compile %s --chip=CHIP -o %tSUFFIX` builds one artifact
    # (a test names one per chip it runs on); each `RUN: attn-run %tSUFFIX
    # ARGS` is a case of that artifact.
    sed -n 's/.*RUN: attn-compile %s \(--chip=[^|]*\) -o %t\([^ ]*\).*/=\2 \1/p' "$test" |
      while read -r suffix flags; do
        suffix=${suffix#=}
        # shellcheck disable=SC2086
        build/bin/attn-compile "$test" $flags -o "$bundle/$name$suffix" > "$bundle/$name$suffix.log"
      done
    sed -n 's/.*RUN: attn-run %t\([^ ]*\) \([^|]*\).*/=\1 \2/p' "$test" |
      while read -r suffix args; do echo "pass $name${suffix#=} - $args"; done >> "$bundle/cases.txt"
    # Expected failures: `not attn-run %t<suffix> ARGS 2>&1 | FileCheck %s
    # --check-prefix=P`, passing when attn-run exits non-zero and prints
    # every `// P:` line of the test.
    sed -n 's/.*RUN: not attn-run %t\([^ ]*\) \(.*\) 2>&1 | FileCheck %s --check-prefix=\([A-Z]*\).*/\3 =\1 \2/p' "$test" |
      while read -r prefix suffix args; do
        sed -n "s|^// $prefix: ||p" "$test" > "$bundle/$name.$prefix.expect"
        echo "fail $name${suffix#=} $prefix $args"
      done >> "$bundle/cases.txt"
  done
  # The sm_90a kernel that takes a tensor map as a __grid_constant__
  # parameter; `run` checks it with attn-tensor-map-check.
  build/bin/attn-compile test/Target/SM90/tma-grid-constant.mlir --chip=sm_90a \
    -o "$bundle/tma-grid-constant" > "$bundle/tma-grid-constant.log"
  python3 python/tests/gpu_cases.py "$bundle/python" > "$bundle/python.log"
  echo "compiled $(find "$bundle" -name "*.json" | wc -l) artifacts," \
    "$(wc -l < "$bundle/cases.txt") attn-run cases into $bundle"
  ;;
run)
  cmake -S runtime -B build-runtime -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build-runtime > /dev/null
  run=build-runtime/attn-run
  passed=0 failed=0 skipped=0
  declare -A checked
  capability=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2> /dev/null | head -1 || true)
  # Whether this GPU runs the artifact in folder $1: its manifest's chip.
  runs_here() {
    local chip
    chip=$(grep -ho '"chip": *"sm_[0-9a-z]*"' "$1"/*.json 2> /dev/null | head -1 | grep -o 'sm_[0-9a-z]*' || true)
    case "$chip" in
    sm_90a) [ "$capability" = 9.0 ] ;;
    sm_100a) [ "$capability" = 10.0 ] ;;
    *) true ;;
    esac
  }
  # pass: attn-run exits 0 and says PASS. fail: it exits non-zero and
  # prints every line of the case's .expect file.
  run_case() {
    if [ "$kind" = pass ]; then
      # A hang is how a broken barrier protocol fails: bound each case.
      out=$(timeout 300 "${prefix[@]}" $run "$bundle/$name" $args 2>&1) && grep -q "PASS" <<< "$out"
      return
    fi
    local expect="$bundle/${name%%.*}.$check.expect"
    if out=$($run "$bundle/$name" $args 2>&1); then return 1; fi
    [ "$(grep -cFf "$expect" <<< "$out")" -eq "$(wc -l < "$expect")" ]
  }
  while read -r kind name check args; do
    if ! runs_here "$bundle/$name"; then
      skipped=$((skipped + 1))
      continue
    fi
    prefix=()
    # The first two passing cases of each chip also run under
    # compute-sanitizer's memcheck, and the first sm_90a one under synccheck
    # too (its barriers are mbarriers and named barriers).
    chip=sm80; [[ "$name" == *.sm90 ]] && chip=sm90
    if [ "$kind" = pass ] && [ "${checked[$chip]:-0}" -lt 2 ] && command -v compute-sanitizer > /dev/null; then
      prefix=(compute-sanitizer --error-exitcode=3 --print-limit=5)
      checked[$chip]=$(( ${checked[$chip]:-0} + 1 ))
      if [ $chip = sm90 ] && [ "${checked[$chip]}" -eq 1 ]; then
        # shellcheck disable=SC2086
        if out=$(timeout 300 compute-sanitizer --tool synccheck --error-exitcode=3 $run "$bundle/$name" $args 2>&1) && grep -q PASS <<< "$out"; then
          passed=$((passed + 1)); echo "PASS $name $args (synccheck): $(grep -o 'ERROR SUMMARY.*' <<< "$out")"
        else
          failed=$((failed + 1)); echo "FAIL $name $args (synccheck): $(tail -3 <<< "$out" | tr '\n' ' ')"
        fi
      fi
    fi
    # shellcheck disable=SC2086
    if run_case; then
      passed=$((passed + 1)); status=PASS
    else
      failed=$((failed + 1)); status=FAIL
    fi
    [ "$kind" = fail ] && out="expected error: $(head -1 <<< "$out")"
    detail=$(grep -o 'max rel err.*\|expected error.*' <<< "$out" | head -1 || true)
    [ -n "$detail" ] || detail=$(tail -3 <<< "$out" | tr '\n' ' ')
    [ ${#prefix[@]} -gt 0 ] && detail="$detail [compute-sanitizer: $(grep -o 'ERROR SUMMARY.*' <<< "$out" || echo none)]"
    echo "$status $name $args: $detail"
  done < "$bundle/cases.txt"
  # The tensor map encoded by the runtime, passed by value, read by TMA
  # (Hopper only: the artifact is sm_90a).
  if [ -d "$bundle/tma-grid-constant" ] && runs_here "$bundle/tma-grid-constant"; then
    tma=(build-runtime/attn-tensor-map-check "$bundle/tma-grid-constant")
    command -v compute-sanitizer > /dev/null && tma=(compute-sanitizer --error-exitcode=3 "${tma[@]}")
    if out=$("${tma[@]}" 2>&1) && grep -q PASS <<< "$out"; then
      passed=$((passed + 1)); status=PASS
    else
      failed=$((failed + 1)); status=FAIL
    fi
    echo "$status tma-grid-constant: $(grep -E 'PASS|FAIL|mismatch|ERROR SUMMARY|error' <<< "$out" | head -3 | tr '\n' ' ')"
  fi
  # The Python package's GPU tests, with kernels from the bundle only (no
  # compiler here) and the runtime library just built.
  if python3 -c "import torch, pytest" 2> /dev/null; then
    log=$(mktemp)
    ATTN_LIBRARY_PATH="$PWD/build-runtime" ATTN_BUNDLE_PATH="$PWD/$bundle/python" \
      python3 -m pytest -p no:cacheprovider -m gpu -v -s python/tests > "$log" 2>&1 || true
    grep -E '(PASSED|FAILED|ERROR)$' "$log" | sed -E 's/^(.*) (PASSED|FAILED|ERROR)$/\2 \1/; s/^PASSED/PASS/; s/^(FAILED|ERROR)/FAIL/'
    grep -E '^E  ' "$log" | head -20 || true
    passed=$((passed + $(grep -cE 'PASSED$' "$log" || true)))
    failed=$((failed + $(grep -cE '(FAILED|ERROR)$' "$log" || true)))
    grep -qE '[0-9]+ passed' "$log" || { failed=$((failed + 1)); tail -20 "$log"; }
    rm -f "$log"
  else
    echo "FAIL python: PyTorch or pytest missing"; failed=$((failed + 1))
  fi
  echo "$passed passed, $failed failed ($skipped cases for another GPU skipped)"
  [ "$failed" -eq 0 ]
  ;;
*)
  echo "usage: $0 compile|run [BUNDLE]" >&2
  exit 2
  ;;
esac
