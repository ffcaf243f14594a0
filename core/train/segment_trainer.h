#pragma once
// Training a segmentation head (probe), a fine-tuned or a from-scratch U-Net on labelled slices.
// Torch-free facade used by the CLI, the benchmark and the studio's jobs.
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/slice_set.h"
#include "core/train/segment_config.h"

namespace p2r {

/// What a segmentation run did.
struct SegmentResult {
  std::string out_dir;
  int train_slices = 0, val_slices = 0;
  int epochs_run = 0, best_epoch = 0;
  double best_val_dice = 0;   ///< mean foreground Dice over the validation slices at best_epoch
  double seconds = 0;
  std::vector<double> train_loss, val_dice;  ///< per epoch
};

/// Trains on the labelled slices of config.subjects in data (90/10 train/validation slice split by
/// config.val_fraction), selects the epoch with the best validation Dice (written to
/// DIR/model.pt atomically, with DIR/segment.json and DIR/log.csv), stops early after
/// config.patience epochs without improvement. Throws p2r::Error for a subject that is missing or
/// unlabelled, a backbone that cannot be loaded, a non-finite loss; p2r::Cancelled when the sink
/// cancels (the best model so far stays on disk).
SegmentResult run_segment_training(const SegmentConfig& config, const SliceSet& data, ProgressSink& progress);

}  // namespace p2r
