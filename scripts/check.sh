#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (check-attn). Ends with lit's
# summary and one line `check-attn: N passed, N failed`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bash "$root/scripts/setup.sh"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
bash "$root/scripts/build.sh" check-attn 2>&1 | tee "$log" || status=$?

bash "$root/scripts/lit-summary.sh" "$log" "check-attn"
exit "$status"
