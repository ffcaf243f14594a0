#pragma once
// Inference-time folding of BatchNorm into the convolution before it: in eval mode a BatchNorm is
// a per-channel affine map, so conv then BatchNorm equals one conv with scaled weights and a bias,
// one memory pass fewer per layer. Internal: includes Torch.
#include <torch/torch.h>

namespace p2r {

/// layers with every (Conv2d, SyncedBatchNorm2d) pair replaced by one Conv2d with a bias that
/// computes the same in eval mode (running statistics); other layers are kept (shared). Computed
/// in fp32 on the layers' device; the result is for inference only (it has no BatchNorm to train).
torch::nn::Sequential fold_batch_norms(const torch::nn::Sequential& layers);

}  // namespace p2r
