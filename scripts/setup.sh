#!/usr/bin/env bash
# Installs what building and testing attn needs on Debian 12: LLVM/MLIR 22
# from Debian's archive, ninja, ccache, NumPy, and pytest and pip for the
# Python package, plus any packages named on the command line
# (scripts/sanitize.sh adds clang-22 and its runtimes).
# Idempotent; quick when everything is already installed.
set -euo pipefail

packages=(
  cmake g++ ninja-build ccache
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  python3 python3-numpy python3-pytest python3-pip python3-setuptools python3-wheel
  "$@"
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
