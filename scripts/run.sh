#!/usr/bin/env bash
# First README command: install what is missing, build Release, open the studio on the built-in demo.
# Arguments go to pix2rep-studio (e.g. --data ../shared/data/acdc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "[run] no display: starting the studio under Xvfb (use --script/--screenshot to capture it)"
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "$root/build/bin/pix2rep-studio" "$@"
fi
exec "$root/build/bin/pix2rep-studio" "$@"
