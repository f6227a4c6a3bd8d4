#!/usr/bin/env bash
# Builds attn with AddressSanitizer and UndefinedBehaviorSanitizer (see
# configure-sanitize.sh) and runs the whole lit suite with it. Ends with
# `check-attn (asan+ubsan): N passed, N failed, N skipped`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_SANITIZE_DIR:-$root/build-sanitize}"

bash "$root/scripts/configure-sanitize.sh"
source "$build/sanitizer-env.sh"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
ninja -C "$build" check-attn 2>&1 | tee "$log" || status=$?
bash "$root/scripts/lit-summary.sh" "$log" "check-attn (asan+ubsan)"
exit "$status"
