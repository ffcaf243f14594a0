#pragma once
// U-Net backbone + 1x1-conv segmentation head (linear, or one hidden 1x1 layer with ReLU), its model
// file, and loading pretrained backbones.
// Internal: includes Torch.
#include <string>

#include <torch/torch.h>

#include "core/model/unet.h"
#include "core/model/model_config.h"

namespace p2r {

/// Backbone features [B, n_ft, H, W] -> head -> class logits [B, K, H, W] (softmax outside; K
/// classes, 4 for ACDC labels). The head is a 1x1 conv (config.head_hidden 0), or a 1x1 conv to
/// head_hidden channels, ReLU, 1x1 conv.
struct SegmentationNetImpl : torch::nn::Module {
  SegmentationNetImpl(const ModelConfig& config, int classes);
  /// The head of config around an existing backbone (shared, not copied: a head on frozen features
  /// without initialising a backbone of its own).
  SegmentationNetImpl(const ModelConfig& config, int classes, UNet backbone);
  /// Logits [B, K, H, W] of images [B, 1, H, W].
  torch::Tensor forward(const torch::Tensor& x);
  /// Logits [B, K, H, W] of backbone features [B, n_ft, H, W].
  torch::Tensor head(const torch::Tensor& features);
  /// The same head on single pixels: logits [N, K] of features [N, n_ft] (matrix products).
  torch::Tensor head_pixels(const torch::Tensor& features);
  /// K: the head's outputs.
  int classes() const;
  UNet m_backbone{nullptr};
  torch::nn::Conv2d m_hidden{nullptr};  ///< null for the linear head
  torch::nn::Conv2d m_head{nullptr};    ///< the output layer (the whole head when linear)
};
TORCH_MODULE(SegmentationNet);

/// Copies the backbone weights of the pretraining run in run_dir into backbone (same config).
/// Throws p2r::Error for a missing, corrupt or incompatible checkpoint.
void load_pretrained_backbone(const std::string& run_dir, UNet& backbone);

/// "segK-" + model_signature (+ "-mlpH"): fixes every parameter shape of a SegmentationNet of K classes.
std::string segmentation_signature(const ModelConfig& config, int classes);

/// Writes net to path atomically with its signature (of config and net's classes); throws
/// p2r::Error on failure.
void save_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config);

/// Loads path into net (the signature of config and net's classes); throws p2r::Error for a
/// missing/corrupt file or a model of other shapes (e.g. a head whose feature width differs from
/// the backbone's, or of another number of classes).
void load_segmentation_model(const std::string& path, SegmentationNet& net, const ModelConfig& config);

}  // namespace p2r
