#pragma once
// Evaluating a segmentation model on a prepared test set: 3D Dice per volume, in the prepared
// space (as the paper), there after the largest-component clean-up, and in the original volume's space.
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/eval/dice.h"
#include "core/train/segmenter.h"

namespace p2r {

/// Scores of one labelled test volume.
struct VolumeEvaluation {
  std::string subject, group;
  Phase phase = Phase::Unknown;
  int frame = 0;
  DiceScores prepared;       ///< on the prepared (cropped, resized) slices
  /// prepared, after keep_largest_components (core/eval/largest_components): stray pieces removed
  DiceScores largest_components;
  DiceScores original;       ///< after mapping back to the original grid, vs the original label file
  bool has_original = false; ///< false without ITK or without a label file path

  /// Spaces scored, in benchmark_spaces() order: prepared, cleaned and, when has_original, original.
  int space_count() const { return has_original ? 3 : 2; }
  /// The scores of space index i (benchmark_spaces()[i]), i < space_count().
  const DiceScores& in_space(int i) const { return i == 0 ? prepared : i == 1 ? largest_components : original; }
};

/// Predicts and scores every labelled volume of test. original_space also reads each volume's label
/// file (needs ITK). Throws p2r::Error naming test's source when it has no labelled volume
/// (prediction still works: see Segmenter), and naming the model folder and both class lists when
/// the model's classes are not the dataset's ACDC four.
std::vector<VolumeEvaluation> evaluate_segmenter(const Segmenter& model, const SliceSet& test, bool original_space,
                                                 ProgressSink& progress);

}  // namespace p2r
