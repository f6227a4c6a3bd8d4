#!/usr/bin/env bash
# Builds attn with AddressSanitizer and UndefinedBehaviorSanitizer (see
# configure-sanitize.sh) and runs the whole lit suite with it. Ends with
# `check-attn (asan+ubsan): N passed, N failed`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_SANITIZE_DIR:-$root/build-sanitize}"

bash "$root/scripts/configure-sanitize.sh"
source "$build/sanitizer-env.sh"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
ninja -C "$build" check-attn 2>&1 | tee "$log" || status=$?
count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | tail -n 1; }
passed="$(count Passed)"
failed="$(count Failed)"
echo "check-attn (asan+ubsan): ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
