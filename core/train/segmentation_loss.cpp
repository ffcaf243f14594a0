#include "core/train/segmentation_loss.h"

namespace p2r {

torch::Tensor soft_dice_loss(const torch::Tensor& logits, const torch::Tensor& target) {
  const int64_t classes = logits.size(1);
  auto probs = torch::softmax(logits, 1);                                          // [B, C, H, W]
  auto onehot = torch::one_hot(target, classes).permute({0, 3, 1, 2}).to(probs.dtype());  // [B, C, H, W]
  auto inter = (probs * onehot).sum({0, 2, 3});                                    // [C]
  auto denom = probs.sum({0, 2, 3}) + onehot.sum({0, 2, 3});
  return 1 - ((2 * inter + 1e-5) / (denom + 1e-5)).mean();
}

torch::Tensor segmentation_loss(const torch::Tensor& logits, const torch::Tensor& target, double ce_weight) {
  auto loss = soft_dice_loss(logits, target);
  if (ce_weight > 0) loss = loss + ce_weight * torch::nn::functional::cross_entropy(logits, target);
  return loss;
}

}  // namespace p2r
