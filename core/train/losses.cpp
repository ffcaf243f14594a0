#include "core/train/losses.h"

#include "core/common/error.h"

namespace p2r {
namespace F = torch::nn::functional;

torch::Tensor valid_pixel_indices(const torch::Tensor& mask) {
  return mask.reshape({-1}).nonzero().reshape({-1});
}

torch::Tensor sample_valid_pixels(const torch::Tensor& mask, int64_t count, at::Generator& gen) {
  torch::Tensor valid = valid_pixel_indices(mask);
  const int64_t n = valid.size(0);
  P2R_CHECK(n >= 2, "only " << n << " pixels lie inside both views; cannot form pixel pairs");
  const int64_t m = std::min(count, n);
  auto perm = torch::randperm(n, gen, torch::TensorOptions().dtype(torch::kLong)).slice(0, 0, m);
  return valid.index_select(0, perm.to(valid.device()));
}

torch::Tensor sample_valid_pixels_per_image(const torch::Tensor& mask, int64_t count, at::Generator& gen) {
  const int64_t b = mask.size(0), per_image = (count + b - 1) / b;
  std::vector<torch::Tensor> picks;
  for (int64_t i = 0; i < b; ++i) {
    const torch::Tensor valid = valid_pixel_indices(mask.slice(0, i, i + 1)) + i * mask[0].numel();
    const int64_t m = std::min(per_image, valid.size(0));
    auto perm = torch::randperm(valid.size(0), gen, torch::TensorOptions().dtype(torch::kLong)).slice(0, 0, m);
    picks.push_back(valid.index_select(0, perm.to(valid.device())));
  }
  torch::Tensor idx = torch::cat(picks);
  P2R_CHECK(idx.size(0) >= 2, "only " << idx.size(0) << " pixels lie inside both views; cannot form pixel pairs");
  return idx;
}

torch::Tensor gather_pixels(const torch::Tensor& maps, const torch::Tensor& idx) {
  // Only the chosen pixels are read, and the gradient comes back in the maps' own layout: a
  // gradient in another layout than its activations' makes the ReLU backward before the maps
  // fall off its vectorised path (~50x slower in bf16 channels-last, the largest cost of a wide
  // step). Channels-last maps are [B*H*W, D] rows already (a view); contiguous ones are indexed as
  // [B, D, H*W], since permuting them to rows would copy the whole map and its gradient.
  if (!maps.is_contiguous() && maps.is_contiguous(torch::MemoryFormat::ChannelsLast))
    return maps.permute({0, 2, 3, 1}).reshape({-1, maps.size(1)}).index_select(0, idx);  // -> [N, D]
  const int64_t hw = maps.size(2) * maps.size(3);
  using torch::indexing::Slice;
  return maps.flatten(2).index({idx.div(hw, "floor"), Slice(), idx.remainder(hw)});  // -> [N, D]
}

torch::Tensor info_nce_loss(const torch::Tensor& a, const torch::Tensor& b, double tau) {
  const int64_t n = a.size(0);
  auto z = F::normalize(torch::cat({a, b}, 0), F::NormalizeFuncOptions().dim(1));  // [2N, D]
  auto sim = torch::mm(z, z.t()) / tau;                                               // [2N, 2N]
  auto eye = torch::eye(2 * n, torch::TensorOptions().dtype(torch::kBool).device(sim.device()));
  sim = sim.masked_fill(eye, -std::numeric_limits<float>::infinity());
  auto opts = torch::TensorOptions().dtype(torch::kLong).device(sim.device());
  auto target = torch::cat({torch::arange(n, 2 * n, opts), torch::arange(0, n, opts)});
  return F::cross_entropy(sim, target);
}

torch::Tensor group_positive_mask(const torch::Tensor& groups) {
  const torch::Tensor same = groups.unsqueeze(1) == groups.unsqueeze(0);
  return same & ~torch::eye(groups.size(0), torch::TensorOptions().dtype(torch::kBool).device(groups.device()));
}

torch::Tensor group_contrastive_loss(const torch::Tensor& z, const torch::Tensor& groups, double tau) {
  const torch::Tensor positive = group_positive_mask(groups);
  P2R_CHECK(positive.any().item<bool>(), "contrastive loss: no two rows share a group, so there are no positives");
  const torch::Tensor negative = groups.unsqueeze(1) != groups.unsqueeze(0);
  const torch::Tensor zn = F::normalize(z, F::NormalizeFuncOptions().dim(1));
  const torch::Tensor sim = torch::mm(zn, zn.t()) / tau;  // [R, R]
  const torch::Tensor negatives =
      sim.masked_fill(~negative, -std::numeric_limits<float>::infinity()).logsumexp(1, /*keepdim=*/true);  // [R, 1]
  const torch::Tensor terms = torch::logaddexp(sim, negatives) - sim;  // -log(e^s / (e^s + sum_neg))
  return terms.masked_select(positive).mean();
}

torch::Tensor barlow_twins_loss(const torch::Tensor& a, const torch::Tensor& b, double lambda, BatchReducer* reducer) {
  // Sums over the rows of every process (this process's alone without a reducer).
  auto total = [&](const torch::Tensor& t) { return reducer ? reducer->sum(t) : t; };
  const double n = reducer ? total(torch::full({1}, double(a.size(0)), a.options())).item<double>() : double(a.size(0));
  auto standardise = [&](const torch::Tensor& z) {
    auto mean = total(z.sum(0, true)) / n;
    auto var = total((z - mean).pow(2).sum(0, true)) / n;
    return (z - mean) / torch::sqrt(var + 1e-5);
  };
  auto c = total(torch::mm(standardise(a).t(), standardise(b))) / n;  // [D, D]
  auto diag = torch::diagonal(c);
  auto on = (1 - diag).pow(2).sum();
  auto off = c.pow(2).sum() - diag.pow(2).sum();
  return on + lambda * off;
}

}  // namespace p2r
