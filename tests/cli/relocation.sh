#!/usr/bin/env bash
# Paths that survive a move: prepared files and run folders record absolute paths, so follow-up
# commands work from another working folder; `pretrain --resume RUN --data FILE` finds a moved
# prepared file (same slices only), --threads sets this machine's threads, recipe options are
# refused; a failed resume leaves config.json byte-identical; `evaluate
# --source DIR` finds a moved source dataset's label files. Also the
# smaller CLI promises of issue 13: evaluate warns about training subjects, --help shows defaults,
# prepare --crop paper-roi says it uses labels.
# Usage: relocation.sh BIN_DIR
set -u
bin="$(cd "$1" && pwd)/pix2rep"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
run() { "$@" >"$work/log" 2>&1 || { echo "FAIL: $*"; cat "$work/log"; exit 1; }; }
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; failures=$((failures + 1)); }
# expect_fail NEEDLE CMD...: CMD must exit 1 and print NEEDLE on stderr.
expect_fail() {
  local needle="$1" err rc; shift
  err=$("$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -eq 1 ]] && grep -qF -- "$needle" <<<"$err"; then ok "$needle"; else bad "'$*' exited $rc: $err"; fi
}

mkdir -p "$work/a" "$work/b"
cat >"$work/tiny.json" <<'JSON'
{"model": {"base": 4, "levels": 3, "n_ft": 8, "proj_dim": 8}, "batch": 4, "samples": 128, "max_slices": 8,
 "device": "cpu", "threads": 1, "precision": "fp32"}
JSON
# Everything made with relative paths in a/.
cd "$work/a" || exit 1
run "$bin" phantom --out ph --subjects 2 --seed 4 --no-progress
run "$bin" prepare --data ph --out ph.p2rs --no-progress
run "$bin" pretrain --data ph.p2rs --out run --config ../tiny.json --epochs 1 --no-progress
run "$bin" train-supervised --data ph.p2rs --out seg --subjects patient001 --base 4 --levels 2 --nft 4 --epochs 1 \
  --device cpu --no-progress
grep -q "\"data_path\": \"$work/a/ph.p2rs\"" run/config.json && ok "config.json records the absolute data path" ||
  bad "config.json data_path: $(grep data_path run/config.json)"
"$bin" info ph.p2rs | grep -q "source: $work/a/ph" && ok "prepared file records the absolute source" ||
  bad "prepared file source: $("$bin" info ph.p2rs | grep source)"

# From another working folder.
cd "$work/b" || exit 1
run "$bin" pretrain --resume ../a/run --epochs 2 --no-progress
grep -q "epoch   2" "$work/log" && ok "resume from another folder" || bad "resume from another folder: $(cat "$work/log")"
"$bin" evaluate --model ../a/seg --data ../a/ph.p2rs --device cpu --no-progress >"$work/eval.out" 2>"$work/eval.err"
grep -q "original" "$work/eval.out" && ok "evaluate from another folder (original space)" ||
  bad "evaluate from another folder: $(cat "$work/eval.out" "$work/eval.err")"
grep -q "warning: 1 test subject(s) were labelled training subjects of ../a/seg: patient001" "$work/eval.err" &&
  ok "evaluate warns about training subjects" || bad "no training-subject warning: $(cat "$work/eval.err")"

# The prepared file moves: a resume without --data fails and changes nothing; with --data it works.
mv "$work/a/ph.p2rs" "$work/moved.p2rs"
cp "$work/a/run/config.json" "$work/config.before"
expect_fail "give its new place with --data" "$bin" pretrain --resume ../a/run --epochs 3 --no-progress
cmp -s "$work/a/run/config.json" "$work/config.before" && ok "failed resume left config.json byte-identical" ||
  bad "failed resume changed config.json"
run "$bin" phantom --out "$work/other" --subjects 2 --seed 9 --no-progress
run "$bin" prepare --data "$work/other" --out "$work/other.p2rs" --no-progress
expect_fail "other slices than the run" "$bin" pretrain --resume ../a/run --epochs 3 --data "$work/other.p2rs" \
  --no-progress
cmp -s "$work/a/run/config.json" "$work/config.before" && ok "resume on other data left config.json byte-identical" ||
  bad "resume on other data changed config.json"
expect_fail "do not combine it with" "$bin" pretrain --resume ../a/run --epochs 3 --data ../moved.p2rs --lr 0.1 \
  --no-progress
run "$bin" pretrain --resume ../a/run --epochs 3 --data ../moved.p2rs --threads 2 --no-progress
grep -q "\"data_path\": \"$work/moved.p2rs\"" "$work/a/run/config.json" && grep -q '"epochs": 3' "$work/a/run/config.json" &&
  ok "resume --data records the new place" || bad "config.json after resume --data: $(cat "$work/a/run/config.json")"
grep -q '"threads": 2' "$work/a/run/config.json" && ok "resume --threads runs on this machine's threads" ||
  bad "config.json after resume --threads 2: $(grep threads "$work/a/run/config.json")"
mv "$work/moved.p2rs" "$work/moved2.p2rs"
run "$bin" pretrain --resume ../a/run --data ../moved2.p2rs --no-progress
grep -q "\"data_path\": \"$work/moved2.p2rs\"" "$work/a/run/config.json" &&
  ok "a finished run's resume --data records the new place" || bad "config.json: $(grep data_path "$work/a/run/config.json")"

# The source dataset moves: evaluate names the missing label file and the --source hint; with
# --source it reads the labels from the new folder (original-space Dice as before).
mv "$work/a/ph" "$work/ph_moved"
run "$bin" prepare --data "$work/ph_moved" --out "$work/ph_moved.p2rs" --no-progress  # a reference
mv "$work/ph_moved" "$work/ph_moved_again"
expect_fail "label file not found (if the source dataset moved, give its new folder with --source DIR)" \
  "$bin" evaluate --model ../a/seg --data "$work/ph_moved.p2rs" --device cpu --no-progress
expect_fail "not a folder (--source takes the dataset's new folder)" \
  "$bin" evaluate --model ../a/seg --data "$work/ph_moved.p2rs" --source "$work/nowhere" --device cpu --no-progress
"$bin" evaluate --model ../a/seg --data "$work/ph_moved.p2rs" --source "$work/ph_moved_again" --device cpu --no-progress \
  >"$work/eval2.out" 2>"$work/eval2.err"
grep -q "original" "$work/eval2.out" && ok "evaluate --source reads the moved label files" ||
  bad "evaluate --source: $(cat "$work/eval2.out" "$work/eval2.err")"

# --help shows defaults; paper-roi says it uses labels.
"$bin" probe --help | grep -- "--epochs" | grep -q "100" && ok "--help shows defaults" ||
  bad "probe --help: $("$bin" probe --help | grep -- --epochs)"
"$bin" prepare --data "$work/other" --out "$work/roi.p2rs" --crop paper-roi --no-progress | grep -q "ground-truth labels" &&
  ok "paper-roi says it uses labels" || bad "prepare --crop paper-roi printed no note on labels"

echo "$failures failure(s)"
exit $((failures > 0))
