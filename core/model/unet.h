#pragma once
// U-Net backbone (internal: includes Torch; include only from .cpp files of the core and tests).
#include <torch/torch.h>

#include "core/model/model_config.h"

namespace p2r {

/// Two (3x3 conv, BatchNorm, ReLU) layers, spatial size kept: [B, cin, H, W] -> [B, cout, H, W].
struct DoubleConvImpl : torch::nn::Module {
  DoubleConvImpl(int cin, int cout);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Sequential m_seq{nullptr};
};
TORCH_MODULE(DoubleConv);

/// 2x up-sampling equal to a 2x2 stride-2 ConvTranspose2d(cin, cout) computed as a 1x1 conv to
/// 4*cout channels then pixel_shuffle(2) (fast oneDNN path on CPU): [B, cin, H, W] -> [B, cout, 2H, 2W].
struct UpShuffleImpl : torch::nn::Module {
  UpShuffleImpl(int cin, int cout);
  torch::Tensor forward(const torch::Tensor& x);
  /// Copies a ConvTranspose2d weight [cin, cout, 2, 2] and bias [cout] into the 1x1 conv (exact).
  void load_transposed(const torch::Tensor& weight, const torch::Tensor& bias);
  torch::nn::Conv2d m_conv{nullptr};
  int m_cout;
};
TORCH_MODULE(UpShuffle);

/// U-Net: levels resolutions with widths base*2^i, max-pool down, UpShuffle up, skip concatenation;
/// with config.expand a 1x1 conv-BN-ReLU from base to n_ft channels at the end;
/// [B, in_channels, H, W] -> [B, n_ft, H, W]; H and W must be divisible by 2^(levels-1).
struct UNetImpl : torch::nn::Module {
  explicit UNetImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x);
  /// Everything before the 1x1 expansion: [B, base or n_ft, H, W] (forward = widen(trunk)).
  torch::Tensor trunk(const torch::Tensor& x);
  /// The down path: the maps of the input block and of every down block, the last one the
  /// bottleneck [B, base * 2^(levels-1), H / 2^(levels-1), W / 2^(levels-1)].
  std::vector<torch::Tensor> encode(const torch::Tensor& x);
  /// The first `blocks` up blocks (up-sampling, skip concatenation, DoubleConv) on encode()'s maps;
  /// all of them (m_convs.size()) give trunk's maps.
  torch::Tensor decode(std::vector<torch::Tensor> levels, int blocks);
  /// The 1x1 expansion of trunk maps [B, base, H, W] -> [B, n_ft, H, W]; identity without expand.
  torch::Tensor widen(const torch::Tensor& trunk_maps);
  /// The same on single pixels [N, base] -> [N, n_ft] (in training, BatchNorm's statistics are
  /// those of the N given pixels); identity without expand.
  torch::Tensor widen_pixels(const torch::Tensor& trunk_rows);
  /// For inference only: every BatchNorm folded into the convolution before it
  /// (batch_norm_folding.h), the same eval-mode output with one memory pass fewer per layer; the
  /// module can no longer train, nor be saved as a checkpoint.
  void fold_for_inference();
  ModelConfig m_config;
  /// The layout forward puts its input in (model_layout.h's move_to_device sets it).
  torch::MemoryFormat memory_format = torch::MemoryFormat::Contiguous;
  DoubleConv m_inc{nullptr};
  std::vector<DoubleConv> m_downs, m_convs;
  std::vector<UpShuffle> m_ups;
  torch::nn::Sequential m_expand{nullptr};  ///< only with config.expand
};
TORCH_MODULE(UNet);

/// A Sequential of 1x1 Conv2d, SyncedBatchNorm2d and ReLU layers applied to single pixels [N, C] (the
/// convs as matrix products, BatchNorm over the N rows in training); throws for any other layer.
torch::Tensor pointwise_rows(torch::nn::Sequential& layers, const torch::Tensor& rows);

/// 1x1-conv MLP: proj_hidden_layers (conv, ReLU) of width proj_dim then a conv to proj_dim;
/// [B, n_ft, H, W] -> [B, proj_dim, H, W].
struct ProjectionHeadImpl : torch::nn::Module {
  explicit ProjectionHeadImpl(const ModelConfig& config);
  torch::Tensor forward(const torch::Tensor& x);
  /// The same MLP on single pixels: [N, n_ft] -> [N, proj_dim] (the 1x1 convs as matrix products;
  /// in training, BatchNorm's statistics are those of the N given pixels).
  torch::Tensor forward_pixels(const torch::Tensor& x);
  torch::nn::Sequential m_seq{nullptr};
};
TORCH_MODULE(ProjectionHead);

/// Backbone + projection head, the module a pretraining checkpoint stores.
struct Pix2RepNetImpl : torch::nn::Module {
  explicit Pix2RepNetImpl(const ModelConfig& config);
  /// Projected pixel embeddings [B, proj_dim, H, W] of images [B, C, H, W].
  torch::Tensor forward(const torch::Tensor& x);
  UNet m_backbone{nullptr};
  ProjectionHead m_head{nullptr};
};
TORCH_MODULE(Pix2RepNet);

}  // namespace p2r
