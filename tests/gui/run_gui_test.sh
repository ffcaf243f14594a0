#!/bin/sh
# run_gui_test.sh STUDIO IMAGE_DIFF SCRIPT BASELINE OUT_DIR [PATH...]
# Replays SCRIPT in pix2rep-studio under Xvfb (PATHs opened as from the command line), saves OUT_DIR/NAME.png and compares it with BASELINE.
# On a difference it leaves OUT_DIR/NAME.png (the new image) and OUT_DIR/NAME.diff.png, and fails.
# P2R_UPDATE_BASELINES=1 copies the new image over the baseline instead.
# Elapsed times are drawn as "--" (--hide-timings): they differ between runs and machines.
# Thresholds (tests/README.md; CMake sets them per test): P2R_GUI_MAX_MEAN (mean |diff|, 0..255,
# default 0.05) and P2R_GUI_MAX_FRAC (fraction of pixels differing, default 0.0002).
set -u
studio=$1 differ=$2 script=$3 baseline=$4 out=$5
shift 5
name=$(basename "$script" .txt)
mkdir -p "$out"
actual="$out/$name.png"
rm -f "$actual" "$out/$name.diff.png"
xvfb-run -a -s "-screen 0 1280x1024x24" "$studio" --script "$script" --screenshot "$actual" \
  --width 1280 --height 800 --timeout 240 --hide-timings "$@"
rc=$?
if [ $rc -ne 0 ] || [ ! -f "$actual" ]; then
  echo "FAIL: pix2rep-studio exited with $rc (screenshot: $actual)"
  exit 1
fi
if [ "${P2R_UPDATE_BASELINES:-0}" = 1 ]; then
  cp "$actual" "$baseline" && echo "baseline updated: $baseline"
  exit 0
fi
if [ ! -f "$baseline" ]; then
  echo "FAIL: no baseline $baseline; new image: $actual (accept: cp '$actual' '$baseline')"
  exit 1
fi
"$differ" "$actual" "$baseline" --max-mean "${P2R_GUI_MAX_MEAN:-0.05}" \
  --max-frac "${P2R_GUI_MAX_FRAC:-0.0002}" --diff "$out/$name.diff.png"
rc=$?
if [ $rc -ne 0 ]; then
  echo "new image: $actual  (accept: cp '$actual' '$baseline')"
fi
exit $rc
