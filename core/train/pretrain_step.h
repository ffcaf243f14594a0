#pragma once
// One Pix2Rep / Pix2Rep-v2 loss evaluation on a batch, shared by the trainer and the benchmark.
// Internal: includes Torch.
#include <torch/torch.h>

#include "core/model/unet.h"
#include "core/train/pretrain_config.h"

namespace p2r {

/// Twin pixel embeddings of one batch, both in view 2's frame, and the pixels valid in both views.
struct TwinEmbeddings {
  torch::Tensor z1;    ///< [B, D, H, W] view 1 embeddings warped by the spatial transform
  torch::Tensor z2;    ///< [B, D, H, W] embeddings of the warped view 2
  torch::Tensor mask;  ///< [B, H, W] bool, true where both views see the pixel
};

/// Builds two intensity-augmented views of x [B, 1, H, W] (device of net), warps view 2 by one random
/// affine per sample, embeds both with net and warps view 1's embeddings the same way.
TwinEmbeddings embed_twin_views(Pix2RepNet& net, const torch::Tensor& x, const AugmentConfig& augment,
                                at::Generator& gen);

/// The configured loss (InfoNCE over config.samples pixels or Barlow Twins over all valid pixels).
torch::Tensor twin_loss(const TwinEmbeddings& twins, const PretrainConfig& config, at::Generator& gen);

/// The loss of one training batch x: embed_twin_views with the network under config.precision's
/// autocast (bf16: bfloat16 on net's device), then twin_loss in fp32.
torch::Tensor pretrain_loss(Pix2RepNet& net, const torch::Tensor& x, const PretrainConfig& config, at::Generator& gen);

/// CPU generator seeded from (seed, stream): each training step gets its own reproducible stream.
at::Generator step_generator(uint64_t seed, uint64_t stream);

}  // namespace p2r
