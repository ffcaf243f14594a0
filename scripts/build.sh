#!/usr/bin/env bash
# Installs missing Debian packages, configures and builds Release into build/ (binaries in build/bin/).
# Extra arguments go to cmake's configure step (e.g. -DPIX2REP_WITH_GUI=OFF).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$root/build" -j"$(nproc)"
