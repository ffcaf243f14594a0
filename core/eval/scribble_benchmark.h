#pragma once
// How good are a few strokes? Scribbles simulated from the ground truth on 1, 2, 4, ... slices of N
// training subjects, a scribble classifier trained on each, Dice on held-out subjects against the
// number of scribbled slices, beside the linear probe trained on the full labels of the same
// subjects. Needs ITK (the scribbles are simulated on the label files' original grids).
#include <cstdint>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/scribble_simulator.h"
#include "core/data/slice_set.h"
#include "core/eval/dice.h"
#include "core/train/scribble_classifier.h"

namespace p2r {

/// Settings of the scribble benchmark.
struct ScribbleBenchmarkConfig {
  std::string backbone_dir;                    ///< pretraining run folder (frozen backbone)
  std::string out_dir;                         ///< scribbles.csv, scribbles.md, models/
  int subjects = 5;                            ///< training subjects, drawn stratified by seed
  std::vector<int> slice_counts{1, 2, 4, 8};   ///< scribbled slices per subject
  ScribbleSimulation simulation;
  ScribbleTrainConfig train;
  int probe_epochs = 50;                       ///< of the full-label probe (early stopping as usual)
  int latency_strokes = 20;                    ///< warm-started retrains timed as strokes
  uint64_t seed = 0;
  std::string device = "auto";
  std::string precision = "auto";
  int threads = 0;
  /// Throws p2r::Error naming the first invalid field.
  void validate() const;
};

/// One row of the table.
struct ScribbleBenchmarkRow {
  std::string method;                  ///< "scribbles" or "probe (full labels)"
  int slices_per_subject = 0;          ///< 0 for the probe (all its subjects' slices)
  int labelled_slices = 0;             ///< scribbled slices (probe: labelled slices)
  int64_t labelled_pixels = 0;         ///< scribbled prepared pixels (probe: every pixel)
  double train_seconds = 0;            ///< training only (scribbles: features already computed)
  DiceSummary dice;                    ///< over the test volumes, prepared space
};

/// Everything the benchmark measured.
struct ScribbleBenchmarkResult {
  std::vector<std::string> subjects;   ///< the scribbled (and probe) training subjects
  std::vector<ScribbleBenchmarkRow> rows;  ///< scribbles by slice count, then the probe
  std::vector<double> stroke_ms;       ///< per timed stroke: warm-started retrain + slice prediction
  int test_volumes = 0;
  /// Fewest slices per subject at which the scribbles' mean foreground Dice reaches the probe's;
  /// 0 when no slice count does.
  int reaches_probe_at = 0;
};

/// Runs the benchmark: pool holds the labelled training subjects (prepared from pool_path, recorded
/// in the models' segment.json), test the held-out volumes. Writes OUT/scribbles.csv, OUT/scribbles.md,
/// OUT/strokes.csv (each timed stroke's milliseconds) and the models under OUT/models/. Throws p2r::Error for too few labelled subjects, a test set
/// without labels, or label files that cannot be read; p2r::Cancelled when progress cancels.
ScribbleBenchmarkResult run_scribble_benchmark(const ScribbleBenchmarkConfig& config, const SliceSet& pool,
                                               const std::string& pool_path, const SliceSet& test,
                                               ProgressSink& progress);

/// The Markdown table (and the stroke timing and probe note) of a result.
std::string scribble_benchmark_markdown(const ScribbleBenchmarkConfig& config, const ScribbleBenchmarkResult& result);

}  // namespace p2r
