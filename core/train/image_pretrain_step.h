#pragma once
// One batch's loss of the image-level methods: SimCLR (encoder only) and the two stages of
// Chaitanya et al. 2020 (global contrast on the encoder, local contrast on the first decoder
// blocks). Internal: includes Torch.
#include <torch/torch.h>

#include "core/model/unet.h"
#include "core/train/image_heads.h"
#include "core/train/pretrain_config.h"

namespace p2r {

/// g1's embeddings of two views of x [B, 1, H, W], each with its own intensity augmentation and
/// random affine (warped before the network): the encoder's bottleneck, global average pooling,
/// heads->global; both views in one batch. z1, z2 [B, image_proj_dim], in the forward's precision.
struct GlobalViews {
  torch::Tensor z1, z2;
};
GlobalViews global_views(UNet& backbone, ImageHeads& heads, const torch::Tensor& x, const AugmentConfig& augment,
                         at::Generator& gen);

/// SimCLR: NT-Xent (info_nce_loss, config.tau) over the 2B views of global_views, forward under
/// config.precision, loss in fp32. The decoder is not used.
torch::Tensor simclr_loss(UNet& backbone, ImageHeads& heads, const torch::Tensor& x, const PretrainConfig& config,
                          at::Generator& gen);

/// Chaitanya's global stage: group_contrastive_loss (config.tau) over the 2B views of global_views
/// grouped by partitions [B] (int64, slice_partition of each row): the two views of a slice and
/// slices of the same partition are positives, the rest negatives.
torch::Tensor global_partition_loss(UNet& backbone, ImageHeads& heads, const torch::Tensor& x,
                                    const torch::Tensor& partitions, const PretrainConfig& config, at::Generator& gen);

/// Mean 3x3 regions of maps [B, D, h, w] at a grid x grid lattice of top-left corners
/// floor(i * (side - 3) / (grid - 1)), row-major: [B, grid^2, D]. Throws when a side < grid + 2.
torch::Tensor local_region_embeddings(const torch::Tensor& maps, int grid);

/// Chaitanya's local stage: two intensity-only views of x (same geometry), the encoder frozen (no
/// gradient, BatchNorm on running statistics), the first local_decoder_blocks() up blocks, heads->local,
/// local_region_embeddings; per image, the same region in both views is the positive and the
/// image's other regions in both views the negatives (info_nce_loss, config.tau); mean over images.
torch::Tensor local_region_loss(UNet& backbone, ImageHeads& heads, const torch::Tensor& x,
                                const PretrainConfig& config, at::Generator& gen);

}  // namespace p2r
