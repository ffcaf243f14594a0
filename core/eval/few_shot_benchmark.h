#pragma once
// The paper's few-shot benchmark: for each number of labelled subjects and run, train every method
// on the same stratified draw, evaluate on a test set, and tabulate mean Dice like Table 1.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/train/pretrain_recipe.h"

namespace p2r {

/// Settings of a benchmark; the output folder makes it resumable (finished cells are skipped).
struct BenchmarkConfig {
  std::string out_dir;
  std::vector<int> sizes{1, 2, 5, 10, 20, 50, 100};  ///< |Xtr|: labelled training subjects
  int runs = 5;                                      ///< draws (seeds) per size
  /// Names of benchmark_methods() (core/eval/benchmark_methods.h).
  std::vector<std::string> methods{"supervised", "pix2rep-probe", "pix2rep-finetune", "pix2rep-v2-probe",
                                   "pix2rep-v2-finetune"};
  /// Pretrained runs by backbone kind (backbone_kinds()); a kind not given is pretrained into
  /// OUT/pretrain-KIND
  std::map<std::string, std::string> pretrained;
  std::string preset = "cpu-small";         ///< preset of that pretraining
  int pretrain_epochs = 0;                  ///< > 0 overrides the preset's epochs
  std::vector<RecipeOverride> recipe;       ///< overrides of the preset's recipe (the ablation switches)
  int epochs = 100;                         ///< segmentation epochs (early stopping on validation)
  int supervised_n_ft = 128;                ///< feature width of the supervised baseline
  uint64_t seed = 0;
  std::string device = "auto";
  std::string precision = "auto";  ///< of the segmentation cells (pretraining: the preset's, "auto")
  int threads = 0;
  /// Re-evaluate the finished cells of the folder from their saved models (no training), keeping
  /// their recorded seconds: after a change of evaluation (e.g. folders made before the cleaned rows)
  bool rescore = false;
  /// Also score each cell's two-stage version (core/eval/heart_crop_refinement.h): the method trained
  /// again on its labelled subjects' heart crops segments each test volume re-cropped around the
  /// heart its first model predicts (a subject's frames checked against each other,
  /// FrameBoxes::Checked); rows in the space "refined" (the original grid). Finished cells
  /// without such rows get them without retraining the first stage. Not for Mean Teacher methods.
  bool refine_crop = false;
  /// Throws p2r::Error naming the first invalid field (unknown method or backbone kind, size < 1,
  /// runs < 1), a given pretrained run of another kind, or refine_crop with a Mean Teacher method.
  void validate() const;
};

/// Runs the benchmark with the labelled pool `pool` (its subjects also pretrain, without labels)
/// and the test set `test`. Writes OUT/runs.csv (rows per test volume and cell in the spaces
/// prepared, cleaned (prepared after keep_largest_components), original and, with refine_crop,
/// refined; rewritten atomically
/// after each cell), OUT/table.md and OUT/table.tex (mean foreground Dice, the paper's mean, one
/// table per structure, and both means after the clean-up), and OUT/benchmark.json (the protocol: settings and subjects; a later call on the
/// same folder must match it). Throws p2r::Error when a size exceeds the labelled subjects of the
/// pool, the test set has no labels or the protocol differs from the folder's; p2r::Cancelled
/// between cells or steps (finished cells stay recorded).
void run_few_shot_benchmark(const BenchmarkConfig& config, const SliceSet& pool, const SliceSet& test,
                            ProgressSink& progress);

/// As above, with the benchmark's own pretraining reading pretraining (pool's subjects prepared another
/// way, pool_subjects_of; e.g. a tighter label-free crop) instead of pool's images; recorded in the
/// protocol by its content. Throws p2r::Error when it differs from pool and a pretrained run is given.
void run_few_shot_benchmark(const BenchmarkConfig& config, const SliceSet& pool, const SliceSet& test,
                            const SliceSet& pretraining, ProgressSink& progress);

/// Rewrites OUT/table.md and OUT/table.tex from OUT/runs.csv; returns the Markdown text.
std::string write_benchmark_tables(const std::string& out_dir);

}  // namespace p2r
