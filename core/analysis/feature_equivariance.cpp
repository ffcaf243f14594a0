#include "core/analysis/feature_equivariance.h"

#include <cmath>
#include <limits>

#include "core/common/error.h"
#include "core/train/augment.h"

namespace p2r {
namespace F = torch::nn::functional;

torch::Tensor transform_theta(const SpatialTransform& phi, int64_t height, int64_t width) {
  phi.validate();
  P2R_CHECK(height > 1 && width > 1, "spatial transform: maps of " << width << " x " << height << " are too small");
  auto one = [](double v) { return torch::full({1}, v, torch::kFloat); };
  // align_corners = true: pixel centres 0 .. W-1 span [-1, 1], so a pixel is 2 / (W - 1).
  return affine_theta(one(phi.rotation_deg * M_PI / 180.0), one(phi.scale), one(2.0 * phi.shift_x / double(width - 1)),
                      one(2.0 * phi.shift_y / double(height - 1)), one(phi.flip ? -1.0 : 1.0), one(1.0));
}

FeatureErrors feature_equivariance_errors(const FeatureMap& f, const torch::Tensor& image, const SpatialTransform& phi) {
  P2R_CHECK(image.dim() == 4 && image.size(0) == 1 && image.size(1) == 1,
            "equivariance error: expected one image [1, 1, H, W], got " << image.sizes());
  const int64_t h = image.size(2), w = image.size(3);
  const torch::Tensor x = image.to(torch::kCPU, torch::kFloat).contiguous();
  const torch::Tensor grid = affine_sampling_grid(transform_theta(phi, h, w), h, w, torch::kCPU);  // [1, H, W, 2]
  const torch::Tensor features = f(torch::cat({x, warp(x, grid), reverse_intensity(x)}));        // [3, D, H, W]
  P2R_CHECK(features.dim() == 4 && features.size(0) == 3 && features.size(2) == h && features.size(3) == w,
            "equivariance error: the feature map returned " << features.sizes() << " for 3 images of " << w << " x "
                                                            << h);
  const torch::Tensor fx = features.slice(0, 0, 1).to(torch::kFloat);
  const torch::Tensor f_phi_x = features.slice(0, 1, 2).to(torch::kFloat);
  const torch::Tensor f_rev_x = features.slice(0, 2, 3).to(torch::kFloat);
  const auto cosine = F::CosineSimilarityFuncOptions().dim(1).eps(1e-8);
  // [1, D, H, W] x 2 -> [1, H, W] -> [H, W]
  torch::Tensor spatial = (1 - F::cosine_similarity(f_phi_x, warp(fx, grid), cosine)).clamp(0, 2)[0];
  spatial.masked_fill_(validity_mask(grid)[0].logical_not(), std::numeric_limits<float>::quiet_NaN());
  torch::Tensor reversal = (1 - F::cosine_similarity(fx, f_rev_x, cosine)).clamp(0, 2)[0];
  return {spatial.contiguous(), reversal.contiguous()};
}

}  // namespace p2r
