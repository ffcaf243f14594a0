#pragma once
// One Pix2Rep / Pix2Rep-v2 loss evaluation on a batch, shared by the trainer and the benchmark.
// Internal: includes Torch.
#include <torch/torch.h>

#include "core/model/batch_reducer.h"
#include "core/model/unet.h"
#include "core/train/pretrain_config.h"

namespace p2r {

/// The rows of a batch this process runs in data-parallel training and how its part meets the
/// other processes' parts. Every process draws the random numbers of the whole batch (the step's
/// generator), so W processes see the same views, affines and sampled pixels as one.
struct BatchShard {
  int64_t first = 0;                ///< first row of the batch run here
  int64_t count = -1;               ///< rows run here (-1: the whole batch)
  BatchReducer* reducer = nullptr;  ///< the other processes (null: this process runs the whole batch alone)
};

/// Backbone features of two intensity-augmented views of one batch and where view 2's pixels lie
/// in view 1.
struct TwinFeatures {
  torch::Tensor f1;    ///< [B, C, H, W] backbone trunk features of view 1, in view 1's frame
  torch::Tensor f2;    ///< [B, C, H, W] backbone trunk features of view 2 (warped before the network)
  // (C = n_ft; with model.expand C = base, widened to n_ft where they are projected)
  torch::Tensor grid;  ///< [B, H, W, 2] where each view-2 pixel lies in view 1 (normalised, align_corners)
  torch::Tensor mask;  ///< [B, H, W] bool, true where both views see the pixel
  // (with a BatchShard B is its count and the tensors hold its rows; batch_mask the whole batch's)
  torch::Tensor batch_mask;  ///< [B_batch, H, W] the mask of the whole batch
  int64_t first = 0;         ///< the batch row of row 0
};

/// Twin pixel embeddings of one batch as whole maps, both in view 2's frame.
struct TwinEmbeddings {
  torch::Tensor z1;    ///< [B, D, H, W] view 1 embeddings warped by the spatial transform
  torch::Tensor z2;    ///< [B, D, H, W] embeddings of the warped view 2
  torch::Tensor mask;  ///< [B, H, W] bool, true where both views see the pixel
};

/// The embeddings a loss compares: row i of a and of b are the two views of one pixel.
struct PixelPairs {
  torch::Tensor a, b;  ///< [N, D] each
};

/// Builds two intensity-augmented views of x [B, 1, H, W] (device of net), warps view 2 by one
/// random affine per sample and runs the backbone on both (in net's memory format); on shard's rows only.
TwinFeatures embed_twin_features(Pix2RepNet& net, const torch::Tensor& x, const AugmentConfig& augment,
                                 at::Generator& gen, const BatchShard& shard = {});

/// Whole projected maps: z1 = warp(head(f1)) (view 1 moved into view 2's frame), z2 = head(f2).
TwinEmbeddings project_twin_maps(Pix2RepNet& net, const TwinFeatures& twins);

/// The projected embeddings of both views at view-2 pixels idx (flat indices into B*H*W): the same
/// values as gathering project_twin_maps at idx, from the head at the N pixels of view 2 and at the
/// 4N bilinear neighbours of their positions in view 1 instead of on two whole maps.
PixelPairs project_twin_pixels(Pix2RepNet& net, const TwinFeatures& twins, const torch::Tensor& idx);

/// embed_twin_features then project_twin_maps.
TwinEmbeddings embed_twin_views(Pix2RepNet& net, const torch::Tensor& x, const AugmentConfig& augment,
                                at::Generator& gen);

/// The pairs the configured loss compares: config.samples valid pixels drawn from gen for InfoNCE
/// and for Barlow Twins with config.bt_sampled (project_twin_pixels; drawn over the whole batch,
/// those of twins' rows kept), every valid pixel of twins' rows for Barlow Twins (project_twin_maps).
PixelPairs twin_pixel_pairs(Pix2RepNet& net, const TwinFeatures& twins, const PretrainConfig& config,
                            at::Generator& gen);

/// The configured loss (InfoNCE with config.tau or Barlow Twins with config.bt_lambda) in fp32.
/// With a reducer, the loss of the whole batch on every process: Barlow Twins' statistics and
/// cross-correlation summed over processes; InfoNCE over every process's pairs when
/// config.global_negatives, else over this process's own.
torch::Tensor pair_loss(const PixelPairs& pairs, const PretrainConfig& config, BatchReducer* reducer = nullptr);

/// The loss of one training batch x: twin features and pixel pairs under config.precision's
/// autocast (bf16: bfloat16 on net's device), then pair_loss in fp32; shard: the rows run here.
torch::Tensor pretrain_loss(Pix2RepNet& net, const torch::Tensor& x, const PretrainConfig& config, at::Generator& gen,
                            const BatchShard& shard = {});

/// CPU generator seeded from (seed, stream): each training step gets its own reproducible stream.
at::Generator step_generator(uint64_t seed, uint64_t stream);

}  // namespace p2r
