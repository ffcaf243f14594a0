#!/bin/sh
# run_scribble_test.sh STUDIO IMAGE_DIFF PIX2REP SCRIPT BASELINE OUT_DIR
# Writes the bad scribble folders the script loads (another image's grid: a phantom label map of
# another shape; a value with no class: a phantom image of the same grid; no file), runs the
# scribble GUI script (screenshot against its baseline, run_gui_test.sh), then checks its files with
# the CLI: the saved scribbles are read by ITK against their images' grids and train the same
# classifier headless (`pix2rep scribble-train`), the studio's saved classifier segments with
# `pix2rep predict`, and "Apply to the dataset" wrote a label map per volume on the original grids;
# the five-class scribbles (classes.json) train headless and the five-class classifier predicts
# label values 0..4, the fifth class ("4 lesion") on some pixels.
set -u
studio=$1 differ=$2 cli=$3 script=$4 baseline=$5 out=$6
here=$(dirname "$0")
rm -rf runs saved saved5 bad_grid bad_value no_files phantom && mkdir -p bad_grid bad_value no_files || exit 1
"$cli" phantom --out phantom --subjects 2 --seed 2024 --no-progress  # the demo's first subjects >/dev/null || exit 1
cp phantom/training/patient001/patient001_frame01_gt.nii.gz bad_grid/patient002_frame01_scribbles.nii.gz || exit 1
cp phantom/training/patient002/patient002_frame01.nii.gz bad_value/patient002_frame01_scribbles.nii.gz || exit 1
"$here/run_gui_test.sh" "$studio" "$differ" "$script" "$baseline" "$out" || exit 1
data="$PIX2REP_DEMO_DIR/demo.p2rs"
[ -f saved/patient002_frame01_scribbles.nii.gz ] || { echo "FAIL: no saved scribble file"; exit 1; }
"$cli" scribble-train --checkpoint runs/pretrain --data "$data" --scribbles saved --out runs/cli_classifier \
  --steps 20 --no-progress || { echo "FAIL: scribble-train cannot use the studio's scribbles"; exit 1; }
"$cli" predict --model runs/classifier --data "$data" --subjects patient002 --out runs/cli_predictions \
  --no-progress || { echo "FAIL: predict cannot use the studio's classifier"; exit 1; }
[ -s runs/cli_predictions/patient002_frame01_pred.nii.gz ] || { echo "FAIL: predict wrote nothing"; exit 1; }
for f in patient001_frame01 patient002_frame01 patient008_frame14; do
  [ -s "runs/predictions/${f}_pred.nii.gz" ] || { echo "FAIL: Apply to the dataset did not write ${f}_pred.nii.gz"; exit 1; }
done
[ -f saved5/classes.json ] || { echo "FAIL: no saved classes.json"; exit 1; }
"$cli" scribble-train --checkpoint runs/pretrain --data "$data" --scribbles saved5 --out runs/cli_classifier5 \
  --steps 20 --no-progress || { echo "FAIL: scribble-train cannot use the studio's five-class scribbles"; exit 1; }
"$cli" predict --model runs/classifier5 --data "$data" --subjects patient002 --out runs/cli_predictions5 \
  --no-progress >predict5.txt || { echo "FAIL: predict cannot use the studio's five-class classifier"; exit 1; }
cat predict5.txt
grep -q ', 4 lesion ([1-9]' predict5.txt || { echo "FAIL: predict gave no pixel the label 4 (lesion)"; exit 1; }
echo "scribbles, classifiers and predictions open with the CLI"
