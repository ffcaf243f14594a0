#pragma once
// U-Net backbone + 1x1-conv segmentation head, its model file, and loading pretrained backbones.
// Internal: includes Torch.
#include <string>

#include <torch/torch.h>

#include "core/model/unet.h"
#include "core/model/model_config.h"

namespace p2r {

/// Backbone features [B, n_ft, H, W] -> 1x1 conv -> class logits [B, 4, H, W] (softmax outside).
struct SegmentationNetImpl : torch::nn::Module {
  explicit SegmentationNetImpl(const ModelConfig& config);
  /// Logits [B, 4, H, W] of images [B, 1, H, W].
  torch::Tensor forward(const torch::Tensor& x);
  UNet m_backbone{nullptr};
  torch::nn::Conv2d m_head{nullptr};
};
TORCH_MODULE(SegmentationNet);

/// Copies the backbone weights of the pretraining run in run_dir into backbone (same config).
/// Throws p2r::Error for a missing, corrupt or incompatible checkpoint.
void load_pretrained_backbone(const std::string& run_dir, UNet& backbone);

/// "seg4-" + model_signature: fixes every parameter shape of a SegmentationNet.
std::string segmentation_signature(const ModelConfig& config);

/// Writes net to path atomically with its signature; throws p2r::Error on failure.
void save_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config);

/// Loads path into net; throws p2r::Error for a missing/corrupt file or a model of other shapes
/// (e.g. a head whose feature width differs from the backbone's).
void load_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config);

}  // namespace p2r
