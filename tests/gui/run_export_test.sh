#!/bin/sh
# run_export_test.sh STUDIO IMAGE_DIFF PIX2REP SCRIPT BASELINE OUT_DIR
# Runs the figure-export GUI script (screenshot against its baseline, run_gui_test.sh), then
# regenerates each exported PNG from its sidecar with `pix2rep figure --from` and requires the same
# bytes: the studio's export and the CLI write identical files.
set -u
studio=$1 differ=$2 cli=$3 script=$4 baseline=$5 out=$6
here=$(dirname "$0")
rm -rf runs figs && mkdir -p figs || exit 1
"$here/run_gui_test.sh" "$studio" "$differ" "$script" "$baseline" "$out" || exit 1
for name in similarity embedding; do
  [ -f "figs/$name.png.json" ] || { echo "FAIL: no sidecar figs/$name.png.json"; exit 1; }
  "$cli" figure --from "figs/$name.png.json" --out "figs/${name}_cli.png" || exit 1
  cmp "figs/$name.png" "figs/${name}_cli.png" || { echo "FAIL: figs/$name.png differs from its CLI regeneration"; exit 1; }
done
for f in figs/similarity.pdf figs/similarity.svg; do
  [ -s "$f" ] || { echo "FAIL: $f missing"; exit 1; }
done
grep -q '"kind": "similarity"' figs/similarity.png.json || { echo "FAIL: sidecar without its kind"; exit 1; }
grep -q '"layout": ".*fixtures/tsne_layout.csv"' figs/embedding.png.json ||
  { echo "FAIL: the embedding sidecar does not name the layout shown"; exit 1; }
[ ! -e /nonexistent-folder/fig.png ] || exit 1
echo "studio exports equal their CLI regenerations"
