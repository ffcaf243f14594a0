#pragma once
// Backbone pixel features of a pretraining run on prepared slices, computed in batches on CPU or
// CUDA. Torch-free declaration; the implementation is a Torch source of the core.
#include <functional>
#include <string>

#include "core/common/progress.h"
#include "core/data/slice_set.h"

namespace p2r {

/// How features are computed.
struct ExtractOptions {
  std::string device = "auto";  ///< auto / cpu / cuda
  std::string precision = "auto";  ///< auto (bf16 where the device has it) / fp32 / bf16
  int batch = 16;               ///< slices per forward pass
  int threads = 0;              ///< intra-op CPU threads (0: all cores)
};

/// Output features per pixel of the run's U-Net backbone (its config's n_ft). Throws p2r::Error
/// naming the folder when it is not a pretraining run.
int backbone_feature_dim(const std::string& run_dir);

/// Runs the backbone of the pretraining run in run_dir (eval mode: BatchNorm running statistics,
/// no gradients) on every slice of data, in order, and calls consume(slice, features) with the
/// slice's float features [n_ft, H, W] on the host (valid during the call only). Returns the device
/// name used, followed by " bf16" when the forward pass ran in bfloat16. Polls progress.cancelled() between batches (throws p2r::Cancelled); throws p2r::Error
/// for a missing/corrupt checkpoint, a bad device or slices whose size the U-Net cannot take.
std::string extract_backbone_features(const std::string& run_dir, const SliceSet& data, const ExtractOptions& options,
                                      const std::function<void(int slice, const float* features)>& consume,
                                      ProgressSink& progress);

}  // namespace p2r
