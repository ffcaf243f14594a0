#pragma once
// A pretraining run's U-Net backbone loaded for inference, as the embedding extractor runs it: on
// the resolved device, in the resolved precision (bf16 weights rather than autocast) and memory layout,
// BatchNorm folded into the convolutions, eval mode, no gradients.
// Internal: includes Torch.
#include <string>

#include <torch/torch.h>

#include "core/analysis/embedding_extractor.h"
#include "core/model/unet.h"

namespace p2r {

class InferenceBackbone {
 public:
  /// Loads the backbone of the pretraining run in run_dir for options (device, precision, threads).
  /// Throws p2r::Error for a missing/corrupt run, a bad device, or slices of side x side the U-Net
  /// cannot take (side not a multiple of 2^(levels-1)).
  InferenceBackbone(const std::string& run_dir, int side, const ExtractOptions& options);
  /// Features of images [B, 1, H, W] (float, any device): [B, n_ft, H, W] float on the CPU,
  /// contiguous. Runs under InferenceMode in the resolved precision.
  torch::Tensor features(const torch::Tensor& images);
  int feature_dim() const { return m_config.n_ft; }
  /// The device used, followed by " bf16" when the forward pass runs in bfloat16.
  std::string device_name() const;

 private:
  ModelConfig m_config;
  torch::Device m_device{torch::kCPU};
  std::string m_precision;
  UNet m_net{nullptr};
};

}  // namespace p2r
