// InfoNCE and Barlow Twins against naive loops (values and gradients).
#include <cmath>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/train/losses.h"

namespace p2r {
namespace {

// Naive symmetric InfoNCE with scalar loops (double precision autograd graph).
torch::Tensor naive_info_nce(const torch::Tensor& a, const torch::Tensor& b, double tau) {
  const int64_t n = a.size(0);
  std::vector<torch::Tensor> z;
  for (int64_t i = 0; i < n; ++i) z.push_back(a[i] / a[i].norm());
  for (int64_t i = 0; i < n; ++i) z.push_back(b[i] / b[i].norm());
  torch::Tensor total = torch::zeros({}, torch::kDouble);
  for (int64_t i = 0; i < 2 * n; ++i) {
    const int64_t pos = i < n ? i + n : i - n;
    torch::Tensor denom = torch::zeros({}, torch::kDouble);
    for (int64_t j = 0; j < 2 * n; ++j)
      if (j != i) denom = denom + torch::exp((z[i] * z[j]).sum() / tau);
    total = total - torch::log(torch::exp((z[i] * z[pos]).sum() / tau) / denom);
  }
  return total / double(2 * n);
}

torch::Tensor naive_barlow(const torch::Tensor& a, const torch::Tensor& b, double lambda) {
  const int64_t n = a.size(0), d = a.size(1);
  auto standardise = [&](const torch::Tensor& z, int64_t k) {
    torch::Tensor mean = torch::zeros({}, torch::kDouble), var = torch::zeros({}, torch::kDouble);
    for (int64_t r = 0; r < n; ++r) mean = mean + z[r][k];
    mean = mean / double(n);
    for (int64_t r = 0; r < n; ++r) var = var + (z[r][k] - mean).pow(2);
    var = var / double(n);
    std::vector<torch::Tensor> out;
    for (int64_t r = 0; r < n; ++r) out.push_back((z[r][k] - mean) / torch::sqrt(var + 1e-5));
    return out;
  };
  std::vector<std::vector<torch::Tensor>> sa, sb;
  for (int64_t k = 0; k < d; ++k) {
    sa.push_back(standardise(a, k));
    sb.push_back(standardise(b, k));
  }
  torch::Tensor loss = torch::zeros({}, torch::kDouble);
  for (int64_t i = 0; i < d; ++i)
    for (int64_t j = 0; j < d; ++j) {
      torch::Tensor c = torch::zeros({}, torch::kDouble);
      for (int64_t r = 0; r < n; ++r) c = c + sa[i][r] * sb[j][r];
      c = c / double(n);
      loss = loss + (i == j ? (1 - c).pow(2) : lambda * c.pow(2));
    }
  return loss;
}

template <class Fast, class Slow>
void compare(Fast fast, Slow slow, int64_t n, int64_t d) {
  torch::manual_seed(5);
  auto a = torch::randn({n, d}, torch::kDouble).requires_grad_(true);
  auto b = torch::randn({n, d}, torch::kDouble).requires_grad_(true);
  torch::Tensor lf = fast(a, b);
  auto ga = torch::autograd::grad({lf}, {a, b});
  torch::Tensor ls = slow(a, b);
  auto gs = torch::autograd::grad({ls}, {a, b});
  EXPECT_NEAR(lf.item<double>(), ls.item<double>(), 1e-9);
  EXPECT_TRUE(torch::allclose(ga[0], gs[0], 1e-7, 1e-9));
  EXPECT_TRUE(torch::allclose(ga[1], gs[1], 1e-7, 1e-9));
}

TEST(Losses, InfoNceMatchesNaiveLoops) {
  compare([](auto& a, auto& b) { return info_nce_loss(a, b, 0.53); },
          [](auto& a, auto& b) { return naive_info_nce(a, b, 0.53); }, 5, 3);
}

TEST(Losses, BarlowTwinsMatchesNaiveLoops) {
  compare([](auto& a, auto& b) { return barlow_twins_loss(a, b, 0.05); },
          [](auto& a, auto& b) { return naive_barlow(a, b, 0.05); }, 6, 4);
}

TEST(Losses, InfoNcePerfectPairsBeatRandom) {
  torch::manual_seed(2);
  auto a = torch::randn({16, 8});
  EXPECT_LT(info_nce_loss(a, a, 0.1).item<float>(), info_nce_loss(a, torch::randn({16, 8}), 0.1).item<float>());
}

// The pixel gather reads the same rows in either memory layout, and its gradient comes back in the
// maps' layout (another layout sends the ReLU backward before them off its vectorised path).
TEST(Losses, GatherPixelsKeepsTheMapsLayoutInItsGradient) {
  torch::manual_seed(3);
  const torch::Tensor maps = torch::randn({2, 5, 4, 6});
  const torch::Tensor idx = torch::tensor({0L, 7L, 23L, 24L, 47L, 7L});
  for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
    const torch::Tensor m = maps.clone(format).set_requires_grad(true);
    const torch::Tensor rows = gather_pixels(m, idx);
    ASSERT_EQ(rows.sizes(), (std::vector<int64_t>{6, 5}));
    for (int64_t k = 0; k < idx.size(0); ++k) {
      const int64_t i = idx[k].item<int64_t>(), b = i / 24, y = (i % 24) / 6, x = i % 6;
      EXPECT_TRUE(torch::equal(rows[k], maps.index({b, torch::indexing::Slice(), y, x})));
    }
    rows.pow(2).sum().backward();
    EXPECT_TRUE(m.grad().is_contiguous(format));
    EXPECT_FLOAT_EQ(m.grad().index({0, 1, 1, 1}).item<float>(), 4 * maps.index({0, 1, 1, 1}).item<float>());
  }
}

}  // namespace
}  // namespace p2r
