#!/usr/bin/env bash
# Every bad input to the data commands gets a one-line message naming the file, a non-zero exit,
# no crash (exit code 1, not a signal), and leaves existing outputs intact.
# Usage: bad_inputs.sh BIN_DIR
set -u
bin="$1/pix2rep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect_fail NEEDLE CMD...: CMD must exit 1 and print NEEDLE on stderr.
expect_fail() {
  local needle="$1"; shift
  local err rc
  err=$("$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -ne 1 ]] || ! grep -qF -- "$needle" <<<"$err"; then
    echo "FAIL: '$*' exited $rc, expected 1 with '$needle'; stderr: $err"
    failures=$((failures + 1))
  else
    echo "ok: $needle"
  fi
}

"$bin" phantom --out "$work/ph" --subjects 2 --seed 3 >/dev/null 2>&1 || { echo "phantom failed"; exit 1; }
"$bin" prepare --data "$work/ph" --out "$work/good.p2rs" >/dev/null 2>&1 || { echo "prepare failed"; exit 1; }
cp "$work/good.p2rs" "$work/keep.p2rs"

# Dataset folders.
expect_fail "does not exist" "$bin" prepare --data "$work/missing" --out "$work/x.p2rs"
mkdir -p "$work/empty"
expect_fail "no subjects found" "$bin" prepare --data "$work/empty" --out "$work/x.p2rs"

# Broken copies of the phantom, one problem each.
broken() { rm -rf "$work/b"; cp -r "$work/ph" "$work/b"; }
p1="$work/b/training/patient001"
img=$(ls "$work/ph/training/patient001/"*_frame01.nii.gz)
broken; head -c 3000 "$img" > "$p1/patient001_frame01.nii.gz"
expect_fail "patient001_frame01.nii.gz: truncated" "$bin" prepare --data "$work/b" --out "$work/x.p2rs"
broken; echo "not gzip" > "$p1/patient001_frame01.nii.gz"
expect_fail "patient001_frame01.nii.gz: not a gzip file" "$bin" prepare --data "$work/b" --out "$work/x.p2rs"
broken; rm "$p1/Info.cfg"
expect_fail "Info.cfg: missing" "$bin" prepare --data "$work/b" --out "$work/x.p2rs"
broken; printf 'ED: x\nES: 2\nGroup: NOR\n' > "$p1/Info.cfg"
expect_fail "malformed value for 'ED'" "$bin" prepare --data "$work/b" --out "$work/x.p2rs"
broken; cp "$work/ph/training/patient002/patient002_frame01_gt.nii.gz" "$p1/patient001_frame01_gt.nii.gz"
expect_fail "patient001_frame01_gt.nii.gz: label file has shape" "$bin" prepare --data "$work/b" --out "$work/x.p2rs"

# Outputs that cannot be written leave the existing file intact.
expect_fail "does not exist" "$bin" prepare --data "$work/ph" --out "$work/nodir/x.p2rs"

# Prepared files.
head -c 5000 "$work/good.p2rs" > "$work/trunc.p2rs"
expect_fail "trunc.p2rs: truncated" "$bin" info "$work/trunc.p2rs"
printf 'P2RSLICE\x07\x00\x00\x00' > "$work/v7.p2rs"; cat "$work/good.p2rs" | tail -c +13 >> "$work/v7.p2rs"
expect_fail "version 7" "$bin" info "$work/v7.p2rs"
echo "hello" > "$work/hello.txt"
expect_fail "not a pix2rep prepared file" "$bin" info "$work/hello.txt"
cmp -s "$work/good.p2rs" "$work/keep.p2rs" || { echo "FAIL: good.p2rs was modified"; failures=$((failures + 1)); }

# Unknown options are usage errors (CLI11 exits 105/109), not crashes.
"$bin" prepare --data "$work/ph" --out "$work/x.p2rs" --crop sideways >/dev/null 2>&1
rc=$?; [[ $rc -ne 0 && $rc -lt 128 ]] || { echo "FAIL: bad --crop exited $rc"; failures=$((failures + 1)); }

# Recipe overrides that do not exist or do not fit name the key and the allowed values; nothing is written.
expect_fail "unknown key 'depth'" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --set depth=3
expect_fail "n_ft=0: expected an integer >= 1" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --set n_ft=0
expect_fail "reversal=maybe: expected on or off" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --set reversal=maybe
expect_fail "expand=2: expected on or off" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --set expand=2
expect_fail "unknown pretraining method 'byol' (expected one of pix2rep, pix2rep-v2, simclr, chaitanya)" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --method byol
expect_fail "partitions=1: expected an integer >= 2" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --method chaitanya --set partitions=1
expect_fail "batch 6 cannot hold 2 volumes of 4 partitions" "$bin" pretrain --data "$work/good.p2rs" --out "$work/run" --method chaitanya --batch 6
expect_fail "epochs=-1: expected an integer >= 1" "$bin" benchmark --data "$work/good.p2rs" --holdout-per-group 1 --out "$work/bench" --set epochs=-1
[[ ! -e "$work/run" && ! -e "$work/bench" ]] || { echo "FAIL: a refused override wrote a folder"; failures=$((failures + 1)); }

# A single-frame subject under the motion crop falls back to the centre crop and says so.
mkdir -p "$work/single" && cp "$img" "$work/single/one.nii.gz"
out=$("$bin" prepare --data "$work/single" --crop motion --out "$work/single.p2rs" 2>/dev/null)
grep -qF "fell back to the centre crop: one (single frame)" <<<"$out" &&
  "$bin" info "$work/single.p2rs" 2>/dev/null | grep -qF "crop center (motion ROI: single frame)" ||
  { echo "FAIL: motion crop fallback not reported: $out"; failures=$((failures + 1)); }

# Scribbles (issue 14): a tiny backbone, simulated scribbles, then one broken input at a time.
"$bin" pretrain --data "$work/good.p2rs" --out "$work/sr" --set width=8 --set levels=4 --set n_ft=8 --set proj=8 \
  --epochs 1 --max-slices 8 --batch 4 --threads 2 --no-progress >/dev/null 2>&1 || { echo "pretrain failed"; exit 1; }
"$bin" scribble-simulate --data "$work/good.p2rs" --subjects patient001 --slices 2 --out "$work/scr" --seed 1 \
  --no-progress >/dev/null 2>&1 || { echo "scribble-simulate failed"; exit 1; }
# The slice match index's candidate counts (issue 14 item 6), refused before any embedding.
for counts in "10 20" "0 0" "512 0"; do
  set -- $counts
  expect_fail "--fine-candidates ($2) must be at least 1 and not exceed --coarse-candidates ($1)" "$bin" bench query \
    --checkpoint "$work/sr" --data "$work/good.p2rs" --no-cache --coarse-candidates "$1" --fine-candidates "$2"
done
train() { "$bin" scribble-train --checkpoint "$work/sr" --data "$work/good.p2rs" --steps 5 --no-progress "$@"; }
train --scribbles "$work/scr" --out "$work/cls" >/dev/null 2>&1 || { echo "scribble-train failed"; exit 1; }
"$bin" predict --model "$work/cls" --data "$work/good.p2rs" --subjects patient002 --out "$work/cls_pred" --no-progress \
  >/dev/null 2>&1 && ls "$work/cls_pred/"patient002_frame01_pred.nii.gz >/dev/null 2>&1 ||
  { echo "FAIL: predict with a scribble classifier"; failures=$((failures + 1)); }
cp -r "$work/cls" "$work/cls_keep"
scr1=$(ls "$work/scr/"*.nii.gz | head -1)
# set_voxels FILE VALUE [INDEX]: the uint8 voxels of a NIfTI file (all, or one) set to VALUE.
set_voxels() {
  python3 - "$@" <<'PY'
import gzip, struct, sys
path, value = sys.argv[1], int(sys.argv[2])
raw = bytearray(gzip.open(path).read())
offset = int(struct.unpack('<f', raw[108:112])[0])
if len(sys.argv) > 3: raw[offset + int(sys.argv[3])] = value
else: raw[offset:] = bytes([value]) * (len(raw) - offset)
gzip.open(path, 'wb').write(raw)
PY
}
expect_fail "scribble folder does not exist" train --scribbles "$work/noscr" --out "$work/cls"
mkdir -p "$work/noscr_files"
expect_fail "no scribble file of the data's volumes" train --scribbles "$work/noscr_files" --out "$work/cls"
rm -rf "$work/s2"; cp -r "$work/scr" "$work/s2"; set_voxels "$work/s2/$(basename "$scr1")" 7 100
expect_fail "scribble value 7 has no class" train --scribbles "$work/s2" --out "$work/cls"
rm -rf "$work/s2"; mkdir "$work/s2"; cp "$scr1" "$work/s2/"; set_voxels "$work/s2/$(basename "$scr1")" 0
expect_fail "empty scribble set" train --scribbles "$work/s2" --out "$work/cls"
rm -rf "$work/s2"; mkdir "$work/s2"
cp "$work/ph/training/patient002/patient002_frame01_gt.nii.gz" "$work/s2/patient001_frame01_scribbles.nii.gz"
expect_fail "are not on the grid of their image" train --scribbles "$work/s2" --out "$work/cls"
cp -r "$work/sr" "$work/sr_other"
expect_fail "not a classifier on the frozen backbone" "$bin" scribble-train --checkpoint "$work/sr_other" \
  --data "$work/good.p2rs" --scribbles "$work/scr" --warm-start "$work/cls" --out "$work/cls" --no-progress
diff -r "$work/cls" "$work/cls_keep" >/dev/null || { echo "FAIL: a refused scribble-train changed its --out"; failures=$((failures + 1)); }
# A model folder whose segment.json names another head than its model.pt holds (predict reads no backbone
# of its own: the folder's model.pt carries the one it was trained on).
cp -r "$work/cls" "$work/cls_other_head"
sed -i 's/"head_hidden": 0/"head_hidden": 32/' "$work/cls_other_head/segment.json"
expect_fail "does not match its configuration" "$bin" predict --model "$work/cls_other_head" --data "$work/good.p2rs" \
  --out "$work/cls_pred2" --no-progress
# Class lists: a bad classes.json beside the scribbles is named; a five-class classifier (the ACDC
# four and "scar") predicts, and evaluate refuses it naming the folder and both class lists.
rm -rf "$work/s5"; cp -r "$work/scr" "$work/s5"
echo '{"classes": [{"name": "background", "rgb": [0, 0, 0]}]}' >"$work/s5/classes.json"
expect_fail "s5/classes.json: 1 classes (2 to 15 allowed)" train --scribbles "$work/s5" --out "$work/cls5"
echo '{"classes": [{"name": "background", "rgb": [0, 0, 0]}, {"name": "RV", "rgb": [0, 0]}]}' >"$work/s5/classes.json"
expect_fail "s5/classes.json: class 1 ('RV') has the colour [0,0]" train --scribbles "$work/s5" --out "$work/cls5"
python3 - "$work/s5/classes.json" <<'PY'
import json, sys
names = ["background", "RV", "MYO", "LV", "scar"]
json.dump({"classes": [{"name": n, "rgb": [10 * i, 20, 30]} for i, n in enumerate(names)]}, open(sys.argv[1], "w"))
PY
train --scribbles "$work/s5" --out "$work/cls5" >/dev/null 2>&1 || { echo "FAIL: scribble-train with five classes"; failures=$((failures + 1)); }
"$bin" predict --model "$work/cls5" --data "$work/good.p2rs" --subjects patient002 --out "$work/cls5_pred" \
  --no-progress 2>/dev/null | grep -qF ", 4 scar (" ||
  { echo "FAIL: predict with a five-class classifier names its classes"; failures=$((failures + 1)); }
expect_fail "cls5: the model's classes (background, RV, MYO, LV, scar) are not the dataset's (background, RV, MYO, LV)" \
  "$bin" evaluate --model "$work/cls5" --data "$work/good.p2rs" --no-progress
# The largest-component clean-up: refused for classes outside the heart, named; evaluate's
# --subjects names a subject the data does not hold, and scores one it does in every space.
expect_fail "cls5: --clean keeps one piece of the heart, which holds the ACDC structures; the model's classes are background, RV, MYO, LV, scar" \
  "$bin" predict --model "$work/cls5" --data "$work/good.p2rs" --clean --out "$work/cls5_clean" --no-progress
expect_fail "good.p2rs: no subject patient999 (--subjects)" \
  "$bin" evaluate --model "$work/cls" --data "$work/good.p2rs" --subjects patient002,patient999 --no-progress
"$bin" evaluate --model "$work/cls" --data "$work/good.p2rs" --subjects patient002 --no-progress 2>/dev/null |
  grep -q "^cleaned, 2 volumes" ||
  { echo "FAIL: evaluate --subjects scores the cleaned space"; failures=$((failures + 1)); }
"$bin" predict --model "$work/cls" --data "$work/good.p2rs" --subjects patient002 --clean --out "$work/cls_clean" \
  --no-progress >/dev/null 2>&1 && [ "$(ls "$work/cls_clean" | wc -l)" = 2 ] ||
  { echo "FAIL: predict --clean"; failures=$((failures + 1)); }
# Two stages (--roi-model): a first model that does not exist is named; one that does re-crops each
# volume from its source file, and evaluate scores the second model's crops on the source grid.
expect_fail "nowhere" "$bin" predict --model "$work/cls" --roi-model "$work/nowhere" --data "$work/good.p2rs" \
  --out "$work/two_pred" --no-progress
"$bin" evaluate --model "$work/cls" --roi-model "$work/cls" --data "$work/good.p2rs" --subjects patient002 \
  --no-progress 2>/dev/null | grep -q "^original, 2 volumes" ||
  { echo "FAIL: evaluate --roi-model scores the two-stage crops"; failures=$((failures + 1)); }
expect_fail "each, checked" "$bin" evaluate --model "$work/cls" --roi-model "$work/cls" --roi-frames union \
  --data "$work/good.p2rs" --no-progress

# The equivariance figure (issue 14): one made and regenerated from its sidecar, then a bad slice, a
# bad transform and an unreadable checkpoint, each named; nothing written for them. (Builds with figures.)
if "$bin" figure equivariance --help >/dev/null 2>&1; then
  eq() { "$bin" figure equivariance --data "$work/good.p2rs" --rotate 30 "$@"; }
  eq --checkpoint "$work/sr" --subject patient001 --frame ED --slice 2 --out "$work/eq.png" >/dev/null 2>&1 &&
    "$bin" figure --from "$work/eq.png.json" --out "$work/eq_again.png" >/dev/null 2>&1 &&
    cmp -s "$work/eq.png" "$work/eq_again.png" ||
    { echo "FAIL: figure equivariance and its regeneration"; failures=$((failures + 1)); }
  expect_fail "slice 999 is out of range: the data has slices 0.." eq --checkpoint "$work/sr" --slice 999 --out "$work/eq_bad.png"
  expect_fail "slice z=99 is out of range: subject patient001 frame" eq --checkpoint "$work/sr" --subject patient001 \
    --frame ED --slice 99 --out "$work/eq_bad.png"
  expect_fail "no frame 'ES2' of subject patient001" eq --checkpoint "$work/sr" --subject patient001 --frame ES2 \
    --slice 0 --out "$work/eq_bad.png"
  expect_fail "no subject 'nobody' in the data" eq --checkpoint "$work/sr" --subject nobody --slice 0 --out "$work/eq_bad.png"
  expect_fail "scale must be a positive number, got 0" eq --checkpoint "$work/sr" --slice 2 --scale 0 --out "$work/eq_bad.png"
  expect_fail "--rotate must be a number, got 'left'" "$bin" figure equivariance --data "$work/good.p2rs" \
    --checkpoint "$work/sr" --slice 2 --rotate left --out "$work/eq_bad.png"
  expect_fail "--flip must be 0 or 1, got 2" eq --checkpoint "$work/sr" --slice 2 --flip 2 --out "$work/eq_bad.png"
  cp -r "$work/sr" "$work/sr_corrupt"; echo garbage > "$work/sr_corrupt/checkpoint.pt"
  expect_fail "sr_corrupt/checkpoint.pt is not a readable checkpoint file" eq --checkpoint "$work/sr_corrupt" --slice 2 \
    --out "$work/eq_bad.png"
  expect_fail "nothing_here: pretraining run folder does not exist" eq --checkpoint "$work/nothing_here" --slice 2 \
    --out "$work/eq_bad.png"
  [[ ! -e "$work/eq_bad.png" && ! -e "$work/eq_bad.png.json" ]] ||
    { echo "FAIL: a refused equivariance figure wrote a file"; failures=$((failures + 1)); }
  # The similarity maps through training (issue 14 item 5(b)): a run without snapshots, a bad value.
  sim() { "$bin" figure similarity --data "$work/good.p2rs" --slice 2 --pixel 10,10 --targets 3 --out "$work/sim_bad.png" "$@"; }
  expect_fail "sr: the run has no snapshots (pretrain --snapshot-every N keeps them)" sim --checkpoint "$work/sr" \
    --snapshots yes
  expect_fail "--snapshots must be yes or no, got 'all'" sim --checkpoint "$work/sr" --snapshots all
  mkdir -p "$work/sr_snap/snapshots/epoch-0001" && cp "$work/sr/config.json" "$work/sr/checkpoint.pt" "$work/sr_snap/snapshots/epoch-0001/"
  expect_fail "is a snapshot of the run" "$bin" pretrain --resume "$work/sr_snap/snapshots/epoch-0001" --no-progress
  [[ ! -e "$work/sim_bad.png" ]] || { echo "FAIL: a refused similarity figure wrote a file"; failures=$((failures + 1)); }
fi

# The benchmark's methods (issue 15): an unknown name lists the valid ones; a run of another kind
# given for a method is refused with both kinds named; nothing is written.
expect_fail "unknown method 'mean-teaher' (expected one of supervised, mean-teacher, simclr-finetune" \
  "$bin" benchmark --data "$work/good.p2rs" --holdout-per-group 1 --out "$work/bench" --methods supervised,mean-teaher
expect_fail "this is a pix2rep run, but simclr needs a SimCLR encoder run" \
  "$bin" benchmark --data "$work/good.p2rs" --holdout-per-group 1 --out "$work/bench" --methods simclr-finetune \
  --simclr "$work/sr"
expect_fail "but pix2rep-no-rot-rev needs a Pix2Rep run without rotation and intensity reversal" \
  "$bin" benchmark --data "$work/good.p2rs" --holdout-per-group 1 --out "$work/bench" \
  --methods pix2rep-no-rot-rev-finetune --pix2rep-no-rot-rev "$work/sr"
# The two-stage crop refinement trains its second stage on labelled crops only: no Mean Teacher.
expect_fail "pix2rep-mean-teacher needs the unlabelled pool too" \
  "$bin" benchmark --data "$work/good.p2rs" --holdout-per-group 1 --out "$work/bench" --refine-crop \
  --methods supervised,pix2rep-mean-teacher
[[ ! -e "$work/bench" ]] || { echo "FAIL: a refused benchmark wrote its folder"; failures=$((failures + 1)); }

echo "$failures failure(s)"
exit $((failures > 0))
