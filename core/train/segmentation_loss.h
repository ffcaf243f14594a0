#pragma once
// Loss of segmentation training: soft Dice + weighted cross-entropy. Internal: includes Torch.
#include <torch/torch.h>

namespace p2r {

/// Soft Dice loss, 1 - mean over classes of 2|P.T| / (|P| + |T|) computed over the whole batch;
/// logits [B, C, H, W], target [B, H, W] (int64 class indices).
torch::Tensor soft_dice_loss(const torch::Tensor& logits, const torch::Tensor& target);

/// soft_dice_loss + ce_weight * cross-entropy.
torch::Tensor segmentation_loss(const torch::Tensor& logits, const torch::Tensor& target, double ce_weight);

}  // namespace p2r
