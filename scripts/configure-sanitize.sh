#!/usr/bin/env bash
# Configures (once) the AddressSanitizer + UndefinedBehaviorSanitizer build
# of attn, with clang-22, a Debug build with assertions, into
# build-sanitize/ (or $ATTN_SANITIZE_DIR). Our code is instrumented; the
# LLVM/MLIR libraries stay as shipped. Used by sanitize.sh and fuzz.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_SANITIZE_DIR:-$root/build-sanitize}"

bash "$root/scripts/setup.sh" clang-22 libclang-rt-22-dev
if [ ! -f "$build/build.ninja" ]; then
  # LLVM_USE_SANITIZER is HandleLLVMOptions' switch; the UBSan flags come
  # from LLVM's own build, which an installed LLVM does not carry, so they
  # are given here as LLVM sets them: no vptr/function checks (LLVM has no
  # RTTI), every report fatal. Coverage instrumentation (fuzzer-no-link) on
  # all our code lets the fuzzer steer into the passes.
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_ENABLE_ASSERTIONS=ON -DLLVM_USE_SANITIZER="Address;Undefined" \
    -DLLVM_UBSAN_FLAGS="-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all"
fi

# LLVM's allocators poison and unpoison their slabs by hand when compiled
# with ASan; our instrumented copies of those inline functions and the
# uninstrumented MLIR libraries would disagree, so manual poisoning is off
# (real out-of-bounds and use-after-free reports stay on). Leaks in MLIR's own
# static registries are not ours to fix. Everything else is fatal.
echo 'export ASAN_OPTIONS="allow_user_poisoning=0:detect_leaks=0:abort_on_error=1"' > "$build/sanitizer-env.sh"
echo 'export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"' >> "$build/sanitizer-env.sh"
