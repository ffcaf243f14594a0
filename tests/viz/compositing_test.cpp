#include "viz/compositing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/common/error.h"

using namespace p2r::viz;

TEST(Compositing, RenderScalarAppliesWindowAndColormap) {
  const std::vector<float> values = {0.f, 0.25f, 0.5f, 1.f};
  const RgbaImage img = render_scalar(values.data(), 2, 2, {0.f, 0.5f, Colormap::Gray});
  EXPECT_EQ(img.at(0, 0)[0], 0);
  EXPECT_EQ(img.at(1, 0)[0], 128);  // 0.25 in [0, 0.5] -> 0.5 -> entry 128 (round(127.5))
  EXPECT_EQ(img.at(0, 1)[0], 255);
  EXPECT_EQ(img.at(1, 1)[0], 255);
  EXPECT_EQ(img.at(1, 1)[3], 255);
}

TEST(Compositing, BlendLabelsMixesOnlyForeground) {
  RgbaImage img(2, 1, 100, 100, 100);
  const uint8_t labels[2] = {0, 3};
  blend_labels(img, labels, 2, 1, 0.5f);
  EXPECT_EQ(img.at(0, 0)[0], 100);  // background untouched
  const auto lv = label_rgb(3);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(img.at(1, 0)[c], (100 + lv[c]) / 2.0, 1.0);
}

TEST(Compositing, BlendOpacityExtremes) {
  const uint8_t labels[1] = {2};
  RgbaImage none(1, 1, 10, 20, 30);
  blend_labels(none, labels, 1, 1, 0.f);
  EXPECT_EQ(none.at(0, 0)[1], 20);
  RgbaImage full(1, 1, 10, 20, 30);
  blend_labels(full, labels, 1, 1, 5.f);  // clamped to 1
  EXPECT_EQ(full.at(0, 0)[1], label_rgb(2)[1]);
}

TEST(Compositing, BlendRejectsSizeMismatch) {
  RgbaImage img(2, 2);
  const uint8_t labels[3] = {};
  EXPECT_THROW(blend_labels(img, labels, 3, 1, 0.5f), p2r::Error);
}

TEST(Compositing, UpscaleNearestRepeatsPixels) {
  RgbaImage img(2, 1);
  img.at(1, 0)[0] = 200;
  const RgbaImage big = upscale_nearest(img, 3);
  ASSERT_EQ(big.width, 6);
  ASSERT_EQ(big.height, 3);
  EXPECT_EQ(big.at(2, 2)[0], 0);
  EXPECT_EQ(big.at(3, 0)[0], 200);
  EXPECT_EQ(big.at(5, 2)[0], 200);
}

TEST(Compositing, ScalarOverGreyMixesByOpacity) {
  const std::vector<float> values = {1.f, 0.f};
  const std::vector<float> grey = {0.f, 1.f};
  const RgbaImage half = render_scalar_over_grey(values.data(), grey.data(), 2, 1, {0.f, 1.f, Colormap::Gray}, 0.5f);
  EXPECT_EQ(half.at(0, 0)[0], 128);  // round(0.5 * 0 + 0.5 * 255)
  EXPECT_EQ(half.at(1, 0)[0], 128);  // round(0.5 * 255 + 0.5 * 0)
  EXPECT_EQ(half.at(1, 0)[3], 255);
  const RgbaImage opaque = render_scalar_over_grey(values.data(), grey.data(), 2, 1, {0.f, 1.f, Colormap::Gray}, 2.f);
  EXPECT_EQ(opaque.pixels, render_scalar(values.data(), 2, 1, {0.f, 1.f, Colormap::Gray}).pixels);
  const RgbaImage on_black = render_scalar_over_grey(values.data(), nullptr, 2, 1, {0.f, 1.f, Colormap::Gray}, 0.25f);
  EXPECT_EQ(on_black.at(0, 0)[0], 64);  // round(0.25 * 255)
}

TEST(Compositing, MaskedScalarDrawsMissingValuesInTheirColour) {
  const std::vector<float> values = {1.f, std::nanf(""), 0.f, -INFINITY};
  const uint8_t clear[4] = {0, 0, 0, 0};
  const RgbaImage img = render_scalar_masked(values.data(), 2, 2, {0.f, 1.f, Colormap::Gray}, clear);
  EXPECT_EQ(img.at(0, 0)[0], 255);
  EXPECT_EQ(img.at(0, 0)[3], 255);
  EXPECT_EQ(img.at(1, 0)[3], 0);  // NaN: see-through
  EXPECT_EQ(img.at(0, 1)[3], 255);
  EXPECT_EQ(img.at(1, 1)[3], 0);
}
