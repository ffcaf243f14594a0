#include "viz/image_diff.h"

#include <gtest/gtest.h>

using namespace p2r::viz;

TEST(ImageDiff, IdenticalImagesMatch) {
  RgbaImage a(10, 10, 50, 60, 70);
  const ImageDiff d = compare_images(a, a);
  EXPECT_TRUE(d.same_size);
  EXPECT_EQ(d.mean_abs_diff, 0);
  EXPECT_EQ(d.differing_fraction, 0);
  EXPECT_TRUE(within(d, DiffThreshold{}));
}

TEST(ImageDiff, MeasuresMeanAndFraction) {
  RgbaImage a(10, 10), b(10, 10);
  b.at(3, 4)[0] = 90;  // one pixel, one channel
  b.at(5, 5)[1] = 4;   // below tolerance
  const ImageDiff d = compare_images(a, b, 8);
  EXPECT_NEAR(d.mean_abs_diff, 94.0 / 300.0, 1e-9);
  EXPECT_NEAR(d.differing_fraction, 0.01, 1e-9);
  EXPECT_EQ(d.max_abs_diff, 90);
  EXPECT_TRUE(within(d, {1.0, 0.01}));
  EXPECT_FALSE(within(d, {1.0, 0.005}));
  EXPECT_FALSE(within(d, {0.1, 0.01}));
}

TEST(ImageDiff, AlphaIgnoredAndSizeMismatchFails) {
  RgbaImage a(4, 4), b(4, 4);
  b.at(0, 0)[3] = 0;
  EXPECT_TRUE(within(compare_images(a, b), DiffThreshold{0.0, 0.0}));
  const ImageDiff d = compare_images(a, RgbaImage(4, 5));
  EXPECT_FALSE(d.same_size);
  EXPECT_FALSE(within(d, DiffThreshold{}));
}

TEST(ImageDiff, DiffImageMarksDifferingPixelsRed) {
  RgbaImage a(2, 1), b(2, 1);
  b.at(1, 0)[2] = 200;
  const RgbaImage d = diff_image(a, b);
  EXPECT_EQ(d.at(0, 0)[0], 0);
  EXPECT_GT(d.at(1, 0)[0], 128);
  EXPECT_EQ(d.at(1, 0)[1], 0);
}
