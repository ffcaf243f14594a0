// Spatial transforms, validity mask and twin alignment.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/model/synced_batch_norm.h"
#include "core/train/augment.h"
#include "core/train/losses.h"
#include "core/train/pretrain_step.h"

namespace p2r {
namespace {

AugmentConfig no_augmentation() {
  AugmentConfig a;
  a.p_brightness_contrast = a.p_gamma = a.p_noise = a.p_blur = a.p_bias_field = a.p_reversal = 0;
  a.p_hflip = a.p_vflip = 0;
  a.spatial = false;
  return a;
}

// A tiny U-Net (3 levels, base 4, n_ft 8) with a projection head of proj_dim and one hidden layer.
ModelConfig tiny_model(int proj_dim) {
  ModelConfig m;
  m.base = 4;
  m.levels = 3;
  m.n_ft = 8;
  m.proj_dim = proj_dim;
  m.proj_hidden_layers = 1;
  return m;
}

TEST(Augment, IdentityTransformGivesAlignedTwins) {
  torch::manual_seed(0);
  Pix2RepNet net(tiny_model(8));
  auto x = torch::rand({2, 1, 16, 16});
  auto gen = step_generator(1, 2);
  TwinEmbeddings t = embed_twin_views(net, x, no_augmentation(), gen);
  // Identity grid_sample reproduces each pixel up to float rounding of the grid coordinates.
  EXPECT_LT((t.z1 - t.z2).abs().max().item<float>(), 1e-4f * (1 + t.z2.abs().max().item<float>()));
  EXPECT_TRUE(t.mask.all().item<bool>());
}

// The probe warps its head's logits instead of the cached features: with a 1x1 head and a bilinear,
// zero-padded warp, head(warp(f)) = warp(W f) + bias, also where the warp leaves the image.
TEST(Augment, WarpCommutesWithAOneByOneHead) {
  torch::manual_seed(3);
  torch::nn::Conv2d head(torch::nn::Conv2dOptions(16, 4, 1));
  const auto f = torch::randn({3, 16, 12, 12});
  AugmentConfig zoom_and_turn;  // the defaults rotate, zoom and shift, so some samples fall outside
  auto gen = step_generator(5, 7);
  const auto grid = affine_sampling_grid(random_affine(3, zoom_and_turn, gen), 12, 12, torch::kCPU);
  const auto direct = head(warp(f, grid));
  const auto through_logits = warp(torch::conv2d(f, head->weight), grid) + head->bias.view({1, -1, 1, 1});
  EXPECT_LT((direct - through_logits).abs().max().item<float>(), 1e-5f);
  EXPECT_GT((direct - head(f)).abs().max().item<float>(), 1e-2f);  // the warp did move things
}

// InfoNCE projects only the sampled pixels (view 1 through its four bilinear neighbours): the same
// embeddings, loss and gradients as warping and gathering whole projected maps.
TEST(Augment, SampledPixelPathEqualsWholeMapPath) {
  torch::manual_seed(0);
  Pix2RepNet net(tiny_model(6));
  const auto x = torch::rand({3, 1, 32, 32});
  AugmentConfig augment;  // rotation, zoom, flips, intensity: a real transform between the views
  auto gen = step_generator(7, 1);
  TwinFeatures t = embed_twin_features(net, x, augment, gen);
  // A rotated, shifted grid puts part of view 2 outside view 1: neighbours outside weigh 0 there.
  const auto theta = torch::tensor({0.9f, -0.1f, 0.3f, 0.1f, 0.9f, -0.2f}).view({1, 2, 3}).repeat({3, 1, 1});
  t.grid = affine_sampling_grid(theta, 32, 32, torch::kCPU);
  t.mask = validity_mask(t.grid);
  ASSERT_FALSE(t.mask.all().item<bool>());
  const torch::Tensor idx = sample_valid_pixels(t.mask, 300, gen);
  const PixelPairs pixels = project_twin_pixels(net, t, idx);
  const TwinEmbeddings maps = project_twin_maps(net, t);
  const torch::Tensor a = gather_pixels(maps.z1, idx), b = gather_pixels(maps.z2, idx);
  EXPECT_TRUE(torch::allclose(pixels.a, a, 1e-4, 1e-5)) << (pixels.a - a).abs().max().item<float>();
  EXPECT_TRUE(torch::allclose(pixels.b, b, 1e-4, 1e-5)) << (pixels.b - b).abs().max().item<float>();
  const std::vector<torch::Tensor> params = net->parameters();
  const torch::Tensor loss_pixels = info_nce_loss(pixels.a, pixels.b, 0.53);
  const torch::Tensor loss_maps = info_nce_loss(a, b, 0.53);
  EXPECT_NEAR(loss_pixels.item<double>(), loss_maps.item<double>(), 1e-5 * loss_maps.item<double>());
  const auto g_pixels = torch::autograd::grad({loss_pixels}, params, {}, /*retain_graph=*/true);
  const auto g_maps = torch::autograd::grad({loss_maps}, params);
  for (size_t i = 0; i < params.size(); ++i)
    EXPECT_TRUE(torch::allclose(g_pixels[i], g_maps[i], 1e-3, 1e-6))
        << "parameter " << i << ": " << (g_pixels[i] - g_maps[i]).abs().max().item<float>();
}

// With expand the trunk's base-wide features are widened at the sampled pixels only; with the
// BatchNorms on running statistics (eval mode) that equals widening and projecting whole maps.
TEST(Augment, WidenedPixelPathEqualsWholeMapPath) {
  torch::manual_seed(1);
  ModelConfig m = tiny_model(6);
  m.expand = 1, m.n_ft = 24, m.proj_bn = 1;
  Pix2RepNet net(m);
  net->eval();
  auto gen = step_generator(2, 1);
  TwinFeatures t = embed_twin_features(net, torch::rand({2, 1, 16, 16}), AugmentConfig(), gen);
  EXPECT_EQ(t.f1.size(1), m.base);  // trunk features: the widening happens where they are projected
  const torch::Tensor idx = sample_valid_pixels(t.mask, 100, gen);
  const PixelPairs pixels = project_twin_pixels(net, t, idx);
  const TwinEmbeddings maps = project_twin_maps(net, t);
  EXPECT_TRUE(torch::allclose(pixels.a, gather_pixels(maps.z1, idx), 1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(pixels.b, gather_pixels(maps.z2, idx), 1e-4, 1e-5));
}

// The head's BatchNorm (proj_bn) on sampled pixels normalises over those pixels, as the 1x1-conv
// head does over an [N, n_ft, 1, 1] map of them; in eval mode both paths use the running statistics.
TEST(Augment, ProjectionHeadBatchNormOnPixels) {
  torch::manual_seed(5);
  ModelConfig m = tiny_model(6);
  m.proj_bn = 1;
  ProjectionHead head(m);
  const torch::Tensor x = torch::randn({40, m.n_ft});
  head->train();
  const torch::Tensor pixels = head->forward_pixels(x);
  const torch::Tensor mean_after_one = head->m_seq[1]->as<SyncedBatchNorm2d>()->running_mean.clone();
  const torch::Tensor as_map = head->forward(x.view({40, m.n_ft, 1, 1})).view({40, -1});
  EXPECT_TRUE(torch::allclose(pixels, as_map, 1e-4, 1e-5));  // matmul vs 1x1 conv kernels
  EXPECT_GT(mean_after_one.abs().sum().item<float>(), 0.f);  // running statistics moved
  head->eval();
  EXPECT_TRUE(torch::allclose(head->forward_pixels(x), head->forward(x.view({40, m.n_ft, 1, 1})).view({40, -1}),
                              1e-4, 1e-5));
}

TEST(Augment, PerImageSamplingDrawsFromEveryImage) {
  auto mask = torch::ones({3, 8, 8}, torch::kBool);
  mask[2].fill_(false);
  mask[2][0].slice(0, 0, 5).fill_(true);  // the third image has 5 valid pixels
  auto gen = step_generator(3, 0);
  const torch::Tensor idx = sample_valid_pixels_per_image(mask, 30, gen);  // 10 per image
  const torch::Tensor image = idx.div(64, "floor");
  EXPECT_EQ((image == 0).sum().item<int64_t>(), 10);
  EXPECT_EQ((image == 1).sum().item<int64_t>(), 10);
  EXPECT_EQ((image == 2).sum().item<int64_t>(), 5);
  EXPECT_TRUE(mask.view({-1}).index_select(0, idx).all().item<bool>());
  EXPECT_EQ(std::get<0>(torch::_unique(idx)).size(0), idx.size(0));  // distinct
  EXPECT_THROW(sample_valid_pixels_per_image(torch::zeros({2, 4, 4}, torch::kBool), 8, gen), Error);
}

// Pix2Rep-v2 pairs: every valid pixel as published; with bt_sampled the M pixels InfoNCE draws
// from the same generator, and the Barlow Twins loss of those pairs.
TEST(Augment, BarlowTwinsPairsAreEveryValidPixelOrInfoNceSampledPixels) {
  torch::manual_seed(3);
  Pix2RepNet net(tiny_model(6));
  auto gen = step_generator(5, 2);
  const TwinFeatures t = embed_twin_features(net, torch::rand({2, 1, 32, 32}), AugmentConfig(), gen);
  const int64_t valid = t.mask.sum().item<int64_t>();
  ASSERT_GT(valid, 200);
  PretrainConfig config = pretrain_preset("cpu-small", PretrainMethod::Pix2RepV2);
  config.samples = 150;
  auto g_all = step_generator(9, 0);
  EXPECT_EQ(twin_pixel_pairs(net, t, config, g_all).a.size(0), valid);
  config.bt_sampled = true;
  auto g_sampled = step_generator(9, 0), g_infonce = step_generator(9, 0);
  const PixelPairs sampled = twin_pixel_pairs(net, t, config, g_sampled);
  PretrainConfig infonce = config;
  infonce.method = PretrainMethod::Pix2Rep;
  const PixelPairs drawn = twin_pixel_pairs(net, t, infonce, g_infonce);
  ASSERT_EQ(sampled.a.size(0), 150);
  EXPECT_TRUE(torch::equal(sampled.a, drawn.a));
  EXPECT_TRUE(torch::equal(sampled.b, drawn.b));
  EXPECT_NEAR(pair_loss(sampled, config).item<double>(), barlow_twins_loss(drawn.a, drawn.b, config.bt_lambda).item<double>(),
              1e-9);
  // The cpu preset's Pix2Rep-v2 samples; its Pix2Rep and the paper's Pix2Rep-v2 do not change.
  EXPECT_TRUE(pretrain_preset("cpu", PretrainMethod::Pix2RepV2).bt_sampled);
  EXPECT_FALSE(pretrain_preset("paper", PretrainMethod::Pix2RepV2).bt_sampled);
  EXPECT_FALSE(pretrain_preset("cpu", PretrainMethod::Pix2Rep).bt_sampled);
}

TEST(Augment, KnownRotationMovesMarkedPixel) {
  auto img = torch::zeros({1, 1, 9, 9});
  img[0][0][2][6] = 1;  // row 2, column 6: normalised (x, y) = (0.5, -0.5)
  // 90 degrees: input (x, y) = (-y_out, x_out), so the pixel lands at (x_out, y_out) = (-0.5, -0.5).
  auto theta = torch::tensor({0.f, -1.f, 0.f, 1.f, 0.f, 0.f}).view({1, 2, 3});
  auto out = warp(img, affine_sampling_grid(theta, 9, 9, torch::kCPU));
  const int64_t at = out.view({-1}).argmax().item<int64_t>();
  EXPECT_EQ(at / 9, 2);
  EXPECT_EQ(at % 9, 2);
  EXPECT_NEAR(out.max().item<float>(), 1.f, 1e-5);
  EXPECT_NEAR(out.sum().item<float>(), 1.f, 1e-5);
}

TEST(Augment, RandomAffineWithoutSpatialIsIdentity) {
  auto gen = step_generator(0, 0);
  auto theta = random_affine(3, no_augmentation(), gen);
  EXPECT_TRUE(torch::equal(theta, torch::eye(2, 3).unsqueeze(0).repeat({3, 1, 1})));
  AugmentConfig a;
  auto t = random_affine(64, a, gen);
  // zoom in [0.33, 0.95]: |det| = s^2
  auto det = (t.select(1, 0).select(1, 0) * t.select(1, 1).select(1, 1) -
              t.select(1, 0).select(1, 1) * t.select(1, 1).select(1, 0)).abs();
  EXPECT_GE(det.min().item<float>(), 0.33f * 0.33f - 1e-5f);
  EXPECT_LE(det.max().item<float>(), 0.95f * 0.95f + 1e-5f);
}

TEST(Augment, ValidityMaskExcludesOutOfViewPixels) {
  // Shift by half the field: input x = x_out + 0.5, inside only for x_out <= 0.5 (columns 0..6 of 9).
  auto theta = torch::tensor({1.f, 0.f, 0.5f, 0.f, 1.f, 0.f}).view({1, 2, 3});
  auto grid = affine_sampling_grid(theta, 9, 9, torch::kCPU);
  auto mask = validity_mask(grid);
  for (int c = 0; c < 9; ++c) EXPECT_EQ(mask[0][4][c].item<bool>(), c <= 6) << "column " << c;
  // Sampled pixels are all valid, and Barlow Twins ignores what lies outside the view.
  auto gen = step_generator(0, 1);
  auto idx = sample_valid_pixels(mask, 1000, gen);
  EXPECT_EQ(idx.size(0), 63);
  EXPECT_TRUE(mask.view({-1}).index_select(0, idx).all().item<bool>());
  torch::manual_seed(4);
  auto z1 = torch::randn({1, 3, 9, 9}), z2 = torch::randn({1, 3, 9, 9});
  auto valid = valid_pixel_indices(mask);
  auto loss = barlow_twins_loss(gather_pixels(z1, valid), gather_pixels(z2, valid), 0.01);
  auto z1b = z1.clone();
  z1b.slice(3, 7, 9).fill_(100.f);
  auto loss_b = barlow_twins_loss(gather_pixels(z1b, valid), gather_pixels(z2, valid), 0.01);
  EXPECT_FLOAT_EQ(loss.item<float>(), loss_b.item<float>());
}

TEST(Augment, IntensityAugmentationIsReproducibleAndFinite) {
  auto x = torch::rand({4, 1, 16, 16});
  AugmentConfig a;
  a.p_blur = a.p_noise = a.p_bias_field = a.p_reversal = 1.0;
  auto g1 = step_generator(7, 3), g2 = step_generator(7, 3);
  auto y1 = augment_intensity(x, a, g1), y2 = augment_intensity(x, a, g2);
  EXPECT_TRUE(torch::equal(y1, y2));
  EXPECT_TRUE(torch::isfinite(y1).all().item<bool>());
  EXPECT_FALSE(torch::allclose(y1, x));
}

}  // namespace
}  // namespace p2r
