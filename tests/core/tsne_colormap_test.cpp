// The 2D reference colour map: in gamut, continuous, deterministic, distinct corners; vignette shape.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/analysis/tsne_colormap.h"
#include "core/common/error.h"

namespace p2r {
namespace {

// Largest change of any channel between horizontally adjacent samples of a steps x steps grid.
double max_jump(int steps) {
  float prev[3] = {0, 0, 0}, cur[3];
  double jump = 0;
  for (int row = 0; row <= steps; ++row)
    for (int col = 0; col <= steps; ++col) {
      colormap_2d(double(col) / steps, double(row) / steps, cur);
      if (col > 0)
        for (int c = 0; c < 3; ++c) jump = std::max(jump, double(std::abs(cur[c] - prev[c])));
      std::copy(cur, cur + 3, prev);
    }
  return jump;
}

TEST(Colormap2d, ContinuousDeterministicInGamut) {
  const int steps = 400;
  for (int row = 0; row <= steps; ++row)
    for (int col = 0; col <= steps; ++col) {
      float cur[3], again[3];
      colormap_2d(double(col) / steps, double(row) / steps, cur);
      colormap_2d(double(col) / steps, double(row) / steps, again);
      for (int c = 0; c < 3; ++c) {
        ASSERT_TRUE(cur[c] >= 0.f && cur[c] <= 1.f);
        ASSERT_EQ(cur[c], again[c]);
      }
    }
  // Continuity (Lipschitz): small steps make small changes, and halving the step halves them.
  const double j400 = max_jump(400), j800 = max_jump(800);
  EXPECT_LT(j400, 0.06);
  EXPECT_LT(j800, 0.6 * j400);
  // Corners are pairwise well apart.
  float c[4][3];
  colormap_2d(0, 0, c[0]), colormap_2d(1, 0, c[1]), colormap_2d(0, 1, c[2]), colormap_2d(1, 1, c[3]);
  for (int a = 0; a < 4; ++a)
    for (int b = a + 1; b < 4; ++b) {
      double d2 = 0;
      for (int k = 0; k < 3; ++k) d2 += (c[a][k] - c[b][k]) * (c[a][k] - c[b][k]);
      EXPECT_GT(std::sqrt(d2), 0.25) << "corners " << a << " and " << b;
    }
}

TEST(Colormap2d, EmbeddingColoursAndVignette) {
  std::vector<float> xy = {0, 0, 10, 0, 0, 10, 10, 10, 5, 5};
  const std::vector<float> rgb = embedding_colours(xy.data(), 5, 0, 100);
  ASSERT_EQ(rgb.size(), 15u);
  float corner[3];
  colormap_2d(1, 1, corner);
  for (int k = 0; k < 3; ++k) EXPECT_FLOAT_EQ(rgb[9 + k], corner[k]);
  const std::vector<uint8_t> img = colormap_vignette(64);
  ASSERT_EQ(img.size(), 64u * 64u * 3u);
  const std::vector<uint8_t> dots = colormap_vignette(64, xy.data(), 5, 0, 100);
  EXPECT_NE(img, dots);
  EXPECT_THROW(colormap_vignette(1), Error);
  EXPECT_THROW(embedding_colours(xy.data(), 5, 60, 40), Error);
}

}  // namespace
}  // namespace p2r
