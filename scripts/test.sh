#!/usr/bin/env bash
# Second README command: install what is missing, build Release, run the whole test suite
# (unit tests, CLI checks, GUI screenshot tests under Xvfb). Tests that need ../shared/data/acdc
# skip with a message when it is absent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure --timeout 1200 -j"$(nproc)"
