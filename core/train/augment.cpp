#include "core/train/augment.h"

#include <cmath>

namespace p2r {
namespace F = torch::nn::functional;
namespace {

torch::Tensor uniform(int64_t n, double lo, double hi, at::Generator& gen) {
  return torch::rand({n}, gen, torch::kFloat) * (hi - lo) + lo;
}

torch::Tensor bernoulli_mask(int64_t n, double p, at::Generator& gen) {
  return (torch::rand({n}, gen, torch::kFloat) < p).to(torch::kFloat);
}

// Smooth multiplicative bias field exp(sum_{i+j<=3} c_ij x^i y^j): [B, 1, H, W].
torch::Tensor bias_fields(int64_t b, int64_t h, int64_t w, double coef, at::Generator& gen) {
  auto ys = torch::linspace(-1, 1, h).view({h, 1}).expand({h, w});
  auto xs = torch::linspace(-1, 1, w).view({1, w}).expand({h, w});
  std::vector<torch::Tensor> basis;
  for (int i = 0; i <= 3; ++i)
    for (int j = 0; i + j <= 3; ++j) basis.push_back(xs.pow(i) * ys.pow(j));
  auto stack = torch::stack(basis).view({int64_t(basis.size()), h * w});  // [P, H*W]
  auto c = (torch::rand({b, int64_t(basis.size())}, gen, torch::kFloat) * 2 - 1) * coef;
  return torch::exp(torch::mm(c, stack)).view({b, 1, h, w});
}

// Per-sample separable Gaussian blur with sigmas [B] (sigma 0: identity), reflect padding.
torch::Tensor blur(const torch::Tensor& x, const torch::Tensor& sigma, double sigma_max) {
  const int64_t b = x.size(0), h = x.size(2), w = x.size(3);
  const int64_t r = std::max<int64_t>(1, int64_t(std::ceil(3 * sigma_max)));
  auto t = torch::arange(-r, r + 1, torch::kFloat).view({1, 2 * r + 1});  // [1, K]
  auto s = sigma.clamp_min(1e-3).view({b, 1});
  auto k = torch::exp(-0.5 * (t / s).pow(2));                                // [B, K]
  k = k / k.sum(1, true);
  k = k.to(x.device(), x.scalar_type());
  auto y = x.view({1, b, h, w});
  y = F::pad(y, F::PadFuncOptions({r, r, r, r}).mode(torch::kReflect));
  y = F::conv2d(y, k.view({b, 1, 1, 2 * r + 1}), F::Conv2dFuncOptions().groups(b));  // along x
  y = F::conv2d(y, k.view({b, 1, 2 * r + 1, 1}), F::Conv2dFuncOptions().groups(b));  // along y
  return y.view({b, 1, h, w});
}

}  // namespace

torch::Tensor augment_intensity(const torch::Tensor& input, const AugmentConfig& a, at::Generator& gen) {
  const int64_t b = input.size(0), h = input.size(2), w = input.size(3);
  const auto dev = input.device();
  auto per = [&](const torch::Tensor& v) { return v.to(dev).view({b, 1, 1, 1}); };
  torch::Tensor x = input;
  if (a.p_bias_field > 0) {
    auto on = bernoulli_mask(b, a.p_bias_field, gen).view({b, 1, 1, 1});
    auto field = bias_fields(b, h, w, a.bias_field, gen);
    x = x * (on * field + (1 - on)).to(dev);
    x = x.clamp(0, 1);
  }
  if (a.p_gamma > 0) {
    auto on = bernoulli_mask(b, a.p_gamma, gen);
    auto gamma = torch::exp(uniform(b, -a.log_gamma, a.log_gamma, gen) * on);
    x = x.clamp_min(0).pow(per(gamma));
  }
  if (a.p_brightness_contrast > 0) {
    auto on = bernoulli_mask(b, a.p_brightness_contrast, gen);
    auto c = 1 + uniform(b, -a.contrast, a.contrast, gen) * on;
    auto s = uniform(b, -a.brightness, a.brightness, gen) * on;
    auto mean = x.mean({1, 2, 3}, true);
    x = (x - mean) * per(c) + mean + per(s);
  }
  if (a.p_blur > 0) {
    auto on = bernoulli_mask(b, a.p_blur, gen);
    auto sigma = uniform(b, 0.25, a.blur_sigma_max, gen) * on;
    if (on.sum().item<float>() > 0) x = blur(x, sigma, a.blur_sigma_max);
  }
  if (a.p_noise > 0) {
    auto on = bernoulli_mask(b, a.p_noise, gen);
    auto sd = uniform(b, 0, a.noise_std, gen) * on;
    auto noise = torch::randn({b, 1, h, w}, gen, torch::kFloat) * sd.view({b, 1, 1, 1});
    x = x + noise.to(dev);
  }
  if (a.p_reversal > 0) {
    auto on = per(bernoulli_mask(b, a.p_reversal, gen));
    x = on * reverse_intensity(x) + (1 - on) * x;
  }
  return x;
}

torch::Tensor reverse_intensity(const torch::Tensor& x) { return 1 - x; }

torch::Tensor random_affine(int64_t b, const AugmentConfig& a, at::Generator& gen) {
  const double r = a.rotation_deg * M_PI / 180.0;
  auto th = uniform(b, -r, r, gen);
  auto s = uniform(b, a.zoom_min, a.zoom_max, gen);
  auto tx = (torch::rand({b}, gen, torch::kFloat) * 2 - 1) * (1 - s);
  auto ty = (torch::rand({b}, gen, torch::kFloat) * 2 - 1) * (1 - s);
  auto fx = 1 - 2 * bernoulli_mask(b, a.p_hflip, gen);
  auto fy = 1 - 2 * bernoulli_mask(b, a.p_vflip, gen);
  if (!a.spatial) return torch::eye(2, 3).unsqueeze(0).repeat({b, 1, 1});
  return affine_theta(th, s, tx, ty, fx, fy);
}

torch::Tensor affine_theta(const torch::Tensor& th, const torch::Tensor& s, const torch::Tensor& tx,
                           const torch::Tensor& ty, const torch::Tensor& fx, const torch::Tensor& fy) {
  // theta = [R * s | t] * diag(fx, fy): flips act on output coordinates, then rotate and zoom.
  auto c = torch::cos(th) * s, sn = torch::sin(th) * s;
  auto theta = torch::zeros({th.size(0), 2, 3});
  theta.select(1, 0).select(1, 0).copy_(c * fx);
  theta.select(1, 0).select(1, 1).copy_(-sn * fy);
  theta.select(1, 1).select(1, 0).copy_(sn * fx);
  theta.select(1, 1).select(1, 1).copy_(c * fy);
  theta.select(1, 0).select(1, 2).copy_(tx);
  theta.select(1, 1).select(1, 2).copy_(ty);
  return theta;
}

torch::Tensor affine_sampling_grid(const torch::Tensor& theta, int64_t h, int64_t w, const torch::Device& device) {
  return F::affine_grid(theta.to(device), {theta.size(0), 1, h, w}, /*align_corners=*/true);
}

torch::Tensor warp(const torch::Tensor& maps, const torch::Tensor& grid) {
  return F::grid_sample(maps, grid.to(maps.scalar_type()),
                        F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(true));
}

torch::Tensor validity_mask(const torch::Tensor& grid) {
  return (grid.abs() <= 1.0 + 1e-5).all(3);  // [B, H, W, 2] -> [B, H, W]
}

}  // namespace p2r
