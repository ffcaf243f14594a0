#pragma once
// 3D Dice overlap per ACDC structure, per volume and summarised over a set of volumes.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/volume.h"

namespace p2r {

/// Dice of one volume for each class (background, RV, MYO, LV). A structure absent from both
/// prediction and truth scores 1 (perfect agreement) and is flagged in `absent`.
struct DiceScores {
  std::array<double, kNumClasses> dice{};
  std::array<bool, kNumClasses> absent{};
  /// Mean over the three heart structures (RV, MYO, LV): the headline figure, as in ACDC papers.
  double mean_foreground() const;
  /// Mean over all four classes including background: the Pix2Rep paper's average.
  double mean_all() const;
};

/// Dice of prediction against truth, both count values of class labels 0..3. Throws p2r::Error
/// when the sizes differ or a value is outside 0..3.
DiceScores dice_scores(const uint8_t* prediction, const uint8_t* truth, int64_t count);
/// Same for vectors.
DiceScores dice_scores(const std::vector<uint8_t>& prediction, const std::vector<uint8_t>& truth);

/// Mean and sample standard deviation (n - 1; 0 for a single value) of values.
struct MeanStd {
  double mean = 0, std = 0;
  int count = 0;
};
/// Throws p2r::Error when values is empty.
MeanStd mean_std(const std::vector<double>& values);

/// Per-class and foreground-mean summary of many volumes' scores.
struct DiceSummary {
  std::array<MeanStd, kNumClasses> per_class;
  MeanStd mean_foreground;
  MeanStd mean_all;  ///< with background: the paper's Table 1 average
};
/// Summarises scores (at least one; throws p2r::Error otherwise).
DiceSummary summarise_dice(const std::vector<DiceScores>& scores);

}  // namespace p2r
