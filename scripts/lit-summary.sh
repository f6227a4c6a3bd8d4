#!/usr/bin/env bash
# Prints `LABEL: N passed, N failed, N skipped` from the lit log LOG.
# Usage: lit-summary.sh LOG LABEL
set -euo pipefail
log="$1"
count() { sed -n "s/^ *$1 *: *\([0-9]*\).*/\1/p" "$log" | tail -n 1; }
passed="$(count Passed)"
failed="$(count Failed)"
unsupported="$(count Unsupported)"
echo "$2: ${passed:-0} passed, ${failed:-0} failed, ${unsupported:-0} skipped"
