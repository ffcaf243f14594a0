#pragma once
// Equivariance and invariance errors of any dense feature map f (a backbone, or a toy map in
// tests): f(phi . x) against phi . f(x), both warped with the pretraining augmentation's sampling
// grid and bilinear warp (train/augment.h), and f(x) against f of the reversed image. Internal:
// includes Torch.
#include <functional>

#include <torch/torch.h>

#include "core/analysis/equivariance_error.h"

namespace p2r {

/// A dense feature map: images [B, 1, H, W] (float, CPU) -> features [B, D, H, W] (float, CPU).
using FeatureMap = std::function<torch::Tensor(const torch::Tensor&)>;

/// theta [1, 2, 3] (float, CPU) of phi for maps of height x width (shift in pixels -> normalised).
torch::Tensor transform_theta(const SpatialTransform& phi, int64_t height, int64_t width);

/// Per-pixel errors [H, W] (float, CPU) of one image.
struct FeatureErrors {
  torch::Tensor spatial;   ///< 1 - cos(f(phi . x), phi . f(x)), clamped to [0, 2]; NaN outside phi's view
  torch::Tensor reversal;  ///< 1 - cos(f(x), f(reverse_intensity(x))), clamped to [0, 2]
};

/// Calls f once on [x, phi . x, reverse(x)] for image [1, 1, H, W] (float, CPU) and compares the
/// features per pixel (cosine over D, eps 1e-8). Throws p2r::Error for a bad phi or image shape.
FeatureErrors feature_equivariance_errors(const FeatureMap& f, const torch::Tensor& image,
                                          const SpatialTransform& phi);

}  // namespace p2r
