#include "viz/colormap.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"

using namespace p2r::viz;

TEST(Colormap, GrayIsIdentityAndEndpointsMatchAnchors) {
  EXPECT_EQ(colormap_rgb(Colormap::Gray, 0.f), (std::array<uint8_t, 3>{0, 0, 0}));
  EXPECT_EQ(colormap_rgb(Colormap::Gray, 1.f), (std::array<uint8_t, 3>{255, 255, 255}));
  for (int i = 0; i < 256; ++i) EXPECT_EQ(colormap_rgb(Colormap::Gray, i / 255.f)[1], i);
  EXPECT_EQ(colormap_rgb(Colormap::Viridis, 0.f), (std::array<uint8_t, 3>{68, 1, 84}));
  EXPECT_EQ(colormap_rgb(Colormap::Viridis, 1.f), (std::array<uint8_t, 3>{253, 231, 37}));
}

TEST(Colormap, ClampsOutOfRangeAndNaN) {
  for (Colormap map : all_colormaps()) {
    EXPECT_EQ(colormap_rgb(map, -3.f), colormap_rgb(map, 0.f));
    EXPECT_EQ(colormap_rgb(map, 7.f), colormap_rgb(map, 1.f));
    EXPECT_EQ(colormap_rgb(map, std::nanf("")), colormap_rgb(map, 0.f));
  }
}

TEST(Colormap, TableMatchesLookupAndNamesRoundTrip) {
  for (Colormap map : all_colormaps()) {
    const auto table = colormap_table(map, 256);
    ASSERT_EQ(table.size(), 256u * 4);
    for (int i = 0; i < 256; i += 17) {
      const auto c = colormap_rgb(map, i / 255.f);
      EXPECT_EQ(table[i * 4], c[0]);
      EXPECT_EQ(table[i * 4 + 2], c[2]);
      EXPECT_EQ(table[i * 4 + 3], 255);
    }
    EXPECT_EQ(parse_colormap(colormap_name(map)), map);
  }
  EXPECT_THROW(parse_colormap("jet"), p2r::Error);
  EXPECT_THROW(colormap_table(Colormap::Gray, 1), p2r::Error);
}

TEST(Colormap, ViridisLuminanceIncreases) {
  auto luma = [](std::array<uint8_t, 3> c) { return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]; };
  double previous = -1;
  for (int i = 0; i <= 10; ++i) {
    const double y = luma(colormap_rgb(Colormap::Viridis, i / 10.f));
    EXPECT_GT(y, previous);
    previous = y;
  }
}

TEST(Colormap, WindowMapsLinearlyAndClamps) {
  EXPECT_FLOAT_EQ(apply_window(0.5f, 0.f, 1.f), 0.5f);
  EXPECT_FLOAT_EQ(apply_window(0.3f, 0.2f, 0.4f), 0.5f);
  EXPECT_FLOAT_EQ(apply_window(-1.f, 0.2f, 0.4f), 0.f);
  EXPECT_FLOAT_EQ(apply_window(9.f, 0.2f, 0.4f), 1.f);
  EXPECT_FLOAT_EQ(apply_window(0.5f, 0.5f, 0.5f), 1.f);  // degenerate window: a step
  EXPECT_FLOAT_EQ(apply_window(0.4f, 0.5f, 0.5f), 0.f);
}

TEST(Colormap, LabelPaletteFollowsAcdc) {
  EXPECT_EQ(label_name(0), "background");
  EXPECT_EQ(label_name(1), "RV");
  EXPECT_EQ(label_name(2), "MYO");
  EXPECT_EQ(label_name(3), "LV");
  EXPECT_NE(label_rgb(1), label_rgb(2));
  EXPECT_NE(label_rgb(2), label_rgb(3));
  EXPECT_EQ(label_rgb(1), label_rgb(1 + kLabelPaletteSize));
}
