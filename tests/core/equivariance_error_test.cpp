// Equivariance-error maps: toy feature maps with known symmetries (1x1 linear convolutions commute
// with any bilinear warp; pointwise non-linear nets with 90-degree turns and flips; a fixed
// asymmetric 3x3 kernel does not), the reversal error of a net that sees |x - mean|, and a tiny
// pretrained backbone through the run-folder facade.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/analysis/equivariance_error.h"
#include "core/analysis/feature_equivariance.h"
#include "core/common/error.h"
#include "core/train/pretrainer.h"
#include "tests/core/pretrain_fixtures.h"

namespace p2r {
namespace {

// A smooth random image [1, 1, 32, 32] in [0, 1] (noise blurred by bilinear up-sampling).
torch::Tensor smooth_image(uint64_t seed) {
  torch::manual_seed(seed);
  auto coarse = torch::rand({1, 1, 8, 8});
  return torch::nn::functional::interpolate(
      coarse, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{32, 32}).mode(torch::kBilinear).align_corners(true));
}

// Largest finite value of a map and how many are finite.
std::pair<float, int64_t> finite_max(const torch::Tensor& map) {
  const torch::Tensor finite = map.isfinite();
  const int64_t n = finite.sum().item<int64_t>();
  return {n == 0 ? 0.f : map.masked_select(finite).max().item<float>(), n};
}

float finite_mean(const torch::Tensor& map) { return map.masked_select(map.isfinite()).mean().item<float>(); }

FeatureMap module_map(torch::nn::Sequential net) {
  return [net](const torch::Tensor& x) mutable {
    torch::NoGradGuard guard;
    return net->forward(x);
  };
}

SpatialTransform turn_and_zoom() {
  SpatialTransform phi;
  phi.rotation_deg = 30, phi.scale = 0.8, phi.shift_x = 1.5, phi.shift_y = -2;
  return phi;
}

// Tolerance of "exactly equivariant": float rounding of warps and of 1 - cos near 1.
constexpr float kExact = 1e-5f;

TEST(EquivarianceError, LinearOneByOneMapIsEquivariantToAnyAffineWarp) {
  torch::manual_seed(1);
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 1)),
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 6, 1)));
  const FeatureErrors e = feature_equivariance_errors(module_map(net), smooth_image(2), turn_and_zoom());
  const auto [max_error, valid] = finite_max(e.spatial);
  EXPECT_GT(valid, 32 * 32 / 2);        // most of the zoomed-in view stays inside the image
  EXPECT_LT(valid, 32 * 32);            // the 30-degree turn takes the corners outside: NaN there
  EXPECT_LT(max_error, kExact);
}

TEST(EquivarianceError, PointwiseNonLinearNetIsEquivariantToQuarterTurnsAndFlips) {
  torch::manual_seed(3);
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 1)), torch::nn::ReLU(),
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 6, 1)), torch::nn::Tanh());
  for (const SpatialTransform& phi : {SpatialTransform{90, 1, 0, 0, false}, SpatialTransform{0, 1, 0, 0, true},
                                      SpatialTransform{-90, 1, 0, 0, true}}) {
    const FeatureErrors e = feature_equivariance_errors(module_map(net), smooth_image(4), phi);
    const auto [max_error, valid] = finite_max(e.spatial);
    EXPECT_EQ(valid, 32 * 32) << phi.describe();  // a quarter turn or a flip keeps every pixel inside
    EXPECT_LT(max_error, kExact) << phi.describe();
  }
}

TEST(EquivarianceError, AsymmetricThreeByThreeKernelIsNotEquivariant) {
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(1, 4, 3).padding(1));
  {
    torch::NoGradGuard guard;
    // Fixed kernels: a horizontal and a vertical derivative, a corner and a constant (no zero vector).
    conv->weight.copy_(torch::tensor({0.f, 0.f, 0.f, -1.f, 0.f, 1.f, 0.f, 0.f, 0.f,  //
                                      0.f, -1.f, 0.f, 0.f, 0.f, 0.f, 0.f, 2.f, 0.f,  //
                                      1.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f, 0.f,   //
                                      0.f, 0.f, 0.f, 0.f, 0.1f, 0.f, 0.f, 0.f, 0.f})
                           .view({4, 1, 3, 3}));
    conv->bias.fill_(0.05f);
  }
  torch::nn::Sequential net(conv);
  const FeatureErrors turned = feature_equivariance_errors(module_map(net), smooth_image(5), {90, 1, 0, 0, false});
  EXPECT_GT(finite_mean(turned.spatial), 0.05f);
  // The identity is trivially "equivariant": the same map, every pixel inside.
  const FeatureErrors same = feature_equivariance_errors(module_map(net), smooth_image(5), {});
  EXPECT_LT(finite_max(same.spatial).first, kExact);
  EXPECT_EQ(finite_max(same.spatial).second, 32 * 32);
}

TEST(EquivarianceError, NetOfDistanceToTheMeanIsReversalInvariant) {
  torch::manual_seed(6);
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 8, 1)), torch::nn::ReLU(),
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(8, 6, 1)));
  FeatureMap plain = module_map(net);
  FeatureMap centred = [plain](const torch::Tensor& x) {
    return plain((x - x.mean({1, 2, 3}, true)).abs());  // 1 - x has the same |x - mean|
  };
  const FeatureErrors invariant = feature_equivariance_errors(centred, smooth_image(7), {});
  EXPECT_LT(invariant.reversal.max().item<float>(), kExact);
  const FeatureErrors sensitive = feature_equivariance_errors(plain, smooth_image(7), {});
  EXPECT_GT(sensitive.reversal.mean().item<float>(), 1e-3f);
}

TEST(EquivarianceError, SummarySkipsPixelsOutsideTheView) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const ErrorSummary s = summarise_error({0.4f, nan, 0.1f, 0.2f, nan, 0.3f});
  EXPECT_EQ(s.valid, 4);
  EXPECT_NEAR(s.mean, 0.25, 1e-6);
  EXPECT_NEAR(s.median, 0.25, 1e-6);
  EXPECT_NEAR(summarise_error({0.5f, 0.1f, 0.9f}).median, 0.5, 1e-6);
  EXPECT_TRUE(std::isnan(summarise_error({nan}).mean));
}

TEST(EquivarianceError, BadTransformIsRefusedNamingTheValue) {
  SpatialTransform phi;
  phi.scale = 0;
  try {
    phi.validate();
    FAIL() << "scale 0 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("scale must be a positive number, got 0"), std::string::npos) << e.what();
  }
  phi.scale = 1, phi.rotation_deg = std::numeric_limits<double>::infinity();
  EXPECT_THROW(phi.validate(), Error);
  EXPECT_EQ((SpatialTransform{30, 0.9, 0, 0, true}).describe(), "rotate 30 deg, scale 0.9, flip");
  EXPECT_EQ(SpatialTransform{}.describe(), "identity");
}

TEST(EquivarianceError, TinyPretrainedBackboneGivesFiniteMaps) {
  PretrainConfig c = tiny_pretrain_config("equivariance");
  c.epochs = 1;
  run_pretraining(c, pretrain_phantom(), null_progress());
  const SliceSet& data = pretrain_phantom();
  ExtractOptions options;
  options.device = "cpu", options.precision = "fp32", options.threads = 2;
  SpatialTransform phi;
  phi.rotation_deg = 30;
  const EquivarianceMaps m = backbone_equivariance_error(c.out_dir, data.image(3), data.size, phi, options);
  ASSERT_EQ(m.spatial.size(), size_t(data.pixels_per_slice()));
  for (size_t i = 0; i < m.reversal.size(); ++i) {
    ASSERT_TRUE(std::isfinite(m.reversal[i])) << i;
    ASSERT_TRUE(m.reversal[i] >= 0 && m.reversal[i] <= 2) << m.reversal[i];
    ASSERT_TRUE(std::isnan(m.spatial[i]) || (m.spatial[i] >= 0 && m.spatial[i] <= 2)) << m.spatial[i];
  }
  EXPECT_GT(m.spatial_summary.valid, data.pixels_per_slice() / 2);
  EXPECT_LT(m.spatial_summary.valid, data.pixels_per_slice());
  EXPECT_TRUE(std::isfinite(m.spatial_summary.mean) && m.spatial_summary.mean > 0);
  EXPECT_TRUE(std::isfinite(m.reversal_summary.mean));
  EXPECT_EQ(m.device, "cpu");
  // A folder without a run, and a slice the U-Net cannot take, are errors naming the problem.
  try {
    backbone_equivariance_error(c.out_dir + "_missing", data.image(3), data.size, phi, options);
    FAIL() << "missing run accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(c.out_dir + "_missing"), std::string::npos) << e.what();
  }
  std::vector<float> odd(30 * 30, 0.5f);
  EXPECT_THROW(backbone_equivariance_error(c.out_dir, odd.data(), 30, phi, options), Error);
}

}  // namespace
}  // namespace p2r
