#!/usr/bin/env bash
# Predicted NIfTI files line up with their input in every tool: on the input's grid (--space
# original) the header geometry is the input's, bit for bit (sform, qform, codes, pixdim); on the
# prepared grid (--space prepared) every corner lies where the crop puts it. Inputs: the phantom
# (ITK-written, sform/qform code 1), the phantom with ACDC's header (sform code 2, unit columns),
# and real ACDC when ../shared/data/acdc exists.
# Usage: affine_round_trip.sh BIN_DIR CHECKER SOURCE_DIR
set -u
bin="$1/pix2rep"
check="$2"
acdc="$3/../shared/data/acdc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
run() { "$@" >"$work/log" 2>&1 || { echo "FAIL: $*"; cat "$work/log"; exit 1; }; }
expect() { "$check" "$@" || failures=$((failures + 1)); }

run "$bin" phantom --out "$work/ph" --subjects 2 --seed 5 --no-progress
run "$bin" prepare --data "$work/ph" --out "$work/ph.p2rs" --no-progress
run "$bin" train-supervised --data "$work/ph.p2rs" --out "$work/seg" --subjects patient001 --base 4 --levels 2 \
  --nft 4 --epochs 1 --device cpu --no-progress

# lines_up NAME DATA PREPARED SUBJECT FRAME IMAGE: predict both spaces, compare with IMAGE.
lines_up() {
  local name=$1 data=$2 prepared=$3 subject=$4 frame=$5 image=$6 pred
  pred=$(printf '%s_frame%02d_pred.nii.gz' "$subject" "$frame")
  run "$bin" predict --model "$work/seg" --data "$data" --out "$work/$name-orig" --subjects "$subject" --device cpu
  run "$bin" predict --model "$work/seg" --data "$data" --out "$work/$name-prep" --subjects "$subject" --device cpu \
    --space prepared
  expect same "$image" "$work/$name-orig/$pred"
  expect prepared "$prepared" "$subject" "$frame" "$image" "$work/$name-prep/$pred"
}

lines_up phantom "$work/ph.p2rs" "$work/ph.p2rs" patient001 1 "$work/ph/training/patient001/patient001_frame01.nii.gz"

cp -r "$work/ph" "$work/acdc-like"
for f in "$work"/acdc-like/training/*/*.nii.gz; do run "$check" acdc-like "$f"; done
run "$bin" prepare --data "$work/acdc-like" --out "$work/acdc-like.p2rs" --no-progress
lines_up acdc-like "$work/acdc-like.p2rs" "$work/acdc-like.p2rs" patient002 1 \
  "$work/acdc-like/training/patient002/patient002_frame01.nii.gz"

if [[ -d "$acdc/training/patient001" ]]; then
  mkdir -p "$work/acdc/training"
  ln -s "$(cd "$acdc/training/patient001" && pwd)" "$work/acdc/training/patient001"
  run "$bin" prepare --data "$work/acdc" --out "$work/acdc.p2rs" --no-progress
  lines_up acdc "$work/acdc.p2rs" "$work/acdc.p2rs" patient001 1 "$work/acdc/training/patient001/patient001_frame01.nii.gz"
else
  echo "skipped ACDC: $acdc not present"
fi

echo "$failures failure(s)"
exit $((failures > 0))
