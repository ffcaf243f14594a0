#pragma once
// The heads SimCLR and Chaitanya et al. train beside the U-Net; a checkpoint stores them as "heads",
// which readers of the backbone ignore. Internal: includes Torch.
#include <torch/torch.h>

#include "core/train/pretrain_config.h"

namespace p2r {

/// g1 on pooled bottleneck features (SimCLR, Chaitanya) and g2 on the local stage's decoder maps
/// (Chaitanya only).
struct ImageHeadsImpl : torch::nn::Module {
  explicit ImageHeadsImpl(const PretrainConfig& config);
  /// g1: [B, C] pooled bottleneck features (C = base * 2^(levels-1)) -> [B, image_proj_dim];
  /// Linear(C, C), ReLU, Linear(C, image_proj_dim).
  torch::Tensor global(const torch::Tensor& pooled);
  /// g2: decoder maps [B, C_l, h, w] after local_decoder_blocks() up blocks -> [B, C_l, h, w];
  /// 1x1 conv, BatchNorm, ReLU, 1x1 conv, as in Chaitanya et al.
  torch::Tensor local(const torch::Tensor& maps);
  torch::nn::Sequential m_global{nullptr}, m_local{nullptr};
};
TORCH_MODULE(ImageHeads);

/// True for the methods that train ImageHeads (SimCLR, Chaitanya).
bool has_image_heads(PretrainMethod method);

}  // namespace p2r
